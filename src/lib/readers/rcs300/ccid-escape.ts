import { readUint32LE, writeUint32LE } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';

/** The CCID messages the RC-S300 vendor interface carries (readers.md §4.2, §6.2; rcs300.md §1.1). */
export const CcidMessageType = {
	PcToRdrEscape: 0x6b,
	RdrToPcEscape: 0x83
} as const;

export const CCID_HEADER_LENGTH = 10;

/** bStatus b7–b6 (bmCommandStatus). */
export const CcidCommandStatus = {
	Ok: 0,
	Failed: 1,
	TimeExtension: 2
} as const;
export type CcidCommandStatus = (typeof CcidCommandStatus)[keyof typeof CcidCommandStatus];

/** bError when the command failed because another session holds the slot. */
export const CCID_SLOT_BUSY = 0xe0;

/** `6B dwLength(LE) bSlot=0 bSeq 00 00 00 payload`. */
export function encodePcToRdrEscape(seq: number, payload: Uint8Array): Uint8Array {
	if (!Number.isInteger(seq) || seq < 0 || seq > 0xff) throw new MynaError(ErrorKind.Internal, 'bSeq out of range', { seq });
	const message = new Uint8Array(CCID_HEADER_LENGTH + payload.length);
	message[0] = CcidMessageType.PcToRdrEscape;
	writeUint32LE(message, 1, payload.length);
	message[6] = seq;
	message.set(payload, CCID_HEADER_LENGTH);
	return message;
}

export interface RdrToPcEscape {
	slot: number;
	seq: number;
	commandStatus: CcidCommandStatus;
	/** bStatus b1–b0 (bmICCStatus). */
	iccStatus: number;
	error: number;
	payload: Uint8Array;
}

function malformed(reason: string): MynaError {
	return new MynaError(ErrorKind.Protocol, 'The reader sent a malformed CCID message.', { ccid: reason });
}

/** `83 dwLength(LE) bSlot bSeq bStatus bError RFU payload`, with dwLength equal to what follows the header. */
export function parseRdrToPcEscape(bytes: Uint8Array): RdrToPcEscape {
	if (bytes.length < CCID_HEADER_LENGTH) throw malformed('shorter than the header');
	if (bytes[0] !== CcidMessageType.RdrToPcEscape) throw malformed('not RDR_to_PC_Escape');
	const length = readUint32LE(bytes, 1);
	if (length !== bytes.length - CCID_HEADER_LENGTH) throw malformed('dwLength differs from the data received');
	const status = bytes[7]!;
	if ((status & 0x3c) !== 0) throw malformed('bStatus RFU bits set');
	const commandStatus = status >> 6;
	if (commandStatus === 3) throw malformed('bmCommandStatus RFU value');
	return {
		slot: bytes[5]!,
		seq: bytes[6]!,
		commandStatus: commandStatus as CcidCommandStatus,
		iccStatus: status & 0x03,
		error: bytes[8]!,
		payload: bytes.slice(CCID_HEADER_LENGTH)
	};
}
