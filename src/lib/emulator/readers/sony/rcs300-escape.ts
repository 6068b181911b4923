/**
 * The payload of an RC-S300 escape: a pseudo-APDU `FF INS P1 P2 [Lc data] [Le]` (facts/rcs300.md §1.2, §3), and
 * the BER-TLV data objects that `FF 50` commands carry.
 *
 * Pseudo-APDU forms accepted: case 1 and 2 (short), short Lc with or without a 1-byte Le, and extended Lc
 * `00 HH LL` followed by nothing, a 2-byte Le, or the three `00 00 00` every known transceive sends. Anything else
 * is a wrong length.
 *
 * Data objects: a 1-byte tag, or 2 bytes when the low five bits of the first are all set (5F 46, FF 6E, FF 6D);
 * longer tags are refused. Length `< 80`, `81 xx` or `82 HH LL`. Objects are read one after another, never
 * nested here (the FF 6E vendor object is parsed again, one level, by its user).
 */

export interface EscapeApdu {
	readonly cla: number;
	readonly ins: number;
	readonly p1: number;
	readonly p2: number;
	readonly data: Uint8Array;
	/** Ne: absent when there is no Le; Le 00 means 256 (short) or 65536 (extended). */
	readonly ne?: number;
}

export const EscapeApduError = {
	tooShort: 'shorter than CLA INS P1 P2',
	wrongLength: 'length does not match Lc/Le'
} as const;
export type EscapeApduError = (typeof EscapeApduError)[keyof typeof EscapeApduError];

export type EscapeApduParseResult = { readonly ok: true; readonly apdu: EscapeApdu } | { readonly ok: false; readonly reason: EscapeApduError };

export function parseEscapeApdu(bytes: Uint8Array): EscapeApduParseResult {
	if (bytes.length < 4) return { ok: false, reason: EscapeApduError.tooShort };
	const head = { cla: bytes[0]!, ins: bytes[1]!, p1: bytes[2]!, p2: bytes[3]! };
	const empty = new Uint8Array(0);
	const ok = (data: Uint8Array, ne?: number): EscapeApduParseResult => ({ ok: true, apdu: { ...head, data, ...(ne === undefined ? {} : { ne }) } });
	const wrong: EscapeApduParseResult = { ok: false, reason: EscapeApduError.wrongLength };
	if (bytes.length === 4) return ok(empty);
	const b4 = bytes[4]!;
	if (bytes.length === 5) return ok(empty, b4 === 0 ? 256 : b4);
	if (b4 !== 0) {
		if (bytes.length === 5 + b4) return ok(bytes.slice(5));
		if (bytes.length === 6 + b4) return ok(bytes.slice(5, 5 + b4), bytes[5 + b4] === 0 ? 256 : bytes[5 + b4]);
		return wrong;
	}
	if (bytes.length < 7) return wrong;
	const lc = (bytes[5]! << 8) | bytes[6]!;
	if (lc === 0) return bytes.length === 7 ? ok(empty, 65536) : wrong;
	const rest = bytes.length - 7 - lc;
	const data = () => bytes.slice(7, 7 + lc);
	if (rest === 0) return ok(data());
	if (rest === 2) {
		const le = (bytes[7 + lc]! << 8) | bytes[8 + lc]!;
		return ok(data(), le === 0 ? 65536 : le);
	}
	if (rest === 3 && bytes[7 + lc] === 0 && bytes[8 + lc] === 0 && bytes[9 + lc] === 0) return ok(data(), 65536);
	return wrong;
}

export interface DataObject {
	/** 1- or 2-byte tag as a number: 0x95, 0x5f46, 0xff6e. */
	readonly tag: number;
	readonly value: Uint8Array;
}

export const DataObjectError = {
	longTag: 'tag longer than two bytes',
	truncated: 'tag, length or value runs past the end',
	unsupportedLength: 'indefinite or more than two length bytes'
} as const;
export type DataObjectError = (typeof DataObjectError)[keyof typeof DataObjectError];

export type DataObjectParseResult =
	| { readonly ok: true; readonly objects: readonly DataObject[] }
	/** `index` is the 1-based number of the object that could not be read (what the C0 status reports). */
	| { readonly ok: false; readonly reason: DataObjectError; readonly index: number };

export function parseDataObjects(bytes: Uint8Array): DataObjectParseResult {
	const objects: DataObject[] = [];
	let offset = 0;
	while (offset < bytes.length) {
		const index = objects.length + 1;
		const fail = (reason: DataObjectError): DataObjectParseResult => ({ ok: false, reason, index });
		let tag = bytes[offset++]!;
		if ((tag & 0x1f) === 0x1f) {
			if (offset >= bytes.length) return fail(DataObjectError.truncated);
			const second = bytes[offset++]!;
			if (second & 0x80) return fail(DataObjectError.longTag);
			tag = (tag << 8) | second;
		}
		if (offset >= bytes.length) return fail(DataObjectError.truncated);
		const first = bytes[offset++]!;
		let length = first;
		if (first === 0x81 || first === 0x82) {
			const size = first - 0x80;
			if (offset + size > bytes.length) return fail(DataObjectError.truncated);
			length = size === 1 ? bytes[offset]! : (bytes[offset]! << 8) | bytes[offset + 1]!;
			offset += size;
		} else if (first >= 0x80) {
			return fail(DataObjectError.unsupportedLength);
		}
		if (offset + length > bytes.length) return fail(DataObjectError.truncated);
		objects.push({ tag, value: bytes.slice(offset, offset + length) });
		offset += length;
	}
	return { ok: true, objects };
}

export function encodeBerLength(length: number): Uint8Array {
	if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw new RangeError('length is 0..65535');
	if (length < 0x80) return new Uint8Array([length]);
	if (length <= 0xff) return new Uint8Array([0x81, length]);
	return new Uint8Array([0x82, length >> 8, length & 0xff]);
}

export function encodeDataObject(tag: number, value: Uint8Array): Uint8Array {
	const tagBytes = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
	const length = encodeBerLength(value.length);
	const out = new Uint8Array(tagBytes.length + length.length + value.length);
	out.set(tagBytes);
	out.set(length, tagBytes.length);
	out.set(value, tagBytes.length + length.length);
	return out;
}
