import { ErrorKind, MynaError } from '../../../errors';
import { readUint16LE, readUint32LE, writeUint32LE } from '../../../bytes';

/**
 * The Smart Card Device Class descriptor (CCID rev 1.1 §5.1): 54 bytes, type 0x21, right after the interface
 * descriptor. Field names and offsets are the spec's (libccid src/parse.c reads the same offsets).
 * Clocks are in kHz, data rates in bps.
 */
export interface CcidClassDescriptor {
	bcdCCID: number;
	bMaxSlotIndex: number;
	bVoltageSupport: number;
	dwProtocols: number;
	dwDefaultClock: number;
	dwMaximumClock: number;
	bNumClockSupported: number;
	dwDataRate: number;
	dwMaxDataRate: number;
	bNumDataRatesSupported: number;
	dwMaxIFSD: number;
	dwSynchProtocols: number;
	dwMechanical: number;
	dwFeatures: number;
	dwMaxCCIDMessageLength: number;
	bClassGetResponse: number;
	bClassEnvelope: number;
	wLcdLayout: number;
	bPINSupport: number;
	bMaxCCIDBusySlots: number;
}

export const CCID_CLASS_DESCRIPTOR_LENGTH = 54;
export const CCID_CLASS_DESCRIPTOR_TYPE = 0x21;

type Width = 1 | 2 | 4;

const LAYOUT: readonly (readonly [keyof CcidClassDescriptor, number, Width])[] = [
	['bcdCCID', 2, 2],
	['bMaxSlotIndex', 4, 1],
	['bVoltageSupport', 5, 1],
	['dwProtocols', 6, 4],
	['dwDefaultClock', 10, 4],
	['dwMaximumClock', 14, 4],
	['bNumClockSupported', 18, 1],
	['dwDataRate', 19, 4],
	['dwMaxDataRate', 23, 4],
	['bNumDataRatesSupported', 27, 1],
	['dwMaxIFSD', 28, 4],
	['dwSynchProtocols', 32, 4],
	['dwMechanical', 36, 4],
	['dwFeatures', 40, 4],
	['dwMaxCCIDMessageLength', 44, 4],
	['bClassGetResponse', 48, 1],
	['bClassEnvelope', 49, 1],
	['wLcdLayout', 50, 2],
	['bPINSupport', 52, 1],
	['bMaxCCIDBusySlots', 53, 1]
];

const LIMIT: Record<Width, number> = { 1: 0xff, 2: 0xffff, 4: 0xffff_ffff };

export function encodeCcidClassDescriptor(descriptor: CcidClassDescriptor): Uint8Array {
	const out = new Uint8Array(CCID_CLASS_DESCRIPTOR_LENGTH);
	out[0] = CCID_CLASS_DESCRIPTOR_LENGTH;
	out[1] = CCID_CLASS_DESCRIPTOR_TYPE;
	for (const [field, offset, width] of LAYOUT) {
		const value = descriptor[field];
		if (!Number.isInteger(value) || value < 0 || value > LIMIT[width]) {
			throw new MynaError(ErrorKind.Internal, 'CCID class descriptor field out of range', { field });
		}
		if (width === 1) out[offset] = value;
		else if (width === 2) {
			out[offset] = value & 0xff;
			out[offset + 1] = value >>> 8;
		} else writeUint32LE(out, offset, value);
	}
	return out;
}

/** Strict: exactly bLength 0x36 and type 0x21 at the start of `bytes`; bytes after the 54 are ignored. */
export function decodeCcidClassDescriptor(bytes: Uint8Array): CcidClassDescriptor {
	if (bytes.length < CCID_CLASS_DESCRIPTOR_LENGTH) {
		throw new MynaError(ErrorKind.Malformed, 'CCID class descriptor too short', { length: bytes.length });
	}
	if (bytes[0] !== CCID_CLASS_DESCRIPTOR_LENGTH || bytes[1] !== CCID_CLASS_DESCRIPTOR_TYPE) {
		throw new MynaError(ErrorKind.Malformed, 'not a CCID class descriptor', { bLength: bytes[0]!, bDescriptorType: bytes[1]! });
	}
	const out = {} as CcidClassDescriptor;
	for (const [field, offset, width] of LAYOUT) {
		out[field] = width === 1 ? bytes[offset]! : width === 2 ? readUint16LE(bytes, offset) : readUint32LE(bytes, offset);
	}
	return out;
}
