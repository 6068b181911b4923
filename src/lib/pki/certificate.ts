/**
 * X.509 certificates. pkijs decodes the certificate (with bounded asn1js limits); a strict DER walk checks the
 * encoding first and gives the raw slices signatures are computed over; both must agree on serial and validity.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes, toHex } from '../bytes';
import { ErrorKind, MynaError } from '../errors';
import { algorithmIdentifier, DerCursor, elementOf, integerBytes, malformed, readRoot, signatureBits, smallInteger, Tag, validateDer, type AlgorithmId } from './der';
import {
	decodeAuthorityKeyIdentifier,
	decodeBasicConstraints,
	decodeCrlDistributionPoints,
	decodeExtKeyUsage,
	decodeGeneralNames,
	decodeKeyUsage,
	decodeNameConstraints,
	decodePolicyConstraints,
	decodeSubjectKeyIdentifier,
	KNOWN_CERTIFICATE_EXTENSIONS,
	parseExtensions,
	type AuthorityKeyIdentifier,
	type BasicConstraints,
	type DistributionPoint,
	type Extension,
	type GeneralName,
	type NameConstraints,
	type PolicyConstraints
} from './extensions';
import { namesEqual, parseName, type Name } from './name';
import { Oid } from './oids';
import { sha256 } from './signature';
import { readTime } from './time';

export const CertificateLimits = {
	maxBytes: 256 * 1024,
	maxDepth: 24,
	maxNodes: 20_000
} as const;

export interface ParsedCertificate {
	readonly der: Uint8Array;
	/** SHA-256 of the DER, upper-case hex. */
	readonly fingerprint: string;
	readonly tbs: Uint8Array;
	readonly version: number;
	/** INTEGER content bytes (two's complement, minimal). */
	readonly serial: Uint8Array;
	readonly signatureAlgorithm: AlgorithmId;
	readonly tbsSignatureAlgorithm: AlgorithmId;
	readonly signatureValue: Uint8Array;
	/** False when the signature BIT STRING has unused bits (such a signature never verifies). */
	readonly signatureWholeOctets: boolean;
	readonly issuer: Name;
	readonly subject: Name;
	readonly notBefore: number;
	readonly notAfter: number;
	readonly spki: Uint8Array;
	readonly extensions: readonly Extension[];
	readonly basicConstraints?: BasicConstraints;
	readonly keyUsage?: number;
	readonly extKeyUsage?: readonly string[];
	readonly subjectKeyId?: Uint8Array;
	readonly authorityKeyId?: AuthorityKeyIdentifier;
	readonly subjectAltNames?: readonly GeneralName[];
	readonly nameConstraints?: NameConstraints;
	readonly crlDistributionPoints?: readonly DistributionPoint[];
	readonly policyConstraints?: PolicyConstraints;
	/** Critical extensions this engine does not process. */
	readonly unknownCriticalExtensions: readonly string[];
	/** Subject and issuer name are the same (RFC 5280 "self-issued"). */
	readonly selfIssued: boolean;
	readonly pkijs: pkijs.Certificate;
}

function decodeExtensionsInto(extensions: readonly Extension[]) {
	const out: {
		basicConstraints?: BasicConstraints;
		keyUsage?: number;
		extKeyUsage?: string[];
		subjectKeyId?: Uint8Array;
		authorityKeyId?: AuthorityKeyIdentifier;
		subjectAltNames?: GeneralName[];
		nameConstraints?: NameConstraints;
		crlDistributionPoints?: DistributionPoint[];
		policyConstraints?: PolicyConstraints;
	} = {};
	const unknownCritical: string[] = [];
	for (const ext of extensions) {
		switch (ext.oid) {
			case Oid.basicConstraints:
				out.basicConstraints = decodeBasicConstraints(ext.value);
				break;
			case Oid.keyUsage:
				out.keyUsage = decodeKeyUsage(ext.value);
				break;
			case Oid.extKeyUsage:
				out.extKeyUsage = decodeExtKeyUsage(ext.value);
				break;
			case Oid.subjectKeyIdentifier:
				out.subjectKeyId = decodeSubjectKeyIdentifier(ext.value);
				break;
			case Oid.authorityKeyIdentifier:
				out.authorityKeyId = decodeAuthorityKeyIdentifier(ext.value);
				break;
			case Oid.subjectAltName:
				out.subjectAltNames = decodeGeneralNames(ext.value);
				break;
			case Oid.nameConstraints:
				out.nameConstraints = decodeNameConstraints(ext.value);
				break;
			case Oid.crlDistributionPoints:
				out.crlDistributionPoints = decodeCrlDistributionPoints(ext.value);
				break;
			case Oid.policyConstraints:
				out.policyConstraints = decodePolicyConstraints(ext.value);
				break;
			default:
				if (ext.critical && !KNOWN_CERTIFICATE_EXTENSIONS.has(ext.oid)) unknownCritical.push(ext.oid);
		}
	}
	return { ...out, unknownCritical };
}

function parseWithPkijs(der: Uint8Array): pkijs.Certificate {
	const asn1 = asn1js.fromBER(der, { maxDepth: CertificateLimits.maxDepth, maxNodes: CertificateLimits.maxNodes, maxContentLength: CertificateLimits.maxBytes });
	if (asn1.offset === -1) throw malformed(`certificate: ${asn1.result.error || 'not BER'}`);
	return new pkijs.Certificate({ schema: asn1.result });
}

async function parse(input: Uint8Array): Promise<ParsedCertificate> {
	if (input.length > CertificateLimits.maxBytes) throw malformed('certificate: too large');
	const der = input.slice();
	const root = readRoot(der, Tag.Sequence, 'Certificate');
	validateDer(der, 0, der.length, CertificateLimits.maxDepth);
	const outer = DerCursor.inside(der, root);
	const tbsTlv = outer.next(Tag.Sequence, 'tbsCertificate');
	const signatureAlgorithm = algorithmIdentifier(der, outer.next(Tag.Sequence, 'signatureAlgorithm'));
	const sigTlv = outer.next(Tag.BitString, 'signatureValue');
	outer.finish('Certificate');
	const signature = signatureBits(der, sigTlv, 'signatureValue');

	const tbs = DerCursor.inside(der, tbsTlv);
	const versionTlv = tbs.optional(0xa0);
	let version = 1;
	if (versionTlv) {
		const inner = DerCursor.inside(der, versionTlv);
		version = smallInteger(der, inner.next(Tag.Integer, 'version'), 'version', 2) + 1;
		inner.finish('version');
		if (version === 1) throw malformed('version: v1 must not be encoded (DER default)');
	}
	const serial = integerBytes(der, tbs.next(Tag.Integer, 'serialNumber'), 'serialNumber');
	const tbsSignatureAlgorithm = algorithmIdentifier(der, tbs.next(Tag.Sequence, 'signature'));
	const issuer = parseName(der, tbs.next(Tag.Sequence, 'issuer'));
	const validity = DerCursor.inside(der, tbs.next(Tag.Sequence, 'validity'));
	const notBefore = readTime(der, validity.next(undefined, 'notBefore'), 'notBefore');
	const notAfter = readTime(der, validity.next(undefined, 'notAfter'), 'notAfter');
	validity.finish('validity');
	const subject = parseName(der, tbs.next(Tag.Sequence, 'subject'));
	const spki = elementOf(der, tbs.next(Tag.Sequence, 'subjectPublicKeyInfo'));
	if (tbs.optional(0x81) && version < 2) throw malformed('issuerUniqueID needs v2 or v3');
	if (tbs.optional(0x82) && version < 2) throw malformed('subjectUniqueID needs v2 or v3');
	const extTlv = tbs.optional(0xa3);
	tbs.finish('tbsCertificate');
	let extensions: Extension[] = [];
	if (extTlv) {
		if (version !== 3) throw malformed('extensions need v3');
		const inner = DerCursor.inside(der, extTlv);
		extensions = parseExtensions(der, inner.next(Tag.Sequence, 'extensions'));
		inner.finish('extensions');
	}

	let cert: pkijs.Certificate;
	try {
		cert = parseWithPkijs(der);
	} catch (error) {
		if (error instanceof MynaError) throw error;
		throw malformed('certificate: pkijs could not decode it');
	}
	const pkijsSerial = cert.serialNumber.valueBlock.valueHexView;
	if (
		!equalBytes(pkijsSerial, serial) ||
		cert.notBefore.value.getTime() !== notBefore ||
		cert.notAfter.value.getTime() !== notAfter ||
		cert.version + 1 !== version
	) {
		throw malformed('certificate: decoders disagree');
	}

	const { unknownCritical, ...fields } = decodeExtensionsInto(extensions);
	return {
		der,
		fingerprint: toHex(await sha256(der)).toUpperCase(),
		tbs: elementOf(der, tbsTlv),
		version,
		serial,
		signatureAlgorithm,
		tbsSignatureAlgorithm,
		signatureValue: signature.bits,
		signatureWholeOctets: signature.wholeOctets,
		issuer,
		subject,
		notBefore,
		notAfter,
		spki,
		extensions,
		...fields,
		unknownCriticalExtensions: unknownCritical,
		selfIssued: namesEqual(issuer, subject),
		pkijs: cert
	};
}

const cache = new WeakMap<Uint8Array, Promise<ParsedCertificate>>();

/**
 * Parses a DER certificate. Throws MynaError(Malformed) for anything that is not a strictly encoded X.509
 * certificate. Results are cached per input array (and re-checked against its bytes).
 */
export async function parseCertificate(der: Uint8Array): Promise<ParsedCertificate> {
	const cached = cache.get(der);
	if (cached) {
		const parsed = await cached.catch(() => undefined);
		if (parsed && equalBytes(parsed.der, der)) return parsed;
	}
	const work = parse(der).catch((error: unknown) => {
		if (error instanceof MynaError) throw error;
		throw new MynaError(ErrorKind.Malformed, 'certificate: could not be decoded');
	});
	cache.set(der, work);
	return work;
}

/** Bytes that look like PEM are converted to DER; DER passes through. */
export function derFromPem(input: Uint8Array | string): Uint8Array {
	const text = typeof input === 'string' ? input : input[0] === 0x2d ? new TextDecoder().decode(input) : undefined;
	if (text === undefined) return input as Uint8Array;
	const match = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(text);
	if (!match) throw malformed('PEM: no BEGIN/END block');
	const base64 = match[1]!.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw malformed('PEM: not base64');
	const binary = atob(base64);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}
