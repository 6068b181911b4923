import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, isMynaError } from '../../errors';
import { decodeIsoDepBlock, encodeIsoDepBlock, type IsoDepBlock } from './iso-dep-block';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

const blockArb: fc.Arbitrary<IsoDepBlock> = fc.oneof(
	fc.record(
		{
			type: fc.constant('I' as const),
			blockNumber: fc.constantFrom(0 as const, 1 as const),
			chaining: fc.boolean(),
			cid: fc.integer({ min: 0, max: 15 }),
			nad: fc.integer({ min: 0, max: 255 }),
			inf: fc.uint8Array({ maxLength: 300 })
		},
		{ requiredKeys: ['type', 'blockNumber', 'chaining', 'inf'] }
	),
	fc.record(
		{
			type: fc.constant('R' as const),
			ack: fc.boolean(),
			blockNumber: fc.constantFrom(0 as const, 1 as const),
			cid: fc.integer({ min: 0, max: 15 })
		},
		{ requiredKeys: ['type', 'ack', 'blockNumber'] }
	),
	fc.record({ type: fc.constant('S' as const), command: fc.constant('deselect' as const), cid: fc.integer({ min: 0, max: 15 }) }, { requiredKeys: ['type', 'command'] }),
	fc.record(
		{
			type: fc.constant('S' as const),
			command: fc.constant('wtx' as const),
			wtxm: fc.integer({ min: 1, max: 59 }),
			powerLevel: fc.integer({ min: 0, max: 3 }),
			cid: fc.integer({ min: 0, max: 15 })
		},
		{ requiredKeys: ['type', 'command', 'wtxm', 'powerLevel'] }
	)
);

describe('ISO-DEP block codec', () => {
	it('encodes the blocks of readers.md §5.4 to their exact bytes', () => {
		expect(hex(encodeIsoDepBlock({ type: 'I', blockNumber: 0, chaining: false, inf: fromHex('00a4040c') }))).toBe('02 00 a4 04 0c');
		expect(hex(encodeIsoDepBlock({ type: 'I', blockNumber: 1, chaining: true, inf: fromHex('aa') }))).toBe('13 aa');
		expect(hex(encodeIsoDepBlock({ type: 'I', blockNumber: 0, chaining: false, cid: 2, inf: fromHex('aa') }))).toBe('0a 02 aa');
		expect(hex(encodeIsoDepBlock({ type: 'R', ack: true, blockNumber: 1 }))).toBe('a3');
		expect(hex(encodeIsoDepBlock({ type: 'R', ack: false, blockNumber: 0 }))).toBe('b2');
		expect(hex(encodeIsoDepBlock({ type: 'R', ack: false, blockNumber: 1, cid: 3 }))).toBe('bb 03');
		expect(hex(encodeIsoDepBlock({ type: 'S', command: 'deselect' }))).toBe('c2');
		expect(hex(encodeIsoDepBlock({ type: 'S', command: 'wtx', wtxm: 10, powerLevel: 0 }))).toBe('f2 0a');
		expect(hex(encodeIsoDepBlock({ type: 'S', command: 'wtx', wtxm: 59, powerLevel: 0, cid: 1 }))).toBe('fa 01 3b');
	});

	it('decodes a card’s S(WTX) with power level bits and keeps WTXM apart', () => {
		expect(decodeIsoDepBlock(fromHex('f2 81'))).toEqual({ type: 'S', command: 'wtx', wtxm: 1, powerLevel: 2 });
	});

	it('rejects reserved PCB codings, missing bytes and bad WTXM with a Protocol error', () => {
		for (const bad of ['', '22', '42', 'e2', '82', 'a6', 'c3', 'd2', 'e2', 'f0 01', 'f2', 'f2 00', 'f2 3c', 'f2 01 02', 'c2 00', 'a2 00', '0a', '0a 10 aa', '06']) {
			let error: unknown;
			try {
				decodeIsoDepBlock(fromHex(bad));
			} catch (caught) {
				error = caught;
			}
			expect(isMynaError(error, ErrorKind.Protocol), `'${bad}' must be rejected`).toBe(true);
		}
	});

	it('round-trips every valid block', () => {
		fc.assert(
			fc.property(blockArb, (block) => {
				expect(decodeIsoDepBlock(encodeIsoDepBlock(block))).toEqual(block);
			})
		);
	});

	it('decodes any bytes either to a block that re-encodes to them (CID power bits aside) or to a Protocol error', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				let block: IsoDepBlock;
				try {
					block = decodeIsoDepBlock(bytes);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Protocol)).toBe(true);
					return;
				}
				const expected = bytes.slice();
				if (expected[0]! & 0x08) expected[1]! &= 0x0f;
				expect(hex(encodeIsoDepBlock(block))).toBe(hex(expected));
			}),
			{ numRuns: 5000 }
		);
	});

	it('refuses to encode out-of-range fields', () => {
		expect(() => encodeIsoDepBlock({ type: 'S', command: 'wtx', wtxm: 60, powerLevel: 0 })).toThrow();
		expect(() => encodeIsoDepBlock({ type: 'R', ack: true, blockNumber: 0, cid: 16 })).toThrow();
	});
});
