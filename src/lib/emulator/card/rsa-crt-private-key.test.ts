import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../bytes';
import { RsaCrtPrivateKey, bigIntToBytes, bytesToBigInt, modPow } from './rsa-crt-private-key';
import { TestPki } from './test-pki';

const jwk = TestPki.certificateSet('hanako', 'valid')!.auth.privateKeyJwk;

describe('RsaCrtPrivateKey', () => {
	it('produces exactly the WebCrypto RSASSA-PKCS1-v1_5 / SHA-256 signature (the scheme is deterministic)', async () => {
		const key = new RsaCrtPrivateKey(jwk);
		expect(key.modulusBytes).toBe(256);
		expect(key.maxDataLength).toBe(245);
		const webKey = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
		for (const text of ['', 'a', 'マイナンバーカード']) {
			const message = new TextEncoder().encode(text);
			const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', message));
			const digestInfo = concatBytes(fromHex('3031300d060960864801650304020105000420'), digest);
			const expected = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', webKey, message));
			expect(key.signPkcs1v15(digestInfo)).toEqual(expected);
		}
	});

	it('refuses data longer than k − 11 bytes and an inconsistent key', () => {
		const key = new RsaCrtPrivateKey(jwk);
		expect(() => key.signPkcs1v15(new Uint8Array(246))).toThrow(RangeError);
		expect(key.signPkcs1v15(new Uint8Array(245))).toHaveLength(256);
		expect(() => new RsaCrtPrivateKey({ ...jwk, p: jwk.q, q: TestPki.certificateSet('taro', 'valid')!.auth.privateKeyJwk.q })).toThrow(RangeError);
	});
});

describe('modPow / big-endian conversions', () => {
	it('matches a naive computation on small numbers', () => {
		fc.assert(
			fc.property(fc.bigInt(0n, 10n ** 12n), fc.bigInt(0n, 4000n), fc.bigInt(1n, 10n ** 9n), (base, exponent, modulus) => {
				let expected = 1n % modulus;
				for (let i = 0n; i < exponent; i++) expected = (expected * base) % modulus;
				expect(modPow(base, exponent, modulus)).toBe(expected);
			}),
			{ numRuns: 200 }
		);
	});

	it('round-trips bytes ↔ bigint with a fixed width', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
				expect(bigIntToBytes(bytesToBigInt(bytes), bytes.length)).toEqual(bytes);
			})
		);
		expect(() => bigIntToBytes(256n, 1)).toThrow(RangeError);
		expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
	});
});
