import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorKind, type ErrorData, type Result } from '../errors';
import type { CrlImportResult, CrlStatus } from '../store/crl-store';
import { KioskCrlRefresher, type KioskCrlPki } from './kiosk-crl.svelte';

const jst = (text: string) => Date.parse(`${text}+09:00`);
const MIN = 60_000;
const HOUR = 60 * MIN;
const A = 'https://crl.example.lg.jp/auth.crl';
const B = 'https://crl.example.lg.jp/sign.crl';

/** An in-memory PKI worker: each download stores a CRL valid for `validHours` from the download time. */
class FakePki implements KioskCrlPki {
	registered: string[] = [];
	downloads: string[] = [];
	crls = new Map<string, { importedAt: number; thisUpdate: number; nextUpdate: number }>();
	failWith: ErrorData | undefined;
	validHours = 48;
	/** The issuer has nothing newer: the download succeeds but the stored record keeps its import time. */
	unchanged = false;

	async setKioskCrlUrls(urls: string[]): Promise<Result<{ urls: string[] }>> {
		this.registered = urls;
		return { ok: true as const, urls };
	}

	async importCrlFromUrl(url: string): Promise<Result<CrlImportResult>> {
		this.downloads.push(url);
		if (this.failWith) return { ok: false as const, error: this.failWith };
		const now = Date.now();
		if (!this.unchanged || !this.crls.has(url)) this.crls.set(url, { importedAt: now, thisUpdate: now - HOUR, nextUpdate: now - HOUR + this.validHours * HOUR });
		return { ok: true, metadata: {} as CrlImportResult['metadata'], unchanged: this.unchanged };
	}

	async listCrls(at?: number): Promise<Result<{ crls: CrlStatus[] }>> {
		const now = at ?? Date.now();
		const crls = [...this.crls].map(
			([url, c]) =>
				({
					id: url,
					source: { kind: 'url', url },
					importedAt: c.importedAt,
					thisUpdate: c.thisUpdate,
					nextUpdate: c.nextUpdate,
					freshness: { state: now > c.nextUpdate ? 'stale' : 'current', ageHours: Math.floor((now - c.thisUpdate) / HOUR) }
				}) as unknown as CrlStatus
		);
		return { ok: true as const, crls };
	}
}

let pki: FakePki;
let refresher: KioskCrlRefresher;

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(jst('2026-11-25T10:00:00'));
	pki = new FakePki();
	refresher = new KioskCrlRefresher({
		pki,
		timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as number) },
		now: () => Date.now()
	});
});

afterEach(() => {
	refresher.stop();
	vi.useRealTimers();
});

/** Lets the refresher's promise chains settle without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('KioskCrlRefresher', () => {
	it('registers the configured URLs and downloads them at once when nothing is cached', async () => {
		await refresher.start({ urls: [A, B], updateTime: '06:00' });
		await settle();
		expect(pki.registered).toEqual([A, B]);
		expect(pki.downloads).toEqual([A, B]);
		expect(refresher.status).toMatchObject({ health: 'current', failures: 0, attention: false, lastSuccess: jst('2026-11-25T10:00:00'), nextRun: jst('2026-11-26T06:00:00') });
	});

	it('downloads again daily at the update time, Japan time, and not before', async () => {
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		expect(pki.downloads).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(jst('2026-11-26T05:59:00') - Date.now());
		expect(pki.downloads).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(MIN);
		expect(pki.downloads).toHaveLength(2);
		expect(refresher.status.nextRun).toBe(jst('2026-11-27T06:00:00'));
	});

	it('does not download again on restart when today’s CRLs are already cached', async () => {
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		refresher.stop();
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		expect(pki.downloads).toHaveLength(1);
		expect(refresher.status.lastSuccess).toBe(jst('2026-11-25T10:00:00'));
	});

	it('retries after a failure with a growing delay, reports it, and clears it on success', async () => {
		pki.failWith = { kind: ErrorKind.Transport, message: 'The CRL download failed (HTTP 503).' };
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		expect(refresher.status).toMatchObject({ failures: 1, attention: true, health: 'missing', lastError: { kind: 'transport' }, nextRun: jst('2026-11-25T10:01:00') });
		await vi.advanceTimersByTimeAsync(MIN);
		expect(pki.downloads).toHaveLength(2);
		expect(refresher.status).toMatchObject({ failures: 2, nextRun: jst('2026-11-25T10:03:00') });
		await vi.advanceTimersByTimeAsync(MIN);
		expect(pki.downloads).toHaveLength(2);
		pki.failWith = undefined;
		await vi.advanceTimersByTimeAsync(MIN);
		expect(pki.downloads).toHaveLength(3);
		expect(refresher.status).toMatchObject({ failures: 0, attention: false, health: 'current' });
		expect(refresher.status.lastError).toBeUndefined();
	});

	it('says the cached CRL is stale when its next update has passed, with its date', async () => {
		pki.validHours = 2;
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		expect(refresher.status.health).toBe('current');
		await vi.advanceTimersByTimeAsync(2 * HOUR);
		expect(refresher.status).toMatchObject({ health: 'stale', attention: true, oldestThisUpdate: jst('2026-11-25T09:00:00') });
	});

	it('does not loop when the issuer has nothing newer (the stored import time does not move)', async () => {
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		pki.unchanged = true;
		await vi.advanceTimersByTimeAsync(jst('2026-11-26T06:00:00') - Date.now());
		await vi.advanceTimersByTimeAsync(30 * MIN);
		expect(pki.downloads).toHaveLength(2);
		expect(refresher.status.nextRun).toBe(jst('2026-11-27T06:00:00'));
	});

	it('with no URL configured, plans nothing and says the CRL is missing when none is cached', async () => {
		await refresher.start({ urls: [], updateTime: '06:00' });
		await settle();
		expect(pki.downloads).toEqual([]);
		expect(refresher.status).toMatchObject({ health: 'missing', attention: true });
		expect(refresher.status.nextRun).toBeUndefined();
	});

	it('refreshNow downloads at once, and stop() ends all downloads', async () => {
		await refresher.start({ urls: [A], updateTime: '06:00' });
		await settle();
		await refresher.refreshNow();
		expect(pki.downloads).toHaveLength(2);
		refresher.stop();
		await vi.advanceTimersByTimeAsync(3 * 24 * HOUR);
		expect(pki.downloads).toHaveLength(2);
		expect(refresher.status.nextRun).toBeUndefined();
	});
});

// The kiosk passes the PKI worker's comlink Remote: it must fit the seam without a cast.
type RemoteFits = import('comlink').Remote<import('../pki/pki-service').PkiService> extends KioskCrlPki ? true : never;
const remoteFits: RemoteFits = true;
void remoteFits;
