import type { Remote } from 'comlink';
import type { ApduTraceEntry } from '../apdu';
import type { WorkerHello } from '../worker-hello';
import type { AppServices } from './app-services.svelte';
import type { ReaderEntry } from './reader-manager.svelte';

/** What `navigator.userAgentData` offers (User-Agent Client Hints; Chromium only, so not in the DOM typings). */
interface UserAgentData {
	readonly brands?: readonly { brand: string; version: string }[];
	readonly mobile?: boolean;
	readonly platform?: string;
	getHighEntropyValues?(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[]; platformVersion?: string }>;
}

/** The platform objects the page reads; passed in (design §3), the real ones by default. */
export interface DiagnosticsPlatform {
	navigator?: Navigator & { userAgentData?: UserAgentData };
	indexedDB?: unknown;
	/** `performance.timeOrigin` of the page: worker start-up times are measured from it. */
	timeOrigin: number;
	now: () => number;
}

export function currentDiagnosticsPlatform(): DiagnosticsPlatform {
	return {
		navigator: typeof navigator === 'undefined' ? undefined : navigator,
		indexedDB: globalThis.indexedDB,
		timeOrigin: performance.timeOrigin,
		now: () => performance.now()
	};
}

export interface BrowserIdentity {
	/** e.g. `Google Chrome 126.0.6478.126`; the grease brand ("Not A Brand") is left out. */
	brands: string[];
	platform?: string;
	mobile?: boolean;
	userAgent: string;
}

export const ServiceWorkerStatus = {
	Unsupported: 'unsupported',
	None: 'none',
	Installing: 'installing',
	/** Installed and active, but this page was loaded without it (first visit before claim, hard reload). */
	Ready: 'ready',
	/** This page is served by the service worker: the app opens offline. */
	Controlling: 'controlling'
} as const;
export type ServiceWorkerStatus = (typeof ServiceWorkerStatus)[keyof typeof ServiceWorkerStatus];

export type StorageStatus = { available: false } | { available: true; usage: number; quota: number; persisted?: boolean };

export type WorkerReport =
	| { state: 'waiting' }
	| { state: 'failed' }
	| { state: 'ready'; version: string; answerMs: number; startupMs: number; webCrypto: boolean };

/** One reader slot as plain data for the table and the report: no certificate, no personal data. */
export interface ReaderRow {
	key: string;
	name: string;
	vidPid?: string;
	route?: string;
	interfaceNumber?: number;
	slot: number;
	slotCount: number;
	medium?: 'contact' | 'contactless';
	extendedApdu?: boolean;
	status: string;
	card: string;
	cardKind?: string;
	tokenLabel?: string;
	/** Spaced upper-case hex. */
	atr?: string;
	errorKind?: string;
}

function hex4(value: number): string {
	return value.toString(16).toUpperCase().padStart(4, '0');
}

function spacedHex(compact: string): string {
	return (compact.toUpperCase().match(/.{1,2}/g) ?? []).join(' ');
}

export function readerRow(entry: ReaderEntry): ReaderRow {
	const info = entry.info;
	const interfaceNumber = info?.interfaceNumber ?? entry.interfaceNumber;
	const errorKind = entry.error?.kind ?? entry.cardError?.kind;
	return {
		key: entry.key,
		name: info?.name ?? entry.name,
		...(info ? { vidPid: `${hex4(info.vendorId)}:${hex4(info.productId)}`, route: info.route, medium: info.medium, extendedApdu: info.extendedApdu } : {}),
		...(interfaceNumber !== undefined ? { interfaceNumber } : {}),
		slot: info?.slot ?? entry.slot,
		slotCount: info?.slotCount ?? 1,
		status: entry.status,
		card: entry.card,
		...(entry.detection ? { cardKind: entry.detection.kind } : {}),
		...(entry.detection?.tokenLabel ? { tokenLabel: entry.detection.tokenLabel } : {}),
		...(entry.detection?.atr ? { atr: spacedHex(entry.detection.atr) } : {}),
		...(errorKind ? { errorKind } : {})
	};
}

const GREASE_BRAND = /not.?a.?brand/i;

/**
 * The diagnostics page's view of the browser, the workers and the card trace. It only reads: it opens no IndexedDB
 * database, sends nothing to a card and keeps nothing. The readers come live from `services.readers`.
 */
export class DiagnosticsState {
	browser: BrowserIdentity | undefined = $state();
	storage: StorageStatus | undefined = $state();
	serviceWorker: ServiceWorkerStatus = $state(ServiceWorkerStatus.None);
	cardWorker: WorkerReport = $state({ state: 'waiting' });
	pkiWorker: WorkerReport = $state({ state: 'waiting' });
	trace: ApduTraceEntry[] = $state.raw([]);
	traceFailed = $state(false);
	refreshing = $state(false);
	refreshedAt: number | undefined = $state();
	readonly indexedDb: boolean;

	readonly #services: AppServices;
	readonly #platform: DiagnosticsPlatform;
	#onControllerChange = () => void this.#readServiceWorker();

	constructor(services: AppServices, platform: DiagnosticsPlatform = currentDiagnosticsPlatform()) {
		this.#services = services;
		this.#platform = platform;
		this.indexedDb = platform.indexedDB !== undefined && platform.indexedDB !== null;
		platform.navigator?.serviceWorker?.addEventListener('controllerchange', this.#onControllerChange);
	}

	dispose(): void {
		this.#platform.navigator?.serviceWorker?.removeEventListener('controllerchange', this.#onControllerChange);
	}

	/** Reads everything again: browser, storage, service worker, both workers' hello, and the card trace. */
	async refresh(): Promise<void> {
		if (this.refreshing) return;
		this.refreshing = true;
		try {
			await Promise.all([
				this.#readBrowser(),
				this.#readStorage(),
				this.#readServiceWorker(),
				this.#hello(this.#services.card.api, (r) => (this.cardWorker = r)),
				this.#hello(this.#services.pki.api, (r) => (this.pkiWorker = r)),
				this.refreshTrace()
			]);
			this.refreshedAt = Date.now();
		} finally {
			this.refreshing = false;
		}
	}

	async refreshTrace(): Promise<void> {
		try {
			this.trace = await this.#services.card.api.trace();
			this.traceFailed = false;
		} catch {
			this.traceFailed = true;
		}
	}

	async #readBrowser(): Promise<void> {
		const nav = this.#platform.navigator;
		const data = nav?.userAgentData;
		let brands = (data?.brands ?? []).filter((b) => !GREASE_BRAND.test(b.brand));
		let platform = data?.platform;
		try {
			const high = await data?.getHighEntropyValues?.(['fullVersionList', 'platformVersion']);
			const full = (high?.fullVersionList ?? []).filter((b) => !GREASE_BRAND.test(b.brand));
			if (full.length > 0) brands = full;
			if (platform && high?.platformVersion) platform = `${platform} ${high.platformVersion}`;
		} catch {
			// Client hints are optional; the low-entropy brands are enough.
		}
		this.browser = {
			brands: brands.map((b) => `${b.brand} ${b.version}`),
			...(platform ? { platform } : {}),
			...(data?.mobile !== undefined ? { mobile: data.mobile } : {}),
			userAgent: nav?.userAgent ?? ''
		};
	}

	async #readStorage(): Promise<void> {
		const storage = this.#platform.navigator?.storage;
		try {
			if (!storage?.estimate) throw new Error('no storage estimate');
			const estimate = await storage.estimate();
			const persisted = storage.persisted ? await storage.persisted() : undefined;
			this.storage = {
				available: true,
				usage: estimate.usage ?? 0,
				quota: estimate.quota ?? 0,
				...(persisted !== undefined ? { persisted } : {})
			};
		} catch {
			this.storage = { available: false };
		}
	}

	async #readServiceWorker(): Promise<void> {
		const container = this.#platform.navigator?.serviceWorker;
		if (!container) {
			this.serviceWorker = ServiceWorkerStatus.Unsupported;
			return;
		}
		if (container.controller) {
			this.serviceWorker = ServiceWorkerStatus.Controlling;
			return;
		}
		try {
			const registration = await container.getRegistration();
			this.serviceWorker = registration?.active
				? ServiceWorkerStatus.Ready
				: registration?.installing || registration?.waiting
					? ServiceWorkerStatus.Installing
					: ServiceWorkerStatus.None;
		} catch {
			this.serviceWorker = ServiceWorkerStatus.None;
		}
	}

	async #hello(api: Remote<{ hello(): Promise<WorkerHello> }>, set: (report: WorkerReport) => void): Promise<void> {
		const started = this.#platform.now();
		try {
			const hello = await api.hello();
			set({
				state: 'ready',
				version: hello.version,
				answerMs: Math.round(this.#platform.now() - started),
				startupMs: Math.max(0, Math.round(hello.startedAt - this.#platform.timeOrigin)),
				webCrypto: hello.webCrypto
			});
		} catch {
			set({ state: 'failed' });
		}
	}
}
