/**
 * A strict DER reader: definite lengths only, minimal length encodings, single-byte tags, every length checked
 * against its enclosing value before anything is read. Nothing here recurses on the input's nesting depth.
 * Every failure is a MynaError of kind Malformed.
 */
import { ErrorKind, MynaError } from '../errors';

export const Tag = {
	Boolean: 0x01,
	Integer: 0x02,
	BitString: 0x03,
	OctetString: 0x04,
	Null: 0x05,
	Oid: 0x06,
	Enumerated: 0x0a,
	Utf8String: 0x0c,
	PrintableString: 0x13,
	TeletexString: 0x14,
	Ia5String: 0x16,
	UtcTime: 0x17,
	GeneralizedTime: 0x18,
	VisibleString: 0x1a,
	UniversalString: 0x1c,
	BmpString: 0x1e,
	Sequence: 0x30,
	Set: 0x31
} as const;

/** Context-specific tags: `ctx(n)` primitive, `ctxCons(n)` constructed. */
export const ctx = (n: number): number => 0x80 | n;
export const ctxCons = (n: number): number => 0xa0 | n;

/** One TLV: the value is `bytes[valueStart, end)`, the whole element `bytes[start, end)`. */
export interface Tlv {
	readonly tag: number;
	readonly start: number;
	readonly valueStart: number;
	readonly end: number;
}

export const DerLimits = {
	/** Nesting depth accepted by `validateDer` (certificates and CRLs nest about 10 deep). */
	maxDepth: 32,
	/** Length-of-length bytes: 4 bytes cover any value below 4 GiB. */
	maxLengthBytes: 4
} as const;

export function malformed(message: string, offset?: number): MynaError {
	return new MynaError(ErrorKind.Malformed, message, offset === undefined ? {} : { offset });
}

/** Reads one TLV header at `offset`; the element must end at or before `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv {
	if (limit > bytes.length) limit = bytes.length;
	if (offset + 2 > limit) throw malformed('truncated DER header', offset);
	const tag = bytes[offset]!;
	if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte tags are not accepted', offset);
	let length = bytes[offset + 1]!;
	let valueStart = offset + 2;
	if (length & 0x80) {
		const count = length & 0x7f;
		if (count === 0) throw malformed('indefinite length is not DER', offset);
		if (count > DerLimits.maxLengthBytes) throw malformed('length too large', offset);
		if (valueStart + count > limit) throw malformed('truncated DER length', offset);
		if (bytes[valueStart] === 0) throw malformed('non-minimal DER length', offset);
		length = 0;
		for (let i = 0; i < count; i++) length = length * 256 + bytes[valueStart + i]!;
		if (length < 0x80) throw malformed('non-minimal DER length', offset);
		valueStart += count;
	}
	const end = valueStart + length;
	if (end > limit) throw malformed('DER length exceeds its container', offset);
	return { tag, start: offset, valueStart, end };
}

/** Reads a TLV and checks its tag. */
export function expectTlv(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
	const tlv = readTlv(bytes, offset, limit);
	if (tlv.tag !== tag) throw malformed(`${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`, offset);
	return tlv;
}

/** Reads a complete DER element that must span exactly `bytes`. */
export function readRoot(bytes: Uint8Array, tag: number, what: string): Tlv {
	const tlv = expectTlv(bytes, 0, bytes.length, tag, what);
	if (tlv.end !== bytes.length) throw malformed(`${what}: trailing bytes after the DER element`, tlv.end);
	return tlv;
}

/** Sequential reading of the elements inside one constructed value. */
export class DerCursor {
	#offset: number;
	constructor(
		readonly bytes: Uint8Array,
		start: number,
		readonly end: number
	) {
		this.#offset = start;
	}

	static inside(bytes: Uint8Array, tlv: Tlv): DerCursor {
		return new DerCursor(bytes, tlv.valueStart, tlv.end);
	}

	get done(): boolean {
		return this.#offset >= this.end;
	}

	get offset(): number {
		return this.#offset;
	}

	peekTag(): number | undefined {
		return this.done ? undefined : this.bytes[this.#offset];
	}

	next(tag: number | undefined, what: string): Tlv {
		if (this.done) throw malformed(`${what}: missing`, this.#offset);
		const tlv = tag === undefined ? readTlv(this.bytes, this.#offset, this.end) : expectTlv(this.bytes, this.#offset, this.end, tag, what);
		this.#offset = tlv.end;
		return tlv;
	}

	optional(tag: number): Tlv | undefined {
		if (this.peekTag() !== tag) return undefined;
		return this.next(tag, 'optional element');
	}

	finish(what: string): void {
		if (!this.done) throw malformed(`${what}: unexpected trailing elements`, this.#offset);
	}
}

/**
 * Walks every constructed element of `bytes[start, end)` and checks that children exactly fill their parent.
 * Iterative with an explicit stack (bounded by `maxDepth`), so its cost is linear in the input.
 * Constructed universal types other than SEQUENCE/SET (BER constructed strings) and primitive SEQUENCE/SET are refused.
 */
export function validateDer(bytes: Uint8Array, start = 0, end = bytes.length, maxDepth: number = DerLimits.maxDepth): number {
	const ends: number[] = [end];
	let offset = start;
	let nodes = 0;
	while (ends.length > 0) {
		const limit = ends[ends.length - 1]!;
		if (offset === limit) {
			ends.pop();
			continue;
		}
		const tlv = readTlv(bytes, offset, limit);
		nodes++;
		const constructed = (tlv.tag & 0x20) !== 0;
		const universal = (tlv.tag & 0xc0) === 0;
		const number = tlv.tag & 0x1f;
		if (universal && constructed && number !== 0x10 && number !== 0x11) throw malformed('constructed string types are not DER', offset);
		if (universal && !constructed && (number === 0x10 || number === 0x11)) throw malformed('SEQUENCE/SET must be constructed', offset);
		if (universal && tlv.tag === 0) throw malformed('end-of-contents is not DER', offset);
		if (constructed) {
			if (ends.length > maxDepth) throw malformed('DER nested too deeply', offset);
			ends.push(tlv.end);
			offset = tlv.valueStart;
		} else {
			offset = tlv.end;
		}
	}
	return nodes;
}

export function valueOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
	return bytes.subarray(tlv.valueStart, tlv.end);
}

export function elementOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
	return bytes.subarray(tlv.start, tlv.end);
}

/** The content bytes of a DER INTEGER, checked for minimal two's-complement encoding. */
export function integerBytes(bytes: Uint8Array, tlv: Tlv, what = 'INTEGER'): Uint8Array {
	const length = tlv.end - tlv.valueStart;
	if (length === 0) throw malformed(`${what}: empty`, tlv.start);
	if (length > 1) {
		const a = bytes[tlv.valueStart]!;
		const b = bytes[tlv.valueStart + 1]!;
		if ((a === 0x00 && b < 0x80) || (a === 0xff && b >= 0x80)) throw malformed(`${what}: non-minimal encoding`, tlv.start);
	}
	return bytes.subarray(tlv.valueStart, tlv.end);
}

/** A small non-negative INTEGER (or ENUMERATED) as a number. */
export function smallInteger(bytes: Uint8Array, tlv: Tlv, what = 'INTEGER', max = 0x7fffffff): number {
	const content = integerBytes(bytes, tlv, what);
	if (content[0]! & 0x80) throw malformed(`${what}: negative`, tlv.start);
	if (content.length > 5) throw malformed(`${what}: too large`, tlv.start);
	let value = 0;
	for (const byte of content) value = value * 256 + byte;
	if (value > max) throw malformed(`${what}: too large`, tlv.start);
	return value;
}

export function booleanValue(bytes: Uint8Array, tlv: Tlv, what = 'BOOLEAN'): boolean {
	if (tlv.tag !== Tag.Boolean && (tlv.tag & 0xc0) !== 0x80) throw malformed(`${what}: not a BOOLEAN`, tlv.start);
	if (tlv.end - tlv.valueStart !== 1) throw malformed(`${what}: wrong length`, tlv.start);
	const value = bytes[tlv.valueStart]!;
	if (value !== 0x00 && value !== 0xff) throw malformed(`${what}: not DER`, tlv.start);
	return value === 0xff;
}

/** A BIT STRING's bits (unused-bit count checked; unused bits must be zero). */
export function bitStringBytes(bytes: Uint8Array, tlv: Tlv, what = 'BIT STRING'): { unusedBits: number; bits: Uint8Array } {
	const length = tlv.end - tlv.valueStart;
	if (length === 0) throw malformed(`${what}: empty`, tlv.start);
	const unusedBits = bytes[tlv.valueStart]!;
	if (unusedBits > 7 || (length === 1 && unusedBits !== 0)) throw malformed(`${what}: bad unused-bit count`, tlv.start);
	const bits = bytes.subarray(tlv.valueStart + 1, tlv.end);
	if (unusedBits > 0 && (bits[bits.length - 1]! & ((1 << unusedBits) - 1)) !== 0) throw malformed(`${what}: unused bits set`, tlv.start);
	return { unusedBits, bits };
}

/**
 * A signatureValue BIT STRING. Signatures are whole octets; a value with unused bits is kept (so the signature
 * check fails as a bad signature rather than the whole object being unreadable).
 */
export function signatureBits(bytes: Uint8Array, tlv: Tlv, what: string): { bits: Uint8Array; wholeOctets: boolean } {
	if (tlv.end - tlv.valueStart === 0 || bytes[tlv.valueStart]! > 7) throw malformed(`${what}: bad BIT STRING`, tlv.start);
	return { bits: bytes.subarray(tlv.valueStart + 1, tlv.end), wholeOctets: bytes[tlv.valueStart] === 0 };
}

const MAX_OID_BYTES = 64;

/** An OBJECT IDENTIFIER in dotted form; each arc minimal and below 2^53. */
export function oidString(bytes: Uint8Array, tlv: Tlv): string {
	const start = tlv.valueStart;
	const end = tlv.end;
	if (end === start) throw malformed('OID: empty', tlv.start);
	if (end - start > MAX_OID_BYTES) throw malformed('OID: too long', tlv.start);
	if (bytes[end - 1]! & 0x80) throw malformed('OID: truncated arc', tlv.start);
	const arcs: number[] = [];
	let value = 0;
	let fresh = true;
	for (let i = start; i < end; i++) {
		const byte = bytes[i]!;
		if (fresh && byte === 0x80) throw malformed('OID: non-minimal arc', tlv.start);
		value = value * 128 + (byte & 0x7f);
		if (value > Number.MAX_SAFE_INTEGER) throw malformed('OID: arc too large', tlv.start);
		fresh = (byte & 0x80) === 0;
		if (fresh) {
			arcs.push(value);
			value = 0;
		}
	}
	const first = arcs[0]!;
	const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
	return [...head, ...arcs.slice(1)].join('.');
}

/** An AlgorithmIdentifier: the OID and the raw parameters element (if any). */
export interface AlgorithmId {
	readonly oid: string;
	readonly parameters?: Uint8Array;
	/** The whole AlgorithmIdentifier element, for byte-exact comparisons. */
	readonly der: Uint8Array;
}

export function algorithmIdentifier(bytes: Uint8Array, tlv: Tlv, what = 'AlgorithmIdentifier'): AlgorithmId {
	if (tlv.tag !== Tag.Sequence) throw malformed(`${what}: not a SEQUENCE`, tlv.start);
	const cursor = DerCursor.inside(bytes, tlv);
	const oid = oidString(bytes, cursor.next(Tag.Oid, what));
	const params = cursor.done ? undefined : cursor.next(undefined, what);
	cursor.finish(what);
	return params
		? { oid, parameters: elementOf(bytes, params), der: elementOf(bytes, tlv) }
		: { oid, der: elementOf(bytes, tlv) };
}
