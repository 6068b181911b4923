/** A certificate as plain data for the UI (crosses the worker boundary). Never carries the 4 information. */
import { toHex } from '../bytes';
import { parseCertificate, type ParsedCertificate } from './certificate';
import { keyUsageNames, type DistributionPoint, type KeyUsageName } from './extensions';
import { certificateKind, validityInfo, type CertificateKind, type ValidityInfo } from './jpki-profile';
import { nameToString } from './name';
import { Oid } from './oids';
import { distributionPointNames } from './revocation';
import { parsePublicKeyInfo, signatureAlgorithmName } from './signature';

export interface CertificateInfo {
	readonly kind: CertificateKind;
	readonly subject: string;
	readonly issuer: string;
	/** Upper-case hex of the serial number's INTEGER content. */
	readonly serialNumber: string;
	/** SHA-256 of the DER, upper-case hex. */
	readonly fingerprint: string;
	readonly validity: ValidityInfo;
	readonly keyUsage: readonly KeyUsageName[];
	readonly extendedKeyUsage: readonly string[];
	readonly isCa: boolean;
	readonly pathLength?: number;
	readonly selfIssued: boolean;
	readonly publicKey: { readonly algorithm: string; readonly bits: number };
	readonly signatureAlgorithm: string;
	readonly subjectKeyId?: string;
	readonly authorityKeyId?: string;
	readonly crlDistributionPoints: readonly string[];
	/** The certificate carries the basic 4 information (read it with `readJpkiBasicInfo`). */
	readonly hasBasicInfo: boolean;
}

function dpText(dp: DistributionPoint, cert: ParsedCertificate): string[] {
	return dp.name ? distributionPointNames(dp.name, cert.issuer).map((n) => (n.type === 'directory' ? n.text : n.value)) : [];
}

export function describeCertificate(cert: ParsedCertificate, at: Date = new Date()): CertificateInfo {
	const key = parsePublicKeyInfo(cert.spki);
	const algorithm = key.algorithm.oid === Oid.rsaEncryption ? 'RSA' : key.algorithm.oid === Oid.ecPublicKey ? 'EC' : key.algorithm.oid;
	const hex = (b: Uint8Array) => toHex(b).toUpperCase();
	return {
		kind: certificateKind(cert),
		subject: nameToString(cert.subject),
		issuer: nameToString(cert.issuer),
		serialNumber: hex(cert.serial),
		fingerprint: cert.fingerprint,
		validity: validityInfo(cert.notBefore, cert.notAfter, at.getTime()),
		keyUsage: cert.keyUsage === undefined ? [] : keyUsageNames(cert.keyUsage),
		extendedKeyUsage: [...(cert.extKeyUsage ?? [])],
		isCa: cert.basicConstraints?.ca === true,
		...(cert.basicConstraints?.pathLen === undefined ? {} : { pathLength: cert.basicConstraints.pathLen }),
		selfIssued: cert.selfIssued,
		publicKey: { algorithm, bits: key.bits },
		signatureAlgorithm: signatureAlgorithmName(cert.signatureAlgorithm.oid),
		...(cert.subjectKeyId ? { subjectKeyId: hex(cert.subjectKeyId) } : {}),
		...(cert.authorityKeyId?.keyId ? { authorityKeyId: hex(cert.authorityKeyId.keyId) } : {}),
		crlDistributionPoints: (cert.crlDistributionPoints ?? []).flatMap((dp) => dpText(dp, cert)),
		hasBasicInfo: (cert.subjectAltNames ?? []).some((n) => n.type === 'otherName' && n.oid.startsWith('1.2.392.200149.8.5.5.'))
	};
}

/** Reads a DER (or PEM) certificate into plain data. Throws MynaError(Malformed). */
export async function readCertificate(der: Uint8Array, at?: Date): Promise<CertificateInfo> {
	return describeCertificate(await parseCertificate(der), at);
}
