import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorKind, isMynaError } from '../errors';
import { jlisAnchorCertificates, JLIS_ANCHORS } from './anchors';
import { derFromPem, parseCertificate } from './certificate';
import { readCertificate } from './certificate-info';
import { Der } from './der-writer';
import { derMutation, mutate } from './fixtures/der-mutations';
import { createTestPki, type TestPki } from './fixtures/test-pki';
import { nameToString } from './name';

let pki: TestPki;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);

beforeAll(async () => {
	pki = await createTestPki(NOW);
});

async function malformedOnly(bytes: Uint8Array): Promise<void> {
	try {
		await parseCertificate(bytes);
	} catch (error) {
		if (!isMynaError(error, ErrorKind.Malformed)) throw error;
	}
}

describe('certificates', () => {
	it('reads the shipped J-LIS anchors and matches their pinned fingerprints', async () => {
		const certs = jlisAnchorCertificates();
		expect(certs).toHaveLength(4);
		for (const [i, der] of certs.entries()) {
			const cert = await parseCertificate(der);
			expect(cert.fingerprint).toBe(JLIS_ANCHORS[i]!.fingerprint);
			expect(cert.basicConstraints).toEqual({ ca: true });
			expect(cert.selfIssued).toBe(true);
			expect(nameToString(cert.subject)).toMatch(/^C=JP, O=JPKI, OU=JPKI for (digital signature|user authentication), OU=Japan Agency/);
		}
		const sign2023 = await readCertificate(certs[1]!, new Date(NOW));
		expect(sign2023).toMatchObject({
			kind: 'jpki-sign-ca',
			serialNumber: '067C6A21',
			isCa: true,
			keyUsage: ['keyCertSign', 'cRLSign'],
			publicKey: { algorithm: 'RSA', bits: 2048 },
			signatureAlgorithm: 'RSASSA-PKCS1-v1_5 with SHA-256',
			validity: { notAfter: '2033-07-15T14:59:59.000Z', expired: false }
		});
		expect(sign2023.crlDistributionPoints[0]).toContain('JPKI for digital signature');
	});

	it('reads subject, issuer, validity, key usage, serial and fingerprint of a leaf', async () => {
		const info = await readCertificate(pki.signLeaf, new Date(NOW));
		expect(info).toMatchObject({
			kind: 'jpki-sign',
			subject: 'C=JP, L=Test City, CN=TEST0000000000000000000000000001',
			issuer: expect.stringContaining('OU=JPKI for digital signature'),
			serialNumber: '12345678',
			keyUsage: ['digitalSignature', 'nonRepudiation'],
			isCa: false,
			hasBasicInfo: true
		});
		expect(info.fingerprint).toMatch(/^[0-9A-F]{64}$/);
		expect(JSON.stringify(info)).not.toContain('試験');
		expect(structuredClone(info)).toEqual(info);
	});

	it('accepts PEM text', async () => {
		const der = pki.root;
		const pem = `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...der)).replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
		expect((await parseCertificate(derFromPem(pem))).fingerprint).toBe((await parseCertificate(der)).fingerprint);
	});

	it('refuses trailing bytes, BER lengths and a serial that is not minimal', async () => {
		await expect(parseCertificate(Uint8Array.of(...pki.root, 0))).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		const ber = pki.root.slice();
		ber[1] = 0x80;
		await expect(parseCertificate(ber)).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		await expect(parseCertificate(Der.sequence(Der.integer(1)))).rejects.toMatchObject({ kind: ErrorKind.Malformed });
	});

	it('property: random bytes never throw anything but Malformed', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => malformedOnly(bytes)),
			{ numRuns: 500 }
		);
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => malformedOnly(Der.sequence(Der.sequence(bytes), bytes))),
			{ numRuns: 300 }
		);
	});

	it('property: mutated certificates never throw anything but Malformed', async () => {
		const sources = [pki.signLeaf, pki.root, jlisAnchorCertificates()[0]!];
		await fc.assert(
			fc.asyncProperty(fc.nat(sources.length - 1), fc.array(derMutation(1000), { minLength: 1, maxLength: 4 }), async (which, mutations) =>
				malformedOnly(mutate(sources[which]!, mutations))
			),
			{ numRuns: 600 }
		);
	});

	it('rejects oversized and node-heavy input quickly (linear, bounded)', async () => {
		const many = (n: number) => {
			const body = new Uint8Array(n * 2).map((_, i) => (i % 2 ? 0 : 0x05));
			return Der.sequence(Der.sequence(Der.contextConstructed(0, Der.integer(2)), Der.integer(1), body), Der.sequence(), Der.bitString(new Uint8Array(4)));
		};
		const time = async (bytes: Uint8Array) => {
			const start = performance.now();
			await malformedOnly(bytes);
			return performance.now() - start;
		};
		await time(many(100));
		const small = await time(many(10_000));
		const large = await time(many(100_000));
		expect(large).toBeLessThan(500);
		expect(large / Math.max(small, 1)).toBeLessThan(40);
		await expect(parseCertificate(new Uint8Array(300 * 1024))).rejects.toMatchObject({ kind: ErrorKind.Malformed });
	});
});
