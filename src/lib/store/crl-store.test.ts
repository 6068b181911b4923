import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { verifyChainWith } from '../pki/chain';
import type { ImportPhase } from '../pki/crl-import';
import { Der } from '../pki/der-writer';
import { Oid } from '../pki/oids';
import { createTestPki, makeCrl, makeLargeCrl, testKey, TestNames, type CrlEntrySpec, type CrlSpec, type TestKey, type TestPki } from '../pki/fixtures/test-pki';
import { CrlStore } from './crl-store';
import { PkiDatabase } from './pki-database';
import { SettingsStore } from './settings-store';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
const at = new Date(NOW);
const LEAF_SERIAL = Uint8Array.of(0x12, 0x34, 0x56, 0x78);

let pki: TestPki;
let stranger: TestKey;
let factory: IDBFactory;
let database: PkiDatabase;
let settings: SettingsStore;
let store: CrlStore;

beforeAll(async () => {
	pki = await createTestPki(NOW);
	stranger = await testKey('stranger');
});

beforeEach(async () => {
	factory = new IDBFactory();
	database = await PkiDatabase.open(factory);
	settings = new SettingsStore(database);
	store = new CrlStore(database, settings);
});

afterEach(async () => {
	await database.close();
});

function crl(crlNumber: number, entries: CrlEntrySpec[] = [], overrides: Partial<CrlSpec> = {}): Promise<Uint8Array> {
	return makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY + crlNumber * 1000, nextUpdate: NOW + DAY, crlNumber, entries, ...overrides });
}

const importOptions = () => ({ issuers: [pki.root, pki.authRoot], at });

function check(crlStore: CrlStore = store, leaf = pki.signLeaf) {
	return verifyChainWith({ leaf, anchors: [pki.root], at }, { revocation: [crlStore.revocationSource()] });
}

describe('CrlStore', () => {
	it('says why a CRL is refused as unsupported: a delta CRL, an unknown critical extension on the CRL or on an entry', async () => {
		const delta = await crl(9, [], { extensions: [{ oid: Oid.deltaCrlIndicator, critical: true, value: Der.integer(8) }] });
		await expect(store.importCrl(delta, importOptions())).rejects.toMatchObject({ kind: ErrorKind.CrlRejected, details: { reason: 'unsupported', refusal: 'delta' } });
		const unknown = await crl(9, [], { extensions: [{ oid: '1.2.3.4.5', critical: true, value: Der.null() }] });
		await expect(store.importCrl(unknown, importOptions())).rejects.toMatchObject({ details: { reason: 'unsupported', refusal: 'critical-extension' } });
		const entry = await crl(9, [{ serial: 7, revoked: NOW - DAY, extensions: [{ oid: '1.2.3.4.6', critical: true, value: Der.null() }] }]);
		await expect(store.importCrl(entry, importOptions())).rejects.toMatchObject({ details: { reason: 'unsupported', refusal: 'critical-extension' } });
	});

	it('imports a CRL, lists it with its freshness, and answers checks from the stored index', async () => {
		const result = await store.importCrl(await crl(5), importOptions());
		expect(result.unchanged).toBe(false);
		expect(result.metadata).toMatchObject({ crlNumber: '05', entries: 0, source: { kind: 'file' }, issuer: expect.stringContaining('JPKI for digital signature') });
		const [listed] = await store.list(at);
		expect(listed).toMatchObject({ id: result.metadata.id, freshness: { state: 'current', ageHours: 23 } });
		expect((await check()).status).toBe('valid');
		expect((await store.importCrl(await crl(5), importOptions())).unchanged).toBe(true);
	});

	it('reports revocations from the stored CRL, loaded cold by a new store', async () => {
		await store.importCrl(await crl(6, [{ serial: LEAF_SERIAL, revoked: NOW - DAY, reason: 3 }]), importOptions());
		const reopened = new CrlStore(await PkiDatabase.open(factory));
		const result = await check(reopened);
		expect(result).toMatchObject({ status: 'revoked', revocation: { reason: { code: 3 } } });
	});

	it('never lets an older CRL replace a newer one, even after the newer one was removed', async () => {
		const { metadata } = await store.importCrl(await crl(7), importOptions());
		for (const older of [await crl(6), await crl(7, [{ serial: 1, revoked: NOW - DAY }]), await crl(8, [], { thisUpdate: NOW - 3 * DAY })]) {
			await expect(store.importCrl(older, importOptions())).rejects.toMatchObject({ kind: ErrorKind.CrlRejected, details: { reason: 'rollback' } });
		}
		expect((await store.list())[0]?.crlNumber).toBe('07');
		await store.remove(metadata.id);
		expect(await store.list()).toEqual([]);
		await expect(store.importCrl(await crl(6), importOptions())).rejects.toMatchObject({ details: { reason: 'rollback' } });
		const newer = await store.importCrl(await crl(9, [{ serial: LEAF_SERIAL, revoked: NOW - DAY, reason: 1 }]), importOptions());
		expect(newer.metadata.crlNumber).toBe('09');
		expect((await check()).status).toBe('revoked');
	});

	it('leaves the previous CRL in force when an import fails halfway through writing', async () => {
		await store.importCrl(await crl(10), importOptions());
		const next = await crl(11, [{ serial: LEAF_SERIAL, revoked: NOW - DAY, reason: 1 }]);
		let written = false;
		await expect(
			store.importCrl(next, {
				...importOptions(),
				onProgress: (_f, phase) => {
					if (phase === 'store' && !written) {
						written = true;
						return;
					}
					if (phase === 'store') throw new Error('power cut');
				}
			})
		).rejects.toMatchObject({ kind: ErrorKind.Storage });
		const controller = new AbortController();
		await expect(
			store.importCrl(next, { ...importOptions(), signal: controller.signal, onProgress: (_f, phase) => phase === 'store' && controller.abort() })
		).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		const reopened = new CrlStore(await PkiDatabase.open(factory));
		expect((await reopened.list()).map((m) => m.crlNumber)).toEqual(['0A']);
		expect((await check(reopened)).status).toBe('valid');
		expect((await reopened.der((await reopened.list())[0]!.id))?.length).toBeGreaterThan(100);
	});

	it('maps a full disk to QuotaExceeded and keeps the previous CRL', async () => {
		await store.importCrl(await crl(20), importOptions());
		const proto = IDBObjectStore.prototype;
		const put = proto.put;
		proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
			if (value && typeof value === 'object' && 'der' in value) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return put.call(this, value, key);
		};
		try {
			await expect(store.importCrl(await crl(21), importOptions())).rejects.toMatchObject({ kind: ErrorKind.QuotaExceeded });
		} finally {
			proto.put = put;
		}
		expect((await store.list()).map((m) => m.crlNumber)).toEqual(['14']);
	});

	it('keeps a stale CRL but makes checks revocation-unknown, saying how old it is', async () => {
		await store.importCrl(await crl(30, [], { thisUpdate: NOW - 4 * DAY, nextUpdate: NOW - 3 * DAY }), importOptions());
		expect((await store.list(at))[0]?.freshness).toEqual({ state: 'stale', ageHours: 96, overdueHours: 72 });
		const result = await check();
		expect(result.status).toBe('revocation-unknown');
		expect(result.revocationProblems?.[0]).toMatchObject({ problem: 'crl-stale', overdueHours: 72 });
	});

	it('refuses CRLs that do not verify, that it must not half-support, or that are not CRLs', async () => {
		await expect(store.importCrl(await crl(1, [], { signer: stranger }), importOptions())).rejects.toMatchObject({ kind: ErrorKind.SignatureInvalid });
		await expect(store.importCrl(await crl(1, [], { extensions: [{ oid: '1.2.3.4', critical: true, value: Der.null() }] }), importOptions())).rejects.toMatchObject({
			kind: ErrorKind.CrlRejected
		});
		await expect(store.importCrl(await crl(1, [{ serial: 3, revoked: NOW, extensions: [{ oid: '1.2.3.5', critical: true, value: Der.null() }] }]), importOptions())).rejects.toMatchObject({
			kind: ErrorKind.CrlRejected
		});
		await expect(store.importCrl(Uint8Array.of(0x30, 0x00), importOptions())).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		await expect(store.importCrl(await crl(1), { issuers: [pki.authRoot], at })).rejects.toMatchObject({ kind: ErrorKind.CrlRejected, details: { reason: 'unknown-issuer' } });
		expect(await store.list()).toEqual([]);
	});

	it('reports progress from 0 to 1 through the phases', async () => {
		const { der } = await makeLargeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, count: 200_000, serialBytes: 8, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 40 });
		const seen: [number, ImportPhase][] = [];
		await store.importCrl(der, { ...importOptions(), onProgress: (f, phase) => seen.push([f, phase]) });
		const fractions = seen.map(([f]) => f);
		expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true);
		expect(fractions.at(-1)).toBe(1);
		expect(new Set(seen.map(([, p]) => p))).toEqual(new Set(['parse', 'signature', 'index', 'store']));
		expect(seen.filter(([, p]) => p === 'index').length).toBeGreaterThan(3);
	});

	it('downloads only configured URLs, through the injected fetch', async () => {
		const url = 'https://crl.example.test/sign.crl';
		await settings.setCrlUrls([url]);
		const der = await crl(50);
		const fetched: string[] = [];
		const fetchCrl = async (u: string) => {
			fetched.push(u);
			return new Response(der.slice(), { headers: { 'content-length': String(der.length) } });
		};
		const phases = new Set<string>();
		const result = await store.importFromUrl(url, fetchCrl, { ...importOptions(), onProgress: (_f, p) => phases.add(p) });
		expect(result.metadata.source).toEqual({ kind: 'url', url });
		expect(phases.has('download')).toBe(true);
		await expect(store.importFromUrl('https://elsewhere.example.test/x.crl', fetchCrl, importOptions())).rejects.toMatchObject({ details: { reason: 'url-not-configured' } });
		expect(fetched).toEqual([url]);
		await expect(store.importFromUrl(url, async () => new Response('gone', { status: 404 }), importOptions())).rejects.toMatchObject({ kind: ErrorKind.Transport });
	});
});
