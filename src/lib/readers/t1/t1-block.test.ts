import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { T1RError, T1SType, crc16, decodeT1Block, encodeT1Block, isEdcError, lrc, type T1Block } from './t1-block';

const hex = (b: Uint8Array) => toHex(b, ' ').toUpperCase();

describe('T=1 block codec: exact bytes', () => {
	it.each<[string, T1Block, string]>([
		['I(0) with an APDU', { kind: 'I', nad: 0, ns: 0, more: false, inf: fromHex('00 20 00 80') }, '00 00 04 00 20 00 80 A4'],
		['I(1) chained', { kind: 'I', nad: 0, ns: 1, more: true, inf: fromHex('01 02') }, '00 60 02 01 02 61'],
		['R(0) acknowledgement', { kind: 'R', nad: 0, nr: 0, error: T1RError.None }, '00 80 00 80'],
		['R(1) EDC error', { kind: 'R', nad: 0, nr: 1, error: T1RError.Edc }, '00 91 00 91'],
		['R(0) other error', { kind: 'R', nad: 0, nr: 0, error: T1RError.Other }, '00 82 00 82'],
		['S(IFS request) IFSD 254', { kind: 'S', nad: 0, type: T1SType.Ifs, response: false, inf: Uint8Array.of(0xfe) }, '00 C1 01 FE 3E'],
		['S(IFS response) 254', { kind: 'S', nad: 0, type: T1SType.Ifs, response: true, inf: Uint8Array.of(0xfe) }, '00 E1 01 FE 1E'],
		['S(WTX response) 2', { kind: 'S', nad: 0, type: T1SType.Wtx, response: true, inf: Uint8Array.of(2) }, '00 E3 01 02 E0'],
		['S(RESYNCH request)', { kind: 'S', nad: 0, type: T1SType.Resynch, response: false, inf: new Uint8Array(0) }, '00 C0 00 C0'],
		['S(ABORT response)', { kind: 'S', nad: 0, type: T1SType.Abort, response: true, inf: new Uint8Array(0) }, '00 E2 00 E2']
	])('%s', (_name, block, bytes) => {
		expect(hex(encodeT1Block(block, 'lrc'))).toBe(bytes);
		expect(decodeT1Block(fromHex(bytes), 'lrc')).toEqual(block);
	});

	it('computes the CRC libccid computes (CRC-16, reflected 0x8408, init FFFF, no final XOR; check value 6F91)', () => {
		expect(crc16(asciiBytes('123456789'))).toBe(0x6f91);
		const block = encodeT1Block({ kind: 'R', nad: 0, nr: 1, error: T1RError.None }, 'crc');
		const v = crc16(fromHex('00 90 00'));
		expect([...block]).toEqual([0x00, 0x90, 0x00, v >> 8, v & 0xff]);
		expect(lrc(fromHex('00 C1 01 FE'))).toBe(0x3e);
	});

	it.each([
		['too short', '00 00'],
		['LEN 0xFF', '00 00 FF 00'],
		['a length that does not match LEN', '00 00 02 90 00 00 00'],
		['an R-block with INF', '00 80 01 00 81'],
		['an R-block with bit 6 set', '00 A0 00 A0'],
		['an R-block with error code 3', '00 83 00 83'],
		['an I-block with reserved bits', '00 01 00 01']
	])('rejects %s (not an EDC error)', (_name, bytes) => {
		let error: unknown;
		try {
			decodeT1Block(fromHex(bytes), 'lrc');
		} catch (e) {
			error = e;
		}
		expect(error).toMatchObject({ kind: ErrorKind.Protocol });
		expect(isEdcError(error)).toBe(false);
	});

	it('flags a wrong check value as an EDC error', () => {
		let error: unknown;
		try {
			decodeT1Block(fromHex('00 00 02 90 00 93'), 'lrc');
		} catch (e) {
			error = e;
		}
		expect(isEdcError(error)).toBe(true);
	});
});

const blockArb: fc.Arbitrary<T1Block> = fc.oneof(
	fc.record({ kind: fc.constant('I' as const), nad: fc.constant(0), ns: fc.constantFrom<0 | 1>(0, 1), more: fc.boolean(), inf: fc.uint8Array({ maxLength: 254 }) }),
	fc.record({ kind: fc.constant('R' as const), nad: fc.constant(0), nr: fc.constantFrom<0 | 1>(0, 1), error: fc.constantFrom(T1RError.None, T1RError.Edc, T1RError.Other) }),
	fc.record({ kind: fc.constant('S' as const), nad: fc.constant(0), type: fc.integer({ min: 0, max: 0x1f }), response: fc.boolean(), inf: fc.uint8Array({ maxLength: 254 }) })
);

describe('T=1 block codec: properties', () => {
	it('decodes what it encodes, with LRC and with CRC', () => {
		fc.assert(
			fc.property(blockArb, fc.constantFrom('lrc' as const, 'crc' as const), (block, edc) => {
				const bytes = encodeT1Block(block, edc);
				expect(bytes.length).toBe(3 + (block.kind === 'R' ? 0 : block.inf.length) + (edc === 'crc' ? 2 : 1));
				expect(decodeT1Block(bytes, edc)).toEqual(block);
			}),
			{ numRuns: 1000 }
		);
	});

	it('catches any single corrupted byte', () => {
		fc.assert(
			fc.property(blockArb, fc.constantFrom('lrc' as const, 'crc' as const), fc.nat(), fc.integer({ min: 1, max: 255 }), (block, edc, at, xor) => {
				const bytes = encodeT1Block(block, edc);
				const i = at % bytes.length;
				fc.pre(i !== 0); // NAD is checked by the protocol, not the codec
				bytes[i]! ^= xor;
				expect(() => decodeT1Block(bytes, edc)).toThrow(MynaError);
			}),
			{ numRuns: 2000 }
		);
	});

	it('rejects random bytes only with a Protocol error', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('lrc' as const, 'crc' as const), (bytes, edc) => {
				try {
					decodeT1Block(bytes, edc);
				} catch (error) {
					expect(error).toBeInstanceOf(MynaError);
					expect((error as MynaError).kind).toBe(ErrorKind.Protocol);
				}
			}),
			{ numRuns: 3000 }
		);
	});
});
