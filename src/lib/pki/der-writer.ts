/** A small DER encoder (definite lengths, minimal integers, sorted SET OF) for CMS attributes and test fixtures. */
import { concatBytes } from '../bytes';

export function encodeLength(length: number): Uint8Array {
	if (length < 0x80) return Uint8Array.of(length);
	const bytes: number[] = [];
	for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
	return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
	const content = parts.length === 1 ? parts[0]! : concatBytes(...parts);
	return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
	for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
	return a.length - b.length;
}

/** Minimal two's-complement content for a non-negative integer given as big-endian magnitude bytes. */
export function unsignedIntegerContent(magnitude: Uint8Array): Uint8Array {
	let i = 0;
	while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
	const trimmed = magnitude.subarray(i);
	return trimmed.length === 0 ? Uint8Array.of(0) : trimmed[0]! & 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed.slice();
}

function oidContent(oid: string): Uint8Array {
	const arcs = oid.split('.').map(Number);
	const out: number[] = [];
	const push = (value: number) => {
		const chunk: number[] = [value & 0x7f];
		for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
		out.push(...chunk);
	};
	push(arcs[0]! * 40 + arcs[1]!);
	for (const arc of arcs.slice(2)) push(arc);
	return Uint8Array.of(...out);
}

function timeText(ms: number, generalized: boolean): string {
	const d = new Date(ms);
	const pad = (n: number, w = 2) => String(n).padStart(w, '0');
	const year = d.getUTCFullYear();
	const body = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
	return generalized ? `${pad(year, 4)}${body}` : `${pad(year % 100)}${body}`;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

export const Der = {
	sequence: (...parts: Uint8Array[]) => tlv(0x30, ...parts),
	set: (...parts: Uint8Array[]) => tlv(0x31, ...parts),
	/** SET OF with its elements in DER order (sorted by encoding). */
	setOf: (...parts: Uint8Array[]) => tlv(0x31, ...[...parts].sort(compareBytes)),
	integer: (value: number | Uint8Array) =>
		tlv(0x02, typeof value === 'number' ? unsignedIntegerContent(Uint8Array.from(numberBytes(value))) : unsignedIntegerContent(value)),
	/** An INTEGER from content bytes used as given (for negative or deliberately odd serials in tests). */
	integerRaw: (content: Uint8Array) => tlv(0x02, content),
	enumerated: (value: number) => tlv(0x0a, unsignedIntegerContent(Uint8Array.of(value))),
	boolean: (value: boolean) => tlv(0x01, Uint8Array.of(value ? 0xff : 0x00)),
	null: () => Uint8Array.of(0x05, 0x00),
	oid: (oid: string) => tlv(0x06, oidContent(oid)),
	octetString: (bytes: Uint8Array) => tlv(0x04, bytes),
	bitString: (bytes: Uint8Array, unusedBits = 0) => tlv(0x03, Uint8Array.of(unusedBits), bytes),
	utf8: (text: string) => tlv(0x0c, new TextEncoder().encode(text)),
	printable: (text: string) => tlv(0x13, ascii(text)),
	ia5: (text: string) => tlv(0x16, ascii(text)),
	utcTime: (ms: number) => tlv(0x17, ascii(timeText(ms, false))),
	generalizedTime: (ms: number) => tlv(0x18, ascii(timeText(ms, true))),
	/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
	time: (ms: number) => (new Date(ms).getUTCFullYear() < 2050 ? Der.utcTime(ms) : Der.generalizedTime(ms)),
	context: (n: number, ...parts: Uint8Array[]) => tlv(0x80 | n, ...parts),
	contextConstructed: (n: number, ...parts: Uint8Array[]) => tlv(0xa0 | n, ...parts)
} as const;

function numberBytes(value: number): number[] {
	if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('integer out of range');
	const out: number[] = [];
	for (let n = value; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
	return out.length === 0 ? [0] : out;
}

/** UTCTime text for a time as 13 ASCII bytes written into `out` at `offset` (the hot path of big test CRLs). */
export function writeUtcTime(out: Uint8Array, offset: number, seconds: number): void {
	const days = Math.floor(seconds / 86400);
	let rest = seconds - days * 86400;
	const { year, month, day } = civilFromDays(days);
	const fields = [year % 100, month, day, Math.floor(rest / 3600), Math.floor((rest %= 3600) / 60), rest % 60];
	let p = offset;
	for (const f of fields) {
		out[p++] = 0x30 + Math.floor(f / 10);
		out[p++] = 0x30 + (f % 10);
	}
	out[p] = 0x5a;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	return { year, month, day };
}
