import { concatBytes } from '../../bytes';

/**
 * Minimal BER-TLV encoder for the card's data objects (the card side only; the host parses with its own
 * strict reader in src/lib/apdu). Tags are given as their encoded bytes, e.g. `[0xff, 0x20]`.
 */

export const BerLengthForm = {
	/** Shortest form: 1 byte below 128, then 81 xx, 82 xx xx (what DER requires). */
	minimal: 'minimal',
	/** Always `82 xx xx`. Legal BER; myna's test bytes `ff 40 82 00 9f` suggest the card writes wrappers this way. */
	twoByte: 'two-byte'
} as const;
export type BerLengthForm = (typeof BerLengthForm)[keyof typeof BerLengthForm];

export function encodeBerLength(length: number, form: BerLengthForm = BerLengthForm.minimal): Uint8Array {
	if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw new RangeError('BER length out of range');
	if (form === BerLengthForm.twoByte) return Uint8Array.of(0x82, length >>> 8, length & 0xff);
	if (length < 0x80) return Uint8Array.of(length);
	if (length <= 0xff) return Uint8Array.of(0x81, length);
	return Uint8Array.of(0x82, length >>> 8, length & 0xff);
}

export function encodeBerTlv(
	tag: readonly number[],
	value: Uint8Array,
	form: BerLengthForm = BerLengthForm.minimal
): Uint8Array {
	return concatBytes(Uint8Array.from(tag), encodeBerLength(value.length, form), value);
}
