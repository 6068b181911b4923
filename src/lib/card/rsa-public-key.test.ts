import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorKind, isMynaError } from '../errors';
import { TestPki } from '../emulator/card';
import { buildDigestInfo, HashAlgorithm } from './digest-info';
import { verifyPkcs1v15 } from './rsa-pkcs1-verify';
import { certificatePublicKey } from './rsa-public-key';

function base64UrlBytes(text: string): Uint8Array {
	return Uint8Array.from(Buffer.from(text, 'base64url'));
}

const set = TestPki.certificateSet('hanako', 'valid')!;
const certificates = [set.auth, set.sign!].map((e) => ({ der: e.certificate, jwk: e.privateKeyJwk }));

async function signDigestInfo(jwk: JsonWebKey, message: Uint8Array, hash: 'SHA-256' | 'SHA-384'): Promise<Uint8Array> {
	const { d, n, e, p, q, dp, dq, qi, kty } = jwk;
	const key = await crypto.subtle.importKey('jwk', { d, n, e, p, q, dp, dq, qi, kty }, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']);
	return new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, message.slice()));
}

describe('certificatePublicKey', () => {
	it('finds the RSA-2048 key of the test certificates (same n and e as their private keys)', () => {
		for (const { der, jwk } of certificates) {
			const key = certificatePublicKey(der);
			expect(key.modulus.length).toBe(256);
			expect(key.modulus).toEqual(base64UrlBytes(jwk.n!));
			expect(key.exponent).toEqual(base64UrlBytes(jwk.e!));
		}
	});

	it('refuses trailing bytes and truncation', () => {
		const der = certificates[0]!.der;
		const longer = new Uint8Array(der.length + 1);
		longer.set(der);
		expect(() => certificatePublicKey(longer)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		expect(() => certificatePublicKey(der.subarray(0, der.length - 1))).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('on random bytes and on mutated certificates either finds a key or throws Malformed', () => {
		const der = certificates[0]!.der;
		const mutated = fc
			.array(fc.tuple(fc.nat({ max: der.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
			.map((changes) => {
				const copy = der.slice();
				for (const [at, value] of changes) copy[at] = value;
				return copy;
			});
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated), (bytes) => {
				try {
					const key = certificatePublicKey(bytes);
					expect(key.modulus.length).toBeGreaterThanOrEqual(128);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			}),
			{ numRuns: 300 }
		);
	});
});

describe('verifyPkcs1v15', () => {
	it('accepts a WebCrypto signature over the same DigestInfo and rejects any change', async () => {
		const { der, jwk } = certificates[0]!;
		const key = certificatePublicKey(der);
		const message = new TextEncoder().encode('署名テスト');
		for (const hash of [HashAlgorithm.Sha256, HashAlgorithm.Sha384] as const) {
			const digest = new Uint8Array(await crypto.subtle.digest(hash, message));
			const digestInfo = buildDigestInfo(hash, digest);
			const signature = await signDigestInfo(jwk, message, hash);
			expect(verifyPkcs1v15(key, digestInfo, signature)).toBe(true);
			const flipped = signature.slice();
			flipped[100]! ^= 1;
			expect(verifyPkcs1v15(key, digestInfo, flipped)).toBe(false);
			const otherDigest = digestInfo.slice();
			otherDigest[otherDigest.length - 1]! ^= 1;
			expect(verifyPkcs1v15(key, otherDigest, signature)).toBe(false);
			expect(verifyPkcs1v15(key, digestInfo, signature.subarray(1))).toBe(false);
		}
	});

	it('rejects a signature from the other key', async () => {
		const message = new TextEncoder().encode('x');
		const digestInfo = buildDigestInfo('SHA-256', new Uint8Array(await crypto.subtle.digest('SHA-256', message)));
		const signature = await signDigestInfo(certificates[1]!.jwk, message, 'SHA-256');
		expect(verifyPkcs1v15(certificatePublicKey(certificates[0]!.der), digestInfo, signature)).toBe(false);
		expect(verifyPkcs1v15(certificatePublicKey(certificates[1]!.der), digestInfo, signature)).toBe(true);
	});
});

describe('buildDigestInfo', () => {
	it('builds the RFC 8017 DigestInfo sizes and refuses a digest of the wrong length', () => {
		expect(buildDigestInfo('SHA-1', new Uint8Array(20)).length).toBe(35);
		expect(buildDigestInfo('SHA-256', new Uint8Array(32)).length).toBe(51);
		expect(buildDigestInfo('SHA-384', new Uint8Array(48)).length).toBe(67);
		expect(buildDigestInfo('SHA-512', new Uint8Array(64)).length).toBe(83);
		expect(() => buildDigestInfo('SHA-256', new Uint8Array(20))).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		expect(() => buildDigestInfo('MD5' as never, new Uint8Array(16))).toThrow(expect.objectContaining({ kind: ErrorKind.Unsupported }));
	});
});
