import { describe, expect, it } from 'vitest';
import { normalizePinInput, PinInputProblem, pinInputProblem } from './pin-input-rules';

describe('PIN entry rules, as typed', () => {
	it('upper-cases the signing password and turns full-width characters into ASCII', () => {
		expect(normalizePinInput('sign', 'abc１２３')).toBe('ABC123');
		expect(normalizePinInput('auth', '１２３４')).toBe('1234');
		expect(normalizePinInput('auth', 'ab')).toBe('ab');
	});

	it('names the first problem of an entry', () => {
		expect(pinInputProblem('auth', '')).toBe(PinInputProblem.Empty);
		expect(pinInputProblem('auth', '12a')).toBe(PinInputProblem.Chars);
		expect(pinInputProblem('auth', '123')).toBe(PinInputProblem.Length);
		expect(pinInputProblem('auth', '12345')).toBe(PinInputProblem.Length);
		expect(pinInputProblem('text', '1234')).toBeUndefined();
		expect(pinInputProblem('sign', 'ABC12')).toBe(PinInputProblem.Length);
		expect(pinInputProblem('sign', 'ABC-123')).toBe(PinInputProblem.Chars);
		expect(pinInputProblem('sign', 'abc123')).toBe(PinInputProblem.Chars);
		expect(pinInputProblem('sign', 'ABC123')).toBeUndefined();
		expect(pinInputProblem('sign', 'A'.repeat(17))).toBe(PinInputProblem.Length);
		expect(pinInputProblem('visual-a', '123456789018')).toBeUndefined();
		expect(pinInputProblem('visual-a', '123456789019')).toBe(PinInputProblem.CheckDigit);
		expect(pinInputProblem('visual-b', '19850615203556')).toBeUndefined();
		expect(pinInputProblem('visual-b', '1985061520355678')).toBeUndefined();
		expect(pinInputProblem('visual-b', '198506152035567')).toBe(PinInputProblem.Length);
	});
});
