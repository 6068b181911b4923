import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes, fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { isValidMyNumber, parseMyNumberEf } from './my-number';

const validNumber = fc.stringMatching(/^[0-9]{11}$/).map((first11) => {
	for (let d = 0; d <= 9; d++) if (isValidMyNumber(first11 + d)) return first11 + d;
	throw new Error('no check digit');
});

describe('my number', () => {
	it('checks the check digit (番号法施行令第8条)', () => {
		expect(isValidMyNumber('123456789018')).toBe(true);
		expect(isValidMyNumber('123456789012')).toBe(false);
		expect(isValidMyNumber('12345678901')).toBe(false);
		expect(isValidMyNumber('１２３４５６７８９０１８')).toBe(false);
	});

	it('parses FF 10 0C + 12 digits + trailer, and the other reported form 10 01 0C …', () => {
		expect(parseMyNumberEf(concatBytes(fromHex('FF100C'), asciiBytes('123456789018'), fromHex('FFFF')))).toBe('123456789018');
		expect(parseMyNumberEf(concatBytes(fromHex('D00C'), asciiBytes('123456789018'), fromHex('000000')))).toBe('123456789018');
		expect(parseMyNumberEf(concatBytes(fromHex('10010C'), asciiBytes('123456789018'), fromHex('00')))).toBe('123456789018');
	});

	it('refuses anything without 12 digits and a valid check digit, and never names the digits', () => {
		for (const hex of ['FF100C313233343536373839303132FFFF', 'FF100B3132333435363738393031FFFF', 'FF10', '']) {
			try {
				parseMyNumberEf(fromHex(hex));
				throw new Error('accepted');
			} catch (error) {
				expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				expect((error as Error).message).not.toMatch(/[0-9]{4}/);
			}
		}
	});

	it('every valid number round-trips; random bytes give a valid number or Malformed', () => {
		fc.assert(
			fc.property(validNumber, (n) => {
				expect(parseMyNumberEf(concatBytes(fromHex('FF100C'), asciiBytes(n), fromHex('FFFF')))).toBe(n);
			})
		);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 17 }), (bytes) => {
				try {
					expect(isValidMyNumber(parseMyNumberEf(bytes))).toBe(true);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
