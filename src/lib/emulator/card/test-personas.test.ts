import { describe, expect, it } from 'vitest';
import { TEST_PERSONAS, certificateBirthDate, isValidMyNumber, myNumberCheckDigit, substitutionFlags } from './test-personas';

describe('test personas', () => {
	it('have valid my numbers, clearly fictional places, and flags as long as the text', () => {
		for (const persona of Object.values(TEST_PERSONAS)) {
			expect(isValidMyNumber(persona.myNumber)).toBe(true);
			expect(persona.address.startsWith('見本県夢見市')).toBe(true);
			expect(substitutionFlags(persona.address, 'addressSubstitutionFlags' in persona ? persona.addressSubstitutionFlags : undefined)).toHaveLength(
				[...persona.address].length
			);
		}
	});

	it('computes the check digit per the enforcement order (例: 12345678901 → 8)', () => {
		expect(myNumberCheckDigit('12345678901')).toBe(8);
		expect(isValidMyNumber('123456789012')).toBe(false);
		expect(isValidMyNumber('12345678901')).toBe(false);
		expect(() => myNumberCheckDigit('1234567890a')).toThrow(TypeError);
	});

	it('writes the certificate birth date as era digit + Gregorian date', () => {
		expect(certificateBirthDate('19850615')).toBe('319850615');
		expect(certificateBirthDate('19890107')).toBe('319890107');
		expect(certificateBirthDate('19890108')).toBe('419890108');
		expect(certificateBirthDate('20190501')).toBe('520190501');
		expect(certificateBirthDate('19261224')).toBe('219261224');
		expect(certificateBirthDate('18000101')).toBe('018000101');
	});
});
