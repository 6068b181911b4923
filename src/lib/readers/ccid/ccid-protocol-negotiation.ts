import { ErrorKind, MynaError } from '../../errors';
import {
	CCID_HEADER_LENGTH,
	CcidExchangeLevel,
	CcidFeature,
	hasCcidFeature,
	supportsT0,
	supportsT1,
	type CcidClassDescriptor
} from '../../usb/ccid-class-descriptor';
import type { Atr } from '../t1/atr';
import { buildPpsRequest } from '../t1/pps';
import { edcLength, T1_MAX_INF } from '../t1/t1-block';
import type { T1Settings } from '../t1/t1-protocol';
import { conservativeT1BlockTimeoutMs } from '../t1/t1-timing';

/** Waits for control commands (power, slot status, parameters): a contact card answers reset in well under a second. */
export const CCID_CONTROL_TIMEOUT_MS = 5_000;
/**
 * Floor for one APDU at APDU level: the reader runs T=1 / ISO-DEP itself and should send time extensions,
 * but a signature on a contactless card may take seconds; a floor avoids giving up on a silent reader early.
 */
export const CCID_APDU_TIMEOUT_FLOOR_MS = 10_000;

const DEFAULT_FI_DI = 0x11;
const DEFAULT_WAITING_INTEGERS_T1 = 0x4d;
const DEFAULT_IFSC = 0x20;
const DEFAULT_WAITING_INTEGER_T0 = 0x0a;

export interface CcidNegotiation {
	protocol: 0 | 1;
	/** PPS request to send through XfrBlock (TPDU level, reader without automatic PPS). */
	pps?: Uint8Array;
	/** Fi/Di to announce in SetParameters (PPS1, or TA1 when the reader switches speed itself). */
	fiDi: number;
	/** Send PC_to_RDR_SetParameters (reader without automatic parameter negotiation). */
	setParameters: boolean;
}

function negotiationError(message: string, details: Record<string, number> = {}): MynaError {
	return new MynaError(ErrorKind.Protocol, message, details);
}

function isHostProtocolLevel(descriptor: CcidClassDescriptor): boolean {
	return descriptor.exchangeLevel === CcidExchangeLevel.Tpdu || descriptor.exchangeLevel === CcidExchangeLevel.Character;
}

/**
 * TA1 as PPS1 when the card is faster than the default and the reader can keep up (libccid
 * IFDHSetProtocolParameters: baud = clock × D / F against dwMaxDataRate; no data-rate table, because reading it
 * takes a class request Chrome blocks on protected interfaces).
 */
function proposedFiDi(atr: Atr, descriptor: CcidClassDescriptor): number | undefined {
	if (!atr.ta1Present || atr.f === undefined || atr.d === undefined || descriptor.defaultClockKhz === 0) return undefined;
	const cardRate = (1000 * descriptor.defaultClockKhz * atr.d) / atr.f;
	const defaultRate = (1000 * descriptor.defaultClockKhz) / 372;
	return cardRate > defaultRate && cardRate <= descriptor.maxDataRate ? atr.fiDi : undefined;
}

/**
 * What to do after the ATR (libccid IFDHSetProtocolParameters): pick T=1 when both sides have it, else T=0;
 * PPS unless the reader does it (0x80), the card is in specific mode (TA2), or nothing needs changing;
 * SetParameters unless the reader negotiates itself (0x40). The host runs T=1 only: a T=0 card on a TPDU
 * reader is not supported.
 */
export function planNegotiation(atr: Atr | undefined, descriptor: CcidClassDescriptor): CcidNegotiation {
	const hostLevel = isHostProtocolLevel(descriptor);
	if (!atr) {
		if (hostLevel) throw negotiationError('The card sent an ATR that cannot be read.');
		return { protocol: supportsT1(descriptor) ? 1 : 0, fiDi: DEFAULT_FI_DI, setParameters: false };
	}
	if (atr.implicitParameters) throw negotiationError('The card runs in a specific mode with implicit parameters.');
	let protocol: 0 | 1;
	if (atr.protocols.includes(1) && supportsT1(descriptor)) protocol = 1;
	else if (atr.protocols.includes(0) && supportsT0(descriptor)) protocol = 0;
	else throw negotiationError('The card and the reader have no protocol in common.', { readerProtocols: descriptor.protocols });
	if (hostLevel && protocol !== 1) {
		throw new MynaError(ErrorKind.Unsupported, 'T=0 cards are not supported on this card reader.', { readerProtocols: descriptor.protocols });
	}
	const pps1 = proposedFiDi(atr, descriptor);
	const negotiation: CcidNegotiation = {
		protocol,
		fiDi: pps1 ?? DEFAULT_FI_DI,
		setParameters: !hasCcidFeature(descriptor, CcidFeature.AutoParameterNegotiation)
	};
	const ppsWanted = protocol !== atr.defaultProtocol || pps1 !== undefined;
	if (hostLevel && ppsWanted && !atr.specificMode && !hasCcidFeature(descriptor, CcidFeature.AutoPps)) {
		negotiation.pps = buildPpsRequest(protocol, pps1);
	}
	return negotiation;
}

/** abProtocolDataStructure for T=1 (CCID rev 1.1 §6.1.7; values as libccid fills them). */
export function t1ParameterStructure(atr: Atr, fiDi: number): Uint8Array<ArrayBuffer> {
	const checksum = 0x10 | (atr.t1.edc === 'crc' ? 0x01 : 0) | (atr.convention === 'inverse' ? 0x02 : 0);
	return new Uint8Array([
		fiDi,
		checksum,
		atr.extraGuardTime,
		atr.t1.waitingIntegers ?? DEFAULT_WAITING_INTEGERS_T1,
		0x00,
		atr.t1.ifscPresent ? atr.t1.ifsc : DEFAULT_IFSC,
		0x00
	]);
}

/** abProtocolDataStructure for T=0. */
export function t0ParameterStructure(atr: Atr, fiDi: number): Uint8Array<ArrayBuffer> {
	return new Uint8Array([fiDi, atr.convention === 'inverse' ? 0x02 : 0x00, atr.extraGuardTime, atr.groups[1]?.tc ?? DEFAULT_WAITING_INTEGER_T0, 0x00]);
}

/**
 * Host T=1 settings for a TPDU reader. Blocks are kept within dwMaxCCIDMessageLength both ways: IFSD and the
 * INF we send are capped at what fits in one message (some SCM readers declare only 263 bytes).
 */
export function t1SettingsFor(atr: Atr, fiDi: number, descriptor: CcidClassDescriptor): T1Settings {
	const room = descriptor.maxMessageLength - CCID_HEADER_LENGTH - 3 - edcLength(atr.t1.edc);
	if (room < 1) throw negotiationError('The card reader cannot carry T=1 blocks.', { maxMessageLength: descriptor.maxMessageLength });
	return {
		ifsc: atr.t1.ifsc,
		ifsd: Math.max(1, Math.min(descriptor.maxIfsd, T1_MAX_INF, room)),
		edc: atr.t1.edc,
		maxSendInf: Math.min(room, T1_MAX_INF),
		blockTimeoutMs: conservativeT1BlockTimeoutMs({
			fiDi,
			extraGuardTime: atr.extraGuardTime,
			bwi: atr.t1.bwi,
			cwi: atr.t1.cwi,
			clockKhz: descriptor.defaultClockKhz
		})
	};
}

/** One APDU at APDU level: the T=1 block time when known, never below the floor. */
export function apduTimeoutMs(atr: Atr | undefined, negotiation: CcidNegotiation, descriptor: CcidClassDescriptor): number {
	if (!atr || negotiation.protocol !== 1) return CCID_APDU_TIMEOUT_FLOOR_MS;
	const t1 = conservativeT1BlockTimeoutMs({
		fiDi: negotiation.fiDi,
		extraGuardTime: atr.extraGuardTime,
		bwi: atr.t1.bwi,
		cwi: atr.t1.cwi,
		clockKhz: descriptor.defaultClockKhz
	});
	return Math.max(CCID_APDU_TIMEOUT_FLOOR_MS, t1);
}
