import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { ErrorKind, MynaError } from '../errors';
import { PkiDatabase, PkiDbInfo } from './pki-database';
import { toStorageError } from './storage-error';

describe('PkiDatabase', () => {
	it('creates the version 1 schema', async () => {
		const database = await PkiDatabase.open(new IDBFactory());
		const db = await database.connection();
		expect(db.version).toBe(PkiDbInfo.version);
		expect([...db.objectStoreNames].sort()).toEqual(['crl-der', 'crl-index', 'crl-marks', 'crl-meta', 'settings']);
		await database.close();
		await expect(database.connection()).rejects.toMatchObject({ kind: ErrorKind.Storage });
	});

	it('steps aside when a newer version of the app upgrades the database in another tab', async () => {
		const factory = new IDBFactory();
		const closedForUpgrade = vi.fn();
		const database = await PkiDatabase.open(factory, { events: { closedForUpgrade } });
		const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = factory.open(PkiDbInfo.name, PkiDbInfo.version + 1);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
			request.onblocked = () => reject(new Error('blocked: the old connection did not close'));
		});
		expect(upgraded.version).toBe(PkiDbInfo.version + 1);
		expect(closedForUpgrade).toHaveBeenCalledOnce();
		expect(database.state).toBe('closed-for-upgrade');
		await expect(database.connection()).rejects.toMatchObject({ kind: ErrorKind.Storage, details: { reason: 'version-change' } });
		upgraded.close();
	});

	it('maps IndexedDB failures to error kinds', () => {
		expect(toStorageError(new DOMException('full', 'QuotaExceededError'), 'x').kind).toBe(ErrorKind.QuotaExceeded);
		expect(toStorageError({ name: 'AbortError', error: { name: 'QuotaExceededError' } }, 'x').kind).toBe(ErrorKind.QuotaExceeded);
		expect(toStorageError(new DOMException('stop', 'AbortError'), 'x').kind).toBe(ErrorKind.Aborted);
		expect(toStorageError(new DOMException('bad', 'DataCloneError'), 'x')).toMatchObject({ kind: ErrorKind.Storage, details: { name: 'DataCloneError' } });
		const own = new MynaError(ErrorKind.CrlRejected, 'no');
		expect(toStorageError(own, 'x')).toBe(own);
	});
});
