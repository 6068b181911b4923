import { ErrorKind, MynaError } from '../../errors';
import { frameSizeFromIndex, frameWaitingTimeMs, startupFrameGuardTimeMs } from '../iso-dep/iso-dep-parameters';

/** ISO/IEC 14443-3 Type B command and answer codes (readers.md §5.3). */
export const TypeBCode = {
	/** Anticollision prefix byte APf of SENSB_REQ (REQB/WUPB). */
	SensbReq: 0x05,
	SensbRes: 0x50,
	Attrib: 0x1d,
	Hltb: 0x50
} as const;

/** SENSB_REQ PARAM bits. */
export const SensbParam = {
	/** WUPB: HALT cards answer too. */
	WakeUp: 0x08,
	/** The reader takes the 4-byte protocol info of an extended SENSB_RES. */
	ExtendedAtqb: 0x10
} as const;

export interface SensbReqOptions {
	/** Application family identifier; 0 asks every card. */
	afi?: number;
	/** WUPB instead of REQB (default true: a card left in HALT by an earlier session answers too). */
	wakeUp?: boolean;
}

/** SENSB_REQ with one slot: `05 AFI PARAM`. */
export function encodeSensbReq(options: SensbReqOptions = {}): Uint8Array {
	const afi = options.afi ?? 0;
	if (!Number.isInteger(afi) || afi < 0 || afi > 0xff) throw new MynaError(ErrorKind.Internal, 'AFI out of range', { afi });
	return Uint8Array.of(TypeBCode.SensbReq, afi, options.wakeUp === false ? 0x00 : SensbParam.WakeUp);
}

export interface SensbRes {
	/** PUPI (NFCID0). Random per activation on many cards: never an identity, never logged. */
	pupi: Uint8Array;
	applicationData: Uint8Array;
	/** The protocol info bytes as received (3, or 4 in an extended SENSB_RES). */
	protocolInfo: Uint8Array;
	bitRateCapability: number;
	fsci: number;
	/** FSC from FSCI (values above 8 read as 8). */
	fsc: number;
	/** Protocol type (b4–b1 of protocol info byte 2). */
	protocolType: number;
	/** The card speaks ISO/IEC 14443-4 (protocol type b1). */
	iso14443_4: boolean;
	fwi: number;
	fwtMs: number;
	/** Application data coding (b4–b3 of protocol info byte 3). */
	adc: number;
	nadSupported: boolean;
	cidSupported: boolean;
	/** SFGI from an extended SENSB_RES, else 0. */
	sfgi: number;
	sfgtMs: number;
}

function malformed(reason: string): MynaError {
	return new MynaError(ErrorKind.Protocol, 'Malformed SENSB_RES', { reason });
}

/** Reads the three protocol info bytes (the fourth, if given, only for SFGI). */
export function parseProtocolInfo(info: Uint8Array): Omit<SensbRes, 'pupi' | 'applicationData' | 'protocolInfo'> {
	if (info.length !== 3 && info.length !== 4) throw malformed('protocol info is not 3 or 4 bytes');
	const byte2 = info[1]!;
	const byte3 = info[2]!;
	const protocolType = byte2 & 0x0f;
	if ((protocolType & 0x08) !== 0) throw malformed('protocol type b4 set');
	const fsci = byte2 >> 4;
	const fwi = byte3 >> 4;
	const sfgi = info.length === 4 ? info[3]! >> 4 : 0;
	return {
		bitRateCapability: info[0]!,
		fsci,
		fsc: frameSizeFromIndex(fsci),
		protocolType,
		iso14443_4: (protocolType & 0x01) !== 0,
		fwi,
		fwtMs: frameWaitingTimeMs(fwi),
		adc: (byte3 >> 2) & 0x03,
		nadSupported: (byte3 & 0x02) !== 0,
		cidSupported: (byte3 & 0x01) !== 0,
		sfgi,
		sfgtMs: startupFrameGuardTimeMs(sfgi)
	};
}

/** SENSB_RES: `50 PUPI(4) application data(4) protocol info(3 or 4)`; any other length or first byte is rejected. */
export function parseSensbRes(bytes: Uint8Array): SensbRes {
	if (bytes.length !== 12 && bytes.length !== 13) throw malformed('length is not 12 or 13');
	if (bytes[0] !== TypeBCode.SensbRes) throw malformed('first byte is not 50');
	const protocolInfo = bytes.slice(9);
	return {
		pupi: bytes.slice(1, 5),
		applicationData: bytes.slice(5, 9),
		protocolInfo,
		...parseProtocolInfo(protocolInfo)
	};
}
