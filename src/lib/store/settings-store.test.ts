import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { jlisAnchorCertificates, JLIS_ANCHORS } from '../pki/anchors';
import { createTestPki } from '../pki/fixtures/test-pki';
import { PkiDatabase } from './pki-database';
import { normalizeCrlUrl, SettingsStore } from './settings-store';

let settings: SettingsStore;

beforeEach(async () => {
	settings = new SettingsStore(await PkiDatabase.open(new IDBFactory()));
});

describe('SettingsStore', () => {
	it('keeps only http(s) CRL URLs without credentials, normalised and de-duplicated', async () => {
		expect(await settings.crlUrls()).toEqual([]);
		expect(await settings.setCrlUrls(['https://CRL.example.test/a.crl#x', 'https://crl.example.test/a.crl', 'http://crl.example.test/b.crl'])).toEqual([
			'https://crl.example.test/a.crl',
			'http://crl.example.test/b.crl'
		]);
		expect(await settings.crlUrls()).toHaveLength(2);
		for (const bad of ['ftp://x.test/a.crl', 'https://user:pw@x.test/a.crl', 'ldap://x.test/cn=CA', 'not a url']) {
			expect(() => normalizeCrlUrl(bad)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		}
	});

	it('adds operator trust anchors pinned by fingerprint', async () => {
		const [sign2015] = jlisAnchorCertificates();
		const pin = JLIS_ANCHORS[0]!.fingerprint.replace(/(..)/g, '$1:').slice(0, -1).toLowerCase();
		const added = await settings.addAnchor(sign2015!, { label: 'J-LIS sign gen 1', expectedFingerprint: pin });
		expect(added).toMatchObject({ fingerprint: JLIS_ANCHORS[0]!.fingerprint, label: 'J-LIS sign gen 1' });
		await settings.addAnchor(sign2015!);
		expect(await settings.extraAnchors()).toHaveLength(1);
		expect(await settings.extraAnchorCertificates()).toEqual([sign2015]);
		await expect(settings.addAnchor(jlisAnchorCertificates()[1]!, { expectedFingerprint: JLIS_ANCHORS[0]!.fingerprint })).rejects.toMatchObject({ kind: ErrorKind.SignatureInvalid });
		const pki = await createTestPki(Date.now());
		await expect(settings.addAnchor(pki.signLeaf)).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		await settings.removeAnchor(added.fingerprint);
		expect(await settings.extraAnchors()).toEqual([]);
	});
});
