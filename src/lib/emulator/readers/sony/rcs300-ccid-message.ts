import { readUint32LE, writeUint32LE } from '../../../bytes';

/**
 * CCID messages as the RC-S300 vendor interface carries them (facts/rcs300.md §1.1, readers.md §6.2): a 10-byte
 * header (type, dwLength LE, bSlot, bSeq, three message-specific bytes) and dwLength bytes of data. The host sends
 * PC_to_RDR_Escape (0x6B); the reader answers RDR_to_PC_Escape (0x83) with bStatus / bError at offsets 7 / 8.
 */

export const CcidMessageType = {
	pcToRdrEscape: 0x6b,
	rdrToPcSlotStatus: 0x81,
	rdrToPcEscape: 0x83
} as const;

export const CCID_HEADER_LENGTH = 10;

/** bmCommandStatus (bStatus bits 7–6). */
export const CcidCommandStatus = { ok: 0x00, failed: 0x40, timeExtension: 0x80 } as const;

/** bError values used here [LudovicRousseau/CCID src/ccid.c ccid_error]. */
export const CcidSlotError = {
	commandNotSupported: 0x00,
	wrongLength: 0x01,
	invalidSlot: 0x05,
	slotBusy: 0xe0,
	hardwareError: 0xfb
} as const;

export interface CcidOutMessage {
	readonly type: number;
	readonly slot: number;
	readonly seq: number;
	readonly payload: Uint8Array;
}

export const CcidMessageError = {
	tooShort: 'shorter than the 10-byte header',
	lengthMismatch: 'dwLength does not match the bytes that follow',
	tooLong: 'longer than the reader accepts'
} as const;
export type CcidMessageError = (typeof CcidMessageError)[keyof typeof CcidMessageError];

export type CcidMessageParseResult =
	| { readonly ok: true; readonly message: CcidOutMessage }
	| { readonly ok: false; readonly reason: CcidMessageError; readonly header?: Omit<CcidOutMessage, 'payload'> };

/** `maxPayload` bounds dwLength before anything else is read (dwMaxCCIDMessageLength − 10). */
export function parseCcidOutMessage(bytes: Uint8Array, maxPayload: number): CcidMessageParseResult {
	if (bytes.length < CCID_HEADER_LENGTH) return { ok: false, reason: CcidMessageError.tooShort };
	const header = { type: bytes[0]!, slot: bytes[5]!, seq: bytes[6]! };
	const length = readUint32LE(bytes, 1);
	if (length > maxPayload) return { ok: false, reason: CcidMessageError.tooLong, header };
	if (length !== bytes.length - CCID_HEADER_LENGTH) return { ok: false, reason: CcidMessageError.lengthMismatch, header };
	return { ok: true, message: { ...header, payload: bytes.slice(CCID_HEADER_LENGTH) } };
}

export interface CcidInMessage {
	readonly type: number;
	readonly slot: number;
	readonly seq: number;
	readonly status: number;
	readonly error: number;
	readonly payload?: Uint8Array;
}

export function encodeCcidInMessage(message: CcidInMessage): Uint8Array {
	const payload = message.payload ?? new Uint8Array(0);
	const out = new Uint8Array(CCID_HEADER_LENGTH + payload.length);
	out[0] = message.type;
	writeUint32LE(out, 1, payload.length);
	out[5] = message.slot;
	out[6] = message.seq;
	out[7] = message.status;
	out[8] = message.error;
	out.set(payload, CCID_HEADER_LENGTH);
	return out;
}

/** The host side of the same framing, for tests and tools: PC_to_RDR_Escape with slot 0. */
export function encodeCcidEscape(seq: number, payload: Uint8Array): Uint8Array {
	const out = new Uint8Array(CCID_HEADER_LENGTH + payload.length);
	out[0] = CcidMessageType.pcToRdrEscape;
	writeUint32LE(out, 1, payload.length);
	out[6] = seq & 0xff;
	out.set(payload, CCID_HEADER_LENGTH);
	return out;
}
