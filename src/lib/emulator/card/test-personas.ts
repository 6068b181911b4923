/**
 * Clearly fictional people for the virtual My Number Card and the test PKI. The prefecture 見本県 and the city
 * 夢見市 do not exist; the my numbers have a valid check digit (so host-side validation passes) but were chosen by
 * hand for tests. Nothing here belongs to a real person.
 */

export const PersonaSex = { male: '1', female: '2', notApplicable: '9' } as const;
export type PersonaSex = (typeof PersonaSex)[keyof typeof PersonaSex];

export interface MynaPersona {
	/** Key of the persona's test certificates in the fixtures (`hanako`, `taro`, `sakura`); any string for a custom one. */
	readonly id: string;
	/** 氏名 as on the card and in the certificate (family name, ideographic space U+3000, given name). */
	readonly name: string;
	/** 住所 as on the card. */
	readonly address: string;
	/** 生年月日, Gregorian, `YYYYMMDD`. */
	readonly birthDate: string;
	/** 性別 per ISO 5218: 1 male, 2 female, 9 not applicable. */
	readonly sex: PersonaSex;
	/** 個人番号 (12 ASCII digits, the last one the check digit). */
	readonly myNumber: string;
	/** The card's own expiry date (券面の有効期限), `YYYYMMDD`. */
	readonly cardExpiryDate: string;
	/** セキュリティコード printed on the card face (4 digits), part of 照合番号B. */
	readonly securityCode: string;
	/** The issuing municipality (券面AP basic info). */
	readonly city: string;
	/**
	 * 氏名代替文字使用位置情報 / 住所代替文字使用位置情報 for the signing certificate: one `0`/`1` per character of
	 * name / address; `1` marks a character that was substituted. Absent means all `0`.
	 */
	readonly nameSubstitutionFlags?: string;
	readonly addressSubstitutionFlags?: string;
}

export const TestPersonaId = { hanako: 'hanako', taro: 'taro', sakura: 'sakura' } as const;
export type TestPersonaId = (typeof TestPersonaId)[keyof typeof TestPersonaId];

export const TEST_PERSONAS = {
	/** The default adult card holder. */
	hanako: {
		id: 'hanako',
		name: '見本　花子',
		address: '見本県夢見市さくら町一丁目2番地3',
		birthDate: '19850615',
		sex: PersonaSex.female,
		myNumber: '123456789018',
		cardExpiryDate: '20350615',
		securityCode: '5678',
		city: '夢見市'
	},
	/** A second adult; his address carries one substituted character (高 for 髙) to exercise the flags. */
	taro: {
		id: 'taro',
		name: 'デモ　太郎',
		address: '見本県夢見市高森町四丁目5番6号',
		birthDate: '19900217',
		sex: PersonaSex.male,
		myNumber: '987654321018',
		cardExpiryDate: '20350217',
		securityCode: '2468',
		city: '夢見市',
		addressSubstitutionFlags: '0000001000000000'
	},
	/** A child (under 15): no signing certificate is issued; the card expires on the 5th birthday after issue. */
	sakura: {
		id: 'sakura',
		name: '見本　さくら',
		address: '見本県夢見市さくら町一丁目2番地3',
		birthDate: '20160401',
		sex: PersonaSex.female,
		myNumber: '135792468023',
		cardExpiryDate: '20300401',
		securityCode: '1357',
		city: '夢見市'
	}
} as const satisfies Record<TestPersonaId, MynaPersona>;

/**
 * Check digit of a 12-digit individual number (個人番号の検査用数字, 行政手続における特定の個人を識別するための番号の
 * 利用等に関する法律施行令 第8条): P_n is the n-th of the first 11 digits counted from the right, Q_n = n + 1 for
 * n ≤ 6 and n − 5 for n ≥ 7; r = Σ P_n·Q_n mod 11; the digit is 0 when r ≤ 1, else 11 − r.
 */
export function myNumberCheckDigit(first11: string): number {
	if (!/^[0-9]{11}$/.test(first11)) throw new TypeError('expected 11 digits');
	let sum = 0;
	for (let n = 1; n <= 11; n++) {
		const p = first11.charCodeAt(11 - n) - 0x30;
		const q = n <= 6 ? n + 1 : n - 5;
		sum += p * q;
	}
	const r = sum % 11;
	return r <= 1 ? 0 : 11 - r;
}

export function isValidMyNumber(value: string): boolean {
	return /^[0-9]{12}$/.test(value) && myNumberCheckDigit(value.slice(0, 11)) === value.charCodeAt(11) - 0x30;
}

/** Substitution flags: the given ones, or one `0` per character (code point). */
export function substitutionFlags(text: string, flags: string | undefined): string {
	return flags ?? '0'.repeat([...text].length);
}

/**
 * 生年月日 in the signing certificate: `EYYYYMMDD`, E = era digit (1 明治, 2 大正, 3 昭和, 4 平成, 5 令和), then the
 * Gregorian date (facts/jpki.md §7, UNSURE: one test card). Era boundaries are the first days of each era.
 */
export function certificateBirthDate(birthDate: string): string {
	if (!/^[0-9]{8}$/.test(birthDate)) throw new TypeError('expected YYYYMMDD');
	const eraStarts: readonly (readonly [string, string])[] = [
		['20190501', '5'],
		['19890108', '4'],
		['19261225', '3'],
		['19120730', '2'],
		['18680125', '1']
	];
	const era = eraStarts.find(([start]) => birthDate >= start)?.[1] ?? '0';
	return era + birthDate;
}
