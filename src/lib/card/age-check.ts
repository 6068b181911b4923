import { ErrorKind, MynaError } from '../errors';

/** The ages a caller may ask about (成年 18, and 20 for alcohol, tobacco, public-race betting). */
export const AgeThreshold = { Adult: 18, Twenty: 20 } as const;
export type AgeThreshold = (typeof AgeThreshold)[keyof typeof AgeThreshold];

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The calendar date in Japan (UTC+9, no daylight saving) at `at`, as a comparable number YYYYMMDD. */
function japanDate(at: Date): number {
	const shifted = new Date(at.getTime() + JST_OFFSET_MS);
	return shifted.getUTCFullYear() * 10_000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate();
}

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Whether someone born on `birthDate` (`YYYY-MM-DD`) has reached `age` on the Japanese calendar day of `at`. Under
 * 年齢計算ニ関スル法律 and 民法143条 an age is reached when the day before the birthday ends, that is at the start of the
 * birthday; someone born on 29 February reaches it at the end of 28 February in a common year, so from 1 March.
 */
export function hasReachedAge(birthDate: string, age: number, at: Date): boolean {
	const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(birthDate);
	if (!match || !Number.isInteger(age) || age < 0 || age > 150 || Number.isNaN(at.getTime())) {
		throw new MynaError(ErrorKind.Malformed, 'Age check: bad arguments');
	}
	const year = Number(match[1]) + age;
	let month = Number(match[2]);
	let day = Number(match[3]);
	if (month === 2 && day === 29 && !isLeapYear(year)) {
		month = 3;
		day = 1;
	}
	return japanDate(at) >= year * 10_000 + month * 100 + day;
}
