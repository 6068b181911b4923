import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../bytes';
import { ErrorKind, isMynaError } from '../../../errors';
import { AtrFault, parseAtrT1Parameters, t1BlockWaitingTimeMs } from './atr-t1-parameters';
import { T1Edc } from './t1-block';
import { t1Atr } from './testing/fake-apdu-card';

describe('parseAtrT1Parameters', () => {
	it('reads the My Number Card contact ATR (jpki.md §8): TB1 00, TC1 FF, T=1, TA3 FE, TB3 45, LRC', () => {
		const p = parseAtrT1Parameters(fromHex('3B E0 00 FF 81 31 FE 45 14'));
		expect(p).toMatchObject({ protocols: [1, 1], fiDi: 0x11, guardTime: 0xff, ifsc: 254, bwi: 4, cwi: 5, edc: T1Edc.Lrc });
		expect(p.historical).toHaveLength(0);
	});

	it('reads the newer card ATR (OpenSC #3021): TA1 13, TA3 FB, TB3 46, ten historical bytes', () => {
		const p = parseAtrT1Parameters(fromHex('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B'));
		expect(p).toMatchObject({ fiDi: 0x13, guardTime: 0xff, ifsc: 251, bwi: 4, cwi: 6, edc: T1Edc.Lrc });
		expect(p.historical).toHaveLength(10);
	});

	it('takes TC3 bit 0 as CRC and uses the defaults (IFSC 32, BWI 4, CWI 13) when the T=1 bytes are absent', () => {
		expect(parseAtrT1Parameters(t1Atr(0x40, 0x45, 0x01)).edc).toBe(T1Edc.Crc);
		expect(parseAtrT1Parameters(fromHex('3B 80 01 81'))).toMatchObject({ protocols: [1], ifsc: 32, bwi: 4, cwi: 13 });
		expect(parseAtrT1Parameters(fromHex('3B 00'))).toMatchObject({ protocols: [0], ifsc: 32 });
	});

	it('refuses a bad TS, a wrong TCK, missing bytes and IFSC 00/FF', () => {
		const fault = (hex: string) => {
			try {
				parseAtrT1Parameters(fromHex(hex));
				return 'accepted';
			} catch (error) {
				expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				return String((error as { details: { fault: string } }).details.fault);
			}
		};
		expect(fault('3C E0 00 FF 81 31 FE 45 14')).toBe(AtrFault.BadTs);
		expect(fault('3B E0 00 FF 81 31 FE 45 15')).toBe(AtrFault.BadStructure);
		expect(fault('3B E0 00 FF 81 31 FE')).toBe(AtrFault.BadStructure);
		expect(fault('3B E0 00 FF 81 31 FE 45 14 00')).toBe(AtrFault.BadStructure);
		expect(fault('3B 80 81 31 FF 45 4A')).toBe(AtrFault.BadStructure);
	});

	it('gives the block waiting time 11 etu + 2^BWI × 960 × 372 / f', () => {
		const p = parseAtrT1Parameters(fromHex('3B E0 00 FF 81 31 FE 45 14'));
		// f = 4 MHz: etu = 93 µs; 16 × 960 × 372 / 4000 kHz = 1428.48 ms
		expect(t1BlockWaitingTimeMs(p, 4000)).toBeCloseTo(1428.48 + 11 * 0.093, 6);
	});

	it('random bytes give parameters within range or a Malformed error', () => {
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 32 }).map((b) => new Uint8Array([0x3b, ...b]))), (bytes) => {
				try {
					const p = parseAtrT1Parameters(bytes);
					expect(p.ifsc).toBeGreaterThanOrEqual(1);
					expect(p.ifsc).toBeLessThanOrEqual(254);
					expect(p.bwi).toBeLessThanOrEqual(9);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
