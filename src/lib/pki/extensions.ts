/** X.509 extensions: the list, and strict decoders for the ones path validation and CRL scoping rely on. */
import {
	bitStringBytes,
	booleanValue,
	ctx,
	ctxCons,
	DerCursor,
	integerBytes,
	malformed,
	oidString,
	readRoot,
	smallInteger,
	Tag,
	valueOf,
	type Tlv
} from './der';
import { parseName, parseRdnAttributes, type Name, type NameAttribute } from './name';
import { Oid } from './oids';
import { readTime } from './time';

export interface Extension {
	readonly oid: string;
	readonly critical: boolean;
	/** The content of extnValue (the DER of the extension's own value). */
	readonly value: Uint8Array;
}

/** `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`; a repeated extension is malformed (RFC 5280 §4.2). */
export function parseExtensions(bytes: Uint8Array, tlv: Tlv, what = 'Extensions'): Extension[] {
	if (tlv.tag !== Tag.Sequence) throw malformed(`${what}: not a SEQUENCE`, tlv.start);
	const out: Extension[] = [];
	const seen = new Set<string>();
	const cursor = DerCursor.inside(bytes, tlv);
	while (!cursor.done) {
		const ext = DerCursor.inside(bytes, cursor.next(Tag.Sequence, 'Extension'));
		const oid = oidString(bytes, ext.next(Tag.Oid, 'extnID'));
		const criticalTlv = ext.optional(Tag.Boolean);
		const critical = criticalTlv ? booleanValue(bytes, criticalTlv, 'critical') : false;
		const value = valueOf(bytes, ext.next(Tag.OctetString, 'extnValue'));
		ext.finish('Extension');
		if (seen.has(oid)) throw malformed(`${what}: extension ${oid} appears twice`, tlv.start);
		seen.add(oid);
		out.push({ oid, critical, value });
	}
	if (out.length === 0) throw malformed(`${what}: empty`, tlv.start);
	return out;
}

export type GeneralName =
	| { readonly type: 'otherName'; readonly oid: string; readonly value: Uint8Array }
	| { readonly type: 'rfc822'; readonly value: string }
	| { readonly type: 'dns'; readonly value: string }
	| { readonly type: 'uri'; readonly value: string }
	| { readonly type: 'directory'; readonly name: Name }
	| { readonly type: 'ip'; readonly value: Uint8Array }
	| { readonly type: 'registeredId'; readonly oid: string }
	| { readonly type: 'other'; readonly tag: number; readonly value: Uint8Array };

function ia5(bytes: Uint8Array, tlv: Tlv, what: string): string {
	let out = '';
	for (let i = tlv.valueStart; i < tlv.end; i++) {
		const byte = bytes[i]!;
		if (byte > 0x7f) throw malformed(`${what}: not IA5`, tlv.start);
		out += String.fromCharCode(byte);
	}
	return out;
}

function generalName(bytes: Uint8Array, tlv: Tlv): GeneralName {
	switch (tlv.tag) {
		case ctxCons(0): {
			const cursor = DerCursor.inside(bytes, tlv);
			const oid = oidString(bytes, cursor.next(Tag.Oid, 'otherName type-id'));
			const explicit = cursor.next(ctxCons(0), 'otherName value');
			cursor.finish('otherName');
			return { type: 'otherName', oid, value: valueOf(bytes, explicit) };
		}
		case ctx(1):
			return { type: 'rfc822', value: ia5(bytes, tlv, 'rfc822Name') };
		case ctx(2):
			return { type: 'dns', value: ia5(bytes, tlv, 'dNSName') };
		case ctxCons(4): {
			const cursor = DerCursor.inside(bytes, tlv);
			const name = parseName(bytes, cursor.next(Tag.Sequence, 'directoryName'));
			cursor.finish('directoryName');
			return { type: 'directory', name };
		}
		case ctx(6):
			return { type: 'uri', value: ia5(bytes, tlv, 'uniformResourceIdentifier') };
		case ctx(7):
			return { type: 'ip', value: valueOf(bytes, tlv) };
		case ctx(8):
			return { type: 'registeredId', oid: oidString(bytes, tlv) };
		case ctxCons(3):
		case ctxCons(5):
			return { type: 'other', tag: tlv.tag, value: valueOf(bytes, tlv) };
		default:
			throw malformed('GeneralName: unknown choice', tlv.start);
	}
}

/** The GeneralName elements inside `bytes[start, end)`. */
export function generalNamesIn(bytes: Uint8Array, start: number, end: number): GeneralName[] {
	const out: GeneralName[] = [];
	const cursor = new DerCursor(bytes, start, end);
	while (!cursor.done) out.push(generalName(bytes, cursor.next(undefined, 'GeneralName')));
	return out;
}

/** subjectAltName / issuerAltName / certificateIssuer: `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`. */
export function decodeGeneralNames(value: Uint8Array): GeneralName[] {
	const root = readRoot(value, Tag.Sequence, 'GeneralNames');
	const names = generalNamesIn(value, root.valueStart, root.end);
	if (names.length === 0) throw malformed('GeneralNames: empty');
	return names;
}

export interface BasicConstraints {
	readonly ca: boolean;
	readonly pathLen?: number;
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
	const root = readRoot(value, Tag.Sequence, 'BasicConstraints');
	const cursor = DerCursor.inside(value, root);
	const caTlv = cursor.optional(Tag.Boolean);
	const ca = caTlv ? booleanValue(value, caTlv, 'cA') : false;
	const pathTlv = cursor.optional(Tag.Integer);
	cursor.finish('BasicConstraints');
	return pathTlv ? { ca, pathLen: smallInteger(value, pathTlv, 'pathLenConstraint') } : { ca };
}

export const KeyUsage = {
	digitalSignature: 1 << 0,
	nonRepudiation: 1 << 1,
	keyEncipherment: 1 << 2,
	dataEncipherment: 1 << 3,
	keyAgreement: 1 << 4,
	keyCertSign: 1 << 5,
	cRLSign: 1 << 6,
	encipherOnly: 1 << 7,
	decipherOnly: 1 << 8
} as const;

export type KeyUsageName = keyof typeof KeyUsage;

/** The KeyUsage bits as a mask (bit n of the BIT STRING → 1 << n). */
export function decodeKeyUsage(value: Uint8Array): number {
	const { bits } = bitStringBytes(value, readRoot(value, Tag.BitString, 'KeyUsage'), 'KeyUsage');
	let mask = 0;
	for (let n = 0; n < 9 && n < bits.length * 8; n++) if (bits[n >> 3]! & (0x80 >> (n & 7))) mask |= 1 << n;
	return mask;
}

export function keyUsageNames(mask: number): KeyUsageName[] {
	return (Object.keys(KeyUsage) as KeyUsageName[]).filter((name) => mask & KeyUsage[name]);
}

/** ReasonFlags BIT STRING as a mask (bit n → 1 << n). */
function reasonFlags(bytes: Uint8Array, tlv: Tlv): number {
	const { bits } = bitStringBytes(bytes, tlv, 'ReasonFlags');
	let mask = 0;
	for (let n = 0; n < 9 && n < bits.length * 8; n++) if (bits[n >> 3]! & (0x80 >> (n & 7))) mask |= 1 << n;
	return mask;
}

export function decodeExtKeyUsage(value: Uint8Array): string[] {
	const root = readRoot(value, Tag.Sequence, 'ExtKeyUsage');
	const out: string[] = [];
	const cursor = DerCursor.inside(value, root);
	while (!cursor.done) out.push(oidString(value, cursor.next(Tag.Oid, 'KeyPurposeId')));
	if (out.length === 0) throw malformed('ExtKeyUsage: empty');
	return out;
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
	return valueOf(value, readRoot(value, Tag.OctetString, 'SubjectKeyIdentifier'));
}

export interface AuthorityKeyIdentifier {
	readonly keyId?: Uint8Array;
	readonly issuer?: GeneralName[];
	readonly serial?: Uint8Array;
}

export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
	const root = readRoot(value, Tag.Sequence, 'AuthorityKeyIdentifier');
	const cursor = DerCursor.inside(value, root);
	const keyId = cursor.optional(ctx(0));
	const issuer = cursor.optional(ctxCons(1));
	const serial = cursor.optional(ctx(2));
	cursor.finish('AuthorityKeyIdentifier');
	return {
		...(keyId ? { keyId: valueOf(value, keyId) } : {}),
		...(issuer ? { issuer: generalNamesIn(value, issuer.valueStart, issuer.end) } : {}),
		...(serial ? { serial: integerBytes(value, serial, 'authorityCertSerialNumber') } : {})
	};
}

export interface NameConstraints {
	readonly permitted: GeneralName[];
	readonly excluded: GeneralName[];
}

function generalSubtrees(bytes: Uint8Array, tlv: Tlv): GeneralName[] {
	const out: GeneralName[] = [];
	const cursor = DerCursor.inside(bytes, tlv);
	while (!cursor.done) {
		const subtree = DerCursor.inside(bytes, cursor.next(Tag.Sequence, 'GeneralSubtree'));
		out.push(generalName(bytes, subtree.next(undefined, 'base')));
		const minimum = subtree.optional(ctx(0));
		if (minimum && smallInteger(bytes, minimum, 'minimum') !== 0) throw malformed('GeneralSubtree: minimum must be 0');
		if (subtree.optional(ctx(1))) throw malformed('GeneralSubtree: maximum must be absent');
		subtree.finish('GeneralSubtree');
	}
	if (out.length === 0) throw malformed('GeneralSubtrees: empty', tlv.start);
	return out;
}

export function decodeNameConstraints(value: Uint8Array): NameConstraints {
	const root = readRoot(value, Tag.Sequence, 'NameConstraints');
	const cursor = DerCursor.inside(value, root);
	const permitted = cursor.optional(ctxCons(0));
	const excluded = cursor.optional(ctxCons(1));
	cursor.finish('NameConstraints');
	if (!permitted && !excluded) throw malformed('NameConstraints: empty');
	return { permitted: permitted ? generalSubtrees(value, permitted) : [], excluded: excluded ? generalSubtrees(value, excluded) : [] };
}

/** DistributionPointName: a full name, or an RDN relative to the CRL issuer. */
export interface DistributionPointName {
	readonly fullName?: GeneralName[];
	readonly relativeName?: NameAttribute[];
}

function distributionPointName(bytes: Uint8Array, wrapper: Tlv): DistributionPointName {
	const cursor = DerCursor.inside(bytes, wrapper);
	const choice = cursor.next(undefined, 'DistributionPointName');
	cursor.finish('distributionPoint');
	if (choice.tag === ctxCons(0)) {
		const fullName = generalNamesIn(bytes, choice.valueStart, choice.end);
		if (fullName.length === 0) throw malformed('DistributionPointName: empty fullName', choice.start);
		return { fullName };
	}
	if (choice.tag === ctxCons(1)) return { relativeName: parseRdnAttributes(bytes, choice) };
	throw malformed('DistributionPointName: unknown choice', choice.start);
}

export interface DistributionPoint {
	readonly name?: DistributionPointName;
	readonly reasons?: number;
	readonly crlIssuer?: GeneralName[];
}

export function decodeCrlDistributionPoints(value: Uint8Array): DistributionPoint[] {
	const root = readRoot(value, Tag.Sequence, 'CRLDistributionPoints');
	const out: DistributionPoint[] = [];
	const cursor = DerCursor.inside(value, root);
	while (!cursor.done) {
		const dp = DerCursor.inside(value, cursor.next(Tag.Sequence, 'DistributionPoint'));
		const nameTlv = dp.optional(ctxCons(0));
		const reasonsTlv = dp.optional(ctx(1));
		const issuerTlv = dp.optional(ctxCons(2));
		dp.finish('DistributionPoint');
		out.push({
			...(nameTlv ? { name: distributionPointName(value, nameTlv) } : {}),
			...(reasonsTlv ? { reasons: reasonFlags(value, reasonsTlv) } : {}),
			...(issuerTlv ? { crlIssuer: generalNamesIn(value, issuerTlv.valueStart, issuerTlv.end) } : {})
		});
	}
	if (out.length === 0) throw malformed('CRLDistributionPoints: empty');
	return out;
}

export interface IssuingDistributionPoint {
	readonly name?: DistributionPointName;
	readonly onlyUserCerts: boolean;
	readonly onlyCaCerts: boolean;
	readonly onlySomeReasons?: number;
	readonly indirectCrl: boolean;
	readonly onlyAttributeCerts: boolean;
}

export function decodeIssuingDistributionPoint(value: Uint8Array): IssuingDistributionPoint {
	const root = readRoot(value, Tag.Sequence, 'IssuingDistributionPoint');
	const cursor = DerCursor.inside(value, root);
	const nameTlv = cursor.optional(ctxCons(0));
	const flag = (n: number) => {
		const tlv = cursor.optional(ctx(n));
		return tlv ? booleanValue(value, tlv, 'IssuingDistributionPoint flag') : false;
	};
	const onlyUserCerts = flag(1);
	const onlyCaCerts = flag(2);
	const reasonsTlv = cursor.optional(ctx(3));
	const indirectCrl = flag(4);
	const onlyAttributeCerts = flag(5);
	cursor.finish('IssuingDistributionPoint');
	return {
		...(nameTlv ? { name: distributionPointName(value, nameTlv) } : {}),
		onlyUserCerts,
		onlyCaCerts,
		...(reasonsTlv ? { onlySomeReasons: reasonFlags(value, reasonsTlv) } : {}),
		indirectCrl,
		onlyAttributeCerts
	};
}

export interface PolicyConstraints {
	readonly requireExplicitPolicy?: number;
	readonly inhibitPolicyMapping?: number;
}

export function decodePolicyConstraints(value: Uint8Array): PolicyConstraints {
	const root = readRoot(value, Tag.Sequence, 'PolicyConstraints');
	const cursor = DerCursor.inside(value, root);
	const require = cursor.optional(ctx(0));
	const inhibit = cursor.optional(ctx(1));
	cursor.finish('PolicyConstraints');
	return {
		...(require ? { requireExplicitPolicy: smallInteger(value, require, 'requireExplicitPolicy') } : {}),
		...(inhibit ? { inhibitPolicyMapping: smallInteger(value, inhibit, 'inhibitPolicyMapping') } : {})
	};
}

/** CRLNumber / DeltaCRLIndicator: a non-negative INTEGER of at most 20 octets (RFC 5280 §5.2.3). */
export function decodeCrlNumber(value: Uint8Array): Uint8Array {
	const tlv = readRoot(value, Tag.Integer, 'CRLNumber');
	const content = integerBytes(value, tlv, 'CRLNumber');
	if (content[0]! & 0x80) throw malformed('CRLNumber: negative');
	const significant = content[0] === 0 ? content.length - 1 : content.length;
	if (significant > 20) throw malformed('CRLNumber: longer than 20 octets');
	return content;
}

export function decodeReasonCode(value: Uint8Array): number {
	return smallInteger(value, readRoot(value, Tag.Enumerated, 'CRLReason'), 'CRLReason', 255);
}

export function decodeInvalidityDate(value: Uint8Array): number {
	return readTime(value, readRoot(value, Tag.GeneralizedTime, 'InvalidityDate'), 'InvalidityDate');
}

/** Certificate extensions this engine understands (a critical one outside this list makes a path invalid). */
export const KNOWN_CERTIFICATE_EXTENSIONS: ReadonlySet<string> = new Set([
	Oid.subjectKeyIdentifier,
	Oid.authorityKeyIdentifier,
	Oid.keyUsage,
	Oid.extKeyUsage,
	Oid.basicConstraints,
	Oid.subjectAltName,
	Oid.issuerAltName,
	Oid.nameConstraints,
	Oid.crlDistributionPoints,
	Oid.freshestCrl,
	Oid.authorityInfoAccess,
	Oid.subjectInfoAccess,
	// Policy extensions: without an initial policy set or explicit-policy input they cannot change the outcome,
	// except requireExplicitPolicy, which path validation refuses separately.
	Oid.certificatePolicies,
	Oid.policyMappings,
	Oid.policyConstraints,
	Oid.inhibitAnyPolicy
]);
