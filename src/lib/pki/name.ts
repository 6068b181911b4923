/**
 * X.501 Names: parsing, display, and comparison as RFC 5280 §7.1 asks: RDN by RDN, attribute sets unordered,
 * directory strings compared after Unicode normalisation, case folding and whitespace collapsing, so that a
 * PrintableString and a UTF8String with the same text match.
 */
import { toHex } from '../bytes';
import { DerCursor, elementOf, malformed, oidString, Tag, valueOf, type Tlv } from './der';
import { AttributeName } from './oids';

export interface NameAttribute {
	readonly type: string;
	readonly tag: number;
	readonly value: Uint8Array;
}

export interface Name {
	/** The whole Name element as it appears in the certificate or CRL. */
	readonly der: Uint8Array;
	readonly rdns: readonly (readonly NameAttribute[])[];
	/** One comparison key per RDN; two names are equal when their keys are. */
	readonly rdnKeys: readonly string[];
	readonly key: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a directory string, or undefined for non-string or undecodable values. */
export function decodeDirectoryString(tag: number, value: Uint8Array): string | undefined {
	switch (tag) {
		case Tag.Utf8String:
			try {
				return utf8.decode(value);
			} catch {
				return undefined;
			}
		case Tag.PrintableString:
		case Tag.Ia5String:
		case Tag.VisibleString:
		case 0x12: {
			let out = '';
			for (const byte of value) {
				if (byte > 0x7f) return undefined;
				out += String.fromCharCode(byte);
			}
			return out;
		}
		case Tag.TeletexString: {
			let out = '';
			for (const byte of value) out += String.fromCharCode(byte);
			return out;
		}
		case Tag.BmpString: {
			if (value.length % 2 !== 0) return undefined;
			let out = '';
			for (let i = 0; i < value.length; i += 2) out += String.fromCharCode((value[i]! << 8) | value[i + 1]!);
			return out;
		}
		case Tag.UniversalString: {
			if (value.length % 4 !== 0) return undefined;
			let out = '';
			for (let i = 0; i < value.length; i += 4) {
				const cp = ((value[i]! << 24) | (value[i + 1]! << 16) | (value[i + 2]! << 8) | value[i + 3]!) >>> 0;
				if (cp > 0x10ffff) return undefined;
				out += String.fromCodePoint(cp);
			}
			return out;
		}
		default:
			return undefined;
	}
}

/** Normalised form of a directory string for comparison (RFC 4518 in spirit: NFKC, case fold, spaces). */
export function normalizeString(text: string): string {
	return text.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

function attributeKey(attribute: NameAttribute): string {
	const text = decodeDirectoryString(attribute.tag, attribute.value);
	return text === undefined
		? `${attribute.type}#${attribute.tag.toString(16)}:${toHex(attribute.value)}`
		: `${attribute.type}=${normalizeString(text)}`;
}

function rdnKey(attributes: readonly NameAttribute[]): string {
	return JSON.stringify(attributes.map(attributeKey).sort());
}

function parseRdn(bytes: Uint8Array, tlv: Tlv): NameAttribute[] {
	if (tlv.tag !== Tag.Set) throw malformed('Name: RDN is not a SET', tlv.start);
	const attributes: NameAttribute[] = [];
	const cursor = DerCursor.inside(bytes, tlv);
	while (!cursor.done) {
		const atv = cursor.next(Tag.Sequence, 'AttributeTypeAndValue');
		const inner = DerCursor.inside(bytes, atv);
		const type = oidString(bytes, inner.next(Tag.Oid, 'attribute type'));
		const value = inner.next(undefined, 'attribute value');
		inner.finish('AttributeTypeAndValue');
		attributes.push({ type, tag: value.tag, value: valueOf(bytes, value) });
	}
	if (attributes.length === 0) throw malformed('Name: empty RDN', tlv.start);
	return attributes;
}

export function makeName(der: Uint8Array, rdns: readonly (readonly NameAttribute[])[]): Name {
	const rdnKeys = rdns.map(rdnKey);
	return { der, rdns, rdnKeys, key: JSON.stringify(rdnKeys) };
}

export function parseName(bytes: Uint8Array, tlv: Tlv): Name {
	if (tlv.tag !== Tag.Sequence) throw malformed('Name: not a SEQUENCE', tlv.start);
	const rdns: NameAttribute[][] = [];
	const cursor = DerCursor.inside(bytes, tlv);
	while (!cursor.done) rdns.push(parseRdn(bytes, cursor.next(Tag.Set, 'RDN')));
	return makeName(elementOf(bytes, tlv), rdns);
}

/** The attributes of a bare RelativeDistinguishedName (a SET), as in nameRelativeToCRLIssuer. */
export function parseRdnAttributes(bytes: Uint8Array, tlv: Tlv): NameAttribute[] {
	return parseRdn(bytes, { ...tlv, tag: Tag.Set });
}

/** `base` followed by one more RDN (RFC 5280 §5.2.5 nameRelativeToCRLIssuer). */
export function appendRdn(base: Name, attributes: readonly NameAttribute[]): Name {
	return makeName(new Uint8Array(0), [...base.rdns, attributes]);
}

export function namesEqual(a: Name, b: Name): boolean {
	return a.key === b.key;
}

/** True when `name` lies in the subtree rooted at `base` (base's RDNs are a prefix of name's). */
export function nameWithin(name: Name, base: Name): boolean {
	if (base.rdnKeys.length > name.rdnKeys.length) return false;
	for (let i = 0; i < base.rdnKeys.length; i++) if (base.rdnKeys[i] !== name.rdnKeys[i]) return false;
	return true;
}

function escapeValue(text: string): string {
	return text.replace(/([,+"\\<>;])/g, '\\$1');
}

/** A readable one-line form, most significant RDN first (as OpenSSL prints it): "C=JP, O=JPKI, OU=…". */
export function nameToString(name: Name): string {
	return name.rdns
		.map((rdn) =>
			rdn
				.map((a) => {
					const label = AttributeName[a.type] ?? a.type;
					const text = decodeDirectoryString(a.tag, a.value);
					return `${label}=${text === undefined ? '#' + toHex(a.value) : escapeValue(text)}`;
				})
				.join(' + ')
		)
		.join(', ');
}

/** Values of one attribute type, in order (e.g. every emailAddress in a subject). */
export function attributeValues(name: Name, type: string): string[] {
	const out: string[] = [];
	for (const rdn of name.rdns)
		for (const a of rdn) {
			if (a.type !== type) continue;
			const text = decodeDirectoryString(a.tag, a.value);
			if (text !== undefined) out.push(text);
		}
	return out;
}
