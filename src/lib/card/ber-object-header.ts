import { ErrorKind, MynaError } from '../errors';

export const BerHeaderLimit = {
	TagBytes: 3,
	LengthBytes: 4,
	/** The longest header this reader accepts: a 3-byte tag and `84 LL LL LL LL`. */
	HeaderBytes: 8
} as const;

/** The header of one BER object at the start of an EF, enough to learn how many bytes to read. */
export interface BerObjectHeader {
	/** The tag bytes as one big-endian number (0x30, 0xFF20, …). */
	readonly tag: number;
	readonly constructed: boolean;
	readonly headerLength: number;
	readonly valueLength: number;
	/** Header plus value: the number of bytes the whole object occupies. */
	readonly totalLength: number;
}

function malformed(message: string): MynaError {
	return new MynaError(ErrorKind.Malformed, `BER object header: ${message}`);
}

/**
 * Reads only the tag and length at offset 0; the value need not be there yet. Definite lengths up to four length
 * bytes (non-minimal long forms, which the card uses, are accepted); tags of up to three bytes. An object longer
 * than `maxTotalLength` is refused, so a corrupt header cannot make the caller read forever.
 */
export function readBerObjectHeader(bytes: Uint8Array, maxTotalLength: number): BerObjectHeader {
	let pos = 0;
	const next = (what: string): number => {
		if (pos >= bytes.length) throw malformed(`truncated ${what}`);
		return bytes[pos++]!;
	};
	const first = next('tag');
	let tag = first;
	if ((first & 0x1f) === 0x1f) {
		for (let i = 1; ; i++) {
			if (i >= BerHeaderLimit.TagBytes) throw malformed('tag longer than three bytes');
			const b = next('tag');
			if (i === 1 && (b === 0x80 || b < 0x1f)) throw malformed('tag number not in its shortest form');
			tag = tag * 0x100 + b;
			if ((b & 0x80) === 0) break;
		}
	} else if (first === 0x00) {
		throw malformed('end-of-contents tag');
	}
	const lengthByte = next('length');
	let valueLength = lengthByte;
	if (lengthByte === 0x80) throw malformed('indefinite length');
	if (lengthByte > 0x80) {
		const count = lengthByte & 0x7f;
		if (count > BerHeaderLimit.LengthBytes) throw malformed('length of more than four bytes');
		valueLength = 0;
		for (let i = 0; i < count; i++) valueLength = valueLength * 0x100 + next('length');
	}
	const totalLength = pos + valueLength;
	if (totalLength > maxTotalLength) {
		throw new MynaError(ErrorKind.Malformed, 'BER object header: object longer than allowed', { totalLength, maxTotalLength });
	}
	return { tag, constructed: (first & 0x20) !== 0, headerLength: pos, valueLength, totalLength };
}
