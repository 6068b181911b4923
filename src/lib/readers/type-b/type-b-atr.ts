import { ErrorKind, MynaError } from '../../errors';

/**
 * The ATR a PC/SC reader reports for an ISO/IEC 14443-4 Type B card (PC/SC Part 3 §3.1.3.2.3): `3B 88 80 01`,
 * 8 historical bytes (application data 4, protocol info 3, MBLI in the high nibble of the last), then TCK, the XOR
 * of T0 to the last historical byte. Example from a reader manual: `3B 88 80 01 1C 2D 94 11 F7 71 85 00 BE`.
 */
export interface TypeBAtrFields {
	applicationData: Uint8Array;
	/** The first three protocol info bytes. */
	protocolInfo: Uint8Array;
	mbli: number;
}

const ATR_PREFIX = [0x3b, 0x88, 0x80, 0x01] as const;
export const TYPE_B_ATR_LENGTH = 13;

export function buildTypeBAtr(fields: TypeBAtrFields): Uint8Array {
	if (fields.applicationData.length !== 4 || fields.protocolInfo.length < 3) {
		throw new MynaError(ErrorKind.Internal, 'Type B ATR needs 4 bytes of application data and 3 of protocol info');
	}
	if (!Number.isInteger(fields.mbli) || fields.mbli < 0 || fields.mbli > 15) throw new MynaError(ErrorKind.Internal, 'MBLI out of range');
	const atr = new Uint8Array(TYPE_B_ATR_LENGTH);
	atr.set(ATR_PREFIX);
	atr.set(fields.applicationData, 4);
	atr.set(fields.protocolInfo.subarray(0, 3), 8);
	atr[11] = fields.mbli << 4;
	let tck = 0;
	for (let i = 1; i < 12; i++) tck ^= atr[i]!;
	atr[12] = tck;
	return atr;
}

/** Reads an ATR of exactly that form, TCK checked; `undefined` for any other ATR. */
export function parseTypeBAtr(atr: Uint8Array): TypeBAtrFields | undefined {
	if (atr.length !== TYPE_B_ATR_LENGTH) return undefined;
	for (let i = 0; i < ATR_PREFIX.length; i++) if (atr[i] !== ATR_PREFIX[i]) return undefined;
	let tck = 0;
	for (let i = 1; i < 13; i++) tck ^= atr[i]!;
	if (tck !== 0 || (atr[11]! & 0x0f) !== 0) return undefined;
	return { applicationData: atr.slice(4, 8), protocolInfo: atr.slice(8, 11), mbli: atr[11]! >> 4 };
}
