import { ErrorKind, MynaError } from '../../errors';

/**
 * The flat BER-TLV data objects of the RC-S300's pseudo-APDUs (rcs300.md §1.3, §3): 1- or 2-byte tags
 * (`5F 46`, `FF 6E`), lengths in the short form or `81 xx` … `84 xx xx xx xx`. No nesting is read, so no recursion.
 */
export interface Rcs300Tlv {
	/** One byte, or two as `(first << 8) | second`. */
	tag: number;
	value: Uint8Array;
}

function malformed(reason: string): MynaError {
	return new MynaError(ErrorKind.Protocol, 'The reader sent malformed data objects.', { tlv: reason });
}

export function parseRcs300Tlvs(bytes: Uint8Array): Rcs300Tlv[] {
	const out: Rcs300Tlv[] = [];
	let at = 0;
	while (at < bytes.length) {
		let tag = bytes[at++]!;
		if ((tag & 0x1f) === 0x1f) {
			if (at >= bytes.length) throw malformed('tag cut short');
			const second = bytes[at++]!;
			if ((second & 0x80) !== 0) throw malformed('tag longer than 2 bytes');
			tag = (tag << 8) | second;
		}
		if (at >= bytes.length) throw malformed('length missing');
		let length = bytes[at++]!;
		if (length === 0x80 || length > 0x84) throw malformed('length form');
		if (length > 0x80) {
			const count = length - 0x80;
			if (at + count > bytes.length) throw malformed('length cut short');
			length = 0;
			for (let i = 0; i < count; i++) length = length * 256 + bytes[at++]!;
		}
		if (length > bytes.length - at) throw malformed('value longer than the data');
		out.push({ tag, value: bytes.slice(at, at + length) });
		at += length;
	}
	return out;
}

/** A tag and value with the length in the shortest form. */
export function encodeRcs300Tlv(tag: number, value: Uint8Array): Uint8Array {
	const tagBytes = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
	const n = value.length;
	const lengthBytes = n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : n <= 0xffff ? [0x82, n >> 8, n & 0xff] : undefined;
	if (!lengthBytes) throw new MynaError(ErrorKind.Internal, 'TLV value too long', { length: n });
	const out = new Uint8Array(tagBytes.length + lengthBytes.length + n);
	out.set(tagBytes);
	out.set(lengthBytes, tagBytes.length);
	out.set(value, tagBytes.length + lengthBytes.length);
	return out;
}
