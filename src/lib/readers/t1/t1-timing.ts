import { DI_TABLE, FI_TABLE } from './atr';

export interface T1TimingInput {
	/** TA1 or the PPS1 in effect. */
	fiDi: number;
	/** TC1 (N). */
	extraGuardTime: number;
	bwi: number;
	cwi: number;
	/** The reader's clock (dwDefaultClock, kHz). */
	clockKhz: number;
}

/** ISO 7816-3 §11.4.3 allows BWI 0..9; larger values are RFU and would make waits of hours. */
const MAX_BWI = 9;
const MAX_CWI = 15;
/** libccid's answer when it cannot compute (non-ISO card or a reader clock of 0). */
const FALLBACK_MS = 60_000;
/** Added so the reader's own timeout fires first and reports the error (libccid T1_card_timeout). */
const READER_SLACK_MS = 1_000;

/**
 * The longest a T=1 block exchange may take, after libccid's T1_card_timeout (LudovicRousseau/CCID:src/ifdhandler.c):
 * 260 extra guard times to send a full block, the block waiting time, 260 character waiting times to receive
 * one, plus one second. ISO 7816-3 §11.4.3: BWT = 11 etu + 2^BWI × 960 × 372 / f, CWT = (11 + 2^CWI) etu;
 * §8.3: etu = F / (D × f); §8.3 EGT = 12 etu + N × F / (D × f).
 */
export function t1BlockTimeoutMs(input: T1TimingInput): number {
	const f = FI_TABLE[input.fiDi >> 4];
	const d = DI_TABLE[input.fiDi & 0x0f];
	if (f === undefined || d === undefined || !(input.clockKhz > 0)) return FALLBACK_MS;
	const bwi = Math.min(Math.max(input.bwi, 0), MAX_BWI);
	const cwi = Math.min(Math.max(input.cwi, 0), MAX_CWI);
	const etu = f / d / input.clockKhz;
	const egt = 12 * etu + ((f / d) * input.extraGuardTime) / input.clockKhz;
	const bwt = 11 * etu + ((1 << bwi) * 960 * 372) / input.clockKhz;
	const cwt = (11 + (1 << cwi)) * etu;
	return Math.ceil(260 * egt + bwt + 260 * cwt) + READER_SLACK_MS;
}

/**
 * The block timeout for a card whose speed the reader may or may not have raised to TA1: the slower of the
 * default (Fd = 372, Dd = 1) and the TA1 speed, so the wait never ends early.
 */
export function conservativeT1BlockTimeoutMs(input: T1TimingInput): number {
	return Math.max(t1BlockTimeoutMs(input), t1BlockTimeoutMs({ ...input, fiDi: 0x11 }));
}
