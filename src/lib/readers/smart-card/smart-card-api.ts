/**
 * Minimal structural types of the Web Smart Card API (WICG/web-smart-card, `navigator.smartCard`), which is not in
 * lib.dom. Only what this app uses; every member matches the spec's IDL, so the real object and the emulated one
 * (src/lib/emulator/smart-card) both fit. Exposed in isolated contexts only (Isolated Web Apps).
 */

/** `SmartCardResponseCode`: the PC/SC result codes a `SmartCardError` carries. */
export const SmartCardResponseCode = {
	NoService: 'no-service',
	NoSmartcard: 'no-smartcard',
	NotReady: 'not-ready',
	NotTransacted: 'not-transacted',
	ProtoMismatch: 'proto-mismatch',
	ReaderUnavailable: 'reader-unavailable',
	RemovedCard: 'removed-card',
	ResetCard: 'reset-card',
	ServerTooBusy: 'server-too-busy',
	SharingViolation: 'sharing-violation',
	SystemCancelled: 'system-cancelled',
	UnknownReader: 'unknown-reader',
	UnpoweredCard: 'unpowered-card',
	UnresponsiveCard: 'unresponsive-card',
	UnsupportedCard: 'unsupported-card',
	UnsupportedFeature: 'unsupported-feature'
} as const;
export type SmartCardResponseCode = (typeof SmartCardResponseCode)[keyof typeof SmartCardResponseCode];

export type SmartCardAccessMode = 'shared' | 'exclusive' | 'direct';
export type SmartCardProtocol = 'raw' | 't0' | 't1';
export type SmartCardDisposition = 'leave' | 'reset' | 'unpower' | 'eject';

/** `SmartCardReaderStateFlagsIn`. */
export interface SmartCardReaderStateFlagsIn {
	unaware?: boolean;
	ignore?: boolean;
	unavailable?: boolean;
	empty?: boolean;
	present?: boolean;
	exclusive?: boolean;
	inuse?: boolean;
	mute?: boolean;
	unpowered?: boolean;
}

/** `SmartCardReaderStateFlagsOut`. */
export interface SmartCardReaderStateFlagsOut extends Omit<SmartCardReaderStateFlagsIn, 'unaware'> {
	changed?: boolean;
	unknown?: boolean;
}

export interface SmartCardReaderStateIn {
	readerName: string;
	currentState: SmartCardReaderStateFlagsIn;
	currentCount?: number;
}

export interface SmartCardReaderStateOut {
	readerName: string;
	eventState: SmartCardReaderStateFlagsOut;
	eventCount: number;
	answerToReset?: ArrayBuffer;
}

export interface SmartCardGetStatusChangeOptions {
	/** Milliseconds; absent = wait forever (PC/SC INFINITE). */
	timeout?: number;
	signal?: AbortSignal;
}

export interface SmartCardConnectOptions {
	preferredProtocols?: SmartCardProtocol[];
}

export interface SmartCardConnectResult {
	connection: SmartCardConnection;
	activeProtocol?: SmartCardProtocol;
}

export interface SmartCardConnectionStatus {
	readerName: string;
	state: 'absent' | 'present' | 'swallowed' | 'powered' | 'negotiable' | 't0' | 't1' | 'raw';
	answerToReset?: ArrayBuffer;
}

export interface SmartCardTransactionOptions {
	signal?: AbortSignal;
}

export interface SmartCardConnection {
	disconnect(disposition?: SmartCardDisposition): Promise<void>;
	transmit(sendBuffer: BufferSource, options?: { protocol?: SmartCardProtocol }): Promise<ArrayBuffer>;
	/** Runs `transaction` between SCardBeginTransaction and SCardEndTransaction with the disposition it resolves with. */
	startTransaction(transaction: () => Promise<SmartCardDisposition | undefined | void>, options?: SmartCardTransactionOptions): Promise<void>;
	status(): Promise<SmartCardConnectionStatus>;
}

export interface SmartCardContext {
	listReaders(): Promise<string[]>;
	getStatusChange(readerStates: SmartCardReaderStateIn[], options?: SmartCardGetStatusChangeOptions): Promise<SmartCardReaderStateOut[]>;
	connect(readerName: string, accessMode: SmartCardAccessMode, options?: SmartCardConnectOptions): Promise<SmartCardConnectResult>;
}

/** `navigator.smartCard`. */
export interface SmartCardResourceManager {
	establishContext(): Promise<SmartCardContext>;
}

/** The PC/SC pseudo-reader whose event count changes when a reader is added or removed. */
export const PNP_NOTIFICATION_READER = '\\\\?PnP?\\Notification';

/** The largest response a `transmit` may return: an extended response APDU (65536 data bytes + SW1 SW2). */
export const SMART_CARD_MAX_RESPONSE_LENGTH = 65538;
