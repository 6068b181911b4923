import { ErrorKind, MynaError } from '../../errors';

/**
 * Sony NFC Port-100 USB frames (readers.md §5.2, nfcpy rcs380.py `Frame`):
 * - normal frame `00 00 FF FF FF <LEN lo> <LEN hi> <LCS> <DATA…> <DCS> 00`, LCS = −(LEN lo + LEN hi), DCS = −ΣDATA;
 * - ACK `00 00 FF 00 FF 00` (the host sends it to cancel a command, the chip to accept one);
 * - error frame `00 00 FF FF FF`.
 */
export const PORT100_ACK = Uint8Array.of(0x00, 0x00, 0xff, 0x00, 0xff, 0x00);
export const PORT100_ERROR_FRAME = Uint8Array.of(0x00, 0x00, 0xff, 0xff, 0xff);
const NORMAL_PREFIX = [0x00, 0x00, 0xff, 0xff, 0xff] as const;
const HEADER_LENGTH = 8;
/** Data bytes the RC-S380 takes or gives in one frame (nfcpy `get_max_send_data_size`). */
export const PORT100_MAX_DATA = 290;

export type Port100Frame = { type: 'ack' } | { type: 'error' } | { type: 'data'; data: Uint8Array };

function checksum(bytes: Uint8Array): number {
	let sum = 0;
	for (const byte of bytes) sum += byte;
	return (0x100 - (sum & 0xff)) & 0xff;
}

export function encodePort100Frame(data: Uint8Array): Uint8Array {
	if (data.length > 0xffff) throw new MynaError(ErrorKind.Internal, 'Port-100 frame data too long', { length: data.length });
	const frame = new Uint8Array(HEADER_LENGTH + data.length + 2);
	frame.set(NORMAL_PREFIX);
	frame[5] = data.length & 0xff;
	frame[6] = data.length >> 8;
	frame[7] = checksum(frame.subarray(5, 7));
	frame.set(data, HEADER_LENGTH);
	frame[HEADER_LENGTH + data.length] = checksum(data);
	return frame;
}

function corrupt(reason: string): MynaError {
	return new MynaError(ErrorKind.Protocol, 'The reader sent a damaged Port-100 frame.', { port100: reason });
}

/** One USB transfer from the chip, as one frame. Anything else (bad checksums, stray bytes) is a Protocol error. */
export function decodePort100Frame(bytes: Uint8Array): Port100Frame {
	if (bytes.length < 3 || bytes[0] !== 0x00 || bytes[1] !== 0x00 || bytes[2] !== 0xff) throw corrupt('preamble');
	if (bytes.length === PORT100_ACK.length && bytes.every((b, i) => b === PORT100_ACK[i])) return { type: 'ack' };
	if (bytes.length === PORT100_ERROR_FRAME.length && bytes.every((b, i) => b === PORT100_ERROR_FRAME[i])) return { type: 'error' };
	if (bytes.length < HEADER_LENGTH + 2 || bytes[3] !== 0xff || bytes[4] !== 0xff) throw corrupt('not a normal frame');
	const length = bytes[5]! | (bytes[6]! << 8);
	if (((bytes[5]! + bytes[6]! + bytes[7]!) & 0xff) !== 0) throw corrupt('length checksum');
	if (bytes.length !== HEADER_LENGTH + length + 2) throw corrupt('length');
	const data = bytes.subarray(HEADER_LENGTH, HEADER_LENGTH + length);
	if (checksum(data) !== bytes[HEADER_LENGTH + length]) throw corrupt('data checksum');
	if (bytes[HEADER_LENGTH + length + 1] !== 0x00) throw corrupt('postamble');
	return { type: 'data', data: data.slice() };
}
