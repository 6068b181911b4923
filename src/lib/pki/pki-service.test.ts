import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { cardStandInSign, createTestPki, makeCrl, TestNames, type TestPki } from './fixtures/test-pki';
import { createPkiService } from './pki-service';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
let pki: TestPki;

beforeAll(async () => {
	pki = await createTestPki(NOW);
});

/** Every answer must survive structured cloning (it crosses the worker boundary). */
function cloned<T>(value: T): T {
	const copy = structuredClone(value);
	expect(copy).toEqual(value);
	return copy;
}

describe('PKI service (what the worker exposes)', () => {
	it('verifies a card certificate against operator anchors and the cached CRL', async () => {
		const service = createPkiService({ indexedDB: new IDBFactory() });
		expect(cloned(await service.verifyCertificate({ leaf: pki.signLeaf, at: NOW }))).toMatchObject({ ok: true, result: { status: 'untrusted' } });
		expect(await service.addAnchor(pki.root, { label: 'test sign CA' })).toMatchObject({ ok: true });
		const listed = cloned(await service.listAnchors());
		expect(listed.ok && listed.anchors.map((a) => a.source)).toEqual(['shipped', 'shipped', 'shipped', 'shipped', 'operator']);
		expect(cloned(await service.verifyCertificate({ leaf: pki.signLeaf, at: NOW }))).toMatchObject({ ok: true, result: { status: 'revocation-unknown' } });

		const crl = await makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 3 });
		const progress: number[] = [];
		const imported = cloned(await service.importCrlFile(crl, (f) => progress.push(f)));
		expect(imported).toMatchObject({ ok: true, unchanged: false, metadata: { crlNumber: '03' } });
		expect(progress.at(-1)).toBe(1);
		expect(cloned(await service.verifyCertificate({ leaf: pki.signLeaf, at: NOW }))).toMatchObject({ ok: true, result: { status: 'valid', crls: [{ source: 'store' }] } });
		expect(cloned(await service.listCrls(NOW))).toMatchObject({ ok: true, crls: [{ freshness: { state: 'current' } }] });
		expect(cloned(await service.importCrlFile(Uint8Array.of(1, 2, 3)))).toMatchObject({ ok: false, error: { kind: ErrorKind.Malformed } });
		expect(cloned(await service.importCrlFromUrl('https://x.test/a.crl'))).toMatchObject({ ok: false, error: { kind: ErrorKind.Unsupported } });
	});

	it('stops an import by its operation id before it stores: the previous CRL stays in force', async () => {
		const service = createPkiService({ indexedDB: new IDBFactory() });
		await service.addAnchor(pki.root);
		const crl = (crlNumber: number) => makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY + crlNumber, nextUpdate: NOW + DAY, crlNumber });
		expect(await service.importCrlFile(await crl(3), undefined, 'import-1')).toMatchObject({ ok: true });
		const phases: string[] = [];
		const running = service.importCrlFile(await crl(4), (_f, phase) => phases.push(phase), 'import-2');
		expect(await service.cancelImport('import-2')).toEqual({ ok: true, cancelled: true });
		expect(cloned(await running)).toMatchObject({ ok: false, error: { kind: ErrorKind.Aborted } });
		expect(phases).not.toContain('store');
		expect(cloned(await service.listCrls(NOW))).toMatchObject({ ok: true, crls: [{ crlNumber: '03' }] });
		// Finished or unknown: nothing to stop.
		expect(await service.cancelImport('import-1')).toEqual({ ok: true, cancelled: false });
		expect(await service.cancelImport('import-2')).toEqual({ ok: true, cancelled: false });
	});

	it('reads certificates and the 4 information, and signs and verifies files', async () => {
		const service = createPkiService({ indexedDB: new IDBFactory() });
		expect(cloned(await service.readCertificate(pki.signLeaf, NOW))).toMatchObject({ ok: true, certificate: { kind: 'jpki-sign', hasBasicInfo: true } });
		expect(cloned(await service.readBasicInfo(pki.signLeaf))).toMatchObject({ ok: true, info: { name: '試験　花子', sex: { code: '2' } } });
		expect(cloned(await service.readBasicInfo(pki.authLeaf))).toEqual({ ok: true, info: null });
		await service.addAnchor(pki.root);
		const content = new TextEncoder().encode('file');
		const built = await service.buildSignature({ content, signerCertificate: pki.signLeaf }, async (r) => cardStandInSign(pki.keys.leaf, r.digestInfo));
		expect(built.ok).toBe(true);
		if (!built.ok) return;
		const crl = await makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1 });
		expect(cloned(await service.verifySignature({ signature: built.p7s, content, crls: [crl], at: NOW }))).toMatchObject({ ok: true, verification: { status: 'valid' } });
	});
});
