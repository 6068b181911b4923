import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { ApduStatusError } from './apdu-status-error';
import { checkOk, checkStatus, encodeResponseApdu, parseResponseApdu } from './response-apdu';

describe('parseResponseApdu', () => {
	it('splits data from SW1 SW2', () => {
		const response = parseResponseApdu(fromHex('4A 50 4B 49 90 00'));
		expect(response.data).toEqual(fromHex('4A 50 4B 49'));
		expect(response.sw).toBe(0x9000);
		expect(parseResponseApdu(fromHex('63 C3'))).toEqual({ data: new Uint8Array(0), sw: 0x63c3 });
	});

	it('treats fewer than two bytes as a protocol error', () => {
		for (const bytes of [new Uint8Array(0), fromHex('90')]) {
			expect(() => parseResponseApdu(bytes)).toThrowError(expect.objectContaining({ kind: ErrorKind.Protocol }));
		}
	});

	it('copies the data', () => {
		const bytes = fromHex('01 02 90 00');
		const response = parseResponseApdu(bytes);
		bytes.fill(0);
		expect(response.data).toEqual(fromHex('01 02'));
	});

	it('round-trips with encodeResponseApdu', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
				expect(parseResponseApdu(encodeResponseApdu({ data, sw }))).toEqual({ data, sw });
			})
		);
	});
});

describe('checkOk and checkStatus', () => {
	it('returns the data of a 9000 answer', () => {
		expect(checkOk({ data: fromHex('AA'), sw: 0x9000 })).toEqual(fromHex('AA'));
	});

	it('throws an ApduStatusError with the SW and the instruction for anything else', () => {
		try {
			checkOk({ data: new Uint8Array(0), sw: 0x6a82 }, { ins: 0xa4 });
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(ApduStatusError);
			expect(isMynaError(error, ErrorKind.FileNotFound)).toBe(true);
			expect((error as ApduStatusError).details).toEqual({ sw: 0x6a82, ins: 0xa4 });
		}
		expect(() => checkOk({ data: new Uint8Array(0), sw: 0x6282 })).toThrow(ApduStatusError);
	});

	it('accepts the listed status words only', () => {
		const short = { data: fromHex('01'), sw: 0x6282 };
		expect(checkStatus(short, [0x9000, 0x6282])).toBe(short);
		expect(() => checkStatus(short, [0x9000])).toThrowError(expect.objectContaining({ sw: 0x6282, kind: ErrorKind.CardStatus }));
	});
});
