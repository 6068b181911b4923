import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { encodeRcs300Tlv, parseRcs300Tlvs } from './rcs300-tlv';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

describe('RC-S300 data objects', () => {
	it('reads one- and two-byte tags and every length form', () => {
		const objects = parseRcs300Tlvs(fromHex('c0 03 00 90 00 5f 51 02 3b 8f 97 81 01 aa 97 82 00 02 11 22 ff 6d 00 95 84 00 00 00 01 ee'));
		expect(objects.map((o) => [o.tag.toString(16), hex(o.value)])).toEqual([
			['c0', '00 90 00'],
			['5f51', '3b 8f'],
			['97', 'aa'],
			['97', '11 22'],
			['ff6d', ''],
			['95', 'ee']
		]);
	});

	it('rejects cut-short data, three-byte tags and indefinite or oversized length forms', () => {
		for (const bad of ['97', '97 02 aa', '5f', '5f 80 01 00', '97 80', '97 85 00 00 00 00 01 00', '97 82 00', '97 81 05 00']) {
			let error: unknown;
			try {
				parseRcs300Tlvs(fromHex(bad));
			} catch (caught) {
				error = caught;
			}
			expect(error instanceof MynaError && error.kind === ErrorKind.Protocol, bad).toBe(true);
		}
	});

	it('round-trips any list of objects', () => {
		const tag = fc.oneof(
			fc.integer({ min: 0, max: 0xff }).filter((t) => (t & 0x1f) !== 0x1f),
			fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 0x7f })).map(([hi, lo]) => (((hi << 5) | 0x1f) << 8) | lo)
		);
		fc.assert(
			fc.property(fc.array(fc.record({ tag, value: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 6 }), (objects) => {
				const bytes = concatBytes(...objects.map((o) => encodeRcs300Tlv(o.tag, o.value)));
				expect(parseRcs300Tlvs(bytes)).toEqual(objects);
			})
		);
	});

	it('parses arbitrary bytes only to objects that fit, or to a Protocol error', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
				try {
					const objects = parseRcs300Tlvs(bytes);
					expect(objects.reduce((n, o) => n + o.value.length, 0)).toBeLessThanOrEqual(bytes.length);
				} catch (error) {
					expect(error instanceof MynaError && error.kind === ErrorKind.Protocol).toBe(true);
				}
			})
		);
	});
});
