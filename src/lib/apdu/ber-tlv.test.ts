import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import {
	childTlvs,
	encodeTlv,
	findChild,
	iterateTlvs,
	readTlv,
	readTlvs,
	TagClass,
	tlvValue,
	walkTlvs,
	type Tlv,
	type TlvNode
} from './ber-tlv';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function expectMalformed(work: () => unknown): void {
	try {
		work();
	} catch (error) {
		expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
		return;
	}
	throw new Error('expected a Malformed error');
}

/** A fictional text-AP EF 0002: FF 20 { DF 21 header, DF 22 name, DF 23 address, DF 24 birth, DF 25 sex }. */
function basicInfoFile(padding: Uint8Array = new Uint8Array(0)): Uint8Array {
	const children = concatBytes(
		encodeTlv(0xdf21, fromHex('0102')),
		encodeTlv(0xdf22, utf8('試験　花子')),
		encodeTlv(0xdf23, utf8('東京都千代田区霞が関二丁目一番二号'.repeat(5))),
		encodeTlv(0xdf24, utf8('19800217')),
		encodeTlv(0xdf25, utf8('2'))
	);
	return concatBytes(encodeTlv(0xff20, children), padding);
}

describe('readTlv', () => {
	it('reads the private two-byte tag and non-minimal long length seen on cards (FF 40 82 00 9F)', () => {
		const bytes = concatBytes(fromHex('FF 40 82 00 9F'), new Uint8Array(0x9f));
		expect(readTlv(bytes, 0)).toEqual({
			tag: 0xff40,
			tagClass: TagClass.Private,
			constructed: true,
			tagNumber: 64,
			offset: 0,
			headerLength: 5,
			valueOffset: 5,
			valueLength: 0x9f,
			end: 0xa4
		});
	});

	it.each([
		['30 00', { tag: 0x30, tagClass: TagClass.Universal, constructed: true, tagNumber: 16, headerLength: 2, valueLength: 0 }],
		['04 01 AA', { tag: 0x04, tagClass: TagClass.Universal, constructed: false, tagNumber: 4, headerLength: 2, valueLength: 1 }],
		['7F 21 01 AA', { tag: 0x7f21, tagClass: TagClass.Application, constructed: true, tagNumber: 33, headerLength: 3, valueLength: 1 }],
		['9F 1F 00', { tag: 0x9f1f, tagClass: TagClass.ContextSpecific, constructed: false, tagNumber: 31, headerLength: 3, valueLength: 0 }],
		['DF 81 00 00', { tag: 0xdf8100, tagClass: TagClass.Private, constructed: false, tagNumber: 128, headerLength: 4, valueLength: 0 }],
		['1F FF 7F 00', { tag: 0x1fff7f, tagClass: TagClass.Universal, constructed: false, tagNumber: 16_383, headerLength: 4, valueLength: 0 }],
		['04 81 01 AA', { tag: 0x04, tagClass: TagClass.Universal, constructed: false, tagNumber: 4, headerLength: 3, valueLength: 1 }],
		['04 84 00 00 00 01 AA', { tag: 0x04, tagClass: TagClass.Universal, constructed: false, tagNumber: 4, headerLength: 6, valueLength: 1 }]
	])('reads %s', (hex, expected) => {
		expect(readTlv(fromHex(hex), 0)).toMatchObject(expected);
	});

	it('reads at an offset and within a limit', () => {
		const bytes = fromHex('AA BB 04 01 CC DD');
		expect(readTlv(bytes, 2)).toMatchObject({ offset: 2, valueOffset: 4, valueLength: 1, end: 5 });
		expectMalformed(() => readTlv(bytes, 2, 4));
	});

	it.each([
		['empty', ''],
		['indefinite length', '30 80 00 00'],
		['five length bytes', '04 85 00 00 00 00 01 AA'],
		['reserved length FF', '04 FF'],
		['value past the end', '04 05 01 02'],
		['long length past the end', '04 84 00 00 01 00 01'],
		['truncated length', '04 82 01'],
		['missing length', '04'],
		['truncated tag', '5F'],
		['truncated three-byte tag', '5F 81'],
		['tag of four bytes', '5F 81 81 01 00'],
		['tag number with a leading zero', '5F 80 01 00'],
		['low tag number in the long form', '5F 1E 00'],
		['end-of-contents tag', '00 00']
	])('rejects %s as Malformed', (_name, hex) => {
		expectMalformed(() => readTlv(fromHex(hex), 0));
	});

	it('rejects offsets and limits outside the buffer as Malformed', () => {
		const bytes = fromHex('04 01 AA');
		for (const [offset, limit] of [
			[3, 3],
			[-1, 3],
			[0, 4],
			[1.5, 3],
			[2, 1]
		] as const) {
			expectMalformed(() => readTlv(bytes, offset, limit));
		}
	});
});

describe('iterating and finding', () => {
	it('walks the children of the 4 info file and finds each by tag number and class', () => {
		const file = basicInfoFile();
		const [outer] = readTlvs(file);
		expect(outer).toMatchObject({ tag: 0xff20, tagNumber: 32, tagClass: TagClass.Private, constructed: true, end: file.length });
		const tags = [...childTlvs(file, outer!)].map((tlv) => tlv.tag);
		expect(tags).toEqual([0xdf21, 0xdf22, 0xdf23, 0xdf24, 0xdf25]);
		const name = findChild(file, 34, TagClass.Private, { parent: outer });
		expect(text(tlvValue(file, name!))).toBe('試験　花子');
		expect(text(tlvValue(file, findChild(file, 37, TagClass.Private, { parent: outer })!))).toBe('2');
		expect(findChild(file, 38, TagClass.Private, { parent: outer })).toBeUndefined();
		expect(findChild(file, 34, TagClass.ContextSpecific, { parent: outer })).toBeUndefined();
	});

	it('tolerates trailing FF / 00 padding only when asked', () => {
		for (const padding of [fromHex('FF FF FF FF'), fromHex('00 00'), fromHex('FF 00 FF')]) {
			const file = basicInfoFile(padding);
			expect(readTlvs(file, { allowPadding: true }).map((tlv) => tlv.tag)).toEqual([0xff20]);
			expect([...walkTlvs(file, { allowPadding: true })].length).toBe(6);
			expect(findChild(file, 32, TagClass.Private, { allowPadding: true })).toBeDefined();
			expectMalformed(() => readTlvs(file));
			expectMalformed(() => [...walkTlvs(file)]);
		}
	});

	it('still reads a TLV that starts with FF when padding is allowed', () => {
		const bytes = concatBytes(encodeTlv(0x04, fromHex('FFFF')), encodeTlv(0xff20, new Uint8Array(0)), fromHex('FF FF'));
		expect(readTlvs(bytes, { allowPadding: true }).map((tlv) => tlv.tag)).toEqual([0x04, 0xff20]);
	});

	it('does not take padding-like bytes for padding when real data follows', () => {
		expectMalformed(() => readTlvs(fromHex('04 00 FF 00 04 00'), { allowPadding: true }));
		expectMalformed(() => readTlvs(fromHex('04 00 00 00 04 00'), { allowPadding: true }));
	});

	it('walks a tree in document order with depths, without recursion', () => {
		const tree = encodeTlv(0x30, concatBytes(encodeTlv(0x30, encodeTlv(0x02, fromHex('01'))), encodeTlv(0x04, fromHex('AA'))));
		const nodes = [...walkTlvs(tree)].map((node) => [node.tag, node.depth]);
		expect(nodes).toEqual([
			[0x30, 0],
			[0x30, 1],
			[0x02, 2],
			[0x04, 1]
		]);
		expectMalformed(() => [...walkTlvs(tree, { maxDepth: 1 })]);
		expect([...walkTlvs(tree, { maxDepth: 2 })].length).toBe(4);
	});

	it('finds a child of the top level and stops reading there', () => {
		const bytes = concatBytes(encodeTlv(0x5f20, utf8('x')), fromHex('04 09'));
		expect(findChild(bytes, 32, TagClass.Application)).toMatchObject({ tag: 0x5f20, valueLength: 1 });
		expectMalformed(() => findChild(bytes, 4, TagClass.Universal));
	});
});

describe('encodeTlv', () => {
	it.each([0, 1, 127, 128, 255, 256, 65_535, 65_536])('round-trips a value of %i bytes with a minimal length', (length) => {
		const value = new Uint8Array(length).fill(7);
		const bytes = encodeTlv(0xdf22, value);
		const tlv = readTlv(bytes, 0);
		expect(tlv.tag).toBe(0xdf22);
		expect(tlv.valueLength).toBe(length);
		expect(tlv.end).toBe(bytes.length);
		const lengthBytes = length < 128 ? 1 : 1 + Math.ceil(Math.log2(length + 1) / 8);
		expect(tlv.headerLength).toBe(2 + lengthBytes);
	});

	it('writes the exact bytes for short and long lengths', () => {
		expect(toHex(encodeTlv(0x04, fromHex('AA')))).toBe('0401aa');
		expect(toHex(encodeTlv(0x7f21, new Uint8Array(0x80)).subarray(0, 5))).toBe('7f218180' + '00');
		expect(toHex(encodeTlv(0xff40, new Uint8Array(0x100)).subarray(0, 6))).toBe('ff4082010000');
	});

	it.each([
		['a lone long-form first byte', 0x1f],
		['an unfinished multi-byte tag', 0xdf81],
		['a leading-zero tag number', 0xdf8001],
		['end-of-contents', 0x00],
		['more than three bytes', 0x1f818101],
		['a fraction', 1.5]
	])('refuses %s', (_name, tag) => {
		expectMalformed(() => encodeTlv(tag, new Uint8Array(0)));
	});
});

// Property tests: generated trees, random bytes, and mutations of valid encodings.

interface TagSpec {
	tagClass: number;
	constructed: boolean;
	tagNumber: number;
}

function rawTag({ tagClass, constructed, tagNumber }: TagSpec): number {
	const first = (tagClass << 6) | (constructed ? 0x20 : 0);
	if (tagNumber < 31) return first | tagNumber;
	if (tagNumber < 128) return ((first | 0x1f) << 8) | tagNumber;
	return ((first | 0x1f) << 16) | ((0x80 | (tagNumber >> 7)) << 8) | (tagNumber & 0x7f);
}

const tagSpec = (constructed: boolean) =>
	fc
		.record({
			tagClass: fc.integer({ min: 0, max: 3 }),
			tagNumber: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 31, max: 16_383 }))
		})
		.filter(({ tagClass, tagNumber }) => tagClass !== 0 || tagNumber !== 0)
		.map((spec) => ({ ...spec, constructed }));

interface Expected {
	tag: number;
	depth: number;
	valueLength: number;
}

const { tree } = fc.letrec<{ tree: { bytes: Uint8Array; nodes: Expected[] } }>((tie) => ({
	tree: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		fc.tuple(tagSpec(false), fc.uint8Array({ maxLength: 40 })).map(([spec, value]) => ({
			bytes: encodeTlv(rawTag(spec), value),
			nodes: [{ tag: rawTag(spec), depth: 0, valueLength: value.length }]
		})),
		fc.tuple(tagSpec(true), fc.array(tie('tree'), { maxLength: 4 })).map(([spec, children]) => {
			const value = concatBytes(...children.map((child) => child.bytes));
			return {
				bytes: encodeTlv(rawTag(spec), value),
				nodes: [
					{ tag: rawTag(spec), depth: 0, valueLength: value.length },
					...children.flatMap((child) => child.nodes.map((node) => ({ ...node, depth: node.depth + 1 })))
				]
			};
		})
	)
}));

const sequence = fc.array(tree, { minLength: 1, maxLength: 4 }).map((trees) => ({
	bytes: concatBytes(...trees.map((t) => t.bytes)),
	nodes: trees.flatMap((t) => t.nodes)
}));

/** A view whose every out-of-range index read throws a plain Error, which the property then reports. */
function guarded(bytes: Uint8Array): Uint8Array {
	return new Proxy(bytes, {
		get(target, property) {
			if (typeof property === 'string' && /^-?\d+$/.test(property)) {
				const index = Number(property);
				if (index < 0 || index >= target.length) throw new Error(`read outside the buffer at ${index}`);
			}
			return Reflect.get(target, property);
		}
	});
}

function checkBounds(tlv: Tlv, length: number): void {
	expect(tlv.offset).toBeGreaterThanOrEqual(0);
	expect(tlv.valueOffset).toBe(tlv.offset + tlv.headerLength);
	expect(tlv.end).toBe(tlv.valueOffset + tlv.valueLength);
	expect(tlv.end).toBeLessThanOrEqual(length);
}

/** Runs every reader over the input; only MynaError Malformed may escape, and every TLV must lie inside. */
function readEverything(bytes: Uint8Array): void {
	const view = guarded(bytes);
	const runs: (() => Iterable<Tlv>)[] = [
		() => iterateTlvs(view),
		() => iterateTlvs(view, { allowPadding: true }),
		() => walkTlvs(view),
		() => walkTlvs(view, { allowPadding: true, maxDepth: 8 }),
		() => (bytes.length > 0 ? [readTlv(view, 0)] : [])
	];
	for (const run of runs) {
		try {
			for (const tlv of run()) checkBounds(tlv, bytes.length);
		} catch (error) {
			if (!isMynaError(error, ErrorKind.Malformed)) throw error;
		}
	}
}

const mutation = fc.tuple(fc.constantFrom('flip', 'insert', 'delete', 'truncate', 'extend'), fc.nat(), fc.integer({ min: 0, max: 255 }));

function mutate(bytes: Uint8Array, [how, at, value]: [string, number, number]): Uint8Array {
	const i = bytes.length === 0 ? 0 : at % bytes.length;
	const copy = Array.from(bytes);
	if (how === 'flip') copy[i] = value;
	if (how === 'insert') copy.splice(i, 0, value);
	if (how === 'delete') copy.splice(i, 1);
	if (how === 'truncate') copy.length = i;
	if (how === 'extend') copy.push(value);
	return Uint8Array.from(copy);
}

describe('BER-TLV properties', () => {
	it('has a guard that catches reads past the end (so the properties below can trust it)', () => {
		const view = guarded(fromHex('04 01'));
		expect(view[1]).toBe(1);
		expect(() => view[2]).toThrow('read outside the buffer');
		expect(view.length).toBe(2);
	});

	it('walks generated trees exactly, with and without trailing padding', () => {
		fc.assert(
			fc.property(sequence, fc.uint8Array({ maxLength: 8 }).map((b) => b.map((x) => (x & 1 ? 0xff : 0x00))), (input, padding) => {
				const walked: TlvNode[] = [...walkTlvs(guarded(input.bytes), { maxDepth: 100 })];
				expect(walked.map(({ tag, depth, valueLength }) => ({ tag, depth, valueLength }))).toEqual(input.nodes);
				const padded = concatBytes(input.bytes, padding);
				const top = readTlvs(guarded(padded), { allowPadding: true });
				expect(top.length).toBe(input.nodes.filter((node) => node.depth === 0).length);
			}),
			{ numRuns: 300 }
		);
	});

	it('never throws anything but Malformed and never reads or points past the end, on random bytes', () => {
		fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => readEverything(bytes)), { numRuns: 2000 });
	});

	it('never throws anything but Malformed and never reads or points past the end, on mutated valid input', () => {
		fc.assert(
			fc.property(sequence, fc.array(mutation, { minLength: 1, maxLength: 3 }), (input, mutations) => {
				readEverything(mutations.reduce(mutate, input.bytes));
			}),
			{ numRuns: 1000 }
		);
	});
});

describe('BER-TLV in linear time', () => {
	const MEGABYTE = 1 << 20;

	/** Nested constructed headers `30 84 <4-byte length>` filling 1 MB, each holding the rest. */
	function nestedHeaders(total: number): Uint8Array {
		const levels = Math.floor(total / 6);
		const bytes = new Uint8Array(levels * 6);
		for (let i = 0; i < levels; i++) {
			const length = bytes.length - 6 * (i + 1);
			bytes.set([0x30, 0x84, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff], i * 6);
		}
		return bytes;
	}

	function timed(work: () => void): number {
		const start = performance.now();
		work();
		return performance.now() - start;
	}

	it('walks 1 MB of nested headers (174,762 levels) quickly when no depth limit is set', () => {
		const bytes = nestedHeaders(MEGABYTE);
		let count = 0;
		const ms = timed(() => {
			for (const node of walkTlvs(bytes, { maxDepth: Number.POSITIVE_INFINITY })) count = Math.max(count, node.depth + 1);
		});
		expect(count).toBe(bytes.length / 6);
		expect(ms).toBeLessThan(2000);
	});

	it('stops at the depth limit on 1 MB of nested headers', () => {
		const bytes = nestedHeaders(MEGABYTE);
		const ms = timed(() => expectMalformed(() => [...walkTlvs(bytes)]));
		expect(ms).toBeLessThan(100);
	});

	it('rejects 1 MB of nested headers whose innermost length overruns, after one pass', () => {
		const bytes = nestedHeaders(MEGABYTE);
		bytes[bytes.length - 1] = 0x01;
		const ms = timed(() => expectMalformed(() => [...walkTlvs(bytes, { maxDepth: Number.POSITIVE_INFINITY })]));
		expect(ms).toBeLessThan(2000);
	});

	it('handles 1 MB of padding, indefinite headers and empty TLVs quickly', () => {
		const padding = new Uint8Array(MEGABYTE).fill(0xff);
		expect(timed(() => expect(readTlvs(padding, { allowPadding: true })).toEqual([]))).toBeLessThan(200);
		expectMalformed(() => readTlvs(padding));
		const indefinite = new Uint8Array(MEGABYTE).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80));
		expectMalformed(() => [...walkTlvs(indefinite)]);
		const empties = new Uint8Array(MEGABYTE).map((_, i) => (i % 2 === 0 ? 0x04 : 0x00));
		let count = 0;
		const ms = timed(() => {
			for (const _ of iterateTlvs(empties)) count++;
		});
		expect(count).toBe(MEGABYTE / 2);
		expect(ms).toBeLessThan(2000);
	});
});
