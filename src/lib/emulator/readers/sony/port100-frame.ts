import { equalBytes, readUint16LE } from '../../../bytes';

/**
 * Sony NFC Port-100 USB framing (facts/readers.md §5.2, nfcpy rcs380.py `Frame`):
 * - data frame `00 00 FF FF FF LEN(2, LE) LCS DATA DCS 00`, LCS = −(LEN lo + LEN hi) mod 256,
 *   DCS = −sum(DATA) mod 256;
 * - ACK `00 00 FF 00 FF 00` (the host also sends it to cancel a command / soft-reset);
 * - error frame `00 00 FF FF FF` (five bytes, as nfcpy decodes it).
 * One USB transfer carries one frame; anything else in the transfer makes the frame malformed.
 */

export const PORT100_ACK = new Uint8Array([0x00, 0x00, 0xff, 0x00, 0xff, 0x00]);
export const PORT100_ERROR_FRAME = new Uint8Array([0x00, 0x00, 0xff, 0xff, 0xff]);

const DATA_PREFIX = [0x00, 0x00, 0xff, 0xff, 0xff] as const;
const HEADER_LENGTH = 8;
const TRAILER_LENGTH = 2;

export type Port100Frame = { readonly type: 'ack' } | { readonly type: 'error' } | { readonly type: 'data'; readonly data: Uint8Array };

export const Port100FrameError = {
	tooShort: 'shorter than a frame header',
	badStart: 'does not start with 00 00 FF FF FF',
	badLengthChecksum: 'LCS does not match LEN',
	emptyData: 'data frame without data',
	tooLong: 'LEN larger than the chip buffer',
	lengthMismatch: 'transfer length does not match LEN',
	badDataChecksum: 'DCS does not match DATA',
	badPostamble: 'postamble is not 00'
} as const;
export type Port100FrameError = (typeof Port100FrameError)[keyof typeof Port100FrameError];

export type Port100FrameParseResult =
	| { readonly ok: true; readonly frame: Port100Frame }
	| { readonly ok: false; readonly reason: Port100FrameError };

export function port100Checksum(bytes: Uint8Array): number {
	let sum = 0;
	for (let i = 0; i < bytes.length; i++) sum += bytes[i]!;
	return (256 - (sum & 0xff)) & 0xff;
}

export function encodePort100Frame(data: Uint8Array): Uint8Array {
	if (data.length === 0 || data.length > 0xffff) throw new RangeError('Port-100 frame data is 1..65535 bytes');
	const frame = new Uint8Array(HEADER_LENGTH + data.length + TRAILER_LENGTH);
	frame.set(DATA_PREFIX);
	frame[5] = data.length & 0xff;
	frame[6] = data.length >>> 8;
	frame[7] = port100Checksum(frame.subarray(5, 7));
	frame.set(data, HEADER_LENGTH);
	frame[HEADER_LENGTH + data.length] = port100Checksum(data);
	return frame;
}

/** `maxData` bounds LEN (the chip's buffer); a longer frame is refused before its data is read. */
export function parsePort100Frame(bytes: Uint8Array, maxData = 0xffff): Port100FrameParseResult {
	if (equalBytes(bytes, PORT100_ACK)) return { ok: true, frame: { type: 'ack' } };
	if (equalBytes(bytes, PORT100_ERROR_FRAME)) return { ok: true, frame: { type: 'error' } };
	if (bytes.length < HEADER_LENGTH) return fail(Port100FrameError.tooShort);
	for (let i = 0; i < DATA_PREFIX.length; i++) if (bytes[i] !== DATA_PREFIX[i]) return fail(Port100FrameError.badStart);
	if (((bytes[5]! + bytes[6]! + bytes[7]!) & 0xff) !== 0) return fail(Port100FrameError.badLengthChecksum);
	const length = readUint16LE(bytes, 5);
	if (length === 0) return fail(Port100FrameError.emptyData);
	if (length > maxData) return fail(Port100FrameError.tooLong);
	if (bytes.length !== HEADER_LENGTH + length + TRAILER_LENGTH) return fail(Port100FrameError.lengthMismatch);
	const data = bytes.slice(HEADER_LENGTH, HEADER_LENGTH + length);
	if (bytes[HEADER_LENGTH + length] !== port100Checksum(data)) return fail(Port100FrameError.badDataChecksum);
	if (bytes[HEADER_LENGTH + length + 1] !== 0x00) return fail(Port100FrameError.badPostamble);
	return { ok: true, frame: { type: 'data', data } };
}

function fail(reason: Port100FrameError): Port100FrameParseResult {
	return { ok: false, reason };
}
