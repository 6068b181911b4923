/** Signature checks over raw DER bytes with WebCrypto (RSASSA-PKCS1-v1_5 and ECDSA with SHA-2). */
import { toHex } from '../bytes';
import { algorithmIdentifier, bitStringBytes, DerCursor, integerBytes, malformed, oidString, readRoot, Tag, type AlgorithmId } from './der';
import { Oid } from './oids';

export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

/** A view WebCrypto accepts without copying when the bytes already live in an ArrayBuffer. */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	if (bytes.buffer instanceof ArrayBuffer) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const copy = new Uint8Array(new ArrayBuffer(bytes.length));
	copy.set(bytes);
	return copy;
}

export const HashName = {
	[Oid.sha256]: 'SHA-256',
	[Oid.sha384]: 'SHA-384',
	[Oid.sha512]: 'SHA-512'
} as const satisfies Record<string, string>;

export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

interface Scheme {
	readonly family: 'rsa' | 'ecdsa';
	readonly hash: HashAlgorithm;
}

const SCHEMES: Readonly<Record<string, Scheme>> = {
	[Oid.sha256WithRsa]: { family: 'rsa', hash: 'SHA-256' },
	[Oid.sha384WithRsa]: { family: 'rsa', hash: 'SHA-384' },
	[Oid.sha512WithRsa]: { family: 'rsa', hash: 'SHA-512' },
	[Oid.ecdsaWithSha256]: { family: 'ecdsa', hash: 'SHA-256' },
	[Oid.ecdsaWithSha384]: { family: 'ecdsa', hash: 'SHA-384' },
	[Oid.ecdsaWithSha512]: { family: 'ecdsa', hash: 'SHA-512' }
};

const CURVES: Readonly<Record<string, { name: string; size: number }>> = {
	[Oid.secp256r1]: { name: 'P-256', size: 32 },
	[Oid.secp384r1]: { name: 'P-384', size: 48 },
	[Oid.secp521r1]: { name: 'P-521', size: 66 }
};

export function signatureAlgorithmName(oid: string): string {
	const scheme = SCHEMES[oid];
	if (scheme) return `${scheme.family === 'rsa' ? 'RSASSA-PKCS1-v1_5' : 'ECDSA'} with ${scheme.hash}`;
	if (oid === Oid.sha1WithRsa) return 'RSASSA-PKCS1-v1_5 with SHA-1 (not accepted)';
	if (oid === Oid.rsassaPss) return 'RSASSA-PSS (not supported)';
	return oid;
}

export interface PublicKeyInfo {
	readonly algorithm: AlgorithmId;
	readonly key: Uint8Array;
	/** RSA modulus size or EC field size, in bits (0 when unknown). */
	readonly bits: number;
}

export function parsePublicKeyInfo(spki: Uint8Array): PublicKeyInfo {
	const root = readRoot(spki, Tag.Sequence, 'SubjectPublicKeyInfo');
	const cursor = DerCursor.inside(spki, root);
	const algorithm = algorithmIdentifier(spki, cursor.next(Tag.Sequence, 'SPKI algorithm'));
	const keyTlv = cursor.next(Tag.BitString, 'subjectPublicKey');
	cursor.finish('SubjectPublicKeyInfo');
	const { unusedBits, bits: key } = bitStringBytes(spki, keyTlv, 'subjectPublicKey');
	if (unusedBits !== 0) throw malformed('subjectPublicKey: unused bits');
	let size = 0;
	if (algorithm.oid === Oid.rsaEncryption) {
		const rsa = readRoot(key, Tag.Sequence, 'RSAPublicKey');
		const inner = DerCursor.inside(key, rsa);
		const modulus = integerBytes(key, inner.next(Tag.Integer, 'modulus'), 'modulus');
		integerBytes(key, inner.next(Tag.Integer, 'publicExponent'), 'publicExponent');
		inner.finish('RSAPublicKey');
		const significant = modulus[0] === 0 ? modulus.subarray(1) : modulus;
		size = significant.length * 8 - Math.clz32(significant[0] ?? 0) + 24;
	} else if (algorithm.oid === Oid.ecPublicKey && algorithm.parameters) {
		const curve = CURVES[oidString(algorithm.parameters, readRoot(algorithm.parameters, Tag.Oid, 'namedCurve'))];
		size = curve ? (curve.name === 'P-521' ? 521 : curve.size * 8) : 0;
	}
	return { algorithm, key, bits: size };
}

const keyCache = new Map<string, Promise<CryptoKey | undefined>>();
const KEY_CACHE_LIMIT = 512;

function importKey(spki: Uint8Array, scheme: Scheme): Promise<CryptoKey | undefined> {
	const cacheKey = `${scheme.family}/${scheme.hash}/${toHex(spki)}`;
	let entry = keyCache.get(cacheKey);
	if (!entry) {
		if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
		entry = (async () => {
			const info = parsePublicKeyInfo(spki);
			if (scheme.family === 'rsa') {
				if (info.algorithm.oid !== Oid.rsaEncryption) return undefined;
				return crypto.subtle.importKey('spki', bufferSource(spki), { name: 'RSASSA-PKCS1-v1_5', hash: scheme.hash }, false, ['verify']);
			}
			if (info.algorithm.oid !== Oid.ecPublicKey || !info.algorithm.parameters) return undefined;
			const curve = CURVES[oidString(info.algorithm.parameters, readRoot(info.algorithm.parameters, Tag.Oid, 'namedCurve'))];
			if (!curve) return undefined;
			return crypto.subtle.importKey('spki', bufferSource(spki), { name: 'ECDSA', namedCurve: curve.name }, false, ['verify']);
		})().catch(() => undefined);
		keyCache.set(cacheKey, entry);
	}
	return entry;
}

/** ECDSA-Sig-Value (DER SEQUENCE of r, s) → the fixed-width r‖s WebCrypto wants. */
function ecdsaRaw(signature: Uint8Array, size: number): Uint8Array | undefined {
	try {
		const root = readRoot(signature, Tag.Sequence, 'ECDSA-Sig-Value');
		const cursor = DerCursor.inside(signature, root);
		const r = integerBytes(signature, cursor.next(Tag.Integer, 'r'));
		const s = integerBytes(signature, cursor.next(Tag.Integer, 's'));
		cursor.finish('ECDSA-Sig-Value');
		const out = new Uint8Array(size * 2);
		for (const [part, at] of [[r, 0], [s, size]] as const) {
			const trimmed = part[0] === 0 ? part.subarray(1) : part;
			if (trimmed.length > size || part[0]! & 0x80) return undefined;
			out.set(trimmed, at + size - trimmed.length);
		}
		return out;
	} catch {
		return undefined;
	}
}

const NULL_PARAMS = 0x0500;

/**
 * Verifies `signature` over `data` with the key in `spki`. 'unsupported' for algorithms this engine does not accept
 * (SHA-1, DSA, PSS, unknown curves), 'invalid' for a wrong signature or a key that does not fit the algorithm.
 */
export async function verifySignature(spki: Uint8Array, algorithm: AlgorithmId, data: Uint8Array, signature: Uint8Array): Promise<SignatureCheck> {
	const scheme = SCHEMES[algorithm.oid];
	if (!scheme) return 'unsupported';
	const params = algorithm.parameters;
	if (scheme.family === 'rsa' && params && (params.length !== 2 || ((params[0]! << 8) | params[1]!) !== NULL_PARAMS)) return 'invalid';
	if (scheme.family === 'ecdsa' && params) return 'invalid';
	const key = await importKey(spki, scheme);
	if (!key) return 'invalid';
	let sig: Uint8Array | undefined = signature;
	let webAlgorithm: AlgorithmIdentifier | EcdsaParams = { name: 'RSASSA-PKCS1-v1_5' };
	if (scheme.family === 'ecdsa') {
		const curve = (key.algorithm as KeyAlgorithm & { namedCurve?: string }).namedCurve;
		sig = ecdsaRaw(signature, curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66);
		if (!sig) return 'invalid';
		webAlgorithm = { name: 'ECDSA', hash: scheme.hash };
	}
	try {
		return (await crypto.subtle.verify(webAlgorithm, key, bufferSource(sig), bufferSource(data))) ? 'valid' : 'invalid';
	} catch {
		return 'invalid';
	}
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest('SHA-256', bufferSource(bytes)));
}

export async function digest(hash: HashAlgorithm, bytes: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest(hash, bufferSource(bytes)));
}
