import type { ApduCard } from './card/apdu-card';
import { CardCommandTap, type LabCommandFault } from './card-command-tap';
import type { SonyReaderFault } from './readers/sony/sony-reader-faults';
import { VirtualUsb, asUsb } from './usb/virtual-usb';
import type { TransferFaultRule } from './usb/usb-transfer-faults';
import type { VirtualReader, VirtualReaderOptions } from './virtual-reader';
import type { VirtualPcscReader } from './smart-card/virtual-pcsc-reader';
import { VirtualPcscService } from './smart-card/virtual-pcsc-service';

export type { LabCommandFault, LabCommandFaultAction } from './card-command-tap';

/** The PC/SC name the emulated Web Smart Card API shows for a lab smart-card reader by default. */
export const DEFAULT_SMART_CARD_READER_NAME = 'SCM Microsystems Inc. SCR 3310 [CCID Interface] 00 00';

export interface LabReaderState {
	id: string;
	model: string;
	productName: string | null;
	plugged: boolean;
	cards: boolean[];
	transfers: number;
}

/**
 * Protocol faults of the reader models, by name, so a test can send them through `page.evaluate`:
 * - the Sony models (RC-S300, RC-S380): `SonyReaderFault` (`wtx-storm`, `crc-error`, `remove-card`, `corrupt-frame`, `busy`);
 * - the CCID models: `time-extensions` (bStatus 0x80 DataBlocks before the next answer), `wtx-requests` (T=1
 *   S(WTX) from the card, TPDU readers), `corrupt-lrc` (bad EDC on the card's next T=1 block), `mute-card`,
 *   `hardware-error`; `slot` is the model's slot number (default 0).
 */
export type LabReaderFault =
	| SonyReaderFault
	| { readonly type: 'time-extensions'; readonly count: number; readonly multiplier?: number; readonly slot?: number }
	| { readonly type: 'wtx-requests'; readonly count: number; readonly multiplier?: number; readonly slot?: number }
	| { readonly type: 'corrupt-lrc'; readonly slot?: number }
	| { readonly type: 'mute-card'; readonly slot?: number }
	| { readonly type: 'hardware-error'; readonly slot?: number };

/** The fault methods the reader models have (Sony: `injectFault`; CCID: one method per fault). */
interface FaultableModel {
	injectFault?(fault: SonyReaderFault): void;
	timeExtensions?(count: number, multiplier: number, slot?: number): void;
	wtxRequests?(count: number, multiplier: number, slot?: number): void;
	corruptNextBlockLrc?(slot?: number): void;
	muteCard?(slot?: number): void;
	hardwareError?(slot?: number): void;
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
	/** ISO-DEP blocks seen on the air of a Sony reader since a `wtx-storm` was injected (see `readerCounters`). */
	#airBlocks = new Map<string, { wtxResponses: number; chainedBlocks: number }>();
	#watchedPiccs = new WeakSet<object>();
	/** The emulated PC/SC service behind the emulated `navigator.smartCard` (readers added by `addSmartCardReader`). */
	readonly pcsc = new VirtualPcscService();
	#pcscReaders = new Map<string, VirtualPcscReader>();
	/** Per reader slot (`<readerId>#<slot>`): the command counter and armed fault between the slot and its card. */
	#taps = new Map<string, CardCommandTap>();
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

	/**
	 * Plugs in a reader seen through the PC/SC service (the emulated Web Smart Card API, not USB): one slot, the
	 * given PC/SC name. Returns a lab reader id that `insertCard`, `removeCard`, `unplug`, `replug`, `armFault` and
	 * `commandCount` take like a USB reader's.
	 */
	addSmartCardReader(name: string = DEFAULT_SMART_CARD_READER_NAME): string {
		const id = `reader-${this.#next++}`;
		this.#pcscReaders.set(id, this.pcsc.addReader(name));
		return id;
	}

	reader(id: string): VirtualReader {
		const reader = this.#readers.get(id);
		if (!reader) throw new Error(this.#pcscReaders.has(id) ? `reader ${id} is a Web Smart Card API reader, not a USB one` : `no reader ${id}`);
		return reader;
	}

	/** The next transmit to this smart-card reader fails with a SmartCardError of `responseCode` (e.g. `unresponsive-card`). */
	failSmartCardTransmit(readerId: string, responseCode: string): void {
		this.smartCardReader(readerId).nextTransmitFailure = responseCode;
	}

	/** A lab smart-card reader (see `addSmartCardReader`). */
	smartCardReader(id: string): VirtualPcscReader {
		const reader = this.#pcscReaders.get(id);
		if (!reader) throw new Error(`no smart-card reader ${id}`);
		return reader;
	}

	#tap(readerId: string, slot: number): CardCommandTap {
		if (!this.#readers.has(readerId) && !this.#pcscReaders.has(readerId)) throw new Error(`no reader ${readerId}`);
		const key = `${readerId}#${slot}`;
		let tap = this.#taps.get(key);
		if (!tap) this.#taps.set(key, (tap = new CardCommandTap()));
		return tap;
	}

	#putCard(readerId: string, card: ApduCard, slot: number): void {
		const pcsc = this.#pcscReaders.get(readerId);
		if (pcsc && slot !== 0) throw new Error(`smart-card reader ${readerId} has one slot`);
		const tapped = this.#tap(readerId, slot).wrap(card);
		if (pcsc) pcsc.insertCard(tapped);
		else this.reader(readerId).insertCard(tapped, slot);
	}

	/** Puts a new virtual card (built from options) into a reader's slot; returns the card id. */
	insertCard(readerId: string, options: CardOptions, slot = 0): string {
		this.#tap(readerId, slot);
		const card = this.#deps.createCard(options);
		const id = `card-${this.#next++}`;
		this.#cards.set(id, card);
		this.#putCard(readerId, card, slot);
		return id;
	}

	/** Puts an existing card back (its PIN counters kept), e.g. after removal. */
	reinsertCard(readerId: string, cardId: string, slot = 0): void {
		const card = this.#cards.get(cardId);
		if (!card) throw new Error(`no card ${cardId}`);
		this.#putCard(readerId, card, slot);
	}

	/**
	 * Kiosk fault matrix: the `fault.atCommand`-th command APDU (1-based, counted from now) that the card in this
	 * reader's slot receives triggers `fault.action` ('remove-card' or 'unplug') instead of being processed — the
	 * card never sees that command. One-shot; arming again replaces the fault armed before on that slot.
	 */
	armFault(readerId: string, fault: LabCommandFault): void {
		const slot = fault.slot ?? 0;
		if (fault.action !== 'remove-card' && fault.action !== 'unplug') throw new Error(`unknown fault action ${String(fault.action)}`);
		this.#tap(readerId, slot).arm(fault.atCommand, () => (fault.action === 'unplug' ? this.unplug(readerId) : this.removeCard(readerId, slot)));
	}

	/** Command APDUs the card in this reader's slot has received since it was inserted (or since `resetCommandCount`). */
	commandCount(readerId: string, slot = 0): number {
		return this.#tap(readerId, slot).count;
	}

	resetCommandCount(readerId: string, slot = 0): void {
		this.#tap(readerId, slot).resetCount();
	}

	card(id: string): ApduCard {
		const card = this.#cards.get(id);
		if (!card) throw new Error(`no card ${id}`);
		return card;
	}

	removeCard(readerId: string, slot = 0): void {
		const pcsc = this.#pcscReaders.get(readerId);
		if (pcsc) pcsc.removeCard();
		else this.reader(readerId).removeCard(slot);
	}

	unplug(readerId: string): void {
		const pcsc = this.#pcscReaders.get(readerId);
		if (pcsc) pcsc.unplug();
		else this.reader(readerId).unplug();
	}

	replug(readerId: string): void {
		const pcsc = this.#pcscReaders.get(readerId);
		if (pcsc) pcsc.replug();
		else this.bus.attach(this.reader(readerId).device);
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

	/** Injects a protocol fault into a reader's model (see `LabReaderFault`); throws if the model has no such fault. */
	injectReaderFault(readerId: string, fault: LabReaderFault): void {
		const reader = this.reader(readerId);
		const model = reader.model as FaultableModel;
		const refuse = () => new Error(`reader ${readerId} (${reader.modelId}) does not take the fault ${fault.type}`);
		switch (fault.type) {
			case 'time-extensions':
				if (!model.timeExtensions) throw refuse();
				return model.timeExtensions(fault.count, fault.multiplier ?? 1, fault.slot ?? 0);
			case 'wtx-requests':
				if (!model.wtxRequests) throw refuse();
				return model.wtxRequests(fault.count, fault.multiplier ?? 1, fault.slot ?? 0);
			case 'corrupt-lrc':
				if (!model.corruptNextBlockLrc) throw refuse();
				return model.corruptNextBlockLrc(fault.slot ?? 0);
			case 'mute-card':
				if (!model.muteCard) throw refuse();
				return model.muteCard(fault.slot ?? 0);
			case 'hardware-error':
				if (!model.hardwareError) throw refuse();
				return model.hardwareError(fault.slot ?? 0);
			default:
				if (!model.injectFault) throw refuse();
				if (fault.type === 'wtx-storm') this.#watchAir(readerId);
				return model.injectFault(fault);
		}
	}

	/**
	 * Counts, on the card now on a Sony reader, the S(WTX) responses the host sends and the chained I-blocks the card
	 * answers with (ISO/IEC 14443-4 PCB: S(WTX) 0xF2, I-block with the chaining bit 0x12/0x13; CID bit ignored).
	 */
	#watchAir(readerId: string): void {
		const picc = (this.reader(readerId).model as { picc?: { transceive(frame: Uint8Array): Promise<{ type: string; frame?: Uint8Array }> } }).picc;
		if (!picc || this.#watchedPiccs.has(picc)) return;
		this.#watchedPiccs.add(picc);
		const tally = this.#airBlocks.get(readerId) ?? { wtxResponses: 0, chainedBlocks: 0 };
		this.#airBlocks.set(readerId, tally);
		const original = picc.transceive;
		picc.transceive = async (frame: Uint8Array) => {
			if (frame.length > 0 && (frame[0]! & 0xf7) === 0xf2) tally.wtxResponses++;
			const reply = await original.call(picc, frame);
			const pcb = reply.frame?.[0];
			if (pcb !== undefined && (pcb & 0xe2) === 0x02 && (pcb & 0x10) !== 0) tally.chainedBlocks++;
			return reply;
		};
	}

	/**
	 * Arms a reader fault for the moment a card receives the command with instruction byte `ins` (e.g. 0x2A, the
	 * signature): the fault is injected while the card computes its answer, so it acts on that answer (a
	 * `wtx-storm` sends its S(WTX) blocks right before the signature comes back). Fires once.
	 */
	injectReaderFaultOnCommand(readerId: string, cardId: string, ins: number, fault: LabReaderFault): void {
		this.reader(readerId);
		const card = this.card(cardId);
		const own = Object.hasOwn(card, 'transmit');
		const original = card.transmit;
		card.transmit = async (apdu: Uint8Array): Promise<Uint8Array> => {
			if (apdu[1] === ins) {
				if (own) card.transmit = original;
				else delete (card as { transmit?: unknown }).transmit;
				this.injectReaderFault(readerId, fault);
			}
			return original.call(card, apdu);
		};
	}

	/**
	 * One reader's counters: `transfers` (USB transfers so far, as in `state()`), the model's own where it keeps
	 * them (the Sony models: framesIn, framesOut, rfExchanges), and on a Sony reader, once a `wtx-storm` was
	 * injected, the ISO-DEP blocks seen on the air since: `wtxResponses` (S(WTX) from the host) and `chainedBlocks`
	 * (I-blocks from the card with the chaining bit).
	 */
	readerCounters(readerId: string): Record<string, number> {
		const reader = this.reader(readerId);
		const model = reader.model as { counters?: Record<string, number> };
		return { ...model.counters, ...this.#airBlocks.get(readerId), transfers: reader.transferCount };
	}

	/** The user's choice in the WebUSB chooser: a reader id, or null to cancel. Default: the first match. */
	chooseReader(readerId: string | null): void {
		const device = readerId === null ? undefined : this.reader(readerId).device;
		this.bus.setChooser((candidates) => (device && candidates.includes(device) ? device : undefined));
	}

	/** Every reader: the USB ones (`transfers` = USB transfers), then the smart-card ones (model `smart-card`, no USB transfers). */
	state(): LabReaderState[] {
		const pcsc = [...this.#pcscReaders.entries()].map(([id, reader]) => ({
			id,
			model: 'smart-card',
			productName: reader.name,
			plugged: reader.plugged,
			cards: [reader.hasCard(), false],
			transfers: 0
		}));
		return [...this.#usbState(), ...pcsc];
	}

	#usbState(): LabReaderState[] {
		return [...this.#readers.entries()].map(([id, reader]) => ({
			id,
			model: reader.modelId,
			productName: reader.device.productName,
			plugged: reader.device.connected,
			cards: [0, 1].map((slot) => {
				try {
					return reader.hasCard(slot);
				} catch {
					return false; // a one-slot reader has no slot 1
				}
			}),
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
