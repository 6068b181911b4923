import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { parseAtr, tryParseAtr } from './atr';

describe('parseAtr', () => {
	it('reads the My Number Card contact ATR 3B E0 00 FF 81 31 FE 45 14 (facts/jpki.md)', () => {
		const atr = parseAtr(fromHex('3B E0 00 FF 81 31 FE 45 14'));
		expect(atr.convention).toBe('direct');
		expect(atr.groups).toEqual([{ tb: 0x00, tc: 0xff, td: 0x81 }, { td: 0x31 }, { ta: 0xfe, tb: 0x45 }]);
		expect(atr.protocols).toEqual([1, 1]);
		expect(atr.defaultProtocol).toBe(1);
		expect(atr.historical).toHaveLength(0);
		expect(atr.tck).toBe(0x14);
		expect(atr).toMatchObject({ fiDi: 0x11, ta1Present: false, f: 372, d: 1, extraGuardTime: 0xff, specificMode: false });
		expect(atr.t1).toEqual({ ifsc: 254, ifscPresent: true, bwi: 4, cwi: 5, waitingIntegers: 0x45, edc: 'lrc' });
	});

	it('reads the newer card ATR with TA1 and ten historical bytes (OpenSC issue #3021)', () => {
		const atr = parseAtr(fromHex('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B'));
		expect(atr).toMatchObject({ fiDi: 0x13, ta1Present: true, f: 372, d: 4, extraGuardTime: 0xff, tck: 0x3b });
		expect(atr.t1).toMatchObject({ ifsc: 251, bwi: 4, cwi: 6, edc: 'lrc' });
		expect([...atr.historical]).toEqual([...fromHex('80 12 39 2F 31 C1 73 C6 01 C0')]);
	});

	it('reads a T=0-only ATR, which has no TCK', () => {
		const atr = parseAtr(fromHex('3B 02 14 50'));
		expect(atr.protocols).toEqual([0]);
		expect(atr.tck).toBeUndefined();
		expect([...atr.historical]).toEqual([0x14, 0x50]);
		expect(atr.t1).toEqual({ ifsc: 32, ifscPresent: false, bwi: 4, cwi: 13, edc: 'lrc' });
	});

	it('reads T=0 offered first and T=1 second, CRC, specific mode, inverse convention', () => {
		// TD1 = 0x80 (T=0, TD2 follows), TD2 = 0x71 (TA3 TB3 TC3, T=1), TA3 = 0x80, TB3 = 0x72, TC3 = 0x01 (CRC)
		const body = [0x80, 0x80, 0x71, 0x80, 0x72, 0x01];
		const tck = body.reduce((x, b) => x ^ b, 0);
		const atr = parseAtr(Uint8Array.of(0x3f, ...body, tck));
		expect(atr.convention).toBe('inverse');
		expect(atr.protocols).toEqual([0, 1]);
		expect(atr.defaultProtocol).toBe(0);
		expect(atr.t1).toEqual({ ifsc: 0x80, ifscPresent: true, bwi: 7, cwi: 2, waitingIntegers: 0x72, edc: 'crc' });
		const specific = [0x90, 0x11, 0x10 | 0x01];
		const withTa2 = parseAtr(Uint8Array.of(0x3b, ...specific, 0x11, specific.concat(0x11).reduce((x, b) => x ^ b, 0)));
		expect(withTa2).toMatchObject({ specificMode: true, implicitParameters: true });
	});

	it('reads IFSC 0xFF as 254 and IFSC 0 as absent (libccid get_IFSC)', () => {
		const atr = (ta3: number) => {
			const body = [0x80, 0x80 | 0x01, 0x11, ta3];
			return parseAtr(Uint8Array.of(0x3b, ...body, body.reduce((x, b) => x ^ b, 0)));
		};
		expect(atr(0xff).t1.ifsc).toBe(254);
		expect(atr(0x00).t1).toMatchObject({ ifsc: 32, ifscPresent: false });
	});

	it.each([
		['a single byte', '3B'],
		['a bad TS', '3C 00'],
		['missing interface bytes', '3B E0 00 FF'],
		['missing historical bytes', '3B 02 14'],
		['a missing TCK', '3B E0 00 FF 81 31 FE 45'],
		['a wrong TCK', '3B E0 00 FF 81 31 FE 45 15'],
		['bytes after TCK', '3B E0 00 FF 81 31 FE 45 14 00'],
		['bytes after the historical bytes of a T=0 ATR', '3B 02 14 50 00'],
		['more than 33 bytes', '3B 0F ' + '00 '.repeat(32)]
	])('rejects %s with a Protocol error', (_name, hex) => {
		expect(() => parseAtr(fromHex(hex))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
		expect(tryParseAtr(fromHex(hex))).toBeUndefined();
	});

	it('parses or rejects any bytes with a Protocol error, never anything else (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (bytes, fixTs) => {
				const input = fixTs && bytes.length > 0 ? Uint8Array.of(0x3b, ...bytes) : bytes;
				try {
					const atr = parseAtr(input);
					expect(atr.bytes).toEqual(input);
					expect(input.length).toBeLessThanOrEqual(33);
				} catch (error) {
					expect(error).toBeInstanceOf(MynaError);
					expect((error as MynaError).kind).toBe(ErrorKind.Protocol);
				}
			}),
			{ numRuns: 5000 }
		);
	});

	it('reads back every well-formed ATR it is given (property)', () => {
		const group = fc.record({
			ta: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
			tb: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
			tc: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
			t: fc.integer({ min: 0, max: 15 })
		});
		fc.assert(
			fc.property(fc.array(group, { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 15 }), (groups, historical) => {
				// group k's TD announces group k+1; the last group has no TD
				const bytes: number[] = [0x3b, 0];
				const protocols: number[] = [];
				const ybits = (g: (typeof groups)[number], hasTd: boolean) =>
					(g.ta !== undefined ? 1 : 0) | (g.tb !== undefined ? 2 : 0) | (g.tc !== undefined ? 4 : 0) | (hasTd ? 8 : 0);
				bytes[1] = (ybits(groups[0]!, groups.length > 1) << 4) | historical.length;
				groups.forEach((g, k) => {
					for (const v of [g.ta, g.tb, g.tc]) if (v !== undefined) bytes.push(v);
					const next = groups[k + 1];
					if (next) {
						bytes.push((ybits(next, k + 2 < groups.length) << 4) | g.t);
						protocols.push(g.t);
					}
				});
				bytes.push(...historical);
				if (protocols.some((t) => t !== 0)) bytes.push(bytes.slice(1).reduce((x, b) => x ^ b, 0));
				fc.pre(bytes.length <= 33);
				const atr = parseAtr(Uint8Array.from(bytes));
				expect(atr.groups).toHaveLength(groups.length);
				expect(atr.protocols).toEqual(protocols.length > 0 ? protocols : [0]);
				expect([...atr.historical]).toEqual([...historical]);
				expect(atr.groups[0]!.ta).toBe(groups[0]!.ta);
			}),
			{ numRuns: 2000 }
		);
	});
});
