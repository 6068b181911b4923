import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../apdu';
import { asciiBytes, concatBytes, fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { ALL_BASIC_INFO_FIELDS, parseBasicFourInfo, parseCardDate, type BasicInfoField } from './basic-four-info';

const utf8 = new TextEncoder();

/** The layout the sources infer: FF20 { DF21 header, DF22 name, DF23 address, DF24 birth, DF25 sex }. */
function ef(name: string, address: string, birth: string, sex: string, tags = [0xdf21, 0xdf22, 0xdf23, 0xdf24, 0xdf25]): Uint8Array {
	const values = [fromHex('01010000'), utf8.encode(name), utf8.encode(address), asciiBytes(birth), asciiBytes(sex)];
	return encodeTlv(0xff20, concatBytes(...values.map((v, i) => encodeTlv(tags[i]!, v))));
}

describe('parseBasicFourInfo', () => {
	it('walks the TLV by tag', () => {
		expect(parseBasicFourInfo(ef('見本　花子', '見本県夢見市', '19850615', '2'))).toEqual({
			name: '見本　花子',
			address: '見本県夢見市',
			birthDate: '1985-06-15',
			sex: 'female'
		});
	});

	it('finds fields by tag whatever their order, and by position when the card uses other tags', () => {
		const reordered = encodeTlv(
			0xff20,
			concatBytes(
				encodeTlv(0xdf25, asciiBytes('1')),
				encodeTlv(0xdf21, new Uint8Array(2)),
				encodeTlv(0xdf24, asciiBytes('20000229')),
				encodeTlv(0xdf22, utf8.encode('A')),
				encodeTlv(0xdf23, utf8.encode('B'))
			)
		);
		expect(parseBasicFourInfo(reordered)).toEqual({ name: 'A', address: 'B', birthDate: '2000-02-29', sex: 'male' });
		const otherTags = ef('N', 'A', '19991231', '9', [0x81, 0x82, 0x83, 0x84, 0x85]);
		expect(parseBasicFourInfo(otherTags)).toEqual({ name: 'N', address: 'A', birthDate: '1999-12-31', sex: 'not-applicable' });
	});

	it('decodes only the fields asked for', () => {
		const bad = ef('x', 'y', 'notadate', '7');
		expect(parseBasicFourInfo(bad, ['name'])).toEqual({ name: 'x' });
		expect(() => parseBasicFourInfo(bad, ['birthDate'])).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('refuses a mixed layout, a repeated field, bad UTF-8, impossible dates and unknown sex codes', () => {
		const wrap = (...children: Uint8Array[]) => encodeTlv(0xff20, concatBytes(...children));
		const missingAddress = wrap(
			encodeTlv(0xdf21, new Uint8Array(1)),
			encodeTlv(0xdf22, utf8.encode('n')),
			encodeTlv(0xdf24, asciiBytes('19990101')),
			encodeTlv(0xdf25, asciiBytes('1')),
			encodeTlv(0x80, new Uint8Array(1))
		);
		const repeated = wrap(ef('a', 'b', '19990101', '1').subarray(4), encodeTlv(0xdf22, utf8.encode('again')));
		const badUtf8 = wrap(
			encodeTlv(0xdf21, new Uint8Array(1)),
			encodeTlv(0xdf22, Uint8Array.of(0xff)),
			encodeTlv(0xdf23, new Uint8Array(0)),
			encodeTlv(0xdf24, asciiBytes('19990101')),
			encodeTlv(0xdf25, asciiBytes('1'))
		);
		for (const bytes of [
			missingAddress,
			repeated,
			badUtf8,
			ef('a', 'b', '19990230', '1'),
			ef('a', 'b', '19991301', '1'),
			ef('a', 'b', '1999011', '1'),
			ef('a', 'b', '19990101', '3'),
			ef('a', 'b', '19990101', 'constructor')
		]) {
			expect(() => parseBasicFourInfo(bytes)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		}
	});

	it('accepts the era-prefixed date form too (UNSURE which one the card uses)', () => {
		expect(parseCardDate('319800217')).toBe('1980-02-17');
		expect(parseCardDate('20240229')).toBe('2024-02-29');
		expect(() => parseCardDate('20230229')).toThrow();
		expect(() => parseCardDate('919800217')).toThrow();
	});

	it('round-trips generated 4 info and never throws anything but Malformed on random bytes', () => {
		const date = fc
			.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
			.map((d) => d.toISOString().slice(0, 10));
		const name = fc.string({ unit: 'grapheme', maxLength: 40 });
		const address = fc.string({ unit: 'grapheme', maxLength: 80 });
		const fields = fc.subarray([...ALL_BASIC_INFO_FIELDS], { minLength: 1 });
		fc.assert(
			fc.property(name, address, date, fc.constantFrom('0', '1', '2', '9'), fields, (n, a, iso, sex, wanted) => {
				const parsed = parseBasicFourInfo(ef(n, a, iso.replaceAll('-', ''), sex), wanted as BasicInfoField[]);
				expect(Object.keys(parsed).sort()).toEqual([...wanted].sort());
				if (parsed.name !== undefined) expect(parsed.name).toBe(n);
				if (parsed.address !== undefined) expect(parsed.address).toBe(a);
				if (parsed.birthDate !== undefined) expect(parsed.birthDate).toBe(iso);
			})
		);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
				try {
					parseBasicFourInfo(bytes);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
