/**
 * The /crls page's flow in Node: CrlsState (what the page drives) over the real PKI service with fake-indexeddb and
 * the emulator's test PKI. Progress, cancel while reading, PEM input, and the message each refusal gets.
 */
import { describe, expect, it, vi } from 'vitest';
import { TestPki } from '$lib/emulator/card';
import { Der } from '$lib/pki/der-writer';
import { makeCrl, type TestKey } from '$lib/pki/fixtures/test-pki';
import type { TestKeyName } from '$lib/pki/fixtures/test-keys';
import { createPkiService } from '$lib/pki/pki-service';
import { CrlsState, crlPemToDer, isHttpsUrl, type CrlsPki } from '$lib/state/crls.svelte';
import { crlImportMessage } from './crl-messages';

const SIGN_CA = TestPki.certificateAuthority('sign');
let databases = 0;

function setup(options: { anchors?: boolean } = {}) {
	const service = createPkiService({ indexedDB, databaseName: `crls-flow-${++databases}` });
	const pki = service as unknown as CrlsPki;
	const crls = new CrlsState(pki);
	return {
		crls,
		async ready() {
			if (options.anchors !== false) expect((await service.addAnchor(SIGN_CA.certificate)).ok).toBe(true);
			await crls.refresh();
		}
	};
}

function file(bytes: Uint8Array | string, name = 'list.crl'): File {
	return new File([typeof bytes === 'string' ? bytes : bytes.slice()], name);
}

function message(crls: CrlsState) {
	const outcome = crls.outcome;
	if (!outcome || outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
	return crlImportMessage(outcome.error);
}

describe('importing a CRL file', () => {
	it('verifies, stores and lists it, with progress up to 100 % through every step', async () => {
		const { crls, ready } = setup();
		await ready();
		const outcome = await crls.importFile(file(SIGN_CA.crls.current.der));
		expect(outcome?.ok).toBe(true);
		expect(crls.job?.fraction).toBe(1);
		expect(crls.job?.finished).toBe(true);
		expect(crls.job?.reached).toEqual(expect.arrayContaining(['read', 'parse', 'signature', 'index']));
		expect(crls.crls).toHaveLength(1);
		expect(crls.crls[0]!.crlNumber).toBe('02');
		expect(crls.crls[0]!.freshness.state).toBe('current');
	});

	it('refuses what is not a CRL, a bad signature, an unknown issuer, a rollback, an unknown critical extension', async () => {
		const { crls, ready } = setup();
		await ready();
		await crls.importFile(file('hello', 'notes.txt'));
		expect(message(crls).key).toBe('crls.error.notCrl');

		const tampered = SIGN_CA.crls.current.der.slice();
		tampered[tampered.length - 5]! ^= 1;
		await crls.importFile(file(tampered));
		expect(message(crls).key).toBe('crls.error.signature');

		await crls.importFile(file(TestPki.certificateAuthority('auth').crls.current.der));
		expect(message(crls).key).toBe('crls.error.unknownIssuer');

		expect((await crls.importFile(file(SIGN_CA.crls.current.der)))?.ok).toBe(true);
		await crls.importFile(file(SIGN_CA.crls.stale.der));
		expect(message(crls)).toEqual({ key: 'crls.error.rollbackNumbers', params: { stored: '2', incoming: '1' } });

		await crls.importFile(file(await criticalExtensionCrl()));
		expect(message(crls).key).toBe('crls.error.criticalExtension');

		// None of it touched the CRL in force.
		expect(crls.crls.map((c) => c.crlNumber)).toEqual(['02']);
	});

	it('reads a PEM CRL as its DER', async () => {
		const der = SIGN_CA.crls.current.der;
		const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`;
		expect(crlPemToDer(new TextEncoder().encode(pem))).toEqual(der);
		expect(crlPemToDer(der)).toBe(der);
		const { crls, ready } = setup();
		await ready();
		expect((await crls.importFile(file(pem, 'list.pem')))?.ok).toBe(true);
	});

	it('can be cancelled while the file is read: nothing reaches the verifier', async () => {
		const importCrlFile = vi.fn();
		const crls = new CrlsState({ importCrlFile } as unknown as CrlsPki);
		let pull = 0;
		const slow = {
			name: 'big.crl',
			size: 4096,
			stream: () =>
				new ReadableStream<Uint8Array>({
					async pull(controller) {
						await new Promise((resolve) => setTimeout(resolve, 20));
						if (pull++ < 4) controller.enqueue(new Uint8Array(1024));
						else controller.close();
					}
				})
		} as unknown as File;
		const running = crls.importFile(slow);
		await vi.waitFor(() => expect(crls.job?.fraction).toBeGreaterThan(0));
		expect(crls.job?.cancellable).toBe(true);
		crls.cancel();
		const outcome = await running;
		expect(outcome?.ok).toBe(false);
		expect(outcome && !outcome.ok && crlImportMessage(outcome.error).key).toBe('crls.error.aborted');
		expect(importCrlFile).not.toHaveBeenCalled();
		expect(crls.busy).toBe(false);
	});

	it('can be cancelled in the worker until it stores: cancel asks the worker to stop that import', async () => {
		let report: ((f: number, phase: string) => void) | undefined;
		let finish: ((value: unknown) => void) | undefined;
		const importCrlFile = vi.fn((_der: Uint8Array, onProgress: (f: number, phase: string) => void, _operationId: string) => {
			report = onProgress;
			return new Promise((resolve) => (finish = resolve));
		});
		const cancelImport = vi.fn(async () => ({ ok: true, cancelled: true }));
		const crls = new CrlsState({ importCrlFile, cancelImport } as unknown as CrlsPki);
		const running = crls.importFile(file(SIGN_CA.crls.current.der));
		await vi.waitFor(() => expect(report).toBeDefined());
		report!(0.4, 'index');
		expect(crls.job?.cancellable).toBe(true);
		crls.cancel();
		const operationId = importCrlFile.mock.calls[0]![2];
		expect(operationId).toMatch(/^crl-import-/);
		expect(cancelImport).toHaveBeenCalledWith(operationId);
		report!(0.97, 'store');
		expect(crls.job?.cancellable).toBe(false);
		crls.cancel();
		expect(cancelImport).toHaveBeenCalledTimes(1);
		finish!({ ok: false, error: { kind: 'aborted', message: 'The operation was cancelled.' } });
		const outcome = await running;
		expect(outcome && !outcome.ok && crlImportMessage(outcome.error).key).toBe('crls.error.aborted');
	});

	it('ignores progress that arrives late or out of order', async () => {
		let report: ((f: number, phase: string) => void) | undefined;
		let finish: ((value: unknown) => void) | undefined;
		const importCrlFile = vi.fn((_der: Uint8Array, onProgress: (f: number, phase: string) => void) => {
			report = onProgress;
			return new Promise((resolve) => (finish = resolve));
		});
		const crls = new CrlsState({ importCrlFile, listCrls: async () => ({ ok: true, crls: [] }), crlUrls: async () => ({ ok: true, urls: [] }), listAnchors: async () => ({ ok: true, anchors: [] }) } as unknown as CrlsPki);
		const running = crls.importFile(file(SIGN_CA.crls.current.der));
		await vi.waitFor(() => expect(report).toBeDefined());
		report!(0.5, 'index');
		report!(0.2, 'signature');
		expect(crls.job?.step).toBe('index');
		expect(crls.job?.fraction).toBeCloseTo(0.1 + 0.9 * 0.5);
		finish!({ ok: false, error: { kind: 'quota-exceeded', message: 'full' } });
		const outcome = await running;
		report!(0.9, 'store');
		expect(crls.job?.step).toBe('index');
		expect(outcome && !outcome.ok && crlImportMessage(outcome.error).key).toBe('crls.error.quota');
	});
});

describe('CRL addresses', () => {
	it('accepts https only, and says plainly that fetching is not possible here', async () => {
		expect(isHttpsUrl('https://crl.example.jp/a.crl')).toBe(true);
		expect(isHttpsUrl('http://crl.example.jp/a.crl')).toBe(false);
		expect(isHttpsUrl('https://user:pw@crl.example.jp/a.crl')).toBe(false);
		expect(isHttpsUrl('crl.example.jp')).toBe(false);
		const { crls, ready } = setup();
		await ready();
		expect(await crls.addUrl('http://crl.example.jp/a.crl')).toBe(false);
		expect(crls.urlError?.kind).toBe('malformed');
		expect(await crls.addUrl('https://crl.example.jp/a.crl')).toBe(true);
		expect(crls.urls).toEqual(['https://crl.example.jp/a.crl']);
		// This service has no network access (as in the app's PKI worker today).
		const outcome = await crls.fetchUrl('https://crl.example.jp/a.crl');
		expect(outcome && !outcome.ok && crlImportMessage(outcome.error).key).toBe('crls.error.noNetwork');
		expect(await crls.removeUrl('https://crl.example.jp/a.crl')).toBe(true);
		expect(crls.urls).toEqual([]);
	});
});

describe('trust anchors', () => {
	it('adds an operator anchor (pinned), refuses a mismatch, removes it', async () => {
		const { crls } = setup({ anchors: false });
		await crls.refresh();
		const shipped = crls.anchors.length;
		const wrong = await crls.addAnchor(file(SIGN_CA.certificate, 'ca.cer'), { expectedFingerprint: '00' });
		expect(wrong.ok).toBe(false);
		expect(crls.anchors).toHaveLength(shipped);
		const added = await crls.addAnchor(file(SIGN_CA.certificate, 'ca.cer'), { label: 'Test CA', expectedFingerprint: '8f:a6:05:ed:9b:c0:77:17:12:37:99:fe:41:f0:90:b0:aa:a1:f3:2a:f2:0b:86:5a:29:74:7e:0e:99:50:45:f3' });
		expect(added).toEqual({ ok: true, label: 'Test CA' });
		const operator = crls.anchors.filter((a) => a.source === 'operator');
		expect(operator).toHaveLength(1);
		expect(await crls.removeAnchor(operator[0]!.fingerprint)).toBeUndefined();
		expect(crls.anchors).toHaveLength(shipped);
	});
});

async function criticalExtensionCrl(): Promise<Uint8Array> {
	const jwk = SIGN_CA.privateKeyJwk as JsonWebKey;
	const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
	const privateKey = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign']);
	const publicKey = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n!, e: jwk.e! }, algorithm, true, ['verify']);
	const signer: TestKey = { name: 'signCa' as TestKeyName, privateKey, spki: new Uint8Array(await crypto.subtle.exportKey('spki', publicKey)), jwk };
	return makeCrl({
		issuer: [
			['C', 'JP'],
			['O', 'JPKI TEST'],
			['OU', 'TEST JPKI for digital signature'],
			['OU', 'Emulated Agency (NOT J-LIS)']
		],
		signer,
		thisUpdate: Date.UTC(2026, 10, 2),
		nextUpdate: Date.UTC(2049, 11, 31),
		crlNumber: 3,
		extensions: [{ oid: '1.2.392.99999.1', critical: true, value: Der.null() }]
	});
}
