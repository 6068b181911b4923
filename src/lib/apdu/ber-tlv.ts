import { ErrorKind, MynaError } from '../errors';

export const TagClass = {
	Universal: 'universal',
	Application: 'application',
	ContextSpecific: 'context-specific',
	Private: 'private'
} as const;
export type TagClass = (typeof TagClass)[keyof typeof TagClass];

const tagClasses = [TagClass.Universal, TagClass.Application, TagClass.ContextSpecific, TagClass.Private] as const;

export const BerTlvLimit = {
	TagBytes: 3,
	LengthBytes: 4,
	/** Nesting depth `walkTlvs` accepts by default; card files nest 2–3 deep, certificates about 10. */
	Depth: 64
} as const;

/** One TLV header, with absolute offsets into the buffer it was read from. */
export interface Tlv {
	/** The tag bytes as one big-endian number, e.g. 0xFF20, 0xDF21, 0x7F21, 0x30. */
	readonly tag: number;
	readonly tagClass: TagClass;
	readonly constructed: boolean;
	readonly tagNumber: number;
	readonly offset: number;
	readonly headerLength: number;
	readonly valueOffset: number;
	readonly valueLength: number;
	/** Offset just past the value: where the next sibling starts. */
	readonly end: number;
}

export interface TlvNode extends Tlv {
	/** 0 for the TLVs of the scanned range, 1 for their children, … */
	readonly depth: number;
}

export interface TlvSequenceOptions {
	/** Start of the sequence (default 0). */
	from?: number;
	/** End of the sequence (default the buffer's length). */
	to?: number;
	/** Stop quietly at trailing bytes that are all FF or 00 after the last top-level TLV. */
	allowPadding?: boolean;
}

export interface TlvWalkOptions extends TlvSequenceOptions {
	/** Deepest nesting accepted before a Malformed error (default `BerTlvLimit.Depth`). */
	maxDepth?: number;
}

function malformed(message: string, offset: number): MynaError {
	return new MynaError(ErrorKind.Malformed, `BER-TLV: ${message}`, { offset });
}

function checkRange(bytes: Uint8Array, from: number, to: number): void {
	if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > bytes.length || from > to) {
		throw malformed('range outside the buffer', from);
	}
}

/**
 * Reads the TLV header at `offset` (the value must fit before `limit`, default the buffer's end). Only index reads
 * within [offset, limit) are made. Definite lengths only, up to four length bytes (non-minimal long forms, which
 * cards use, are accepted); tags of up to three bytes; universal tag 0 (end-of-contents) is rejected.
 */
export function readTlv(bytes: Uint8Array, offset: number, limit: number = bytes.length): Tlv {
	checkRange(bytes, offset, limit);
	if (offset >= limit) throw malformed('no bytes left for a tag', offset);
	let pos = offset;
	const first = bytes[pos++]!;
	const tagClass = tagClasses[first >> 6]!;
	const constructed = (first & 0x20) !== 0;
	let tagNumber = first & 0x1f;
	let tag = first;
	if (tagNumber === 0x1f) {
		tagNumber = 0;
		for (let i = 1; ; i++) {
			if (i >= BerTlvLimit.TagBytes) throw malformed('tag longer than three bytes', offset);
			if (pos >= limit) throw malformed('truncated tag', offset);
			const b = bytes[pos++]!;
			if (i === 1 && b === 0x80) throw malformed('tag number with a leading zero', offset);
			tag = tag * 0x100 + b;
			tagNumber = tagNumber * 0x80 + (b & 0x7f);
			if ((b & 0x80) === 0) break;
		}
		if (tagNumber < 0x1f) throw malformed('low tag number in the long form', offset);
	} else if (tagClass === TagClass.Universal && tagNumber === 0) {
		throw malformed('end-of-contents tag outside an indefinite length', offset);
	}
	if (pos >= limit) throw malformed('truncated length', offset);
	const lengthByte = bytes[pos++]!;
	let valueLength = lengthByte;
	if (lengthByte === 0x80) throw malformed('indefinite length', offset);
	if (lengthByte > 0x80) {
		const count = lengthByte & 0x7f;
		if (count > BerTlvLimit.LengthBytes) throw malformed('length of more than four bytes', offset);
		if (pos + count > limit) throw malformed('truncated length', offset);
		valueLength = 0;
		for (let i = 0; i < count; i++) valueLength = valueLength * 0x100 + bytes[pos++]!;
	}
	if (valueLength > limit - pos) throw malformed('value runs past the end', offset);
	return {
		tag,
		tagClass,
		constructed,
		tagNumber,
		offset,
		headerLength: pos - offset,
		valueOffset: pos,
		valueLength,
		end: pos + valueLength
	};
}

/** Where trailing FF/00 padding starts in [from, to); `to` when there is none. */
function paddingStart(bytes: Uint8Array, from: number, to: number): number {
	let start = to;
	while (start > from && (bytes[start - 1] === 0x00 || bytes[start - 1] === 0xff)) start--;
	return start;
}

/** The TLVs of one level, in order, without descending. Throws Malformed at the first bad header. */
export function* iterateTlvs(bytes: Uint8Array, options: TlvSequenceOptions = {}): Generator<Tlv, void, undefined> {
	const from = options.from ?? 0;
	const to = options.to ?? bytes.length;
	checkRange(bytes, from, to);
	const stop = options.allowPadding ? paddingStart(bytes, from, to) : to;
	let pos = from;
	while (pos < to && pos < stop) {
		const tlv = readTlv(bytes, pos, to);
		yield tlv;
		pos = tlv.end;
	}
}

/** The TLVs of one level as an array. */
export function readTlvs(bytes: Uint8Array, options: TlvSequenceOptions = {}): Tlv[] {
	return [...iterateTlvs(bytes, options)];
}

/** The children of a TLV read from the same buffer. */
export function childTlvs(bytes: Uint8Array, parent: Tlv): Generator<Tlv, void, undefined> {
	return iterateTlvs(bytes, { from: parent.valueOffset, to: parent.end });
}

/**
 * Every TLV in document order, descending into constructed ones with an explicit stack (no recursion). Padding is
 * tolerated only after the last top-level TLV.
 */
export function* walkTlvs(bytes: Uint8Array, options: TlvWalkOptions = {}): Generator<TlvNode, void, undefined> {
	const from = options.from ?? 0;
	const to = options.to ?? bytes.length;
	const maxDepth = options.maxDepth ?? BerTlvLimit.Depth;
	checkRange(bytes, from, to);
	const stop = options.allowPadding ? paddingStart(bytes, from, to) : to;
	const ends: number[] = [to];
	let pos = from;
	for (;;) {
		const depth = ends.length - 1;
		const end = ends[depth]!;
		if (pos >= end || (depth === 0 && pos >= stop)) {
			if (depth === 0) return;
			ends.pop();
			continue;
		}
		const tlv = readTlv(bytes, pos, end);
		yield { ...tlv, depth };
		if (tlv.constructed && tlv.valueLength > 0) {
			if (depth + 1 > maxDepth) throw malformed('nested deeper than allowed', tlv.offset);
			ends.push(tlv.end);
			pos = tlv.valueOffset;
		} else {
			pos = tlv.end;
		}
	}
}

export interface FindChildOptions {
	/** Search the children of this TLV (read from the same buffer) instead of the buffer's top level. */
	parent?: Tlv;
	allowPadding?: boolean;
}

/** The first TLV of one level with this tag number and class; reading stops there. */
export function findChild(bytes: Uint8Array, tagNumber: number, tagClass: TagClass, options: FindChildOptions = {}): Tlv | undefined {
	const { parent, allowPadding } = options;
	const range = parent ? { from: parent.valueOffset, to: parent.end } : {};
	for (const tlv of iterateTlvs(bytes, { ...range, allowPadding })) {
		if (tlv.tagNumber === tagNumber && tlv.tagClass === tagClass) return tlv;
	}
	return undefined;
}

/** The value bytes of a TLV, as a view into the same buffer. */
export function tlvValue(bytes: Uint8Array, tlv: Tlv): Uint8Array {
	return bytes.subarray(tlv.valueOffset, tlv.end);
}

/** A definite, minimal-length TLV. `tag` is the raw tag bytes as a number (0x30, 0xDF21, 0xFF20, …). */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
	if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffff) throw malformed('tag is not 1–3 bytes', 0);
	const tagBytes: number[] = [];
	for (let t = tag; ; t = Math.floor(t / 0x100)) {
		tagBytes.unshift(t & 0xff);
		if (t < 0x100) break;
	}
	const n = value.length;
	const lengthBytes: number[] = [];
	if (n < 0x80) {
		lengthBytes.push(n);
	} else {
		for (let l = n; l > 0; l = Math.floor(l / 0x100)) lengthBytes.unshift(l & 0xff);
		lengthBytes.unshift(0x80 | lengthBytes.length);
	}
	const out = new Uint8Array(tagBytes.length + lengthBytes.length + n);
	out.set(tagBytes);
	out.set(lengthBytes, tagBytes.length);
	out.set(value, tagBytes.length + lengthBytes.length);
	const check = readTlv(out, 0);
	if (check.tag !== tag || check.headerLength !== tagBytes.length + lengthBytes.length) {
		throw malformed('tag bytes are not one well-formed tag', 0);
	}
	return out;
}
