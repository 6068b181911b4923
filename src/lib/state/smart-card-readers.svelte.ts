import { proxy, type Remote } from 'comlink';
import type { CardWorkerApi } from '../card/worker-api';
import type { ErrorData } from '../errors';
import { ReaderRoute, type ReaderInfo } from '../readers/reader-connection';
import {
	SmartCardConnectionLender,
	SmartCardReaderWatcher,
	type SmartCardReaderEvent,
	type SmartCardReaderWatcherOptions,
	type SmartCardResourceManager
} from '../readers/smart-card';
import { ReaderEntry, ReaderStatus } from './reader-manager.svelte';

/** What the reader manager lends its smart-card companion: its list of entries and its card reading. */
export interface SmartCardReaderHost {
	entries(): ReaderEntry[];
	push(entry: ReaderEntry): ReaderEntry;
	/** Drops rows that are no longer wanted (an unplugged reader that came back). */
	drop(remove: (entry: ReaderEntry) => boolean): void;
	readCard(entry: ReaderEntry): Promise<void>;
	fail(entry: ReaderEntry, error: ErrorData): void;
}

/**
 * The readers of the Web Smart Card API route (isolated contexts: the kiosk's Isolated Web App), as `ReaderEntry`
 * rows keyed `smart-card:<n>`: the page watches the PC/SC service (`navigator.smartCard`, injected), lends each
 * reader's connection to the card worker, reads the card on insertion, wipes it on removal, and marks the row
 * Unplugged when the reader leaves. A CCID reader the page also opens over WebUSB (usb-unrestricted) then shows
 * twice, once per route; only one of them can hold the card at a time (the OS driver or WebUSB).
 */
export class SmartCardReaders {
	#manager: SmartCardResourceManager;
	#card: Remote<CardWorkerApi>;
	#host: SmartCardReaderHost;
	#watcher: SmartCardReaderWatcher;
	// Bookkeeping only (PC/SC reader name → entry key); the UI reads the host's entries.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#keys = new Map<string, string>();
	#next = 1;

	constructor(manager: SmartCardResourceManager, card: Remote<CardWorkerApi>, host: SmartCardReaderHost, options: SmartCardReaderWatcherOptions) {
		this.#manager = manager;
		this.#card = card;
		this.#host = host;
		this.#watcher = new SmartCardReaderWatcher(manager, (event) => void this.#on(event), options);
	}

	start(): void {
		this.#watcher.start();
	}

	async stop(): Promise<void> {
		await this.#watcher.stop();
	}

	#entry(readerName: string): ReaderEntry | undefined {
		const key = this.#keys.get(readerName);
		return key === undefined ? undefined : this.#host.entries().find((e) => e.key === key);
	}

	async #on(event: SmartCardReaderEvent): Promise<void> {
		switch (event.type) {
			case 'reader-added':
				return this.#added(event.readerName);
			case 'card-inserted': {
				const entry = this.#entry(event.readerName);
				if (entry?.status === ReaderStatus.Ready) await this.#host.readCard(entry);
				return;
			}
			case 'card-removed': {
				const entry = this.#entry(event.readerName);
				if (!entry) return;
				entry.recheck = false;
				entry.wipeCard();
				await this.#card.smartCardPresence(entry.key, 'absent');
				return;
			}
			case 'reader-removed': {
				const entry = this.#entry(event.readerName);
				this.#keys.delete(event.readerName);
				if (!entry) return;
				entry.wipeCard();
				entry.status = ReaderStatus.Unplugged;
				entry.error = undefined;
				await this.#card.detach(entry.key);
				return;
			}
		}
	}

	async #added(readerName: string): Promise<void> {
		// The same reader back again: its old, unplugged row is stale.
		this.#host.drop((e) => e.status === ReaderStatus.Unplugged && e.name === readerName && e.key.startsWith('smart-card:'));
		const key = `smart-card:${this.#next++}`;
		this.#keys.set(readerName, key);
		this.#host.push(new ReaderEntry(key, key, 0, readerName));
		const info: ReaderInfo = { vendorId: 0, productId: 0, name: readerName, route: ReaderRoute.SmartCard, slot: 0, slotCount: 1, medium: 'contact', extendedApdu: false };
		const opened = await this.#card.openSmartCard(key, proxy(new SmartCardConnectionLender(this.#manager, readerName)), info);
		const live = this.#host.entries().find((e) => e.key === key);
		if (!live || live.status !== ReaderStatus.Opening) return;
		if (!opened.ok) return this.#host.fail(live, opened.error);
		live.info = opened.info;
		live.status = ReaderStatus.Ready;
		live.error = undefined;
		if (this.#watcher.isPresent(readerName)) await this.#host.readCard(live);
	}
}
