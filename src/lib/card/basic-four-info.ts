import { ErrorKind, MynaError } from '../errors';
import { fieldValue, locateFields } from './card-data-object';

/** 基本4情報, in the official order: 氏名・住所・生年月日・性別. */
export const BasicInfoField = { Name: 'name', Address: 'address', BirthDate: 'birthDate', Sex: 'sex' } as const;
export type BasicInfoField = (typeof BasicInfoField)[keyof typeof BasicInfoField];

export const ALL_BASIC_INFO_FIELDS: readonly BasicInfoField[] = Object.values(BasicInfoField);

/** 性別 as ISO 5218 codes it (1 male, 2 female, 9 not applicable, 0 not known). */
export const Sex = { Male: 'male', Female: 'female', NotApplicable: 'not-applicable', NotKnown: 'not-known' } as const;
export type Sex = (typeof Sex)[keyof typeof Sex];

const SEX_CODES: ReadonlyMap<string, Sex> = new Map([
	['1', Sex.Male],
	['2', Sex.Female],
	['9', Sex.NotApplicable],
	['0', Sex.NotKnown]
]);

/** Only the fields that were asked for are present. */
export interface BasicFourInfo {
	readonly name?: string;
	readonly address?: string;
	/** Gregorian date as `YYYY-MM-DD`. */
	readonly birthDate?: string;
	readonly sex?: Sex;
}

/** Text AP EF 0002: wrapper FF20 with DF21 header, DF22 name, DF23 address, DF24 birth date, DF25 sex (facts/jpki.md §5). */
const LAYOUT = {
	name: { tagNumber: 34, position: 1 },
	address: { tagNumber: 35, position: 2 },
	birthDate: { tagNumber: 36, position: 3 },
	sex: { tagNumber: 37, position: 4 }
} as const;

const WHAT = 'Basic 4 information';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(message: string): MynaError {
	return new MynaError(ErrorKind.Malformed, `${WHAT}: ${message}`);
}

function ascii(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) {
		if (b < 0x20 || b > 0x7e) throw malformed('a field that should be ASCII is not');
		out += String.fromCharCode(b);
	}
	return out;
}

function text(bytes: Uint8Array, field: string): string {
	try {
		return utf8.decode(bytes);
	} catch {
		throw malformed(`the ${field} is not UTF-8`);
	}
}

/**
 * `YYYYMMDD` (Gregorian, as the sources read it) or `EYYYYMMDD` with a leading era digit 0–5 (the form of the
 * signing certificate): the card's form is UNSURE (facts/jpki.md §5), so both are accepted. Returned as `YYYY-MM-DD`.
 */
export function parseCardDate(value: string): string {
	const match = /^[0-5]?([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(value);
	if (!match) throw malformed('the birth date is not a date');
	const [, y, m, d] = match as unknown as [string, string, string, string];
	const year = Number(y);
	const month = Number(m);
	const day = Number(d);
	const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (year < 1800 || month < 1 || month > 12 || day < 1 || day > days) throw malformed('the birth date is not a date');
	return `${y}-${m}-${d}`;
}

/** Walks the TLV of EF 0002 and decodes only the requested fields; the others are never turned into values. */
export function parseBasicFourInfo(bytes: Uint8Array, fields: readonly BasicInfoField[] = ALL_BASIC_INFO_FIELDS): BasicFourInfo {
	const located = locateFields(bytes, LAYOUT, WHAT);
	const wanted = new Set(fields);
	const out: { -readonly [K in keyof BasicFourInfo]: BasicFourInfo[K] } = {};
	if (wanted.has(BasicInfoField.Name)) out.name = text(fieldValue(bytes, located.name), 'name');
	if (wanted.has(BasicInfoField.Address)) out.address = text(fieldValue(bytes, located.address), 'address');
	if (wanted.has(BasicInfoField.BirthDate)) out.birthDate = parseCardDate(ascii(fieldValue(bytes, located.birthDate)));
	if (wanted.has(BasicInfoField.Sex)) {
		const sex = SEX_CODES.get(ascii(fieldValue(bytes, located.sex)));
		if (!sex) throw malformed('the sex is not an ISO 5218 code');
		out.sex = sex;
	}
	return out;
}
