import { proxy, transfer, type Remote } from 'comlink';
import { ErrorKind, type ErrorData } from '../errors';
import { CrlLimits } from '../pki/crl';
import type { ImportPhase } from '../pki/crl-import';
import type { AnchorSummary, PkiService } from '../pki/pki-service';
import type { CrlImportResult, CrlStatus } from '../store/crl-store';

/** The steps of an import as the page lists them (`read` is the page reading the file; the rest the PKI worker's). */
export const IMPORT_STEPS = ['read', 'parse', 'signature', 'index', 'store'] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number] | 'download';

/** The share of the progress bar the page's own file reading takes; the PKI worker reports the rest. */
const READ_SHARE = 0.1;

export interface ImportJob {
	readonly id: number;
	readonly source: { readonly kind: 'file'; readonly name: string; readonly bytes: number } | { readonly kind: 'url'; readonly url: string };
	step: ImportStep;
	/** 0–1 over the whole import. */
	fraction: number;
	/** Steps the importer reported as reached (and so the ones before them as done). */
	reached: ImportStep[];
	/** Whether pressing cancel can still stop it: until the worker starts storing (then the import completes, atomically). */
	cancellable: boolean;
	finished: boolean;
}

export type ImportOutcome =
	| { readonly ok: true; readonly jobId: number; readonly result: CrlImportResult }
	| { readonly ok: false; readonly jobId: number; readonly error: ErrorData };

export type AnchorOutcome = { readonly ok: true; readonly label: string } | { readonly ok: false; readonly error: ErrorData };

/** What the /crls page needs from the PKI worker (a comlink Remote of `PkiService`, or a fake in unit tests). */
export type CrlsPki = Pick<Remote<PkiService>, 'importCrlFile' | 'importCrlFromUrl' | 'cancelImport' | 'listCrls' | 'removeCrl' | 'crlUrls' | 'setCrlUrls' | 'listAnchors' | 'addAnchor' | 'removeAnchor'>;

function aborted(): ErrorData {
	return { kind: ErrorKind.Aborted, message: 'The operation was cancelled.' };
}

/** A CRL given as PEM (`-----BEGIN X509 CRL-----`) becomes DER; anything else passes through unchanged. */
export function crlPemToDer(bytes: Uint8Array): Uint8Array {
	const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64)));
	if (!/^\s*-----BEGIN /.test(head)) return bytes;
	const text = new TextDecoder('latin1').decode(bytes);
	const match = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
	if (!match) return bytes;
	const base64 = match[1]!.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return bytes;
	const binary = atob(base64);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

/** Only https addresses may be configured from the UI (the store also accepts http; the page asks for more). */
export function isHttpsUrl(text: string): boolean {
	try {
		// A throwaway parse, never rendered: no reactivity needed.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const url = new URL(text.trim());
		return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hostname !== '';
	} catch {
		return false;
	}
}

/**
 * Adapts the PKI worker for the /crls page: the cached CRLs, importing one from a file (read here with progress and
 * cancel, then verified, indexed and stored in the worker) or from a configured URL, the CRL addresses, and the trust
 * anchors (shipped J-LIS ones and those an operator added). Holds no personal data.
 */
export class CrlsState {
	crls: CrlStatus[] = $state.raw([]);
	anchors: AnchorSummary[] = $state.raw([]);
	urls: string[] = $state.raw([]);
	loaded = $state(false);
	loadError: ErrorData | undefined = $state();
	job: ImportJob | undefined = $state();
	outcome: ImportOutcome | undefined = $state();
	/** The id of the CRL removed last (for the page's status message). */
	removed: CrlStatus | undefined = $state();
	urlError: ErrorData | undefined = $state();
	anchorOutcome: AnchorOutcome | undefined = $state();

	readonly #pki: CrlsPki;
	#nextJob = 1;
	#abort: AbortController | undefined;
	/** The worker-side import that `cancel()` stops (reading the file is stopped here, by `#abort`). */
	#operationId: string | undefined;

	constructor(pki: CrlsPki) {
		this.#pki = pki;
	}

	get busy(): boolean {
		return this.job !== undefined && !this.job.finished;
	}

	/** Reads the cached CRLs, the CRL addresses and the anchors. */
	async refresh(): Promise<void> {
		const [crls, urls, anchors] = await Promise.all([this.#pki.listCrls(), this.#pki.crlUrls(), this.#pki.listAnchors()]);
		const failed = [crls, urls, anchors].find((r) => !r.ok);
		this.loadError = failed && !failed.ok ? failed.error : undefined;
		if (crls.ok) this.crls = sortCrls(crls.crls);
		if (urls.ok) this.urls = urls.urls;
		if (anchors.ok) this.anchors = anchors.anchors;
		this.loaded = true;
	}

	/** Imports a CRL file: read here (cancellable, with progress), then verified, indexed and stored by the worker. */
	async importFile(file: File): Promise<ImportOutcome | undefined> {
		if (this.busy) return undefined;
		const job = this.#start({ kind: 'file', name: file.name, bytes: file.size }, 'read');
		const controller = new AbortController();
		this.#abort = controller;
		let bytes: Uint8Array;
		try {
			bytes = await readFile(file, controller.signal, (f) => this.#progress(job.id, 'read', f * READ_SHARE));
		} catch (error) {
			return this.#finish(job.id, { ok: false, jobId: job.id, error: readError(error, controller.signal) });
		} finally {
			this.#abort = undefined;
		}
		const der = crlPemToDer(bytes);
		this.#progress(job.id, 'parse', READ_SHARE);
		const operationId = (this.#operationId = `crl-import-${job.id}`);
		const answer = await this.#pki.importCrlFile(
			transfer(der, [der.buffer as ArrayBuffer]),
			proxy((fraction: number, phase: ImportPhase) => this.#progress(job.id, phase, READ_SHARE + (1 - READ_SHARE) * fraction)),
			operationId
		);
		return this.#finish(job.id, answer.ok ? { ok: true, jobId: job.id, result: { metadata: answer.metadata, unchanged: answer.unchanged } } : { ok: false, jobId: job.id, error: answer.error });
	}

	/** Downloads and imports the CRL at a configured address (the only network access the app makes). */
	async fetchUrl(url: string): Promise<ImportOutcome | undefined> {
		if (this.busy) return undefined;
		const job = this.#start({ kind: 'url', url }, 'download');
		const operationId = (this.#operationId = `crl-import-${job.id}`);
		const answer = await this.#pki.importCrlFromUrl(
			url,
			proxy((fraction: number, phase: ImportPhase) => this.#progress(job.id, phase, fraction)),
			operationId
		);
		return this.#finish(job.id, answer.ok ? { ok: true, jobId: job.id, result: { metadata: answer.metadata, unchanged: answer.unchanged } } : { ok: false, jobId: job.id, error: answer.error });
	}

	/** Stops an import: reading the file here, or downloading, verifying and indexing in the worker (not storing). */
	cancel(): void {
		if (!this.job?.cancellable) return;
		if (this.#abort) this.#abort.abort();
		else if (this.#operationId) void this.#pki.cancelImport(this.#operationId);
	}

	async remove(crl: CrlStatus): Promise<ErrorData | undefined> {
		const answer = await this.#pki.removeCrl(crl.id);
		if (!answer.ok) return answer.error;
		this.removed = crl;
		await this.refresh();
		return undefined;
	}

	/** Adds an https CRL address (validated here, normalised by the store). */
	async addUrl(text: string): Promise<boolean> {
		this.urlError = undefined;
		if (!isHttpsUrl(text)) {
			this.urlError = { kind: ErrorKind.Malformed, message: 'not an https URL', details: { reason: 'url' } };
			return false;
		}
		return this.#saveUrls([...this.urls, text.trim()]);
	}

	async removeUrl(url: string): Promise<boolean> {
		this.urlError = undefined;
		return this.#saveUrls(this.urls.filter((u) => u !== url));
	}

	async addAnchor(file: File, options: { label?: string; expectedFingerprint?: string }): Promise<AnchorOutcome> {
		let bytes: Uint8Array;
		try {
			bytes = new Uint8Array(await file.arrayBuffer());
		} catch {
			return (this.anchorOutcome = { ok: false, error: { kind: ErrorKind.Storage, message: 'The file could not be read.', details: { reason: 'file' } } });
		}
		const label = options.label?.trim();
		const fingerprint = options.expectedFingerprint?.trim();
		const answer = await this.#pki.addAnchor(bytes, { ...(label ? { label } : {}), ...(fingerprint ? { expectedFingerprint: fingerprint } : {}) });
		this.anchorOutcome = answer.ok ? { ok: true, label: answer.anchor.label } : { ok: false, error: answer.error };
		if (answer.ok) await this.refresh();
		return this.anchorOutcome;
	}

	async removeAnchor(fingerprint: string): Promise<ErrorData | undefined> {
		const answer = await this.#pki.removeAnchor(fingerprint);
		if (!answer.ok) return answer.error;
		this.anchorOutcome = undefined;
		await this.refresh();
		return undefined;
	}

	async #saveUrls(urls: string[]): Promise<boolean> {
		const answer = await this.#pki.setCrlUrls(urls);
		if (!answer.ok) {
			this.urlError = answer.error;
			return false;
		}
		this.urls = answer.urls;
		return true;
	}

	#start(source: ImportJob['source'], step: ImportStep): ImportJob {
		this.outcome = undefined;
		this.removed = undefined;
		this.job = { id: this.#nextJob++, source, step, fraction: 0, reached: [step], cancellable: true, finished: false };
		return this.job;
	}

	#live(id: number): ImportJob | undefined {
		return this.job?.id === id && !this.job.finished ? this.job : undefined;
	}

	#progress(id: number, step: ImportStep, fraction: number): void {
		const job = this.#live(id);
		if (!job) return;
		// Progress messages from the worker may arrive out of order: never go backwards.
		if (fraction >= job.fraction) {
			job.fraction = Math.min(1, fraction);
			job.step = step;
		}
		if (!job.reached.includes(step)) job.reached.push(step);
		// Storing is atomic and is not interrupted: from here the import completes (or fails as a whole).
		if (step === 'store') job.cancellable = false;
	}

	async #finish(id: number, outcome: ImportOutcome): Promise<ImportOutcome | undefined> {
		const job = this.#live(id);
		if (this.#operationId === `crl-import-${id}`) this.#operationId = undefined;
		if (!job) return undefined;
		job.finished = true;
		job.cancellable = false;
		if (outcome.ok) job.fraction = 1;
		this.outcome = outcome;
		if (outcome.ok) await this.refresh();
		return outcome;
	}
}

/** Newest first within each issuer; issuers in name order. */
function sortCrls(list: readonly CrlStatus[]): CrlStatus[] {
	return [...list].sort((a, b) => a.issuer.localeCompare(b.issuer) || b.thisUpdate - a.thisUpdate);
}

function readError(error: unknown, signal: AbortSignal): ErrorData {
	if (signal.aborted) return aborted();
	if (error && typeof error === 'object' && 'kind' in error && 'message' in error) return error as ErrorData;
	return { kind: ErrorKind.Storage, message: 'The file could not be read.', details: { reason: 'file' } };
}

/** Reads a file in chunks with progress; cancellable between chunks (each read yields to the event loop). */
async function readFile(file: File, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<Uint8Array> {
	if (file.size > CrlLimits.maxBytes) throw { kind: ErrorKind.CrlRejected, message: 'The CRL is too large.', details: { reason: 'too-large', bytes: file.size } } satisfies ErrorData;
	if (file.size === 0) throw { kind: ErrorKind.Malformed, message: 'The file is empty.', details: { reason: 'empty' } } satisfies ErrorData;
	const out = new Uint8Array(file.size);
	const reader = file.stream().getReader();
	let offset = 0;
	try {
		for (;;) {
			if (signal.aborted) throw aborted();
			const { done, value } = await reader.read();
			if (done) break;
			if (offset + value.length > out.length) throw { kind: ErrorKind.Storage, message: 'The file changed while it was read.', details: { reason: 'file' } } satisfies ErrorData;
			out.set(value, offset);
			offset += value.length;
			onProgress(offset / out.length);
		}
	} finally {
		if (signal.aborted) await reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
	if (signal.aborted) throw aborted();
	return offset === out.length ? out : out.slice(0, offset);
}
