import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KioskPinBuffer, PIN_PAD_DIGITS, shuffledDigits } from './pin-buffer';

describe('KioskPinBuffer', () => {
	it('holds up to its capacity, hands the PIN over once and is zeroed after', () => {
		const buffer = new KioskPinBuffer(4);
		for (const d of [1, 2, 3, 4, 5]) buffer.push(d);
		expect(buffer.length).toBe(4);
		expect(buffer.full).toBe(true);
		expect(buffer.take()).toBe('1234');
		expect(buffer.isZeroed()).toBe(true);
		expect(buffer.take()).toBe('');
	});

	it('backspace and clear zero the bytes they drop', () => {
		const buffer = new KioskPinBuffer(4);
		buffer.push(9);
		buffer.push(8);
		buffer.pop();
		expect(buffer.length).toBe(1);
		buffer.clear();
		expect(buffer.isZeroed()).toBe(true);
	});

	it('refuses what is not a single digit', () => {
		const buffer = new KioskPinBuffer(4);
		for (const bad of [-1, 10, 1.5, Number.NaN]) expect(buffer.push(bad)).toBe(false);
		expect(buffer.length).toBe(0);
	});

	it('never exposes its digits through JSON or string conversion', () => {
		const buffer = new KioskPinBuffer(4);
		for (const d of [7, 3, 1, 9]) buffer.push(d);
		expect(JSON.stringify(buffer)).not.toContain('7');
		expect(String(buffer)).not.toContain('7319');
	});

	it('property: any sequence of pushes and pops leaves exactly the pushed prefix', () => {
		fc.assert(
			fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant('pop' as const)), { maxLength: 30 }), (ops) => {
				const buffer = new KioskPinBuffer(4);
				const model: number[] = [];
				for (const op of ops) {
					if (op === 'pop') {
						buffer.pop();
						model.pop();
					} else if (model.length < 4) {
						buffer.push(op);
						model.push(op);
					} else expect(buffer.push(op)).toBe(false);
				}
				expect(buffer.length).toBe(model.length);
				expect(buffer.take()).toBe(model.join(''));
				expect(buffer.isZeroed()).toBe(true);
			})
		);
	});
});

describe('shuffledDigits', () => {
	it('is a permutation of the ten digits for any random source', () => {
		fc.assert(
			fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }), (values) => {
				let i = 0;
				const digits = shuffledDigits(() => values[i++ % values.length]!);
				expect([...digits].sort()).toEqual([...PIN_PAD_DIGITS].sort());
			})
		);
	});

	it('moves digits (not the identity for a source that is not constant 1)', () => {
		expect(shuffledDigits(() => 0)).not.toEqual([...PIN_PAD_DIGITS]);
	});
});
