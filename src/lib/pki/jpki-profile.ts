/**
 * The JPKI certificate profile (jpki.md §7): which certificate this is, the basic 4 information from the signing
 * certificate's SAN otherName entries, days left and the renewal window (renewal opens 3 months before expiry,
 * counted in Japan's calendar).
 *
 * The 4 information is personal data: it is returned only by `readJpkiBasicInfo`, never inside a summary or a
 * chain result, so it is not logged or stored by accident.
 */
import { malformed, readTlv } from './der';
import type { GeneralName } from './extensions';
import { attributeValues, decodeDirectoryString } from './name';
import { Oid } from './oids';
import type { CertificatePurpose } from './revocation-reasons';
import { daysFromCivil, daysInMonth } from './time';
import type { ParsedCertificate } from './certificate';

export type CertificateKind = 'jpki-sign' | 'jpki-auth' | 'jpki-sign-ca' | 'jpki-auth-ca' | 'other';

const OU = '2.5.4.11';
const SIGN_OU = 'jpki for digital signature';
const AUTH_OU = 'jpki for user authentication';

function hasOu(cert: ParsedCertificate, which: 'issuer' | 'subject', text: string): boolean {
	return attributeValues(cert[which], OU).some((v) => v.trim().toLowerCase() === text);
}

export function certificateKind(cert: ParsedCertificate): CertificateKind {
	const ca = cert.basicConstraints?.ca === true;
	if (hasOu(cert, 'issuer', SIGN_OU) || (!ca && hasBasicInfo(cert.subjectAltNames))) return ca ? 'jpki-sign-ca' : 'jpki-sign';
	if (hasOu(cert, 'issuer', AUTH_OU)) return ca ? 'jpki-auth-ca' : 'jpki-auth';
	return 'other';
}

export function purposeOf(kind: CertificateKind): CertificatePurpose {
	return kind === 'jpki-sign' ? 'sign' : kind === 'jpki-auth' ? 'auth' : 'other';
}

const JST_OFFSET = 9 * 3_600_000;
const DAY = 86_400_000;

export interface ValidityInfo {
	readonly notBefore: string;
	readonly notAfter: string;
	readonly expired: boolean;
	readonly notYetValid: boolean;
	/** Whole days (Japan calendar) from `at` to the expiry date: 0 on the last day, negative once expired. */
	readonly daysLeft: number;
	/** 00:00 JST three calendar months before the expiry date (clamped to the month's last day). */
	readonly renewalOpensAt: string;
	readonly renewalOpen: boolean;
}

function jstDay(ms: number): number {
	return Math.floor((ms + JST_OFFSET) / DAY);
}

export function renewalOpensAt(notAfter: number): number {
	const d = new Date(notAfter + JST_OFFSET);
	let year = d.getUTCFullYear();
	let month = d.getUTCMonth() + 1 - 3;
	if (month < 1) {
		month += 12;
		year -= 1;
	}
	const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
	return daysFromCivil(year, month, day) * DAY - JST_OFFSET;
}

export function validityInfo(notBefore: number, notAfter: number, at: number): ValidityInfo {
	const opens = renewalOpensAt(notAfter);
	return {
		notBefore: new Date(notBefore).toISOString(),
		notAfter: new Date(notAfter).toISOString(),
		expired: at > notAfter,
		notYetValid: at < notBefore,
		daysLeft: jstDay(notAfter) - jstDay(at),
		renewalOpensAt: new Date(opens).toISOString(),
		renewalOpen: at >= opens && at <= notAfter
	};
}

export interface SubstitutionFlags {
	/** The flag string as on the card: one '0'/'1' per character of the value; '1' = an alternative character was used. */
	readonly flags: string;
	readonly substituted: readonly boolean[];
}

export interface Era {
	readonly digit: string;
	readonly ja: string;
	readonly en: string;
}

export interface BirthDate {
	/** The value as on the card: `EYYYYMMDD`, era digit then the Gregorian date. */
	readonly raw: string;
	readonly era?: Era;
	/** ISO date (YYYY-MM-DD), absent when the value is not a valid date. */
	readonly date?: string;
	/** The date in the Japanese calendar (e.g. 昭和55年2月17日), when the era digit fits the date. */
	readonly wareki?: string;
}

export interface JpkiBasicInfo {
	readonly name: string;
	readonly nameSubstitution?: SubstitutionFlags;
	readonly address: string;
	readonly addressSubstitution?: SubstitutionFlags;
	readonly birthDate: BirthDate;
	readonly sex: { readonly code: string; readonly ja: string; readonly en: string };
}

const ERAS: Readonly<Record<string, Era & { start: number }>> = {
	'0': { digit: '0', ja: '不明', en: 'unknown', start: 0 },
	'1': { digit: '1', ja: '明治', en: 'Meiji', start: 1868 },
	'2': { digit: '2', ja: '大正', en: 'Taishō', start: 1912 },
	'3': { digit: '3', ja: '昭和', en: 'Shōwa', start: 1926 },
	'4': { digit: '4', ja: '平成', en: 'Heisei', start: 1989 },
	'5': { digit: '5', ja: '令和', en: 'Reiwa', start: 2019 }
};

const SEX: Readonly<Record<string, { ja: string; en: string }>> = {
	'0': { ja: '不明', en: 'not known' },
	'1': { ja: '男性', en: 'male' },
	'2': { ja: '女性', en: 'female' },
	'9': { ja: '適用不能', en: 'not applicable' }
};

export function parseBirthDate(raw: string): BirthDate {
	const match = /^(\d)(\d{4})(\d{2})(\d{2})$/.exec(raw);
	if (!match) return { raw };
	const [, digit, y, m, d] = match as unknown as [string, string, string, string, string];
	const era = ERAS[digit];
	const year = Number(y);
	const month = Number(m);
	const day = Number(d);
	const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
	const eraOut = era ? { digit: era.digit, ja: era.ja, en: era.en } : undefined;
	if (!valid) return { raw, ...(eraOut ? { era: eraOut } : {}) };
	const eraYear = era && era.start > 0 ? year - era.start + 1 : 0;
	return {
		raw,
		...(eraOut ? { era: eraOut } : {}),
		date: `${y}-${m}-${d}`,
		...(era && eraYear >= 1 && eraYear <= 64 ? { wareki: `${era.ja}${eraYear === 1 ? '元' : eraYear}年${month}月${day}日` } : {})
	};
}

function substitution(flags: string | undefined): SubstitutionFlags | undefined {
	if (flags === undefined) return undefined;
	if (!/^[01]*$/.test(flags)) throw malformed('JPKI substitution flags: not a 0/1 string');
	return { flags, substituted: [...flags].map((c) => c === '1') };
}

function otherNameText(name: GeneralName & { type: 'otherName' }): string {
	const tlv = readTlv(name.value, 0, name.value.length);
	if (tlv.end !== name.value.length) throw malformed('JPKI otherName: trailing bytes');
	const text = decodeDirectoryString(tlv.tag, name.value.subarray(tlv.valueStart, tlv.end));
	if (text === undefined) throw malformed('JPKI otherName: not a string');
	return text;
}

const INFO_OIDS: ReadonlySet<string> = new Set([Oid.jpkiName, Oid.jpkiNameSubstitution, Oid.jpkiSex, Oid.jpkiBirthDate, Oid.jpkiAddress, Oid.jpkiAddressSubstitution]);

function hasBasicInfo(names: readonly GeneralName[] | undefined): boolean {
	return (names ?? []).some((n) => n.type === 'otherName' && INFO_OIDS.has(n.oid));
}

/**
 * The basic 4 information of a JPKI signing certificate, matched by OID (the order on cards varies).
 * Undefined when the certificate carries none (an authentication certificate); Malformed when it is incomplete.
 */
export function readJpkiBasicInfo(cert: ParsedCertificate): JpkiBasicInfo | undefined {
	if (!hasBasicInfo(cert.subjectAltNames)) return undefined;
	const values = new Map<string, string>();
	for (const n of cert.subjectAltNames ?? []) {
		if (n.type !== 'otherName' || !INFO_OIDS.has(n.oid)) continue;
		if (values.has(n.oid)) throw malformed(`JPKI otherName ${n.oid} appears twice`);
		values.set(n.oid, otherNameText(n));
	}
	const name = values.get(Oid.jpkiName);
	const address = values.get(Oid.jpkiAddress);
	const birth = values.get(Oid.jpkiBirthDate);
	const sex = values.get(Oid.jpkiSex);
	if (name === undefined || address === undefined || birth === undefined || sex === undefined) throw malformed('JPKI basic information: a field is missing');
	const nameSubstitution = substitution(values.get(Oid.jpkiNameSubstitution));
	const addressSubstitution = substitution(values.get(Oid.jpkiAddressSubstitution));
	return {
		name,
		...(nameSubstitution ? { nameSubstitution } : {}),
		address,
		...(addressSubstitution ? { addressSubstitution } : {}),
		birthDate: parseBirthDate(birth),
		sex: { code: sex, ...(SEX[sex] ?? { ja: '不明', en: 'not known' }) }
	};
}
