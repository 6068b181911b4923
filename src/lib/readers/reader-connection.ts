import type { CardChannel } from '../apdu/channel';

/**
 * The shapes every reader driver produces (design §3 seam: `openReader(device) → ReaderConnection`).
 * Drivers take a WebUSB `USBDevice` (real, emulated, or bridged into the card worker) and nothing else global.
 */
export const ReaderRoute = {
	/** CCID at APDU level (short or extended). */
	CcidApdu: 'ccid-apdu',
	/** CCID at TPDU level, the host runs ISO 7816-3 T=1. */
	CcidTpdu: 'ccid-tpdu',
	/** Sony RC-S300 vendor interface (Escape + transparent session, host ISO-DEP). */
	Rcs300: 'rcs300',
	/** Sony RC-S380 Port-100 (host Type B activation + ISO-DEP). */
	Rcs380: 'rcs380',
	/** Web Smart Card API (PC/SC through the browser). */
	SmartCard: 'smart-card'
} as const;
export type ReaderRoute = (typeof ReaderRoute)[keyof typeof ReaderRoute];

export interface ReaderInfo {
	vendorId: number;
	productId: number;
	/** Human name, e.g. "Sony PaSoRi RC-S380". */
	name: string;
	route: ReaderRoute;
	/** Interface number claimed (WebUSB routes). */
	interfaceNumber?: number;
	slot?: number;
	slotCount?: number;
	/** Contact (ISO 7816) or contactless (ISO 14443). */
	medium: 'contact' | 'contactless';
	/** The channel carries extended-length APDUs. */
	extendedApdu: boolean;
}

export type CardPresence = 'present' | 'absent';

export interface CardPresenceEvent {
	presence: CardPresence;
}

export interface ReaderConnection {
	readonly info: ReaderInfo;
	/** APDUs to the card. Fails with MynaError kind CardAbsent / CardRemoved / ReaderUnplugged / Timeout … */
	readonly channel: CardChannel;
	/**
	 * Powers on / activates the card in the field or slot and returns its ATR (contact) or the ATR-equivalent
	 * the driver builds (contactless). Fails with CardAbsent when there is none.
	 */
	connectCard(options?: { signal?: AbortSignal }): Promise<{ atr?: Uint8Array }>;
	/** Card inserted/removed notifications (interrupt endpoint, or polling for contactless). Returns unsubscribe. */
	onPresence(listener: (event: CardPresenceEvent) => void): () => void;
	/** Ends any session, powers the card/RF off, releases the interface and closes the device. Never throws. */
	close(): Promise<void>;
}

export interface OpenReaderOptions {
	/** Slot for multi-slot readers (default 0). */
	slot?: number;
	signal?: AbortSignal;
}

/** One driver in the registry. */
export interface ReaderDriver {
	readonly id: string;
	readonly route: ReaderRoute;
	open(device: USBDevice, options?: OpenReaderOptions): Promise<ReaderConnection>;
}
