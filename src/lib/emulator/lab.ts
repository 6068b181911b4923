import type { ApduCard } from './card/apdu-card';
import { VirtualUsb, asUsb } from './usb/virtual-usb';
import type { TransferFaultRule } from './usb/usb-transfer-faults';
import type { VirtualReader, VirtualReaderOptions } from './virtual-reader';

export interface LabReaderState {
	id: string;
	model: string;
	productName: string | null;
	plugged: boolean;
	cards: boolean[];
	transfers: number;
}

export interface LabDependencies<CardOptions> {
	createReader(model: string, options: VirtualReaderOptions): VirtualReader;
	createCard(options: CardOptions): ApduCard;
}

/**
 * The emulated hardware lab behind demo mode and the Playwright fixture: a virtual USB bus with readers and
 * cards, driven by ids and plain options so a test can call it through `page.evaluate`.
 */
export class EmulatorLab<CardOptions = unknown> {
	readonly bus = new VirtualUsb();
	#readers = new Map<string, VirtualReader>();
	#cards = new Map<string, ApduCard>();
	#deps: LabDependencies<CardOptions>;
	#next = 1;
	/** Readers added without their own `context` get this one (an emulated Isolated Web App sets it). */
	defaultContext: VirtualReaderOptions['context'] = { usbUnrestricted: false };

	constructor(deps: LabDependencies<CardOptions>) {
		this.#deps = deps;
	}

	/** The bus as WebUSB's `USB`, for `navigator.usb`. */
	get usb(): USB {
		return asUsb(this.bus);
	}

	/** Plugs in a reader. `granted` = the page already has permission (it shows up in getDevices). */
	addReader(model: string, options: VirtualReaderOptions & { granted?: boolean } = {}): string {
		const reader = this.#deps.createReader(model, { context: this.defaultContext, ...options });
		const id = `reader-${this.#next++}`;
		this.#readers.set(id, reader);
		this.bus.attach(reader.device, { granted: options.granted ?? false });
		return id;
	}

	reader(id: string): VirtualReader {
		const reader = this.#readers.get(id);
		if (!reader) throw new Error(`no reader ${id}`);
		return reader;
	}

	/** Puts a new virtual card (built from options) into a reader's slot; returns the card id. */
	insertCard(readerId: string, options: CardOptions, slot = 0): string {
		const card = this.#deps.createCard(options);
		const id = `card-${this.#next++}`;
		this.#cards.set(id, card);
		this.reader(readerId).insertCard(card, slot);
		return id;
	}

	/** Puts an existing card back (its PIN counters kept), e.g. after removal. */
	reinsertCard(readerId: string, cardId: string, slot = 0): void {
		const card = this.#cards.get(cardId);
		if (!card) throw new Error(`no card ${cardId}`);
		this.reader(readerId).insertCard(card, slot);
	}

	card(id: string): ApduCard {
		const card = this.#cards.get(id);
		if (!card) throw new Error(`no card ${id}`);
		return card;
	}

	removeCard(readerId: string, slot = 0): void {
		this.reader(readerId).removeCard(slot);
	}

	unplug(readerId: string): void {
		this.reader(readerId).unplug();
	}

	replug(readerId: string): void {
		this.bus.attach(this.reader(readerId).device);
	}

	removeCardAtTransfer(readerId: string, nth: number, when: 'before' | 'after' = 'before', slot = 0): void {
		this.reader(readerId).removeCardAtTransfer(nth, when, slot);
	}

	unplugAtTransfer(readerId: string, nth: number, when: 'before' | 'after' = 'before'): void {
		this.reader(readerId).unplugAtTransfer(nth, when);
	}

	addTransferFault(readerId: string, rule: TransferFaultRule): void {
		this.reader(readerId).addTransferFault(rule);
	}

	/** The user's choice in the WebUSB chooser: a reader id, or null to cancel. Default: the first match. */
	chooseReader(readerId: string | null): void {
		const device = readerId === null ? undefined : this.reader(readerId).device;
		this.bus.setChooser((candidates) => (device && candidates.includes(device) ? device : undefined));
	}

	state(): LabReaderState[] {
		return [...this.#readers.entries()].map(([id, reader]) => ({
			id,
			model: reader.modelId,
			productName: reader.device.productName,
			plugged: reader.device.connected,
			cards: [0, 1].map((slot) => reader.hasCard(slot)),
			transfers: reader.transferCount
		}));
	}
}

/** Replaces `navigator.usb` in a window (Chromium defines it as a getter on Navigator.prototype). */
export function installVirtualUsb(scope: { navigator: Navigator }, usb: USB): void {
	Object.defineProperty(Object.getPrototypeOf(scope.navigator), 'usb', { get: () => usb, configurable: true });
}

/** Policy features an Isolated Web App may be granted (its manifest's permissions_policy). */
const ISOLATED_APP_FEATURES = ['usb', 'usb-unrestricted', 'smart-card', 'cross-origin-isolated'];

/**
 * Makes a page look like an Isolated Web App that was granted `usb-unrestricted` (for tests of the kiosk build's
 * CCID route): `isIsolatedContext` and a permissions policy that allows the IWA features.
 */
export function emulateIsolatedContext(scope: Window & typeof globalThis): void {
	Object.defineProperty(scope, 'isIsolatedContext', { get: () => true, configurable: true });
	const policy = { allowsFeature: (feature: string) => ISOLATED_APP_FEATURES.includes(feature), features: () => [...ISOLATED_APP_FEATURES] };
	Object.defineProperty(scope.document, 'permissionsPolicy', { get: () => policy, configurable: true });
	Object.defineProperty(scope.document, 'featurePolicy', { get: () => policy, configurable: true });
}
