import { ErrorKind, MynaError } from '../../../errors';
import { T1Edc } from './t1-block';

/**
 * What a reader and a T=1 card take from an ATR (ISO 7816-3 §8.2, §11.4): the global TA1/TC1, the protocols
 * offered by the TDi, and the first TA/TB/TC after a TD announcing T=1 (IFSC, BWI/CWI, EDC kind), with the
 * standard defaults when absent (IFSC 32, BWI 4, CWI 13, LRC; libccid ifdhandler.c uses the same defaults).
 */
export interface AtrT1Parameters {
	/** T values offered, in order; [0] when there is no TD1. */
	readonly protocols: readonly number[];
	/** TA1 (Fi/Di), 0x11 when absent. */
	readonly fiDi: number;
	/** TC1 (extra guard time N), 0 when absent. */
	readonly guardTime: number;
	readonly ifsc: number;
	readonly bwi: number;
	readonly cwi: number;
	readonly edc: T1Edc;
	readonly historical: Uint8Array;
}

export const AtrFault = {
	/** TS is neither 3B (direct) nor 3F (inverse). */
	BadTs: 'bad-ts',
	/** Missing or extra bytes, a wrong TCK, or an RFU interface byte value. */
	BadStructure: 'bad-structure'
} as const;
export type AtrFault = (typeof AtrFault)[keyof typeof AtrFault];

const MAX_ATR_LENGTH = 33;

function atrError(fault: AtrFault): MynaError {
	return new MynaError(ErrorKind.Malformed, `ATR refused: ${fault}`, { fault });
}

/** Strict and bounded: reads only inside `atr` (at most 33 bytes), one pass over the TDi chain. */
export function parseAtrT1Parameters(atr: Uint8Array): AtrT1Parameters {
	if (atr.length < 2 || atr.length > MAX_ATR_LENGTH) throw atrError(atr.length < 1 ? AtrFault.BadTs : AtrFault.BadStructure);
	if (atr[0] !== 0x3b && atr[0] !== 0x3f) throw atrError(AtrFault.BadTs);
	const historicalCount = atr[1]! & 0x0f;
	let y = atr[1]! >> 4;
	let index = 2;
	let group = 1;
	let currentProtocol = 0;
	const protocols: number[] = [];
	let fiDi = 0x11;
	let guardTime = 0;
	let ifsc: number | undefined;
	let bwiCwi: number | undefined;
	let edcByte: number | undefined;
	const next = (): number => {
		if (index >= atr.length) throw atrError(AtrFault.BadStructure);
		return atr[index++]!;
	};
	for (;;) {
		const ta = y & 0x1 ? next() : undefined;
		const tb = y & 0x2 ? next() : undefined;
		const tc = y & 0x4 ? next() : undefined;
		const td = y & 0x8 ? next() : undefined;
		if (group === 1) {
			if (ta !== undefined) fiDi = ta;
			if (tc !== undefined) guardTime = tc;
		} else if (group >= 3 && currentProtocol === 1) {
			if (ta !== undefined && ifsc === undefined) ifsc = ta;
			if (tb !== undefined && bwiCwi === undefined) bwiCwi = tb;
			if (tc !== undefined && edcByte === undefined) edcByte = tc;
		}
		if (td === undefined) break;
		currentProtocol = td & 0x0f;
		protocols.push(currentProtocol);
		y = td >> 4;
		group++;
	}
	const needsTck = protocols.some((t) => t !== 0);
	if (atr.length !== index + historicalCount + (needsTck ? 1 : 0)) throw atrError(AtrFault.BadStructure);
	if (needsTck) {
		let check = 0;
		for (let i = 1; i < atr.length; i++) check ^= atr[i]!;
		if (check !== 0) throw atrError(AtrFault.BadStructure);
	}
	if (ifsc !== undefined && (ifsc === 0x00 || ifsc === 0xff)) throw atrError(AtrFault.BadStructure);
	const bwi = bwiCwi === undefined ? 4 : bwiCwi >> 4;
	if (bwi > 9) throw atrError(AtrFault.BadStructure);
	// T=15 announces global bytes, not a protocol.
	const offered = protocols.filter((t) => t !== 15);
	return {
		protocols: offered.length > 0 ? offered : [0],
		fiDi,
		guardTime,
		ifsc: ifsc ?? 32,
		bwi,
		cwi: bwiCwi === undefined ? 13 : bwiCwi & 0x0f,
		edc: edcByte !== undefined && (edcByte & 1) === 1 ? T1Edc.Crc : T1Edc.Lrc,
		historical: atr.slice(index, index + historicalCount)
	};
}

/**
 * Block waiting time (ISO 7816-3 §11.4.3): 11 etu + 2^BWI × 960 × Fd / f, with Fd = 372, etu = F / (D × f)
 * from TA1 (F and D tables of §8.3), f the reader's clock in kHz.
 */
export function t1BlockWaitingTimeMs(parameters: AtrT1Parameters, clockKhz: number): number {
	const f = FI_TABLE[parameters.fiDi >> 4] ?? 372;
	const d = DI_TABLE[parameters.fiDi & 0x0f] ?? 1;
	const etuMs = f / d / clockKhz;
	return 11 * etuMs + ((2 ** parameters.bwi) * 960 * 372) / clockKhz;
}

const FI_TABLE: readonly (number | undefined)[] = [372, 372, 558, 744, 1116, 1488, 1860, undefined, undefined, 512, 768, 1024, 1536, 2048];
const DI_TABLE: readonly (number | undefined)[] = [undefined, 1, 2, 4, 8, 16, 32, 64, 12, 20];
