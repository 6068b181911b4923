/**
 * CRL header parsing (RFC 5280 §5.1) with the strict DER reader: everything except the revoked-certificate
 * entries, which `CrlIndex.build` walks in one linear pass. Throws MynaError(Malformed) only.
 */
import { algorithmIdentifier, DerCursor, elementOf, malformed, readRoot, signatureBits, smallInteger, Tag, validateDer, type AlgorithmId } from './der';
import {
	decodeAuthorityKeyIdentifier,
	decodeCrlNumber,
	decodeIssuingDistributionPoint,
	parseExtensions,
	type AuthorityKeyIdentifier,
	type Extension,
	type IssuingDistributionPoint
} from './extensions';
import { parseName, type Name } from './name';
import { Oid } from './oids';
import { isTimeTag, readTime } from './time';

export const CrlLimits = {
	/** 512 MiB: far above a 10M-entry CRL, below what a 32-bit length can describe. */
	maxBytes: 512 * 1024 * 1024,
	maxDepth: 24
} as const;

export interface CrlHeader {
	readonly der: Uint8Array;
	readonly tbs: Uint8Array;
	readonly version: 1 | 2;
	readonly signatureAlgorithm: AlgorithmId;
	readonly tbsSignatureAlgorithm: AlgorithmId;
	readonly signatureValue: Uint8Array;
	readonly signatureWholeOctets: boolean;
	readonly issuer: Name;
	readonly thisUpdate: number;
	readonly nextUpdate?: number;
	/** The content range of revokedCertificates inside `der`, when present. */
	readonly entries?: { readonly start: number; readonly end: number };
	readonly extensions: readonly Extension[];
	/** CRLNumber content bytes (non-negative, minimal). */
	readonly crlNumber?: Uint8Array;
	readonly authorityKeyId?: AuthorityKeyIdentifier;
	readonly issuingDistributionPoint?: IssuingDistributionPoint;
	readonly deltaCrl: boolean;
	/** Critical CRL extensions this engine does not process (the CRL must then not be used). */
	readonly unsupportedCriticalExtensions: readonly string[];
}

/** CRL extensions understood; IDP is understood only in part (see `crlScopeProblem`). */
const KNOWN_CRL_EXTENSIONS: ReadonlySet<string> = new Set([
	Oid.authorityKeyIdentifier,
	Oid.issuerAltName,
	Oid.crlNumber,
	Oid.issuingDistributionPoint,
	Oid.authorityInfoAccess
]);

export function parseCrlHeader(der: Uint8Array): CrlHeader {
	if (der.length > CrlLimits.maxBytes) throw malformed('CRL: too large');
	const root = readRoot(der, Tag.Sequence, 'CertificateList');
	const outer = DerCursor.inside(der, root);
	const tbsTlv = outer.next(Tag.Sequence, 'tbsCertList');
	const signatureAlgorithm = algorithmIdentifier(der, outer.next(Tag.Sequence, 'signatureAlgorithm'));
	const sigTlv = outer.next(Tag.BitString, 'signatureValue');
	outer.finish('CertificateList');
	const signature = signatureBits(der, sigTlv, 'CRL signatureValue');

	const tbs = DerCursor.inside(der, tbsTlv);
	let version: 1 | 2 = 1;
	if (tbs.peekTag() === Tag.Integer) {
		if (smallInteger(der, tbs.next(Tag.Integer, 'version'), 'CRL version', 255) !== 1) throw malformed('CRL version: only v2 is defined');
		version = 2;
	}
	const tbsSignatureTlv = tbs.next(Tag.Sequence, 'signature');
	validateDer(der, tbsSignatureTlv.start, tbsSignatureTlv.end, CrlLimits.maxDepth);
	const tbsSignatureAlgorithm = algorithmIdentifier(der, tbsSignatureTlv);
	const issuerTlv = tbs.next(Tag.Sequence, 'issuer');
	validateDer(der, issuerTlv.start, issuerTlv.end, CrlLimits.maxDepth);
	const issuer = parseName(der, issuerTlv);
	const thisUpdate = readTime(der, tbs.next(undefined, 'thisUpdate'), 'thisUpdate');
	const nextUpdate = isTimeTag(tbs.peekTag()) ? readTime(der, tbs.next(undefined, 'nextUpdate'), 'nextUpdate') : undefined;
	const revoked = tbs.optional(Tag.Sequence);
	const extTlv = tbs.optional(0xa0);
	tbs.finish('tbsCertList');

	let extensions: Extension[] = [];
	if (extTlv) {
		if (version !== 2) throw malformed('CRL extensions need v2');
		validateDer(der, extTlv.start, extTlv.end, CrlLimits.maxDepth);
		const inner = DerCursor.inside(der, extTlv);
		extensions = parseExtensions(der, inner.next(Tag.Sequence, 'crlExtensions'), 'crlExtensions');
		inner.finish('crlExtensions');
	}
	let crlNumber: Uint8Array | undefined;
	let authorityKeyId: AuthorityKeyIdentifier | undefined;
	let issuingDistributionPoint: IssuingDistributionPoint | undefined;
	let deltaCrl = false;
	const unsupported: string[] = [];
	for (const ext of extensions) {
		if (ext.oid === Oid.crlNumber) crlNumber = decodeCrlNumber(ext.value);
		else if (ext.oid === Oid.authorityKeyIdentifier) authorityKeyId = decodeAuthorityKeyIdentifier(ext.value);
		else if (ext.oid === Oid.issuingDistributionPoint) issuingDistributionPoint = decodeIssuingDistributionPoint(ext.value);
		else if (ext.oid === Oid.deltaCrlIndicator) {
			decodeCrlNumber(ext.value);
			deltaCrl = true;
			unsupported.push(ext.oid);
		} else if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.oid)) unsupported.push(ext.oid);
	}
	return {
		der,
		tbs: elementOf(der, tbsTlv),
		version,
		signatureAlgorithm,
		tbsSignatureAlgorithm,
		signatureValue: signature.bits,
		signatureWholeOctets: signature.wholeOctets,
		issuer,
		thisUpdate,
		...(nextUpdate === undefined ? {} : { nextUpdate }),
		...(revoked ? { entries: { start: revoked.valueStart, end: revoked.end } } : {}),
		extensions,
		...(crlNumber ? { crlNumber } : {}),
		...(authorityKeyId ? { authorityKeyId } : {}),
		...(issuingDistributionPoint ? { issuingDistributionPoint } : {}),
		deltaCrl,
		unsupportedCriticalExtensions: unsupported
	};
}
