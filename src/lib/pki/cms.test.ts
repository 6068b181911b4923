import * as asn1js from 'asn1js';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from './certificate';
import { buildDetachedCms, verifyDetachedCms, type CardSignRequest } from './cms';
import { derMutation, mutate } from './fixtures/der-mutations';
import { cardStandInSign, createTestPki, makeCrl, TestNames, type TestPki } from './fixtures/test-pki';
import { bufferSource } from './signature';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
const at = new Date(NOW);
const file = new TextEncoder().encode('申請書 — テスト文書 (a file the resident signs)\n');

let pki: TestPki;
let crl: Uint8Array;
let p7s: Uint8Array;
const requests: CardSignRequest[] = [];

beforeAll(async () => {
	pki = await createTestPki(NOW);
	crl = await makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1 });
	p7s = await buildDetachedCms({
		content: file,
		signerCertificate: pki.signLeaf,
		certificates: [pki.root],
		signingTime: new Date(NOW - 60_000),
		sign: async (request) => {
			requests.push(request);
			return cardStandInSign(pki.keys.leaf, request.digestInfo);
		}
	});
});

describe('detached CMS', () => {
	it('asks the card to sign the DigestInfo of the signed attributes', async () => {
		expect(requests).toHaveLength(1);
		const request = requests[0]!;
		expect(request.hashAlgorithm).toBe('SHA-256');
		expect(request.digest).toHaveLength(32);
		expect(request.digestInfo.slice(0, 19)).toEqual(Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]));
		const publicKey = await crypto.subtle.importKey('spki', bufferSource((await parseCertificate(pki.signLeaf)).spki), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
		const signature = cardStandInSign(pki.keys.leaf, request.digestInfo);
		expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, bufferSource(signature), bufferSource(request.signedAttributes))).toBe(true);
	});

	it('builds SignedData that pkijs itself verifies, with the four signed attributes', async () => {
		const contentInfo = new pkijs.ContentInfo({ schema: asn1js.fromBER(p7s).result });
		const signedData = new pkijs.SignedData({ schema: contentInfo.content });
		expect(signedData.encapContentInfo.eContent).toBeUndefined();
		expect(signedData.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type).sort()).toEqual([
			'1.2.840.113549.1.9.16.2.47',
			'1.2.840.113549.1.9.3',
			'1.2.840.113549.1.9.4',
			'1.2.840.113549.1.9.5'
		]);
		expect(await signedData.verify({ signer: 0, data: file.slice().buffer, checkChain: false })).toBe(true);
		expect(new Uint8Array(signedData.certificates![0]!.toSchema().toBER())).toEqual(pki.signLeaf);
	});

	it('verifies the .p7s against its file, the chain and revocation', async () => {
		const result = await verifyDetachedCms({ signature: p7s, content: file, anchors: [pki.root], crls: [crl], at });
		expect(result).toMatchObject({
			status: 'valid',
			signature: { valid: true, digestAlgorithm: 'SHA-256', signingTime: new Date(NOW - 60_000).toISOString(), signingCertificateV2: 'matches' },
			signer: { kind: 'jpki-sign', serialNumber: '12345678' },
			chain: { status: 'valid' }
		});
		expect(structuredClone(result)).toEqual(result);
	});

	it('reports a changed file, a bad signature, a revoked signer and missing revocation data', async () => {
		const changed = Uint8Array.of(...file, 0x20);
		expect((await verifyDetachedCms({ signature: p7s, content: changed, anchors: [pki.root], crls: [crl], at })).status).toBe('content-mismatch');
		const forged = await buildDetachedCms({ content: file, signerCertificate: pki.signLeaf, sign: async (r) => cardStandInSign(pki.keys.root, r.digestInfo) });
		expect((await verifyDetachedCms({ signature: forged, content: file, anchors: [pki.root], crls: [crl], at })).status).toBe('invalid-signature');
		const revoked = await makeCrl({
			issuer: TestNames.signCa,
			signer: pki.keys.root,
			thisUpdate: NOW - DAY,
			nextUpdate: NOW + DAY,
			crlNumber: 2,
			entries: [{ serial: Uint8Array.of(0x12, 0x34, 0x56, 0x78), revoked: NOW - 2 * DAY, reason: 3 }]
		});
		const revokedResult = await verifyDetachedCms({ signature: p7s, content: file, anchors: [pki.root], crls: [revoked], at });
		expect(revokedResult).toMatchObject({ status: 'revoked', chain: { revocation: { reason: { ja: '住所・氏名などの変更により、署名用電子証明書が失効しました' } } } });
		expect((await verifyDetachedCms({ signature: p7s, content: file, anchors: [pki.root], at })).status).toBe('revocation-unknown');
		expect((await verifyDetachedCms({ signature: p7s, content: file, anchors: [pki.authRoot], crls: [crl], at })).status).toBe('untrusted');
	});

	it('property: damaged .p7s files give a result, never an exception', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(derMutation(p7s.length), { minLength: 1, maxLength: 3 }), async (mutations) => {
				const result = await verifyDetachedCms({ signature: mutate(p7s, mutations), content: file, anchors: [pki.root], crls: [crl], at });
				return typeof result.status === 'string';
			}),
			{ numRuns: 200 }
		);
	});
});
