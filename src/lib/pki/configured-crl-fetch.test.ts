import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { createConfiguredCrlFetch } from './configured-crl-fetch';
import { createTestPki, makeCrl, TestNames, type TestPki } from './fixtures/test-pki';
import { createPkiService } from './pki-service';

const DAY = 86_400_000;
const NOW = Date.now();

describe('createConfiguredCrlFetch', () => {
	it('requests a configured URL without cookies, referrer or redirects', async () => {
		const calls: [string, RequestInit][] = [];
		const guarded = createConfiguredCrlFetch(
			async (url, init) => {
				calls.push([url, init]);
				return new Response('x');
			},
			async () => ['https://crl.example.jp/a.crl']
		);
		await guarded('https://crl.example.jp/a.crl', {});
		expect(calls).toEqual([['https://crl.example.jp/a.crl', { credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'error', cache: 'no-store' }]]);
	});

	it('turns a network failure (or a CSP block) into a transport error, and leaves an abort alone', async () => {
		const guarded = createConfiguredCrlFetch(async () => Promise.reject(new TypeError('Failed to fetch')), async () => ['https://crl.example.jp/a.crl']);
		await expect(guarded('https://crl.example.jp/a.crl', {})).rejects.toMatchObject({ kind: ErrorKind.Transport, details: { reason: 'unreachable' } });
		const abort = new DOMException('The operation was aborted.', 'AbortError');
		const aborting = createConfiguredCrlFetch(async () => Promise.reject(abort), async () => ['https://crl.example.jp/a.crl']);
		await expect(aborting('https://crl.example.jp/a.crl', {})).rejects.toBe(abort);
	});

	it('refuses anything else with a typed error and makes no request', async () => {
		let requests = 0;
		const guarded = createConfiguredCrlFetch(
			async () => {
				requests++;
				return new Response('x');
			},
			async () => ['https://crl.example.jp/a.crl']
		);
		for (const url of ['https://crl.example.jp/b.crl', 'https://crl.example.jp/a.crl?x', 'https://evil.example/a.crl', 'javascript:alert(1)', 'not a url']) {
			await expect(guarded(url, {}), url).rejects.toMatchObject({ kind: ErrorKind.CrlRejected, details: { reason: 'url-not-configured' } });
		}
		expect(requests).toBe(0);
	});
});

describe('PKI service CRL download', () => {
	let pki: TestPki;
	beforeAll(async () => {
		pki = await createTestPki(NOW);
	});

	it('downloads a kiosk-configured URL, and no other, through the injected fetch', async () => {
		const der = await makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1 });
		const requested: string[] = [];
		const service = createPkiService({
			indexedDB: new IDBFactory(),
			fetch: async (url) => {
				requested.push(url);
				return new Response(der.slice());
			}
		});
		await service.addAnchor(pki.root, { label: 'test' });
		const url = 'https://crl.example.lg.jp/sign.crl';
		expect(await service.importCrlFromUrl(url)).toMatchObject({ ok: false, error: { kind: ErrorKind.CrlRejected } });
		expect(requested).toEqual([]);
		expect(await service.setKioskCrlUrls([url])).toEqual({ ok: true, urls: [url] });
		expect(await service.importCrlFromUrl(url)).toMatchObject({ ok: true, metadata: { source: { kind: 'url', url } } });
		expect(await service.importCrlFromUrl('https://crl.example.lg.jp/other.crl')).toMatchObject({ ok: false, error: { kind: ErrorKind.CrlRejected } });
		expect(requested).toEqual([url]);
		// The kiosk's list is not written to the stored settings.
		expect(await service.crlUrls()).toEqual({ ok: true, urls: [] });
	});

	it('takes only https URLs from the kiosk', async () => {
		const service = createPkiService({ indexedDB: new IDBFactory() });
		expect(await service.setKioskCrlUrls(['http://crl.example.jp/a.crl'])).toMatchObject({ ok: false, error: { kind: ErrorKind.Malformed } });
	});

	it('says download is unavailable when no fetch was given', async () => {
		const service = createPkiService({ indexedDB: new IDBFactory() });
		await service.setKioskCrlUrls(['https://crl.example.jp/a.crl']);
		expect(await service.importCrlFromUrl('https://crl.example.jp/a.crl')).toMatchObject({ ok: false, error: { kind: ErrorKind.Unsupported } });
	});
});
