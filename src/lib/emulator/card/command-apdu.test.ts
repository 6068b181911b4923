import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../bytes';
import { CommandApduCase, parseCommandApdu, type CommandApdu } from './command-apdu';

function parsed(hex: string): CommandApdu {
	const result = parseCommandApdu(fromHex(hex));
	if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
	return result.apdu;
}

function malformed(hex: string): boolean {
	return !parseCommandApdu(fromHex(hex)).ok;
}

describe('parseCommandApdu', () => {
	it('reads case 1 (the empty VERIFY)', () => {
		expect(parsed('00200080')).toMatchObject({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, ne: 0, apduCase: CommandApduCase.case1, extended: false });
		expect(parsed('00200080').data).toHaveLength(0);
	});

	it('reads case 2 short, Le 00 meaning 256', () => {
		expect(parsed('00B0000007')).toMatchObject({ apduCase: CommandApduCase.case2, ne: 7 });
		expect(parsed('00B0000000')).toMatchObject({ apduCase: CommandApduCase.case2, ne: 256 });
	});

	it('reads case 3 and case 4 short', () => {
		const select = parsed('00A4020C020018');
		expect(select).toMatchObject({ apduCase: CommandApduCase.case3, ne: 0 });
		expect([...select.data]).toEqual([0x00, 0x18]);
		const sign = parsed('802A008003AABBCC00');
		expect(sign).toMatchObject({ apduCase: CommandApduCase.case4, ne: 256, extended: false });
		expect([...sign.data]).toEqual([0xaa, 0xbb, 0xcc]);
		expect(parsed('802A008001AA10').ne).toBe(16);
	});

	it('reads the extended cases, Le 0000 meaning 65536', () => {
		expect(parsed('00B00000000000')).toMatchObject({ apduCase: CommandApduCase.case2, ne: 65536, extended: true });
		expect(parsed('00B00000000100')).toMatchObject({ apduCase: CommandApduCase.case2, ne: 256, extended: true });
		const case3 = parsed('00A4020C0000020018');
		expect(case3).toMatchObject({ apduCase: CommandApduCase.case3, ne: 0, extended: true });
		expect([...case3.data]).toEqual([0x00, 0x18]);
		expect(parsed('802A0080000002AABB0000')).toMatchObject({ apduCase: CommandApduCase.case4, ne: 65536, extended: true });
		expect(parsed('802A0080000002AABB0102')).toMatchObject({ ne: 0x0102 });
	});

	it('rejects every malformed length', () => {
		expect(malformed('')).toBe(true);
		expect(malformed('00')).toBe(true);
		expect(malformed('00A404')).toBe(true);
		expect(malformed('00A4040C0000')).toBe(true); // 6 bytes with b4 = 00
		expect(malformed('00A4020C0300')).toBe(true); // Lc 3 but one byte
		expect(malformed('00A4020C02001800FF')).toBe(true); // two bytes too many
		expect(malformed('00A4020C00000000')).toBe(true); // extended Lc 0000 with a byte
		expect(malformed('00A4020C00000300')).toBe(true); // extended Lc 3, one byte
		expect(malformed('00A4020C000002001800')).toBe(true); // extended, one byte too many for 4E
	});

	it('copies the data field and never changes the input', () => {
		const input = fromHex('0020008004 31323334'.replace(' ', ''));
		const before = input.slice();
		const result = parseCommandApdu(input);
		if (!result.ok) throw new Error('expected ok');
		result.apdu.data.fill(0);
		expect(input).toEqual(before);
	});

	it('never throws on random bytes, and what it returns is consistent with the input', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (bytes) => {
				const result = parseCommandApdu(bytes);
				if (!result.ok) return;
				const { apdu } = result;
				expect(apdu.data.length).toBeLessThanOrEqual(Math.max(0, bytes.length - 5));
				expect([apdu.cla, apdu.ins, apdu.p1, apdu.p2]).toEqual([...bytes.subarray(0, 4)]);
				expect(apdu.ne).toBeGreaterThanOrEqual(0);
				expect(apdu.ne).toBeLessThanOrEqual(apdu.extended ? 65536 : 256);
			}),
			{ numRuns: 2000 }
		);
	});

	it('parses back every well-formed APDU it is given (short and extended)', () => {
		const header = fc.uint8Array({ minLength: 4, maxLength: 4 });
		const shortApdu = fc
			.record({ header, data: fc.uint8Array({ minLength: 0, maxLength: 255 }), le: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }) })
			.map(({ header, data, le }) => ({
				bytes: concatBytes(
					header,
					data.length > 0 ? Uint8Array.of(data.length) : new Uint8Array(0),
					data,
					le === undefined ? new Uint8Array(0) : Uint8Array.of(le & 0xff)
				),
				data,
				ne: le ?? 0,
				extended: false
			}));
		const extendedApdu = fc
			.record({
				header,
				data: fc.uint8Array({ minLength: 0, maxLength: 700 }),
				le: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined })
			})
			.filter(({ data, le }) => data.length > 0 || le !== undefined)
			.map(({ header, data, le }) => {
				const leBytes = le === undefined ? new Uint8Array(0) : Uint8Array.of((le >>> 8) & 0xff, le & 0xff);
				const body =
					data.length > 0
						? concatBytes(Uint8Array.of(0, data.length >>> 8, data.length & 0xff), data, leBytes)
						: concatBytes(Uint8Array.of(0), leBytes);
				return { bytes: concatBytes(header, body), data, ne: le ?? 0, extended: true };
			});
		fc.assert(
			fc.property(fc.oneof(shortApdu, extendedApdu), ({ bytes, data, ne, extended }) => {
				const result = parseCommandApdu(bytes);
				expect(result.ok).toBe(true);
				if (!result.ok) return;
				expect([...result.apdu.data]).toEqual([...data]);
				expect(result.apdu.ne).toBe(ne);
				expect(result.apdu.extended).toBe(extended);
			}),
			{ numRuns: 1000 }
		);
	});
});
