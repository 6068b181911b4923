/**
 * Detached CMS SignedData (.p7s, RFC 5652) around a signature the card makes, and its verification against the
 * signed file with the chain and revocation checks of `verifyChainWith`.
 *
 * Signed attributes: content type, message digest, signing time, ESS signing-certificate-v2 (RFC 5035).
 * The card signs RSASSA-PKCS1-v1_5 over the DigestInfo of the signed attributes' digest.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { concatBytes, equalBytes } from '../bytes';
import { ErrorKind, isMynaError, MynaError } from '../errors';
import { parseCertificate, type ParsedCertificate } from './certificate';
import { describeCertificate, type CertificateInfo } from './certificate-info';
import { verifyChainWith, type ChainResult, type ChainStatus } from './chain';
import { algorithmIdentifier, DerCursor, elementOf, malformed, oidString, readRoot, readTlv, Tag, validateDer, valueOf } from './der';
import { Der } from './der-writer';
import { parseName } from './name';
import { Oid } from './oids';
import { inputCrlSource, type RevocationSource } from './revocation';
import { digest, HashName, verifySignature, type HashAlgorithm } from './signature';
import { readTime } from './time';

export const CmsLimits = {
	maxBytes: 4 * 1024 * 1024,
	maxDepth: 32,
	maxNodes: 100_000
} as const;

const HASH_OID: Readonly<Record<HashAlgorithm, string>> = { 'SHA-256': Oid.sha256, 'SHA-384': Oid.sha384, 'SHA-512': Oid.sha512 };
const RSA_WITH: Readonly<Record<HashAlgorithm, string>> = { 'SHA-256': Oid.sha256WithRsa, 'SHA-384': Oid.sha384WithRsa, 'SHA-512': Oid.sha512WithRsa };

/** What the card is asked to sign. */
export interface CardSignRequest {
	/** The digest of the DER-encoded signed attributes. */
	readonly digest: Uint8Array;
	readonly hashAlgorithm: HashAlgorithm;
	/** DER DigestInfo { AlgorithmIdentifier, digest }: what an RSA card pads and signs (JPKI signing key). */
	readonly digestInfo: Uint8Array;
	/** The DER signed attributes themselves (for signers that hash on their own). */
	readonly signedAttributes: Uint8Array;
}

export interface BuildCmsInput {
	/** The file, or its digest (made with `digestAlgorithm`). */
	readonly content?: Uint8Array;
	readonly contentDigest?: Uint8Array;
	readonly signerCertificate: Uint8Array;
	/** CA certificates to include after the signer's (optional). */
	readonly certificates?: readonly Uint8Array[];
	readonly digestAlgorithm?: HashAlgorithm;
	readonly signingTime?: Date;
	/** Returns the RSASSA-PKCS1-v1_5 signature (e.g. the card's). */
	readonly sign: (request: CardSignRequest) => Promise<Uint8Array>;
}

export function digestInfo(hash: HashAlgorithm, value: Uint8Array): Uint8Array {
	return Der.sequence(Der.sequence(Der.oid(HASH_OID[hash]), Der.null()), Der.octetString(value));
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
	return Der.sequence(Der.oid(oid), Der.set(value));
}

/** ESS SigningCertificateV2 with one ESSCertIDv2 (SHA-256, the default, so hashAlgorithm is omitted) and IssuerSerial. */
async function signingCertificateV2(cert: ParsedCertificate): Promise<Uint8Array> {
	const certHash = await digest('SHA-256', cert.der);
	const issuerSerial = Der.sequence(Der.sequence(Der.contextConstructed(4, cert.issuer.der)), Der.integerRaw(cert.serial));
	return Der.sequence(Der.sequence(Der.sequence(Der.octetString(certHash), issuerSerial)));
}

function fromBer(bytes: Uint8Array): asn1js.AsnType {
	const asn1 = asn1js.fromBER(bytes, { maxDepth: CmsLimits.maxDepth, maxNodes: CmsLimits.maxNodes, maxContentLength: CmsLimits.maxBytes });
	if (asn1.offset === -1) throw malformed('CMS: not BER');
	return asn1.result;
}

/** Builds a detached .p7s (DER ContentInfo) around the signature `sign` returns. */
export async function buildDetachedCms(input: BuildCmsInput): Promise<Uint8Array> {
	const hash = input.digestAlgorithm ?? 'SHA-256';
	const signer = await parseCertificate(input.signerCertificate);
	const contentDigest = input.contentDigest ?? (input.content ? await digest(hash, input.content) : undefined);
	if (!contentDigest) throw new MynaError(ErrorKind.Internal, 'CMS: neither content nor its digest given');
	const signingTime = (input.signingTime ?? new Date()).getTime();
	const signedAttributes = Der.setOf(
		attribute(Oid.contentType, Der.oid(Oid.data)),
		attribute(Oid.signingTime, Der.time(Math.floor(signingTime / 1000) * 1000)),
		attribute(Oid.messageDigest, Der.octetString(contentDigest)),
		attribute(Oid.signingCertificateV2, await signingCertificateV2(signer))
	);
	const attrsDigest = await digest(hash, signedAttributes);
	const signature = await input.sign({ digest: attrsDigest, hashAlgorithm: hash, digestInfo: digestInfo(hash, attrsDigest), signedAttributes });
	if (!(signature instanceof Uint8Array) || signature.length === 0) throw new MynaError(ErrorKind.Internal, 'CMS: the signer returned no signature');

	const implicitAttrs = concatBytes(Uint8Array.of(0xa0), signedAttributes.subarray(1));
	const signerInfo = new pkijs.SignerInfo({
		version: 1,
		sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.pkijs.issuer, serialNumber: signer.pkijs.serialNumber }),
		digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] }),
		signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, schema: fromBer(implicitAttrs) }),
		signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: Oid.rsaEncryption, algorithmParams: new asn1js.Null() }),
		signature: new asn1js.OctetString({ valueHex: signature })
	});
	const certificates = [signer.pkijs, ...(await Promise.all((input.certificates ?? []).map(async (c) => (await parseCertificate(c)).pkijs)))];
	const signedData = new pkijs.SignedData({
		version: 1,
		digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] })],
		encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: Oid.data }),
		certificates,
		signerInfos: [signerInfo]
	});
	const contentInfo = new pkijs.ContentInfo({ contentType: Oid.signedData, content: signedData.toSchema(true) });
	const der = new Uint8Array(contentInfo.toSchema().toBER(false));
	const check = parseCms(der);
	if (!equalBytes(check.signedAttributes, signedAttributes)) throw new MynaError(ErrorKind.Internal, 'CMS: the encoded signed attributes differ from the signed ones');
	return der;
}

interface ParsedCms {
	readonly digestAlgorithm: HashAlgorithm | undefined;
	readonly digestAlgorithmOid: string;
	readonly eContentType: string;
	readonly detached: boolean;
	readonly certificates: readonly Uint8Array[];
	readonly crls: readonly Uint8Array[];
	readonly sid: { readonly issuer: Uint8Array; readonly serial: Uint8Array } | { readonly keyId: Uint8Array };
	/** Signed attributes as a DER SET OF (tag 0x31), the bytes the signature covers. */
	readonly signedAttributes: Uint8Array;
	readonly attributes: ReadonlyMap<string, readonly Uint8Array[]>;
	readonly signatureAlgorithm: ReturnType<typeof algorithmIdentifier>;
	readonly signature: Uint8Array;
	readonly signerCount: number;
}

/**
 * Strict structural parse of a ContentInfo/SignedData with one signer (the DER walker, bounded), cross-checked
 * by pkijs decoding the same bytes.
 */
function parseCms(der: Uint8Array): ParsedCms {
	if (der.length > CmsLimits.maxBytes) throw malformed('CMS: too large');
	const root = readRoot(der, Tag.Sequence, 'ContentInfo');
	validateDer(der, 0, der.length, CmsLimits.maxDepth);
	const ci = DerCursor.inside(der, root);
	if (oidString(der, ci.next(Tag.Oid, 'contentType')) !== Oid.signedData) throw malformed('CMS: not SignedData');
	const explicit = DerCursor.inside(der, ci.next(0xa0, 'content'));
	ci.finish('ContentInfo');
	const sd = DerCursor.inside(der, explicit.next(Tag.Sequence, 'SignedData'));
	explicit.finish('content');
	sd.next(Tag.Integer, 'version');
	sd.next(Tag.Set, 'digestAlgorithms');
	const encap = DerCursor.inside(der, sd.next(Tag.Sequence, 'encapContentInfo'));
	const eContentType = oidString(der, encap.next(Tag.Oid, 'eContentType'));
	const eContent = encap.optional(0xa0);
	encap.finish('encapContentInfo');
	const certificates: Uint8Array[] = [];
	const certSet = sd.optional(0xa0);
	if (certSet) {
		const c = DerCursor.inside(der, certSet);
		while (!c.done) {
			const tlv = c.next(undefined, 'certificate');
			if (tlv.tag === Tag.Sequence) certificates.push(elementOf(der, tlv));
		}
	}
	const crls: Uint8Array[] = [];
	const crlSet = sd.optional(0xa1);
	if (crlSet) {
		const c = DerCursor.inside(der, crlSet);
		while (!c.done) {
			const tlv = c.next(undefined, 'crl');
			if (tlv.tag === Tag.Sequence) crls.push(elementOf(der, tlv));
		}
	}
	const infos = DerCursor.inside(der, sd.next(Tag.Set, 'signerInfos'));
	sd.finish('SignedData');
	const infoTlv = infos.next(Tag.Sequence, 'SignerInfo');
	let signerCount = 1;
	while (!infos.done) {
		infos.next(Tag.Sequence, 'SignerInfo');
		signerCount++;
	}
	const si = DerCursor.inside(der, infoTlv);
	si.next(Tag.Integer, 'SignerInfo version');
	const sidTlv = si.next(undefined, 'sid');
	let sid: ParsedCms['sid'];
	if (sidTlv.tag === Tag.Sequence) {
		const s = DerCursor.inside(der, sidTlv);
		const issuer = elementOf(der, s.next(Tag.Sequence, 'issuer'));
		const serial = valueOf(der, s.next(Tag.Integer, 'serialNumber'));
		s.finish('IssuerAndSerialNumber');
		sid = { issuer, serial };
	} else if (sidTlv.tag === 0x80) {
		sid = { keyId: valueOf(der, sidTlv) };
	} else throw malformed('CMS: unknown signer identifier');
	const digestAlgorithm = algorithmIdentifier(der, si.next(Tag.Sequence, 'digestAlgorithm'));
	const attrsTlv = si.optional(0xa0);
	if (!attrsTlv) throw malformed('CMS: signed attributes are required');
	const signatureAlgorithm = algorithmIdentifier(der, si.next(Tag.Sequence, 'signatureAlgorithm'));
	const signature = valueOf(der, si.next(Tag.OctetString, 'signature'));
	si.optional(0xa1);
	si.finish('SignerInfo');
	const signedAttributes = concatBytes(Uint8Array.of(Tag.Set), der.subarray(attrsTlv.start + 1, attrsTlv.end));
	const attributes = new Map<string, Uint8Array[]>();
	const a = DerCursor.inside(der, attrsTlv);
	while (!a.done) {
		const attr = DerCursor.inside(der, a.next(Tag.Sequence, 'Attribute'));
		const type = oidString(der, attr.next(Tag.Oid, 'attrType'));
		const values = DerCursor.inside(der, attr.next(Tag.Set, 'attrValues'));
		attr.finish('Attribute');
		if (attributes.has(type)) throw malformed(`CMS: attribute ${type} appears twice`);
		const list: Uint8Array[] = [];
		while (!values.done) list.push(elementOf(der, values.next(undefined, 'attrValue')));
		attributes.set(type, list);
	}
	// pkijs must read the same structure.
	try {
		const contentInfo = new pkijs.ContentInfo({ schema: fromBer(der) });
		const signedData = new pkijs.SignedData({ schema: contentInfo.content });
		if (signedData.signerInfos.length !== signerCount) throw new Error('signer count');
	} catch (error) {
		if (isMynaError(error)) throw error;
		throw malformed('CMS: pkijs could not decode it');
	}
	const hash = (HashName as Record<string, HashAlgorithm | undefined>)[digestAlgorithm.oid];
	return {
		digestAlgorithm: hash,
		digestAlgorithmOid: digestAlgorithm.oid,
		eContentType,
		detached: !eContent,
		certificates,
		crls,
		sid,
		signedAttributes,
		attributes,
		signatureAlgorithm,
		signature,
		signerCount
	};
}

export type CmsStatus = ChainStatus | 'content-mismatch';

export interface CmsVerification {
	/** 'valid' only when the signature, the file digest and the signer's chain (with revocation) all check out. */
	readonly status: CmsStatus;
	readonly detail?: string;
	readonly signature?: {
		readonly valid: boolean;
		readonly digestAlgorithm: string;
		/** Claimed by the signer (not a trusted time). */
		readonly signingTime?: string;
		readonly signingCertificateV2: 'matches' | 'absent';
	};
	readonly signer?: CertificateInfo;
	readonly chain?: ChainResult;
}

export interface VerifyCmsInput {
	/** The .p7s (DER). */
	readonly signature: Uint8Array;
	/** The signed file. */
	readonly content: Uint8Array;
	readonly anchors: readonly Uint8Array[];
	readonly intermediates?: readonly Uint8Array[];
	readonly crls?: readonly Uint8Array[];
	/** Validation time for the signer's chain (default now). */
	readonly at?: Date;
}

function attributeValue(cms: ParsedCms, oid: string): Uint8Array | undefined {
	const values = cms.attributes.get(oid);
	if (values && values.length !== 1) throw malformed(`CMS: attribute ${oid} must have one value`);
	return values?.[0];
}

async function findSigner(cms: ParsedCms, extra: readonly Uint8Array[]): Promise<ParsedCertificate | undefined> {
	for (const der of [...cms.certificates, ...extra]) {
		const cert = await parseCertificate(der).catch(() => undefined);
		if (!cert) continue;
		if ('keyId' in cms.sid) {
			if (cert.subjectKeyId && equalBytes(cert.subjectKeyId, cms.sid.keyId)) return cert;
		} else {
			if (parseName(cms.sid.issuer, readRoot(cms.sid.issuer, Tag.Sequence, 'issuer')).key === cert.issuer.key && equalBytes(cms.sid.serial, cert.serial)) return cert;
		}
	}
	return undefined;
}

/** Verifies a detached .p7s against its file; revocation from `input.crls` (and the CMS's own CRLs) or `options.revocation`. */
export async function verifyDetachedCms(input: VerifyCmsInput, options: { revocation?: readonly RevocationSource[] } = {}): Promise<CmsVerification> {
	let cms: ParsedCms;
	try {
		cms = parseCms(input.signature);
	} catch (error) {
		return { status: 'malformed', detail: isMynaError(error) ? error.message : 'the signature file could not be read' };
	}
	try {
		if (!cms.detached) return { status: 'malformed', detail: 'not a detached signature (the content is embedded)' };
		if (cms.signerCount !== 1) return { status: 'malformed', detail: 'only signatures with one signer are supported' };
		if (cms.eContentType !== Oid.data) return { status: 'malformed', detail: 'the signed content type is not id-data' };
		if (!cms.digestAlgorithm) return { status: 'untrusted', detail: `digest algorithm ${cms.digestAlgorithmOid} is not supported` };

		const contentType = attributeValue(cms, Oid.contentType);
		if (!contentType || oidString(contentType, readRoot(contentType, Tag.Oid, 'contentType')) !== cms.eContentType) {
			return { status: 'malformed', detail: 'the content-type attribute is missing or wrong' };
		}
		const messageDigest = attributeValue(cms, Oid.messageDigest);
		if (!messageDigest) return { status: 'malformed', detail: 'the message-digest attribute is missing' };
		const claimed = valueOf(messageDigest, readRoot(messageDigest, Tag.OctetString, 'messageDigest'));
		const timeValue = attributeValue(cms, Oid.signingTime);
		const signingTime = timeValue ? new Date(readTime(timeValue, readTlv(timeValue, 0, timeValue.length), 'signingTime')).toISOString() : undefined;

		const signer = await findSigner(cms, input.intermediates ?? []);
		if (!signer) return { status: 'untrusted', detail: 'the signer certificate is not in the signature file' };

		let essMatches: 'matches' | 'absent' = 'absent';
		const ess = attributeValue(cms, Oid.signingCertificateV2);
		if (ess) {
			const certs = DerCursor.inside(ess, DerCursor.inside(ess, readRoot(ess, Tag.Sequence, 'SigningCertificateV2')).next(Tag.Sequence, 'certs'));
			const first = DerCursor.inside(ess, certs.next(Tag.Sequence, 'ESSCertIDv2'));
			let hash: HashAlgorithm = 'SHA-256';
			if (first.peekTag() === Tag.Sequence) {
				const alg = algorithmIdentifier(ess, first.next(Tag.Sequence, 'hashAlgorithm'));
				const named = (HashName as Record<string, HashAlgorithm | undefined>)[alg.oid];
				if (!named) return { status: 'untrusted', detail: 'the signing-certificate attribute uses an unsupported hash' };
				hash = named;
			}
			const certHash = valueOf(ess, first.next(Tag.OctetString, 'certHash'));
			if (!equalBytes(certHash, await digest(hash, signer.der))) return { status: 'invalid-signature', detail: 'the signing-certificate attribute names a different certificate' };
			essMatches = 'matches';
		}

		const sigAlg = cms.signatureAlgorithm;
		const scheme = sigAlg.oid === Oid.rsaEncryption ? RSA_WITH[cms.digestAlgorithm] : sigAlg.oid;
		if (sigAlg.oid !== Oid.rsaEncryption && sigAlg.oid !== RSA_WITH[cms.digestAlgorithm]) {
			return { status: 'untrusted', detail: `signature algorithm ${sigAlg.oid} is not supported` };
		}
		const check = await verifySignature(signer.spki, { oid: scheme, parameters: Der.null(), der: new Uint8Array(0) }, cms.signedAttributes, cms.signature);
		const info = describeCertificate(signer, input.at);
		const signature = { valid: check === 'valid', digestAlgorithm: cms.digestAlgorithm, ...(signingTime ? { signingTime } : {}), signingCertificateV2: essMatches };
		if (check !== 'valid') return { status: 'invalid-signature', detail: 'the signature does not verify with the signer certificate', signature, signer: info };
		const actual = await digest(cms.digestAlgorithm, input.content);
		if (!equalBytes(actual, claimed)) {
			return { status: 'content-mismatch', detail: 'the file is not the one that was signed (its digest differs)', signature: { ...signature, valid: false }, signer: info };
		}
		const crls = [...(input.crls ?? []), ...cms.crls];
		const chain = await verifyChainWith(
			{ leaf: signer.der, intermediates: [...cms.certificates, ...(input.intermediates ?? [])], anchors: input.anchors, ...(input.at ? { at: input.at } : {}) },
			{ revocation: [...(options.revocation ?? []), inputCrlSource(crls)] }
		);
		return { status: chain.status, ...(chain.detail ? { detail: chain.detail } : {}), signature, signer: info, chain };
	} catch (error) {
		return { status: 'malformed', detail: isMynaError(error) ? error.message : 'the signature file could not be read' };
	}
}
