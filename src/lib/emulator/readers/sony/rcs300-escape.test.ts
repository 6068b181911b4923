import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../bytes';
import { DataObjectError, EscapeApduError, encodeBerLength, encodeDataObject, parseDataObjects, parseEscapeApdu } from './rcs300-escape';

describe('parseEscapeApdu', () => {
	it('reads the session, switch, transceive, GET DATA and firmware payloads the drivers send', () => {
		expect(parseEscapeApdu(fromHex('ff50000002820000'))).toEqual({ ok: true, apdu: { cla: 0xff, ins: 0x50, p1: 0, p2: 0, data: fromHex('8200'), ne: 256 } });
		expect(parseEscapeApdu(fromHex('ff500002048f02010400'))).toMatchObject({ ok: true, apdu: { p2: 2, data: fromHex('8f020104') } });
		expect(parseEscapeApdu(fromHex('ff500001 000007 95820003050000 000000'))).toEqual({
			ok: true,
			apdu: { cla: 0xff, ins: 0x50, p1: 0, p2: 1, data: fromHex('95820003050000'), ne: 65536 }
		});
		expect(parseEscapeApdu(fromHex('ff500001 000007 95820003050000 0100'))).toMatchObject({ ok: true, apdu: { ne: 256 } });
		expect(parseEscapeApdu(fromHex('ffca000000'))).toEqual({ ok: true, apdu: { cla: 0xff, ins: 0xca, p1: 0, p2: 0, data: new Uint8Array(0), ne: 256 } });
		expect(parseEscapeApdu(fromHex('ff560000'))).toEqual({ ok: true, apdu: { cla: 0xff, ins: 0x56, p1: 0, p2: 0, data: new Uint8Array(0) } });
	});

	it.each([
		['ff50', EscapeApduError.tooShort],
		['ff50000002 81', EscapeApduError.wrongLength],
		['ff5000000282000000', EscapeApduError.wrongLength],
		['ff500001 000001 95 000100', EscapeApduError.wrongLength],
		['ff500001 0000', EscapeApduError.wrongLength],
		['ff500001 000000 00', EscapeApduError.wrongLength]
	])('refuses %s', (hex, reason) => {
		expect(parseEscapeApdu(fromHex(hex))).toEqual({ ok: false, reason });
	});
});

describe('parseDataObjects', () => {
	it('reads the response vectors of the Rust driver tests', () => {
		const parsed = parseDataObjects(fromHex('c003009000 920100 96025a00 9703aabbcc ff6d03998877'));
		expect(parsed.ok && parsed.objects.map((o) => [o.tag.toString(16), toHex(o.value)])).toEqual([
			['c0', '009000'],
			['92', '00'],
			['96', '5a00'],
			['97', 'aabbcc'],
			['ff6d', '998877']
		]);
		const reversed = parseDataObjects(fromHex('9782000211 22 c003009000'));
		expect(reversed.ok && reversed.objects.map((o) => o.tag)).toEqual([0x97, 0xc0]);
		expect(parseDataObjects(fromHex('5f4604a0860100'))).toEqual({ ok: true, objects: [{ tag: 0x5f46, value: fromHex('a0860100') }] });
	});

	it.each([
		['95', DataObjectError.truncated, 1],
		['9503aabb', DataObjectError.truncated, 1],
		['8100 5f', DataObjectError.truncated, 2],
		['1f8001', DataObjectError.longTag, 1],
		['958300000100', DataObjectError.unsupportedLength, 1],
		['8100 9580', DataObjectError.unsupportedLength, 2],
		['9582 00', DataObjectError.truncated, 1]
	])('refuses %s (%s, object %d)', (hex, reason, index) => {
		expect(parseDataObjects(fromHex(hex))).toEqual({ ok: false, reason, index });
	});

	it('encodes BER lengths in the shortest of the three forms', () => {
		expect(toHex(encodeBerLength(0x7f))).toBe('7f');
		expect(toHex(encodeBerLength(0x80))).toBe('8180');
		expect(toHex(encodeBerLength(0x102))).toBe('820102');
		expect(toHex(encodeDataObject(0x5f46, fromHex('a0860100')))).toBe('5f4604a0860100');
	});

	it('round-trips any objects and answers any bytes with objects or a typed error', () => {
		const tag = fc.oneof(fc.integer({ min: 0x01, max: 0xfe }).filter((t) => (t & 0x1f) !== 0x1f), fc.constantFrom(0x5f46, 0x5f51, 0xff6e, 0xff6d));
		fc.assert(
			fc.property(fc.array(fc.record({ tag, value: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 6 }), (objects) => {
				const bytes = Uint8Array.from(objects.flatMap((o) => [...encodeDataObject(o.tag, o.value)]));
				expect(parseDataObjects(bytes)).toEqual({ ok: true, objects });
			})
		);
		const reasons = Object.values(DataObjectError) as string[];
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
				const parsed = parseDataObjects(bytes);
				if (!parsed.ok) {
					expect(reasons).toContain(parsed.reason);
					expect(parsed.index).toBeGreaterThanOrEqual(1);
				}
				const apdu = parseEscapeApdu(bytes);
				if (apdu.ok) expect(apdu.apdu.data.length).toBeLessThanOrEqual(bytes.length);
			}),
			{ numRuns: 3000 }
		);
	});
});
