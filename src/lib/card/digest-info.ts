import { concatBytes, fromHex } from '../bytes';
import { ErrorKind, MynaError } from '../errors';

export const HashAlgorithm = {
	Sha256: 'SHA-256',
	Sha384: 'SHA-384',
	Sha512: 'SHA-512',
	/** Only for compatibility with systems that still ask for it; never the default. */
	Sha1: 'SHA-1'
} as const;
export type HashAlgorithm = (typeof HashAlgorithm)[keyof typeof HashAlgorithm];

/**
 * DER DigestInfo prefixes (RFC 8017 §9.2, note 1): the AlgorithmIdentifier with NULL parameters and the OCTET STRING
 * header, to which the digest is appended. The card adds the PKCS#1 v1.5 type-1 padding itself (facts/jpki.md §4).
 */
export const HashAlgorithms = {
	'SHA-256': { digestLength: 32, prefix: '3031300d060960864801650304020105000420', compatibilityOnly: false },
	'SHA-384': { digestLength: 48, prefix: '3041300d060960864801650304020205000430', compatibilityOnly: false },
	'SHA-512': { digestLength: 64, prefix: '3051300d060960864801650304020305000440', compatibilityOnly: false },
	'SHA-1': { digestLength: 20, prefix: '3021300906052b0e03021a05000414', compatibilityOnly: true }
} as const satisfies Record<HashAlgorithm, { digestLength: number; prefix: string; compatibilityOnly: boolean }>;

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
	return typeof value === 'string' && Object.hasOwn(HashAlgorithms, value);
}

/** The DER DigestInfo the card signs. The digest length must match the algorithm. */
export function buildDigestInfo(hashAlgorithm: HashAlgorithm, digest: Uint8Array): Uint8Array {
	if (!isHashAlgorithm(hashAlgorithm)) {
		throw new MynaError(ErrorKind.Unsupported, 'Unknown hash algorithm', { reason: 'hash-algorithm' });
	}
	const spec = HashAlgorithms[hashAlgorithm];
	if (digest.length !== spec.digestLength) {
		throw new MynaError(ErrorKind.Malformed, `A ${hashAlgorithm} digest is ${spec.digestLength} bytes`, {
			hashAlgorithm,
			digestLength: digest.length
		});
	}
	return concatBytes(fromHex(spec.prefix), digest);
}
