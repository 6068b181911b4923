import { proxy, type Remote } from 'comlink';
import type { CardWorkerApi } from '../card/worker-api';
import type { CardDetection } from '../card/jpki-session';
import { ErrorKind, type ErrorData } from '../errors';
import type { CertificateInfo } from '../pki/certificate-info';
import type { PkiWorkerApi } from '../pki/worker-api';
import type { CardPresence, ReaderInfo } from '../readers/reader-connection';
import { snapshotUsbDevice, usbDeviceOps } from '../usb/device-bridge';
import { cardClient } from './card-client';
import type { SmartCardResourceManager } from '../readers/smart-card/smart-card-api';
import type { SmartCardReaders } from './smart-card-readers.svelte';
import type { Timers } from '../timers';
import { readerFunctions, USB_REQUEST_FILTERS, type ReaderMatch } from '../usb/reader-registry';

export const ReaderStatus = {
	Opening: 'opening',
	Ready: 'ready',
	/** The reader cannot be used from here (protected class in a normal page, not a reader at all). */
	Unusable: 'unusable',
	Unplugged: 'unplugged',
	Failed: 'failed'
} as const;
export type ReaderStatus = (typeof ReaderStatus)[keyof typeof ReaderStatus];

export const CardState = {
	Absent: 'absent',
	Reading: 'reading',
	Ready: 'ready',
	Failed: 'failed'
} as const;
export type CardState = (typeof CardState)[keyof typeof CardState];

/** One slot of one reader, as the UI shows it. Card data lives here only while the card is in the reader. */
export class ReaderEntry {
	readonly key: string;
	readonly deviceKey: string;
	readonly slot: number;
	readonly interfaceNumber: number | undefined;
	name: string = $state('');
	status: ReaderStatus = $state(ReaderStatus.Opening);
	info: ReaderInfo | undefined = $state();
	error: ErrorData | undefined = $state();
	card: CardState = $state(CardState.Absent);
	cardError: ErrorData | undefined = $state();
	detection: CardDetection | undefined = $state();
	/** A card event arrived while the card was being read (not UI state). */
	recheck = false;
	/** Which read is current: a removal, or a newer read, makes an older one's results stale (not UI state). */
	readGeneration = 0;
	authCertificate: CertificateInfo | undefined = $state();

	constructor(key: string, deviceKey: string, slot: number, name: string, interfaceNumber?: number) {
		this.key = key;
		this.deviceKey = deviceKey;
		this.slot = slot;
		this.name = name;
		this.interfaceNumber = interfaceNumber;
	}

	hasCardData(): boolean {
		return this.card === CardState.Ready;
	}

	/** Forgets everything read from the card (removal, unplug); a read still running is disowned. */
	wipeCard(): void {
		this.readGeneration++;
		this.detection = undefined;
		this.authCertificate = undefined;
		this.cardError = undefined;
		this.card = CardState.Absent;
	}
}

export interface ReaderManagerDependencies {
	usb: USB | undefined;
	card: Remote<CardWorkerApi>;
	pki: Remote<PkiWorkerApi>;
	usbUnrestricted: boolean;
	/** `navigator.smartCard` where the page may use it (isolated contexts): its readers show as `smart-card:<n>` rows. */
	smartCard?: SmartCardResourceManager | undefined;
	/** The platform's timers (the smart-card watcher's retry pause). */
	timers: Timers;
}

/**
 * Adapts WebUSB devices and the card worker for the UI: the page owns the USBDevice objects (permission,
 * connect/disconnect) and lends them to the worker, where the drivers and the card layer run.
 */
export class ReaderManager {
	entries: ReaderEntry[] = $state([]);
	#deps: ReaderManagerDependencies;
	// Bookkeeping only (device → key); the UI reads `entries`, so this map needs no reactivity.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#devices = new Map<USBDevice, string>();
	#next = 1;
	#onConnect = (event: Event) => void this.add((event as USBConnectionEvent).device, { fromEvent: true });
	#onDisconnect = (event: Event) => this.#unplugged((event as USBConnectionEvent).device);

	constructor(deps: ReaderManagerDependencies) {
		this.#deps = deps;
	}

	get usb(): USB | undefined {
		return this.#deps.usb;
	}

	/** The reader holding a My Number Card that the feature pages work with (the first one, if several). */
	get active(): ReaderEntry | undefined {
		return this.entries.find((e) => e.status === ReaderStatus.Ready && e.card === CardState.Ready && e.detection?.kind === 'my-number-card');
	}

	#smartCard: SmartCardReaders | undefined;
	/** Bumped by `stop()`: a smart-card route still loading when the manager stops is never started. */
	#runs = 0;

	/** Starts listening for hot-plug and opens the readers this origin may already use. */
	async start(): Promise<void> {
		if (this.#deps.smartCard && !this.#smartCard) void this.#startSmartCard(this.#deps.smartCard);
		const usb = this.#deps.usb;
		if (!usb) return;
		usb.addEventListener('connect', this.#onConnect);
		usb.addEventListener('disconnect', this.#onDisconnect);
		for (const device of await usb.getDevices()) await this.add(device);
	}

	/** The Web Smart Card API route, loaded only where the page has `navigator.smartCard` (isolated contexts). */
	async #startSmartCard(manager: SmartCardResourceManager): Promise<void> {
		const run = this.#runs;
		const { SmartCardReaders } = await import('./smart-card-readers.svelte');
		if (run !== this.#runs || this.#smartCard) return;
		this.#smartCard = new SmartCardReaders(
			manager,
			this.#deps.card,
			{
				entries: () => this.entries,
				push: (entry) => this.#push(entry),
				drop: (remove) => (this.entries = this.entries.filter((e) => !remove(e))),
				readCard: (entry) => this.readCard(entry, { quietIfAbsent: true }),
				fail: (entry, error) => this.#fail(entry, error)
			},
			{ timers: this.#deps.timers }
		);
		this.#smartCard.start();
	}

	stop(): void {
		this.#runs++;
		void this.#smartCard?.stop();
		this.#smartCard = undefined;
		this.#deps.usb?.removeEventListener('connect', this.#onConnect);
		this.#deps.usb?.removeEventListener('disconnect', this.#onDisconnect);
	}

	/** Shows the browser's device chooser (needs a user gesture). Resolves false when the user cancelled. */
	async requestReader(): Promise<boolean> {
		const usb = this.#deps.usb;
		if (!usb) return false;
		let device: USBDevice;
		try {
			device = await usb.requestDevice({ filters: [...USB_REQUEST_FILTERS] });
		} catch (error) {
			if (error instanceof DOMException && error.name === 'NotFoundError') return false;
			throw error;
		}
		await this.add(device);
		return true;
	}

	async add(device: USBDevice, { fromEvent = false } = {}): Promise<void> {
		if (this.#devices.has(device)) return;
		const functions = readerFunctions(device, { usbUnrestricted: this.#deps.usbUnrestricted });
		// A connect event for a device that is not a reader is none of our business.
		if (functions.length === 0 && fromEvent) return;
		// A reader plugged back in is a new device: its old, unplugged rows are stale.
		this.entries = this.entries.filter((e) => e.status !== ReaderStatus.Unplugged);
		const deviceKey = `device-${this.#next++}`;
		this.#devices.set(device, deviceKey);
		if (functions.length === 0) {
			const entry = this.#push(new ReaderEntry(`${deviceKey}#0`, deviceKey, 0, device.productName ?? 'USB'));
			this.#fail(entry, { kind: ErrorKind.Unsupported, message: 'Not a supported card reader.' }, ReaderStatus.Unusable);
			return;
		}
		if (!functions.some((f) => f.claimable)) {
			const entry = this.#push(new ReaderEntry(`${deviceKey}#0`, deviceKey, 0, functions[0]!.name));
			this.#fail(entry, { kind: ErrorKind.ProtectedInterface, message: 'Protected interface class.' }, ReaderStatus.Unusable);
			return;
		}
		const attached = await this.#deps.card.attach(deviceKey, snapshotUsbDevice(device), proxy(usbDeviceOps(device)));
		for (const match of functions) await this.#openFunction(deviceKey, match, attached.ok ? undefined : attached.error);
	}

	#push(entry: ReaderEntry): ReaderEntry {
		this.entries.push(entry);
		return this.entries[this.entries.length - 1]!;
	}

	async #openFunction(deviceKey: string, match: ReaderMatch, attachError: ErrorData | undefined): Promise<void> {
		const key = (slot: number) => `${deviceKey}:${match.interfaceNumber ?? 0}#${slot}`;
		const first = this.#push(new ReaderEntry(key(0), deviceKey, 0, match.name, match.interfaceNumber));
		if (attachError) return this.#fail(first, attachError);
		await this.#open(first);
		for (let slot = 1; slot < (first.info?.slotCount ?? 1); slot++) {
			await this.#open(this.#push(new ReaderEntry(key(slot), deviceKey, slot, match.name, match.interfaceNumber)));
		}
	}

	async #open(entry: ReaderEntry): Promise<void> {
		entry.status = ReaderStatus.Opening;
		const opened = await this.#deps.card.open(
			entry.key,
			entry.deviceKey,
			{
				usbUnrestricted: this.#deps.usbUnrestricted,
				slot: entry.slot,
				...(entry.interfaceNumber !== undefined ? { interfaceNumber: entry.interfaceNumber } : {})
			},
			proxy((presence: CardPresence) => this.#presence(entry.key, presence))
		);
		const live = this.entries.find((e) => e.key === entry.key);
		if (!live) return;
		if (!opened.ok) {
			this.#fail(live, opened.error, opened.error.kind === ErrorKind.ProtectedInterface ? ReaderStatus.Unusable : ReaderStatus.Failed);
			return;
		}
		live.info = opened.info;
		live.status = ReaderStatus.Ready;
		live.error = undefined;
		// Drivers report changes, not the state at open: look for a card already there.
		await this.readCard(live, { quietIfAbsent: true });
	}

	#fail(entry: ReaderEntry, error: ErrorData, status: ReaderStatus = ReaderStatus.Failed): void {
		entry.status = status;
		entry.error = error;
		entry.wipeCard();
	}

	#presence(key: string, presence: CardPresence): void {
		const entry = this.entries.find((e) => e.key === key);
		if (!entry || entry.status !== ReaderStatus.Ready) return;
		if (presence === 'absent') {
			entry.recheck = false;
			entry.wipeCard();
		} else if (entry.card !== CardState.Ready) void this.readCard(entry, { quietIfAbsent: true });
	}

	/** Connects the card and reads what needs no PIN: what kind of card it is, and the auth certificate. */
	async readCard(entry: ReaderEntry, { quietIfAbsent = false } = {}): Promise<void> {
		if (entry.card === CardState.Reading) {
			// A card event during a read (a NotifySlotChange, a poll) must not be lost: look again when it ends.
			entry.recheck = true;
			return;
		}
		entry.recheck = false;
		entry.wipeCard();
		entry.card = CardState.Reading;
		const generation = entry.readGeneration;
		try {
			await this.#read(entry, quietIfAbsent, () => entry.readGeneration === generation);
		} finally {
			// `#read` changed the entry behind TypeScript's back: ask through a method, not the narrowed field.
			if (entry.readGeneration === generation && entry.recheck && !entry.hasCardData() && entry.status === ReaderStatus.Ready) {
				entry.recheck = false;
				void this.readCard(entry, { quietIfAbsent: true });
			}
		}
	}

	/** Each step first checks that this read is still the current one (no removal, no newer read since). */
	async #read(entry: ReaderEntry, quietIfAbsent: boolean, current: () => boolean): Promise<void> {
		const connected = await this.#deps.card.connectCard(entry.key);
		if (!current()) return;
		if (!connected.ok) return this.#cardFailed(entry, connected.error, quietIfAbsent);
		if (connected.detection.kind !== 'my-number-card') {
			entry.detection = connected.detection;
			entry.card = CardState.Ready;
			return;
		}
		const cert = await cardClient(this.#deps.card, entry.key).readCertificate('auth');
		if (!current()) return;
		if (!cert.ok) return this.#cardFailed(entry, cert.error, false);
		const info = await this.#deps.pki.readCertificate(cert.certificate.der);
		if (!current()) return;
		if (!info.ok) return this.#cardFailed(entry, info.error, false);
		entry.detection = connected.detection;
		entry.authCertificate = info.certificate;
		entry.card = CardState.Ready;
	}

	#cardFailed(entry: ReaderEntry, error: ErrorData, quietIfAbsent: boolean): void {
		entry.detection = undefined;
		entry.authCertificate = undefined;
		if (quietIfAbsent && error.kind === ErrorKind.CardAbsent) {
			entry.card = CardState.Absent;
			return;
		}
		if (error.kind === ErrorKind.ReaderUnplugged) {
			this.#fail(entry, error, ReaderStatus.Unplugged);
			return;
		}
		entry.card = CardState.Failed;
		entry.cardError = error;
	}

	#unplugged(device: USBDevice): void {
		const deviceKey = this.#devices.get(device);
		if (!deviceKey) return;
		this.#devices.delete(device);
		for (const entry of this.entries) {
			if (entry.deviceKey !== deviceKey) continue;
			entry.wipeCard();
			entry.status = ReaderStatus.Unplugged;
			entry.error = undefined;
		}
		void this.#deps.card.detach(deviceKey);
	}

	/** Takes an unplugged reader off the list. */
	dismiss(entry: ReaderEntry): void {
		this.entries = this.entries.filter((e) => e.deviceKey !== entry.deviceKey);
	}
}
