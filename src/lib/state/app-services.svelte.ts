import type { Remote } from 'comlink';
import type { CardWorkerApi } from '../card/worker-api';
import type { PkiWorkerApi } from '../pki/worker-api';
import { currentRoutePlatform, detectRoutes, type RouteReport } from '../readers/routes';
import type { SmartCardResourceManager } from '../readers/smart-card/smart-card-api';
import type { NdefReaderConstructor } from '../readers/web-nfc';
import type { Timers } from '../timers';
import { windowHandoffPlatform, type KioskHandoffPlatform } from '../kiosk/handoff-platform';
import type { KioskSpeech } from './kiosk.svelte';
import { ReaderManager } from './reader-manager.svelte';
import { startCardWorker, startPkiWorker, type WorkerClient } from './worker-clients';

export type WorkerState = { state: 'waiting' } | { state: 'ready'; version: string; ms: number } | { state: 'failed' };

/** The demo reader: a Sony PaSoRi RC-S300, the reader residents most often own. */
const DEMO_READER_MODEL = 'rcs300';

/**
 * The composition root of the page: the platform objects (navigator.usb, the workers) are created here and
 * handed to the state classes; nothing below reaches for a global.
 */
export class AppServices {
	readonly routes: RouteReport;
	readonly card: WorkerClient<CardWorkerApi>;
	readonly pki: WorkerClient<PkiWorkerApi>;
	readers: ReaderManager = $state() as ReaderManager;
	demo = $state(false);
	cardWorker: WorkerState = $state({ state: 'waiting' });
	pkiWorker: WorkerState = $state({ state: 'waiting' });
	/** The platform's timers and clock (kiosk idle wipe, CRL schedule, smart-card watcher), injected from here only. */
	readonly timers: Timers = { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as number) };
	readonly now = (): number => Date.now();
	/** Same-origin files the page loads itself (the kiosk's `/kiosk-config.json`); never another origin. */
	readonly fetchOwn = (url: string, init: RequestInit): Promise<Response> => fetch(url, init);
	/** The kiosk hand-off's view of the window: the embedding parent and its origin, print(). */
	readonly handoff: KioskHandoffPlatform | undefined = typeof window === 'undefined' ? undefined : windowHandoffPlatform(window);
	/** Read-aloud (Web Speech API), where the browser has it. */
	readonly speech: KioskSpeech | undefined = browserSpeech();
	/** Web NFC's reader (Chrome on Android), only to notice a tapped card; undefined elsewhere. */
	readonly NDEFReader = (globalThis as { NDEFReader?: NdefReaderConstructor }).NDEFReader;

	constructor() {
		this.routes = detectRoutes(currentRoutePlatform());
		this.card = startCardWorker();
		this.pki = startPkiWorker();
		this.readers = this.#manager(typeof navigator !== 'undefined' ? navigator.usb : undefined, this.#smartCard());
		void this.#ping(this.card.api, (s) => (this.cardWorker = s), 'card-worker-ready');
		void this.#ping(this.pki.api, (s) => (this.pkiWorker = s), 'pki-worker-ready');
		void this.readers.start();
	}

	#manager(usb: USB | undefined, smartCard?: SmartCardResourceManager): ReaderManager {
		return new ReaderManager({ usb, card: this.card.api, pki: this.pki.api, usbUnrestricted: this.routes.usbUnrestricted, smartCard, timers: this.timers });
	}

	/** `navigator.smartCard` (Web Smart Card API, isolated contexts only) when the route is there. */
	#smartCard(): SmartCardResourceManager | undefined {
		if (!this.routes.smartCard || typeof navigator === 'undefined') return undefined;
		return (navigator as Navigator & { smartCard?: SmartCardResourceManager }).smartCard;
	}

	async #ping(api: Remote<{ hello(): Promise<{ version: string }> }>, set: (s: WorkerState) => void, mark: string): Promise<void> {
		const started = performance.now();
		try {
			const hello = await api.hello();
			const ended = performance.now();
			performance.measure(mark, { start: started, end: ended });
			set({ state: 'ready', version: hello.version, ms: Math.round(ended - started) });
		} catch {
			set({ state: 'failed' });
		}
	}

	/**
	 * Demo mode: an emulated reader with the demo card on a virtual USB bus, loaded only now (code-split). The
	 * production drivers run unchanged against it in the card worker.
	 */
	async startDemo(): Promise<void> {
		if (this.demo) return;
		const { createVirtualLab } = await import('../emulator');
		const lab = createVirtualLab();
		const readerId = lab.addReader(DEMO_READER_MODEL, { granted: true });
		lab.insertCard(readerId, {});
		this.readers.stop();
		this.readers = this.#manager(lab.usb);
		this.demo = true;
		await this.readers.start();
	}

	dispose(): void {
		this.readers.stop();
		this.card.terminate();
		this.pki.terminate();
	}
}

function browserSpeech(): KioskSpeech | undefined {
	if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined') return undefined;
	return {
		speak(text, lang) {
			const utterance = new SpeechSynthesisUtterance(text);
			utterance.lang = lang === 'ja' ? 'ja-JP' : 'en-GB';
			speechSynthesis.speak(utterance);
		},
		cancel() {
			speechSynthesis.cancel();
		}
	};
}
