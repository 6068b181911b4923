/**
 * The compact revocation index: one ArrayBuffer, stored as one IndexedDB value and loaded without copying.
 *
 * Serials are grouped by their DER length (DER integers are minimal, so equal serials have equal lengths);
 * each group is a fixed-width, sorted byte array searched by bisection, with parallel arrays for the reason
 * (one byte) and the revocation date (uint32 seconds). Invalidity dates, rare in practice, are kept sparse.
 * Cost per entry: serial length + 5 bytes.
 */
import { ErrorKind, MynaError } from '../errors';
import { malformed, oidString, Tag } from './der';
import { timeSeconds } from './time';

export const CrlIndexFormat = {
	magic: 0x584c5243, // "CRLX" little-endian
	version: 1,
	headerWords: 8,
	groupWords: 5,
	maxSerialBytes: 32,
	noReason: 255
} as const;

/** One revoked certificate, as plain data. */
export interface RevokedEntry {
	/** RFC 5280 CRLReason code, absent when the CRL entry gives none. */
	readonly reason?: number;
	readonly revocationDate: number;
	readonly invalidityDate?: number;
}

/** Entry-level findings that make the whole CRL unusable (RFC 5280 §5.3: refuse rather than half-support). */
export interface CrlEntryProblems {
	unsupportedCriticalExtensions: string[];
	certificateIssuer: boolean;
	removeFromCrl: boolean;
}

export interface CrlIndexBuildOptions {
	/** v1 CRLs may not carry entry extensions. */
	readonly allowEntryExtensions?: boolean;
	/** Called with the fraction of entries walked (0–1), every 64k entries and at the end. */
	readonly onProgress?: (fraction: number) => void;
}

interface Group {
	readonly length: number;
	readonly count: number;
	readonly base: number;
	readonly keys: Uint8Array;
	readonly reasons: Uint8Array;
	readonly dates: Uint32Array;
}

/** Reason codes 0–6 and 8–10 (7 is unused in RFC 5280). */
const VALID_REASONS = 0b111_0111_1111;
const PROGRESS_EVERY = 65536;
const align4 = (n: number) => (n + 3) & ~3;

// The TLV header reader of the hot loop: writes into `at` instead of allocating.
const at = { valueStart: 0, end: 0 };
function header(bytes: Uint8Array, p: number, limit: number, tag: number, what: string): void {
	if (p + 2 > limit || bytes[p] !== tag) throw malformed(`CRL entry: expected ${what}`, p);
	let length = bytes[p + 1]!;
	let v = p + 2;
	if (length & 0x80) {
		const count = length & 0x7f;
		if (count === 0 || count > 4 || v + count > limit || bytes[v] === 0) throw malformed(`CRL entry: bad ${what} length`, p);
		length = 0;
		for (let i = 0; i < count; i++) length = length * 256 + bytes[v + i]!;
		if (length < 0x80) throw malformed(`CRL entry: non-minimal ${what} length`, p);
		v += count;
	}
	if (v + length > limit) throw malformed(`CRL entry: ${what} overruns its container`, p);
	at.valueStart = v;
	at.end = v + length;
}

const EntryOid = { reasonCode: 0x15, holdInstruction: 0x17, invalidityDate: 0x18, certificateIssuer: 0x1d } as const;

/** Compares keys a and b (entry numbers) from byte `from` on. */
function compareKeys(keys: Uint8Array, width: number, a: number, b: number, from: number): number {
	const pa = a * width;
	const pb = b * width;
	for (let j = from; j < width; j++) {
		const d = keys[pa + j]! - keys[pb + j]!;
		if (d !== 0) return d;
	}
	return 0;
}

const SMALL_RUN = 16;

/**
 * The sorting permutation of fixed-width keys. Most significant 4-byte chunk first: an LSD radix sort (skipping
 * byte columns that never vary) orders a range by the chunk; ranges still tied move on to the next chunk, small
 * ones are finished by insertion sort. Work stays linear when leading bytes discriminate (random or counter
 * serials) and is bounded by the key width otherwise. Iterative, with an explicit stack.
 */
function sortPermutation(keys: Uint8Array, width: number, count: number): Uint32Array {
	const idx = new Uint32Array(count);
	for (let i = 0; i < count; i++) idx[i] = i;
	let sorted = true;
	for (let i = 1; i < count && sorted; i++) if (compareKeys(keys, width, i - 1, i, 0) > 0) sorted = false;
	if (sorted) return idx;
	const idx2 = new Uint32Array(count);
	const val = new Uint32Array(count);
	const val2 = new Uint32Array(count);
	const counts = new Uint32Array(256);
	const stack: number[] = [0, count, 0];
	while (stack.length > 0) {
		const from = stack.pop()!;
		const hi = stack.pop()!;
		const lo = stack.pop()!;
		if (hi - lo <= SMALL_RUN) {
			for (let i = lo + 1; i < hi; i++) {
				const x = idx[i]!;
				let j = i - 1;
				while (j >= lo && compareKeys(keys, width, idx[j]!, x, from) > 0) {
					idx[j + 1] = idx[j]!;
					j--;
				}
				idx[j + 1] = x;
			}
			continue;
		}
		const to = Math.min(width, from + 4);
		for (let i = lo; i < hi; i++) {
			const base = idx[i]! * width;
			let v = 0;
			for (let j = from; j < to; j++) v = (v << 8) | keys[base + j]!;
			val[i] = v >>> 0;
		}
		for (let shift = 0; shift < (to - from) * 8; shift += 8) {
			counts.fill(0);
			for (let i = lo; i < hi; i++) counts[(val[i]! >>> shift) & 0xff]!++;
			if (counts[(val[lo]! >>> shift) & 0xff] === hi - lo) continue;
			let sum = lo;
			for (let b = 0; b < 256; b++) {
				const c = counts[b]!;
				counts[b] = sum;
				sum += c;
			}
			for (let i = lo; i < hi; i++) {
				const v = val[i]!;
				const d = counts[(v >>> shift) & 0xff]!++;
				val2[d] = v;
				idx2[d] = idx[i]!;
			}
			// Only [lo, hi) was written: copy back rather than swap, so the other ranges stay intact.
			val.set(val2.subarray(lo, hi), lo);
			idx.set(idx2.subarray(lo, hi), lo);
		}
		if (to >= width) continue;
		for (let i = lo; i < hi; ) {
			let j = i + 1;
			while (j < hi && val[j] === val[i]) j++;
			if (j - i > 1) stack.push(i, j, to);
			i = j;
		}
	}
	return idx;
}

export class CrlIndex {
	readonly buffer: ArrayBuffer;
	readonly size: number;
	readonly #groups: readonly Group[];
	readonly #byLength: Int8Array;
	readonly #invalidityPositions: Uint32Array;
	readonly #invalidityDates: Uint32Array;

	private constructor(buffer: ArrayBuffer) {
		const bad = (why: string) => new MynaError(ErrorKind.Storage, `stored CRL index is damaged: ${why}`);
		if (buffer.byteLength < CrlIndexFormat.headerWords * 4) throw bad('header');
		const words = new Uint32Array(buffer, 0, CrlIndexFormat.headerWords);
		if (words[0] !== CrlIndexFormat.magic || words[1] !== CrlIndexFormat.version) throw bad('header');
		const entryCount = words[2]!;
		const groupCount = words[3]!;
		const invalidityCount = words[4]!;
		const invPosOffset = words[5]!;
		const invDateOffset = words[6]!;
		const tableBytes = (CrlIndexFormat.headerWords + groupCount * CrlIndexFormat.groupWords) * 4;
		if (groupCount > CrlIndexFormat.maxSerialBytes || tableBytes > buffer.byteLength) throw bad('group table');
		const table = new Uint32Array(buffer, CrlIndexFormat.headerWords * 4, groupCount * CrlIndexFormat.groupWords);
		const inBounds = (offset: number, bytes: number) => offset % 4 === 0 && offset >= tableBytes && offset + bytes <= buffer.byteLength;
		const byLength = new Int8Array(CrlIndexFormat.maxSerialBytes + 1).fill(-1);
		const groups: Group[] = [];
		let base = 0;
		for (let g = 0; g < groupCount; g++) {
			const w = g * CrlIndexFormat.groupWords;
			const length = table[w]!;
			const count = table[w + 1]!;
			const keysOffset = table[w + 2]!;
			const reasonsOffset = table[w + 3]!;
			const datesOffset = table[w + 4]!;
			if (length < 1 || length > CrlIndexFormat.maxSerialBytes || byLength[length] !== -1) throw bad('group length');
			if (!inBounds(keysOffset, count * length) || !inBounds(reasonsOffset, count) || !inBounds(datesOffset, count * 4)) throw bad('group bounds');
			byLength[length] = g;
			groups.push({
				length,
				count,
				base,
				keys: new Uint8Array(buffer, keysOffset, count * length),
				reasons: new Uint8Array(buffer, reasonsOffset, count),
				dates: new Uint32Array(buffer, datesOffset, count)
			});
			base += count;
		}
		if (base !== entryCount) throw bad('entry count');
		if (!inBounds(invPosOffset, invalidityCount * 4) || !inBounds(invDateOffset, invalidityCount * 4)) throw bad('invalidity bounds');
		this.buffer = buffer;
		this.size = entryCount;
		this.#groups = groups;
		this.#byLength = byLength;
		this.#invalidityPositions = new Uint32Array(buffer, invPosOffset, invalidityCount);
		this.#invalidityDates = new Uint32Array(buffer, invDateOffset, invalidityCount);
	}

	/** Wraps a stored index buffer (validating its layout, not re-sorting it). */
	static fromBuffer(buffer: ArrayBuffer): CrlIndex {
		return new CrlIndex(buffer);
	}

	/**
	 * Walks `revokedCertificates` (the content range `start..end` of `der`) once and builds the index.
	 * Every entry is checked: SEQUENCE { INTEGER (minimal, 1–32 bytes), Time, Extensions OPTIONAL }.
	 */
	static build(der: Uint8Array, range: { start: number; end: number } | undefined, options: CrlIndexBuildOptions = {}): { index: CrlIndex; problems: CrlEntryProblems } {
		const problems: CrlEntryProblems = { unsupportedCriticalExtensions: [], certificateIssuer: false, removeFromCrl: false };
		const start = range?.start ?? 0;
		const end = range?.end ?? 0;
		const allowExtensions = options.allowEntryExtensions ?? true;

		let n = 0;
		for (let p = start; p < end; n++) {
			header(der, p, end, Tag.Sequence, 'SEQUENCE');
			p = at.end;
		}

		const serialOffset = new Uint32Array(n);
		const serialLength = new Uint8Array(n);
		const reasons = new Uint8Array(n).fill(CrlIndexFormat.noReason);
		const dates = new Uint32Array(n);
		let invalidity: Uint32Array | undefined;
		let invalidityCount = 0;
		const lengthCounts = new Uint32Array(CrlIndexFormat.maxSerialBytes + 1);

		let p = start;
		for (let i = 0; i < n; i++) {
			if (options.onProgress && i % PROGRESS_EVERY === 0 && i > 0) options.onProgress(i / n);
			header(der, p, end, Tag.Sequence, 'SEQUENCE');
			const entryEnd = at.end;
			header(der, at.valueStart, entryEnd, Tag.Integer, 'serial');
			const serialStart = at.valueStart;
			const serialLen = at.end - serialStart;
			if (serialLen < 1 || serialLen > CrlIndexFormat.maxSerialBytes) throw malformed('CRL entry: serial length out of range', p);
			if (serialLen > 1) {
				const a = der[serialStart]!;
				const b = der[serialStart + 1]!;
				if ((a === 0 && b < 0x80) || (a === 0xff && b >= 0x80)) throw malformed('CRL entry: non-minimal serial', p);
			}
			let q = at.end;
			if (q + 2 > entryEnd) throw malformed('CRL entry: missing revocationDate', p);
			const timeTag = der[q]!;
			header(der, q, entryEnd, timeTag, 'revocationDate');
			const seconds = timeSeconds(der, timeTag, at.valueStart, at.end);
			if (seconds < 0 || seconds > 0xffffffff) throw malformed('CRL entry: bad revocationDate', q);
			q = at.end;
			if (q < entryEnd) {
				if (!allowExtensions) throw malformed('CRL entry: extensions need a v2 CRL', q);
				header(der, q, entryEnd, Tag.Sequence, 'crlEntryExtensions');
				if (at.end !== entryEnd) throw malformed('CRL entry: trailing data', q);
				const extsEnd = at.end;
				let e = at.valueStart;
				if (e === extsEnd) throw malformed('CRL entry: empty extensions', q);
				let seen = 0;
				while (e < extsEnd) {
					header(der, e, extsEnd, Tag.Sequence, 'Extension');
					const extEnd = at.end;
					header(der, at.valueStart, extEnd, Tag.Oid, 'extnID');
					const oidStart = at.valueStart;
					const oidEnd = at.end;
					let r = at.end;
					let critical = false;
					if (der[r] === Tag.Boolean) {
						header(der, r, extEnd, Tag.Boolean, 'critical');
						if (at.end - at.valueStart !== 1 || (der[at.valueStart] !== 0 && der[at.valueStart] !== 0xff)) throw malformed('CRL entry: bad critical flag', r);
						critical = der[at.valueStart] === 0xff;
						r = at.end;
					}
					header(der, r, extEnd, Tag.OctetString, 'extnValue');
					if (at.end !== extEnd) throw malformed('CRL entry: trailing data in Extension', r);
					const valueStart = at.valueStart;
					const valueEnd = at.end;
					// id-ce arc (2.5.29.x) extensions are told apart by their last byte.
					const known = oidEnd - oidStart === 3 && der[oidStart] === 0x55 && der[oidStart + 1] === 0x1d ? der[oidStart + 2]! : -1;
					if (known >= 0 && known < 32) {
						if (seen & (1 << known)) throw malformed('CRL entry: repeated extension', e);
						seen |= 1 << known;
					}
					if (known === EntryOid.reasonCode) {
						header(der, valueStart, valueEnd, Tag.Enumerated, 'reasonCode');
						if (at.end !== valueEnd || at.end - at.valueStart !== 1) throw malformed('CRL entry: bad reasonCode', valueStart);
						const reason = der[at.valueStart]!;
						if (reason > 10 || !(VALID_REASONS & (1 << reason))) throw malformed('CRL entry: unknown reasonCode', valueStart);
						if (reason === 8) problems.removeFromCrl = true;
						reasons[i] = reason;
					} else if (known === EntryOid.invalidityDate) {
						header(der, valueStart, valueEnd, Tag.GeneralizedTime, 'invalidityDate');
						const when = timeSeconds(der, Tag.GeneralizedTime, at.valueStart, at.end);
						if (at.end !== valueEnd || when < 0 || when > 0xffffffff) throw malformed('CRL entry: bad invalidityDate', valueStart);
						invalidity ??= new Uint32Array(n);
						invalidity[i] = when + 1;
						invalidityCount++;
					} else if (known === EntryOid.certificateIssuer) {
						problems.certificateIssuer = true;
					} else if (known !== EntryOid.holdInstruction && critical) {
						const oid = oidString(der, { tag: Tag.Oid, start: oidStart - 2, valueStart: oidStart, end: oidEnd });
						if (!problems.unsupportedCriticalExtensions.includes(oid)) problems.unsupportedCriticalExtensions.push(oid);
					}
					e = extEnd;
				}
			} else if (q !== entryEnd) {
				throw malformed('CRL entry: trailing data', q);
			}
			serialOffset[i] = serialStart;
			serialLength[i] = serialLen;
			dates[i] = seconds;
			lengthCounts[serialLen]!++;
			p = entryEnd;
		}

		// Layout: header, group table, then per group keys / reasons / dates, then the sparse invalidity arrays.
		const lengths: number[] = [];
		for (let l = 1; l <= CrlIndexFormat.maxSerialBytes; l++) if (lengthCounts[l]! > 0) lengths.push(l);
		let offset = (CrlIndexFormat.headerWords + lengths.length * CrlIndexFormat.groupWords) * 4;
		const layout = lengths.map((length) => {
			const count = lengthCounts[length]!;
			const keysOffset = offset;
			offset = align4(offset + count * length);
			const reasonsOffset = offset;
			offset = align4(offset + count);
			const datesOffset = offset;
			offset += count * 4;
			return { length, count, keysOffset, reasonsOffset, datesOffset };
		});
		const invPosOffset = offset;
		const invDateOffset = offset + invalidityCount * 4;
		const buffer = new ArrayBuffer(invDateOffset + invalidityCount * 4);
		const words = new Uint32Array(buffer, 0, CrlIndexFormat.headerWords + lengths.length * CrlIndexFormat.groupWords);
		words.set([CrlIndexFormat.magic, CrlIndexFormat.version, n, lengths.length, invalidityCount, invPosOffset, invDateOffset, 0]);
		layout.forEach((g, k) => words.set([g.length, g.count, g.keysOffset, g.reasonsOffset, g.datesOffset], CrlIndexFormat.headerWords + k * 5));

		// Entries of each length, in input order.
		const groupStart = new Uint32Array(CrlIndexFormat.maxSerialBytes + 2);
		for (let l = 1; l <= CrlIndexFormat.maxSerialBytes; l++) groupStart[l + 1] = groupStart[l]! + lengthCounts[l]!;
		const fill = groupStart.slice();
		const byGroup = new Uint32Array(n);
		for (let i = 0; i < n; i++) byGroup[fill[serialLength[i]!]!++] = i;

		const invPositions = new Uint32Array(buffer, invPosOffset, invalidityCount);
		const invDates = new Uint32Array(buffer, invDateOffset, invalidityCount);
		const invalidityOut: [number, number][] = [];
		let base = 0;
		for (const g of layout) {
			const first = groupStart[g.length]!;
			const width = g.length;
			const scratch = new Uint8Array(g.count * width);
			for (let k = 0; k < g.count; k++) {
				const from = serialOffset[byGroup[first + k]!]!;
				for (let j = 0; j < width; j++) scratch[k * width + j] = der[from + j]!;
			}
			const perm = sortPermutation(scratch, width, g.count);
			const keys = new Uint8Array(buffer, g.keysOffset, g.count * width);
			const groupReasons = new Uint8Array(buffer, g.reasonsOffset, g.count);
			const groupDates = new Uint32Array(buffer, g.datesOffset, g.count);
			for (let k = 0; k < g.count; k++) {
				const source = perm[k]!;
				const entry = byGroup[first + source]!;
				for (let j = 0; j < width; j++) keys[k * width + j] = scratch[source * width + j]!;
				groupReasons[k] = reasons[entry]!;
				groupDates[k] = dates[entry]!;
				if (invalidity && invalidity[entry]) invalidityOut.push([base + k, invalidity[entry]! - 1]);
			}
			base += g.count;
		}
		invalidityOut.sort((a, b) => a[0] - b[0]);
		invalidityOut.forEach(([position, when], k) => {
			invPositions[k] = position;
			invDates[k] = when;
		});
		options.onProgress?.(1);
		return { index: new CrlIndex(buffer), problems };
	}

	/** Binary search for a serial (INTEGER content bytes, minimal DER). */
	lookup(serial: Uint8Array): RevokedEntry | undefined {
		const width = serial.length;
		if (width < 1 || width > CrlIndexFormat.maxSerialBytes) return undefined;
		const g = this.#byLength[width]!;
		if (g < 0) return undefined;
		const group = this.#groups[g]!;
		const keys = group.keys;
		let lo = 0;
		let hi = group.count - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const base = mid * width;
			let d = 0;
			for (let j = 0; j < width && d === 0; j++) d = keys[base + j]! - serial[j]!;
			if (d === 0) return this.#entry(group, mid);
			if (d < 0) lo = mid + 1;
			else hi = mid - 1;
		}
		return undefined;
	}

	#entry(group: Group, k: number): RevokedEntry {
		const reason = group.reasons[k]!;
		const position = group.base + k;
		const positions = this.#invalidityPositions;
		let lo = 0;
		let hi = positions.length - 1;
		let invalidityDate: number | undefined;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const value = positions[mid]!;
			if (value === position) {
				invalidityDate = this.#invalidityDates[mid]! * 1000;
				break;
			}
			if (value < position) lo = mid + 1;
			else hi = mid - 1;
		}
		return {
			...(reason === CrlIndexFormat.noReason ? {} : { reason }),
			revocationDate: group.dates[k]! * 1000,
			...(invalidityDate === undefined ? {} : { invalidityDate })
		};
	}

	/** Every serial in index order (lengths ascending, then bytes), for tests and diagnostics. */
	*serials(): Generator<Uint8Array> {
		for (const group of this.#groups)
			for (let k = 0; k < group.count; k++) yield group.keys.slice(k * group.length, (k + 1) * group.length);
	}
}
