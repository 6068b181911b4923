import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasReachedAge } from './age-check';

/** The Japan-time instant at the start of a calendar day. */
const jst = (isoDate: string) => new Date(`${isoDate}T00:00:00+09:00`);

describe('hasReachedAge', () => {
	it('reaches the age at the start of the birthday, Japan time', () => {
		expect(hasReachedAge('2007-04-02', 18, new Date(jst('2025-04-02').getTime() - 1))).toBe(false);
		expect(hasReachedAge('2007-04-02', 18, jst('2025-04-02'))).toBe(true);
		expect(hasReachedAge('2007-04-02', 18, new Date('2025-04-01T15:00:00Z'))).toBe(true);
		expect(hasReachedAge('2007-04-02', 18, new Date('2025-04-01T14:59:59Z'))).toBe(false);
	});

	it('someone born on 29 February reaches the age on 1 March in a common year', () => {
		expect(hasReachedAge('2004-02-29', 18, jst('2022-02-28'))).toBe(false);
		expect(hasReachedAge('2004-02-29', 18, jst('2022-03-01'))).toBe(true);
		expect(hasReachedAge('2004-02-29', 20, jst('2024-02-29'))).toBe(true);
		expect(hasReachedAge('2004-02-29', 20, jst('2024-02-28'))).toBe(false);
	});

	it('refuses bad arguments', () => {
		expect(() => hasReachedAge('20040229', 18, new Date())).toThrow();
		expect(() => hasReachedAge('2004-02-29', -1, new Date())).toThrow();
		expect(() => hasReachedAge('2004-02-29', 18, new Date(Number.NaN))).toThrow();
	});

	it('is monotonic in time and agrees with counting full years', () => {
		const day = fc.integer({ min: 0, max: 60_000 }).map((n) => new Date(Date.UTC(1950, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
		fc.assert(
			fc.property(day, day, fc.constantFrom(18, 20), (birth, today, age) => {
				const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
				const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
				// Full years by month and day; a 29 February birthday then counts from 1 March in a common year.
				const years = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
				expect(hasReachedAge(birth, age, jst(today))).toBe(years >= age);
				const tomorrow = new Date(jst(today).getTime() + 86_400_000);
				if (hasReachedAge(birth, age, jst(today))) expect(hasReachedAge(birth, age, tomorrow)).toBe(true);
			})
		);
	});
});
