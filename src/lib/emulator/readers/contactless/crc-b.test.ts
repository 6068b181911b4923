import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex, toHex } from '../../../bytes';
import { appendCrcB, crcB, hasValidCrcB } from './crc-b';

describe('CRC_B', () => {
	it('has the catalogue check value 0x906E for "123456789"', () => {
		expect(crcB(asciiBytes('123456789'))).toBe(0x906e);
	});

	it('goes on air low byte first, as in the REQB and WUPB frames', () => {
		expect(toHex(appendCrcB(fromHex('050000')))).toBe('05000071ff');
		expect(toHex(appendCrcB(fromHex('050008')))).toBe('0500083973');
	});

	it('detects every single-bit error and refuses frames without data', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (data, position) => {
				const frame = appendCrcB(data);
				expect(hasValidCrcB(frame)).toBe(true);
				const bit = position % (frame.length * 8);
				frame[bit >> 3]! ^= 1 << (bit & 7);
				expect(hasValidCrcB(frame)).toBe(false);
			})
		);
		expect(hasValidCrcB(fromHex('ffff'))).toBe(false);
	});
});
