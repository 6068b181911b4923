/**
 * CRLs cached offline: per CRL stream (issuer + signing key + scope) one metadata record, one index record
 * (a single ArrayBuffer) and the raw DER, written in one transaction so a failed import leaves the previous
 * CRL in force. The store never reaches the network: a URL import gets its bytes from an injected fetch.
 */
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import { CrlLimits } from '../pki/crl';
import { assertNewer, crlFreshness, prepareCrl, type CrlFreshness, type CrlMetadata, type ImportProgress } from '../pki/crl-import';
import { CrlIndex } from '../pki/crl-index';
import type { Name } from '../pki/name';
import type { CrlCandidate, RevocationSource } from '../pki/revocation';
import type { PkiDatabase } from './pki-database';
import type { SettingsStore } from './settings-store';
import { toStorageError } from './storage-error';

export interface CrlImportOptions {
	/** CA certificates that may sign the CRL (the configured trust anchors). */
	readonly issuers: readonly Uint8Array[];
	readonly onProgress?: ImportProgress;
	readonly signal?: AbortSignal;
	readonly at?: Date;
	/** URL imports: addresses configured elsewhere than the stored list (the kiosk configuration), allowed too. */
	readonly alsoConfiguredUrls?: readonly string[];
}

/** The caller's network access, limited to what it passes in (e.g. `(url, init) => fetch(url, init)`). */
export type CrlFetch = (url: string, init: { signal?: AbortSignal }) => Promise<Response>;

export interface CrlImportResult {
	readonly metadata: CrlMetadata;
	/** True when the same CRL was already stored (nothing was written). */
	readonly unchanged: boolean;
}

export interface CrlStatus extends CrlMetadata {
	readonly freshness: CrlFreshness;
}

function wholeBuffer(bytes: Uint8Array): ArrayBuffer {
	if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer;
	return bytes.slice().buffer as ArrayBuffer;
}

export class CrlStore {
	readonly #indexes = new Map<string, { sha256: string; index: Promise<CrlIndex> }>();

	constructor(
		readonly database: PkiDatabase,
		readonly settings?: SettingsStore
	) {}

	/** Verifies, indexes and stores a CRL given as bytes (a file the user picked). */
	async importCrl(der: Uint8Array, options: CrlImportOptions): Promise<CrlImportResult> {
		return this.#import(der, options, { kind: 'file' }, [0, 0.9]);
	}

	/** Downloads a CRL from a configured URL with the injected fetch, then imports it. */
	async importFromUrl(url: string, fetchCrl: CrlFetch, options: CrlImportOptions): Promise<CrlImportResult> {
		const configured = [...((await this.settings?.crlUrls()) ?? []), ...(options.alsoConfiguredUrls ?? [])];
		if (!configured.includes(url)) throw new MynaError(ErrorKind.CrlRejected, 'This CRL address is not in the configured list.', { reason: 'url-not-configured' });
		throwIfAborted(options.signal);
		const response = await fetchCrl(url, options.signal ? { signal: options.signal } : {});
		if (!response.ok) throw new MynaError(ErrorKind.Transport, `The CRL download failed (HTTP ${response.status}).`, { status: response.status });
		const der = await readBody(response, (f) => options.onProgress?.(f * 0.4, 'download'), options.signal);
		return this.#import(der, options, { kind: 'url', url }, [0.4, 0.9]);
	}

	async #import(der: Uint8Array, options: CrlImportOptions, source: CrlMetadata['source'], range: readonly [number, number]): Promise<CrlImportResult> {
		const prepared = await prepareCrl(der, {
			issuers: options.issuers,
			source,
			progressRange: range,
			...(options.at ? { at: options.at } : {}),
			...(options.onProgress ? { onProgress: options.onProgress } : {}),
			...(options.signal ? { signal: options.signal } : {})
		});
		const { metadata } = prepared;
		const db = await this.database.connection();
		const tx = db.transaction(['crl-meta', 'crl-index', 'crl-der', 'crl-marks'], 'readwrite');
		const done = tx.done.catch((error: unknown) => {
			throw toStorageError(error, 'storing the CRL');
		});
		done.catch(() => undefined);
		const abort = () => {
			try {
				tx.abort();
			} catch {
				// already finished
			}
		};
		try {
			const [mark, existing] = await Promise.all([tx.objectStore('crl-marks').get(metadata.id), tx.objectStore('crl-meta').get(metadata.id)]);
			if (existing && existing.sha256 === metadata.sha256) {
				abort();
				return { metadata: existing, unchanged: true };
			}
			const stored = mark ?? existing;
			if (stored) assertNewer(metadata, stored);
			throwIfAborted(options.signal);
			options.onProgress?.(range[1], 'store');
			// Requests of an aborted transaction reject; each is awaited below or deliberately dropped with the abort.
			const writes: Promise<unknown>[] = [];
			const track = (request: Promise<unknown>) => {
				request.catch(() => undefined);
				writes.push(request);
			};
			track(tx.objectStore('crl-der').put({ id: metadata.id, sha256: metadata.sha256, der: wholeBuffer(prepared.der) }));
			options.onProgress?.(range[1] + (1 - range[1]) * 0.5, 'store');
			throwIfAborted(options.signal);
			track(tx.objectStore('crl-index').put({ id: metadata.id, sha256: metadata.sha256, index: prepared.index.buffer }));
			track(tx.objectStore('crl-marks').put({ id: metadata.id, thisUpdate: metadata.thisUpdate, ...(metadata.crlNumber ? { crlNumber: metadata.crlNumber } : {}) }));
			track(tx.objectStore('crl-meta').put(metadata));
			await Promise.all(writes);
			await done;
		} catch (error) {
			abort();
			await done.catch(() => undefined);
			throw toStorageError(error, 'storing the CRL');
		}
		this.#indexes.set(metadata.id, { sha256: metadata.sha256, index: Promise.resolve(prepared.index) });
		options.onProgress?.(1, 'store');
		return { metadata, unchanged: false };
	}

	/** Every stored CRL with how current it is at `at`. */
	async list(at: Date = new Date()): Promise<CrlStatus[]> {
		const db = await this.database.connection();
		try {
			const all = await db.getAll('crl-meta');
			return all.map((m) => ({ ...m, freshness: crlFreshness(m, at) }));
		} catch (error) {
			throw toStorageError(error, 'reading the CRL list');
		}
	}

	/** The index of a stored CRL (loaded once per version and kept in memory). */
	async index(metadata: Pick<CrlMetadata, 'id' | 'sha256'>): Promise<CrlIndex> {
		const cached = this.#indexes.get(metadata.id);
		if (cached && cached.sha256 === metadata.sha256) return cached.index;
		const loading = (async () => {
			const db = await this.database.connection();
			const record = await db.get('crl-index', metadata.id).catch((error: unknown) => {
				throw toStorageError(error, 'loading a CRL index');
			});
			if (!record || record.sha256 !== metadata.sha256) throw new MynaError(ErrorKind.Storage, 'The stored CRL index is missing or out of step.', { id: metadata.id });
			return CrlIndex.fromBuffer(record.index);
		})();
		this.#indexes.set(metadata.id, { sha256: metadata.sha256, index: loading });
		loading.catch(() => this.#indexes.delete(metadata.id));
		return loading;
	}

	/** The raw DER of a stored CRL (e.g. to export it again). */
	async der(id: string): Promise<Uint8Array | undefined> {
		const db = await this.database.connection();
		const record = await db.get('crl-der', id).catch((error: unknown) => {
			throw toStorageError(error, 'reading a CRL');
		});
		return record ? new Uint8Array(record.der) : undefined;
	}

	/** Removes a CRL; its rollback mark stays, so an older copy cannot come back. */
	async remove(id: string): Promise<void> {
		const db = await this.database.connection();
		try {
			const tx = db.transaction(['crl-meta', 'crl-index', 'crl-der'], 'readwrite');
			await Promise.all([tx.objectStore('crl-meta').delete(id), tx.objectStore('crl-index').delete(id), tx.objectStore('crl-der').delete(id), tx.done]);
		} catch (error) {
			throw toStorageError(error, 'removing a CRL');
		}
		this.#indexes.delete(id);
	}

	/** Stored CRLs as a revocation source for `verifyChainWith`. Each was verified at import against `signerSpkiSha256`. */
	revocationSource(): RevocationSource {
		return {
			candidates: async (issuer: Name): Promise<CrlCandidate[]> => {
				const all = await this.list();
				return all
					.filter((m) => m.issuerKey === issuer.key)
					.map((m) => ({
						source: 'store' as const,
						id: m.id,
						facts: m,
						refusal: async () => undefined,
						signedBy: async (_spki: Uint8Array, spkiSha256: string) => spkiSha256 === m.signerSpkiSha256,
						lookup: async (serial: Uint8Array) => (await this.index(m)).lookup(serial)
					}));
			}
		};
	}
}

async function readBody(response: Response, onProgress: (fraction: number) => void, signal: AbortSignal | undefined): Promise<Uint8Array> {
	const total = Number(response.headers.get('content-length')) || 0;
	if (total > CrlLimits.maxBytes) throw new MynaError(ErrorKind.CrlRejected, 'The CRL is too large.', { reason: 'too-large', bytes: total });
	if (!response.body) return new Uint8Array(await response.arrayBuffer());
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let received = 0;
	for (;;) {
		throwIfAborted(signal);
		const { done, value } = await reader.read();
		if (done) break;
		received += value.length;
		if (received > CrlLimits.maxBytes) {
			await reader.cancel();
			throw new MynaError(ErrorKind.CrlRejected, 'The CRL is too large.', { reason: 'too-large' });
		}
		chunks.push(value);
		if (total > 0) onProgress(Math.min(1, received / total));
	}
	const out = new Uint8Array(received);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	onProgress(1);
	return out;
}
