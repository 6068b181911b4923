import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../bytes';
import { IsoDepBlockError, encodeIsoDepBlock, parseIsoDepBlock, type IsoDepBlock } from './iso-dep-block';

const parse = (hex: string) => parseIsoDepBlock(fromHex(hex));

describe('parseIsoDepBlock', () => {
	it('reads I-blocks: block number, chaining, CID and NAD', () => {
		expect(parse('02 00a4040c')).toEqual({ ok: true, block: { type: 'I', blockNumber: 0, chaining: false, inf: fromHex('00a4040c') } });
		expect(parse('13 01')).toEqual({ ok: true, block: { type: 'I', blockNumber: 1, chaining: true, inf: fromHex('01') } });
		expect(parse('0e 02 10 90')).toEqual({ ok: true, block: { type: 'I', blockNumber: 0, chaining: false, cid: 2, nad: 0x10, inf: fromHex('90') } });
	});

	it('reads R(ACK), R(NAK), S(DESELECT) and S(WTX)', () => {
		expect(parse('a3')).toEqual({ ok: true, block: { type: 'R', blockNumber: 1, nak: false } });
		expect(parse('ba 01')).toEqual({ ok: true, block: { type: 'R', blockNumber: 0, nak: true, cid: 1 } });
		expect(parse('c2')).toEqual({ ok: true, block: { type: 'S', command: 'deselect', inf: new Uint8Array(0) } });
		expect(parse('f2 3b')).toEqual({ ok: true, block: { type: 'S', command: 'wtx', inf: fromHex('3b') } });
	});

	it.each([
		['', IsoDepBlockError.empty],
		['00', IsoDepBlockError.invalidPcb],
		['22', IsoDepBlockError.invalidPcb],
		['a6', IsoDepBlockError.invalidPcb],
		['d2', IsoDepBlockError.unsupportedSBlock],
		['e2', IsoDepBlockError.unsupportedSBlock],
		['0a', IsoDepBlockError.truncated],
		['06', IsoDepBlockError.truncated],
		['0a 10', IsoDepBlockError.cidRfuBits],
		['a2 00', IsoDepBlockError.unexpectedInf],
		['c2 00', IsoDepBlockError.unexpectedInf],
		['f2', IsoDepBlockError.wtxLength],
		['f2 01 01', IsoDepBlockError.wtxLength]
	])('rejects %s (%s)', (hex, reason) => {
		expect(parse(hex)).toEqual({ ok: false, reason });
	});

	it('encodes the PCBs of ISO 14443-4', () => {
		expect(toHex(encodeIsoDepBlock({ type: 'I', blockNumber: 1, chaining: true, cid: 3, inf: fromHex('aa') }))).toBe('1b03aa');
		expect(toHex(encodeIsoDepBlock({ type: 'R', blockNumber: 0, nak: true }))).toBe('b2');
		expect(toHex(encodeIsoDepBlock({ type: 'S', command: 'wtx', inf: fromHex('0a') }))).toBe('f20a');
	});
});

const cid = fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined });
const blockArbitrary: fc.Arbitrary<IsoDepBlock> = fc.oneof(
	fc.record({
		type: fc.constant('I' as const),
		blockNumber: fc.constantFrom(0 as const, 1 as const),
		chaining: fc.boolean(),
		cid,
		nad: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
		inf: fc.uint8Array({ maxLength: 300 })
	}),
	fc.record({ type: fc.constant('R' as const), blockNumber: fc.constantFrom(0 as const, 1 as const), nak: fc.boolean(), cid }),
	fc.record({ type: fc.constant('S' as const), command: fc.constant('deselect' as const), cid, inf: fc.constant(new Uint8Array(0)) }),
	fc.record({ type: fc.constant('S' as const), command: fc.constant('wtx' as const), cid, inf: fc.uint8Array({ minLength: 1, maxLength: 1 }) })
);

const withoutUndefined = (block: IsoDepBlock) => JSON.parse(JSON.stringify(block, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v)));

describe('ISO-DEP block properties', () => {
	it('parses every encoded block back to itself', () => {
		fc.assert(
			fc.property(blockArbitrary, (block) => {
				const parsed = parseIsoDepBlock(encodeIsoDepBlock(block));
				expect(parsed.ok).toBe(true);
				if (parsed.ok) expect(withoutUndefined(parsed.block)).toEqual(withoutUndefined(block));
			})
		);
	});

	it('answers any bytes with a block or a typed reason, never a throw', () => {
		const reasons = Object.values(IsoDepBlockError) as string[];
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				const parsed = parseIsoDepBlock(bytes);
				if (parsed.ok) expect(parsed.block.type).toMatch(/^[IRS]$/);
				else expect(reasons).toContain(parsed.reason);
			}),
			{ numRuns: 2000 }
		);
	});
});
