/**
 * The PKI worker's IndexedDB database, through idb with an injected IDBFactory (fake-indexeddb in tests,
 * `indexedDB` in the worker). It holds CRLs (DER, index, metadata, rollback marks) and settings; never a PIN,
 * never personal data.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { ErrorKind, MynaError } from '../errors';
import type { CrlMark, CrlMetadata } from '../pki/crl-import';
import { toStorageError } from './storage-error';

export interface CrlIndexRecord {
	readonly id: string;
	/** SHA-256 of the CRL the index was built from (ties the three records of one import together). */
	readonly sha256: string;
	readonly index: ArrayBuffer;
}

export interface CrlDerRecord {
	readonly id: string;
	readonly sha256: string;
	readonly der: ArrayBuffer;
}

export interface AnchorRecord {
	/** SHA-256 of the DER, upper-case hex: the pin. */
	readonly fingerprint: string;
	readonly subject: string;
	readonly label: string;
	readonly der: ArrayBuffer;
	readonly addedAt: number;
}

export type SettingRecord = { readonly key: 'crlUrls'; readonly value: readonly string[] } | { readonly key: 'extraAnchors'; readonly value: readonly AnchorRecord[] };

export interface PkiDbSchema extends DBSchema {
	'crl-meta': { key: string; value: CrlMetadata };
	'crl-index': { key: string; value: CrlIndexRecord };
	'crl-der': { key: string; value: CrlDerRecord };
	/** High-water marks per CRL stream; kept when a CRL is removed, so a replayed older CRL is still refused. */
	'crl-marks': { key: string; value: CrlMark };
	settings: { key: SettingRecord['key']; value: SettingRecord };
}

export type PkiDb = IDBPDatabase<PkiDbSchema>;

export const PkiDbInfo = { name: 'myna-pki', version: 1 } as const;

/** Schema migrations, one step per version. */
function upgrade(db: PkiDb, oldVersion: number, _tx: IDBPTransaction<PkiDbSchema, StoreNames<PkiDbSchema>[], 'versionchange'>): void {
	if (oldVersion < 1) {
		db.createObjectStore('crl-meta', { keyPath: 'id' });
		db.createObjectStore('crl-index', { keyPath: 'id' });
		db.createObjectStore('crl-der', { keyPath: 'id' });
		db.createObjectStore('crl-marks', { keyPath: 'id' });
		db.createObjectStore('settings', { keyPath: 'key' });
	}
}

export interface PkiDatabaseEvents {
	/** Another tab holds an older connection open; the upgrade waits until it closes. */
	readonly blocked?: () => void;
	/** A newer version of the app wants to upgrade: this connection was closed; the page should reload. */
	readonly closedForUpgrade?: () => void;
	/** The browser closed the connection (storage cleared, disk error); it is reopened on next use. */
	readonly terminated?: () => void;
}

export interface PkiDatabaseOptions {
	readonly name?: string;
	readonly events?: PkiDatabaseEvents;
}

export class PkiDatabase {
	#connection: Promise<PkiDb> | undefined;
	#state: 'open' | 'closed-for-upgrade' | 'terminated' | 'closed' = 'open';

	private constructor(
		readonly factory: IDBFactory,
		readonly name: string,
		readonly events: PkiDatabaseEvents
	) {}

	static async open(factory: IDBFactory, options: PkiDatabaseOptions = {}): Promise<PkiDatabase> {
		const database = new PkiDatabase(factory, options.name ?? PkiDbInfo.name, options.events ?? {});
		await database.connection();
		return database;
	}

	get state(): 'open' | 'closed-for-upgrade' | 'terminated' | 'closed' {
		return this.#state;
	}

	#open(): Promise<PkiDb> {
		const request = this.factory.open(this.name, PkiDbInfo.version);
		request.addEventListener('upgradeneeded', (event) => {
			upgrade(wrap(request.result) as unknown as PkiDb, event.oldVersion, wrap(request.transaction!) as unknown as IDBPTransaction<PkiDbSchema, StoreNames<PkiDbSchema>[], 'versionchange'>);
		});
		request.addEventListener('blocked', () => this.events.blocked?.());
		return (wrap(request) as Promise<unknown>).then((value) => {
			const db = value as PkiDb;
			db.addEventListener('versionchange', () => {
				db.close();
				this.#state = 'closed-for-upgrade';
				this.#connection = undefined;
				this.events.closedForUpgrade?.();
			});
			db.addEventListener('close', () => {
				this.#state = 'terminated';
				this.#connection = undefined;
				this.events.terminated?.();
			});
			this.#state = 'open';
			return db;
		});
	}

	/** The open connection (reopened after the browser terminated it). */
	async connection(): Promise<PkiDb> {
		if (this.#state === 'closed-for-upgrade') {
			throw new MynaError(ErrorKind.Storage, 'The certificate database was closed because a newer version of the app was opened. Reload this page.', {
				reason: 'version-change'
			});
		}
		if (this.#state === 'closed') throw new MynaError(ErrorKind.Storage, 'The certificate database is closed.', { reason: 'closed' });
		if (!this.#connection) {
			const opening = this.#open();
			this.#connection = opening;
			opening.catch(() => {
				if (this.#connection === opening) this.#connection = undefined;
			});
		}
		try {
			return await this.#connection;
		} catch (error) {
			throw toStorageError(error, 'opening the certificate database');
		}
	}

	async close(): Promise<void> {
		const connection = this.#connection;
		this.#state = 'closed';
		this.#connection = undefined;
		if (connection) (await connection.catch(() => undefined))?.close();
	}
}
