import { ErrorKind, MynaError } from '../../../errors';
import { readUint32LE, writeUint32LE } from '../../../bytes';
import { CCID_HEADER_SIZE, CcidErrorCode, CcidInterruptType, CcidResponseType } from './ccid-constants';

/**
 * CCID message framing (CCID rev 1.1 §6): a 10-byte header — bMessageType, dwLength (LE, length of abData),
 * bSlot, bSeq, three message-specific bytes — then abData.
 */

/** A host-to-reader (bulk-OUT) message. */
export interface CcidCommand {
	readonly messageType: number;
	readonly slot: number;
	readonly seq: number;
	/** Header bytes 7, 8, 9: bPowerSelect, bBWI + wLevelParameter, bProtocolNum… depending on the message. */
	readonly specific: readonly [number, number, number];
	readonly data: Uint8Array;
}

/** A reader-to-host (bulk-IN) message. */
export interface CcidResponse {
	readonly messageType: number;
	readonly slot: number;
	readonly seq: number;
	readonly status: number;
	readonly error: number;
	/** Byte 9: bChainParameter (DataBlock), bClockStatus (SlotStatus), bProtocolNum (Parameters). */
	readonly specific: number;
	readonly data: Uint8Array;
}

export const CcidFrameFault = {
	ShortHeader: 'short-header',
	LengthMismatch: 'length-mismatch',
	TooLong: 'too-long',
	UnknownType: 'unknown-type'
} as const;
export type CcidFrameFault = (typeof CcidFrameFault)[keyof typeof CcidFrameFault];

function frameError(fault: CcidFrameFault, length: number): MynaError {
	return new MynaError(ErrorKind.Protocol, `CCID message framing: ${fault}`, { fault, length, bError: CcidErrorCode.BadLength });
}

/**
 * Strict bulk-OUT parser: a full header, and dwLength equal to the bytes that follow it and no larger than
 * `maxMessageLength` − 10 (dwMaxCCIDMessageLength). Fails with MynaError kind Protocol (details.fault).
 */
export function decodeCcidCommand(bytes: Uint8Array, maxMessageLength = 0xffff_ffff): CcidCommand {
	if (bytes.length < CCID_HEADER_SIZE) throw frameError(CcidFrameFault.ShortHeader, bytes.length);
	const dwLength = readUint32LE(bytes, 1);
	if (dwLength !== bytes.length - CCID_HEADER_SIZE) throw frameError(CcidFrameFault.LengthMismatch, bytes.length);
	if (bytes.length > maxMessageLength) throw frameError(CcidFrameFault.TooLong, bytes.length);
	return {
		messageType: bytes[0]!,
		slot: bytes[5]!,
		seq: bytes[6]!,
		specific: [bytes[7]!, bytes[8]!, bytes[9]!],
		data: bytes.slice(CCID_HEADER_SIZE)
	};
}

export function encodeCcidCommand(command: CcidCommand): Uint8Array {
	return encodeFrame(command.messageType, command.slot, command.seq, command.specific, command.data);
}

export function encodeCcidResponse(response: CcidResponse): Uint8Array {
	return encodeFrame(response.messageType, response.slot, response.seq, [response.status, response.error, response.specific], response.data);
}

function encodeFrame(type: number, slot: number, seq: number, specific: readonly [number, number, number], data: Uint8Array): Uint8Array {
	const out = new Uint8Array(CCID_HEADER_SIZE + data.length);
	out[0] = type;
	writeUint32LE(out, 1, data.length);
	out[5] = slot;
	out[6] = seq;
	out[7] = specific[0];
	out[8] = specific[1];
	out[9] = specific[2];
	out.set(data, CCID_HEADER_SIZE);
	return out;
}

const RESPONSE_TYPES: readonly number[] = Object.values(CcidResponseType);

/** Strict bulk-IN parser (the checks libccid's CCID_Receive makes). Fails with MynaError kind Protocol. */
export function decodeCcidResponse(bytes: Uint8Array): CcidResponse {
	if (bytes.length < CCID_HEADER_SIZE) throw frameError(CcidFrameFault.ShortHeader, bytes.length);
	if (!RESPONSE_TYPES.includes(bytes[0]!)) throw frameError(CcidFrameFault.UnknownType, bytes.length);
	if (readUint32LE(bytes, 1) !== bytes.length - CCID_HEADER_SIZE) throw frameError(CcidFrameFault.LengthMismatch, bytes.length);
	return {
		messageType: bytes[0]!,
		slot: bytes[5]!,
		seq: bytes[6]!,
		status: bytes[7]!,
		error: bytes[8]!,
		specific: bytes[9]!,
		data: bytes.slice(CCID_HEADER_SIZE)
	};
}

export interface CcidSlotChange {
	present: boolean;
	changed: boolean;
}

/** RDR_to_PC_NotifySlotChange (CCID §6.3.1): 0x50, then 2 bits per slot (bit 0 present, bit 1 changed), 4 slots a byte. */
export function encodeNotifySlotChange(slots: readonly CcidSlotChange[]): Uint8Array {
	const out = new Uint8Array(1 + Math.ceil((slots.length * 2) / 8));
	out[0] = CcidInterruptType.NotifySlotChange;
	slots.forEach((slot, index) => {
		const bits = (slot.present ? 1 : 0) | (slot.changed ? 2 : 0);
		out[1 + (index >> 2)]! |= bits << ((index & 3) * 2);
	});
	return out;
}

export function decodeNotifySlotChange(bytes: Uint8Array, slotCount: number): CcidSlotChange[] {
	if (bytes[0] !== CcidInterruptType.NotifySlotChange || bytes.length !== 1 + Math.ceil((slotCount * 2) / 8)) {
		throw new MynaError(ErrorKind.Protocol, 'not a NotifySlotChange for this reader', { length: bytes.length });
	}
	return Array.from({ length: slotCount }, (_, index) => {
		const bits = (bytes[1 + (index >> 2)]! >> ((index & 3) * 2)) & 3;
		return { present: (bits & 1) !== 0, changed: (bits & 2) !== 0 };
	});
}

/** RDR_to_PC_HardwareError (CCID §6.3.2): 0x51, bSlot, bSeq, bHardwareErrorCode. */
export function encodeHardwareError(slot: number, seq: number, code: number): Uint8Array {
	return new Uint8Array([CcidInterruptType.HardwareError, slot, seq, code]);
}
