import { describe, expect, it } from 'vitest';
import { Der, unsignedIntegerContent } from './der-writer';
import { Oid } from './oids';
import { parsePublicKeyInfo, verifySignature } from './signature';
import { testKey, signRsaSha256 } from './fixtures/test-pki';
import { readRoot, Tag, algorithmIdentifier } from './der';

const alg = (oid: string, params?: Uint8Array) => {
	const der = Der.sequence(Der.oid(oid), ...(params ? [params] : []));
	return algorithmIdentifier(der, readRoot(der, Tag.Sequence, 'alg'));
};

describe('signatures', () => {
	it('verifies RSASSA-PKCS1-v1_5 / SHA-256 and refuses SHA-1, DSA and wrong parameters', async () => {
		const key = await testKey('rootA');
		const data = new TextEncoder().encode('tbs');
		const signature = await signRsaSha256(key, data);
		expect(parsePublicKeyInfo(key.spki).bits).toBe(2048);
		expect(await verifySignature(key.spki, alg(Oid.sha256WithRsa, Der.null()), data, signature)).toBe('valid');
		expect(await verifySignature(key.spki, alg(Oid.sha256WithRsa), data, signature)).toBe('valid');
		expect(await verifySignature(key.spki, alg(Oid.sha256WithRsa, Der.null()), Uint8Array.of(...data, 0), signature)).toBe('invalid');
		expect(await verifySignature(key.spki, alg(Oid.sha256WithRsa, Der.integer(1)), data, signature)).toBe('invalid');
		expect(await verifySignature(key.spki, alg(Oid.sha1WithRsa, Der.null()), data, signature)).toBe('unsupported');
		expect(await verifySignature(key.spki, alg('1.2.840.10040.4.3'), data, signature)).toBe('unsupported');
		expect(await verifySignature(key.spki, alg(Oid.ecdsaWithSha256), data, signature)).toBe('invalid');
	});

	it('verifies ECDSA P-256 signatures given as DER (r, s)', async () => {
		const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
		const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
		const data = new TextEncoder().encode('tbs');
		const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data));
		const der = Der.sequence(Der.integer(unsignedIntegerContent(raw.subarray(0, 32))), Der.integer(unsignedIntegerContent(raw.subarray(32))));
		expect(parsePublicKeyInfo(spki).bits).toBe(256);
		expect(await verifySignature(spki, alg(Oid.ecdsaWithSha256), data, der)).toBe('valid');
		expect(await verifySignature(spki, alg(Oid.ecdsaWithSha256), Uint8Array.of(1), der)).toBe('invalid');
		expect(await verifySignature(spki, alg(Oid.ecdsaWithSha256), data, raw)).toBe('invalid');
	});
});
