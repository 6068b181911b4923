import { ErrorKind, type ErrorData, type Result } from '../errors';
import type { Timers } from '../timers';
import type { KioskCrlConfig } from '../kiosk/kiosk-config';
import { nextRefreshAt, type CrlRefreshFailure } from '../kiosk/crl-refresh-schedule';
import type { CrlImportResult, CrlStatus } from '../store/crl-store';

/** What the refresher needs from the PKI worker (its comlink Remote, or a fake in unit tests). */
export interface KioskCrlPki {
	setKioskCrlUrls(urls: string[]): Promise<Result<{ urls: string[] }>>;
	importCrlFromUrl(url: string): Promise<Result<CrlImportResult>>;
	listCrls(at?: number): Promise<Result<{ crls: CrlStatus[] }>>;
}

export interface KioskCrlRefresherDependencies {
	readonly pki: KioskCrlPki;
	readonly timers: Timers;
	/** Milliseconds since the epoch. */
	readonly now: () => number;
}

/** How usable the CRLs the kiosk relies on are: the configured URLs' CRLs, or every cached CRL when none is configured. */
export const KioskCrlHealth = { Unknown: 'unknown', Current: 'current', Stale: 'stale', Missing: 'missing' } as const;
export type KioskCrlHealth = (typeof KioskCrlHealth)[keyof typeof KioskCrlHealth];

export interface KioskCrlStatus {
	readonly health: KioskCrlHealth;
	readonly refreshing: boolean;
	/** When the configured CRLs were last all downloaded (from the store's import times, so it survives a reload). */
	readonly lastSuccess?: number;
	/** When the next download is planned (none when no URL is configured or the refresher is stopped). */
	readonly nextRun?: number;
	/** Failed downloads in a row. */
	readonly failures: number;
	readonly lastError?: ErrorData;
	/** The oldest `thisUpdate` among the CRLs relied on (the date the banner shows). */
	readonly oldestThisUpdate?: number;
	/** CRL URLs are configured, so the kiosk downloads them itself. */
	readonly automatic: boolean;
	/** Staff should look: a CRL is stale or missing, or the last download failed. */
	readonly attention: boolean;
}

/** Longest single wait: the plan is re-checked at least this often (a kiosk may sleep; CRLs go stale on their own). */
const MAX_WAIT_MS = 15 * 60_000;

const INITIAL: KioskCrlStatus = { health: KioskCrlHealth.Unknown, refreshing: false, failures: 0, automatic: false, attention: false };

/**
 * Keeps the kiosk's CRLs fresh: tells the PKI worker which URLs the kiosk configuration allows, downloads them once a
 * day after `updateTime` (Japan time) and retries with backoff after a failure (crl-refresh-schedule.ts), and reports
 * whether any CRL the kiosk relies on is stale or missing. Holds no personal data.
 */
export class KioskCrlRefresher {
	status: KioskCrlStatus = $state.raw(INITIAL);

	readonly #deps: KioskCrlRefresherDependencies;
	#config: KioskCrlConfig | undefined;
	#handle: unknown;
	#failure: CrlRefreshFailure | undefined;
	#running: Promise<void> | undefined;
	/** The last download in this session that succeeded (an unchanged CRL keeps its old import time in the store). */
	#lastRun: number | undefined;
	/** Bumped by start/stop: work from an older start no longer schedules anything. */
	#generation = 0;

	constructor(deps: KioskCrlRefresherDependencies) {
		this.#deps = deps;
	}

	/** Starts (or restarts with a new configuration): registers the URLs, reads the cache, and plans the first download. */
	async start(config: KioskCrlConfig): Promise<void> {
		this.stop();
		const generation = this.#generation;
		this.#config = config;
		this.#failure = undefined;
		this.#lastRun = undefined;
		this.status = INITIAL;
		const registered = await this.#deps.pki.setKioskCrlUrls([...config.urls]);
		if (generation !== this.#generation) return;
		if (!registered.ok) {
			this.#failure = { at: this.#deps.now(), count: 1 };
			this.status = { ...this.status, failures: 1, lastError: registered.error };
		}
		await this.#check(generation);
	}

	stop(): void {
		this.#generation++;
		if (this.#handle !== undefined) this.#deps.timers.clearTimeout(this.#handle);
		this.#handle = undefined;
		if (this.status.nextRun !== undefined || this.status.refreshing) this.status = { ...this.status, nextRun: undefined, refreshing: false };
	}

	/** Downloads every configured CRL now (staff's 「今すぐ更新」); resolves when done. Joins a download already running. */
	refreshNow(): Promise<void> {
		const generation = this.#generation;
		if (!this.#config) return Promise.resolve();
		this.#running ??= this.#refresh(generation).finally(() => (this.#running = undefined));
		return this.#running;
	}

	async #refresh(generation: number): Promise<void> {
		const config = this.#config;
		if (!config) return;
		if (this.#handle !== undefined) this.#deps.timers.clearTimeout(this.#handle);
		this.#handle = undefined;
		this.status = { ...this.status, refreshing: true };
		let error: ErrorData | undefined;
		for (const url of config.urls) {
			const result = await this.#deps.pki.importCrlFromUrl(url).catch(
				(e: unknown): { ok: false; error: ErrorData } => ({ ok: false, error: { kind: ErrorKind.Internal, message: e instanceof Error ? e.message : String(e) } })
			);
			if (!result.ok) error ??= result.error;
		}
		if (generation !== this.#generation) return;
		if (error) {
			this.#failure = { at: this.#deps.now(), count: (this.#failure?.count ?? 0) + 1 };
			this.status = { ...this.status, refreshing: false, failures: this.#failure.count, lastError: error };
		} else {
			this.#failure = undefined;
			this.#lastRun = this.#deps.now();
			this.status = { ...this.status, refreshing: false, failures: 0, lastError: undefined };
		}
		await this.#check(generation);
	}

	/** Reads the cached CRLs' state, updates `status`, and plans the next run (or runs now when it is due). */
	async #check(generation: number): Promise<void> {
		const config = this.#config;
		if (!config) return;
		const now = this.#deps.now();
		const listed = await this.#deps.pki.listCrls(now).catch(() => undefined);
		if (generation !== this.#generation) return;
		const crls = listed?.ok ? listed.crls : undefined;
		const judged: ReturnType<typeof judge> = crls ? judge(config, crls) : { health: KioskCrlHealth.Unknown };
		const lastSuccess = judged.lastSuccess === undefined ? this.#lastRun : Math.max(judged.lastSuccess, this.#lastRun ?? 0);
		const failures = this.#failure?.count ?? 0;
		const next = config.urls.length === 0 ? undefined : nextRefreshAt(now, config.updateTime, lastSuccess, this.#failure);
		const { lastError } = this.status;
		this.status = {
			health: judged.health,
			refreshing: false,
			failures,
			automatic: config.urls.length > 0,
			attention: failures > 0 || judged.health === KioskCrlHealth.Stale || judged.health === KioskCrlHealth.Missing,
			...(lastSuccess === undefined ? {} : { lastSuccess }),
			...(next === undefined ? {} : { nextRun: next }),
			...(failures > 0 && lastError ? { lastError } : {}),
			...(judged.oldestThisUpdate === undefined ? {} : { oldestThisUpdate: judged.oldestThisUpdate })
		};
		if (next !== undefined && next <= now) {
			void this.refreshNow();
			return;
		}
		const wait = next === undefined ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, next - now);
		this.#handle = this.#deps.timers.setTimeout(() => {
			this.#handle = undefined;
			void this.#check(generation);
		}, wait);
	}
}

function judge(config: KioskCrlConfig, crls: readonly CrlStatus[]): { health: KioskCrlHealth; lastSuccess?: number; oldestThisUpdate?: number } {
	let relied: CrlStatus[];
	let missing = false;
	let lastSuccess: number | undefined;
	if (config.urls.length > 0) {
		relied = [];
		for (const url of config.urls) {
			const crl = crls.find((c) => c.source.kind === 'url' && c.source.url === url);
			if (crl) relied.push(crl);
			else missing = true;
		}
		if (!missing) lastSuccess = Math.min(...relied.map((c) => c.importedAt));
	} else {
		relied = [...crls];
		missing = relied.length === 0;
	}
	const oldestThisUpdate = relied.length ? Math.min(...relied.map((c) => c.thisUpdate)) : undefined;
	const stale = relied.some((c) => c.freshness.state !== 'current');
	const health = missing ? KioskCrlHealth.Missing : stale ? KioskCrlHealth.Stale : KioskCrlHealth.Current;
	return { health, ...(lastSuccess === undefined ? {} : { lastSuccess }), ...(oldestThisUpdate === undefined ? {} : { oldestThisUpdate }) };
}
