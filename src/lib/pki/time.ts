/** RFC 5280 times: UTCTime `YYMMDDHHMMSSZ` (years 1950–2049) and GeneralizedTime `YYYYMMDDHHMMSSZ`, nothing looser. */
import { malformed, Tag, type Tlv } from './der';

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

export function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digits(bytes: Uint8Array, at: number, count: number): number {
	let value = 0;
	for (let i = 0; i < count; i++) {
		const c = bytes[at + i]! - 0x30;
		if (c < 0 || c > 9) return -1;
		value = value * 10 + c;
	}
	return value;
}

/** Seconds since 1970 of a DER UTCTime or GeneralizedTime; -1 signals a format error (callers throw). */
export function timeSeconds(bytes: Uint8Array, tag: number, start: number, end: number): number {
	let year: number;
	let p: number;
	if (tag === Tag.UtcTime) {
		if (end - start !== 13) return -1;
		const yy = digits(bytes, start, 2);
		if (yy < 0) return -1;
		year = yy >= 50 ? 1900 + yy : 2000 + yy;
		p = start + 2;
	} else if (tag === Tag.GeneralizedTime) {
		if (end - start !== 15) return -1;
		year = digits(bytes, start, 4);
		if (year < 0) return -1;
		p = start + 4;
	} else {
		return -1;
	}
	if (bytes[end - 1] !== 0x5a) return -1;
	const month = digits(bytes, p, 2);
	const day = digits(bytes, p + 2, 2);
	const hour = digits(bytes, p + 4, 2);
	const minute = digits(bytes, p + 6, 2);
	const second = digits(bytes, p + 8, 2);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return -1;
	if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return -1;
	return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

/** A Time element (UTCTime or GeneralizedTime) as milliseconds since 1970. */
export function readTime(bytes: Uint8Array, tlv: Tlv, what: string): number {
	const seconds = timeSeconds(bytes, tlv.tag, tlv.valueStart, tlv.end);
	if (seconds === -1) throw malformed(`${what}: not an RFC 5280 time`, tlv.start);
	return seconds * 1000;
}

export function isTimeTag(tag: number | undefined): boolean {
	return tag === Tag.UtcTime || tag === Tag.GeneralizedTime;
}
