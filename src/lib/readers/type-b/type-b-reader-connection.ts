import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import type { CardChannel, ChannelCapabilities, TransmitOptions } from '../../apdu/channel';
import type { CardPresence, CardPresenceEvent, ReaderConnection, ReaderInfo } from '../reader-connection';
import { raceAbort } from '../iso-dep/abortable-wait';
import { IsoDepProtocol, type IsoDepFrameExchange } from '../iso-dep/iso-dep-protocol';
import { SerialQueue } from '../iso-dep/serial-queue';
import type { TypeBActivation } from './type-b-activation';
import type { UsbTransferCounts } from './vendor-usb-pipe';

/**
 * What a host-side Type B reader (RC-S380 Port-100, RC-S300 transparent session) gives the shared connection.
 * Every method is called from the connection's queue, one at a time.
 */
export interface TypeBLink {
	readonly info: ReaderInfo;
	readonly transfers: Readonly<UsbTransferCounts>;
	/** One ISO-DEP frame to the active card and its answer. */
	readonly exchange: IsoDepFrameExchange;
	/** Resets the field and activates a Type B card; `undefined` when none answers. RF settings go out here, once. */
	activate(signal?: AbortSignal): Promise<TypeBActivation | undefined>;
	/**
	 * Whether a card answers a wake-up (used only while no card is active). `resetField` first turns the field off and
	 * on: a card left ACTIVE by a failed exchange ignores WUPB until its field is reset.
	 */
	detect(signal?: AbortSignal, options?: { resetField?: boolean }): Promise<boolean>;
	/** Idle traffic that keeps the reader's session alive, if the reader needs it. */
	keepAlive?(): Promise<void>;
	/** Field off, session ended, interface released, device closed. Never throws. */
	close(): Promise<void>;
}

export interface TypeBConnectionOptions {
	/** Presence poll period while someone listens (default 500 ms). */
	pollIntervalMs?: number;
	/** Keep-alive after this much idle time, for links that have one (default 10 s). */
	keepAliveIntervalMs?: number;
}

export const TypeBConnectionDefaults = {
	pollIntervalMs: 500,
	keepAliveIntervalMs: 10_000
} as const;

const SHORT_APDU_MIN = 4;
const SHORT_APDU_MAX = 261;

/**
 * A ReaderConnection for a contactless reader where the host runs Type B activation and ISO-DEP. One queue orders
 * everything on the wire (APDUs, presence polls, keep-alives), so a poll never lands between the blocks of an APDU.
 *
 * - `connectCard()` resets the field and activates the card; the ATR is the PC/SC Part 3 Type B form.
 * - `channel.transmit()` runs one short APDU. CardRemoved when the card leaves mid-APDU (the card is then
 *   forgotten and the next tap is found by polling or `connectCard()`); CardAbsent when no card is active.
 * - `onPresence()` polls while someone listens: an ISO-DEP presence check while a card is active, else a WUPB.
 */
export class TypeBReaderConnection implements ReaderConnection {
	readonly info: ReaderInfo;
	readonly channel: CardChannel;
	readonly #link: TypeBLink;
	readonly #queue = new SerialQueue();
	readonly #listeners = new Set<(event: CardPresenceEvent) => void>();
	readonly #pollIntervalMs: number;
	readonly #keepAliveIntervalMs: number;
	#iso: IsoDepProtocol | undefined;
	#atr: Uint8Array | undefined;
	#presence: CardPresence | undefined;
	#dead: MynaError | undefined;
	#closed = false;
	#pollTimer: ReturnType<typeof setTimeout> | undefined;
	#resetFieldBeforeDetect = false;
	#keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
	#lastActivity = Date.now();

	constructor(link: TypeBLink, options: TypeBConnectionOptions = {}) {
		this.#link = link;
		this.info = link.info;
		this.#pollIntervalMs = options.pollIntervalMs ?? TypeBConnectionDefaults.pollIntervalMs;
		this.#keepAliveIntervalMs = options.keepAliveIntervalMs ?? TypeBConnectionDefaults.keepAliveIntervalMs;
		const capabilities: ChannelCapabilities = { extendedLength: false, maxResponseData: 256 };
		const currentAtr = () => this.#atr;
		this.channel = {
			capabilities,
			get atr() {
				return currentAtr();
			},
			transmit: (command, transmitOptions) => this.#transmit(command, transmitOptions)
		};
		this.#scheduleKeepAlive();
	}

	/** USB transfers made on this connection so far (for "transfers per APDU"). */
	get transfers(): Readonly<UsbTransferCounts> {
		return this.#link.transfers;
	}

	/** A card is activated and answering APDUs. */
	get cardActive(): boolean {
		return this.#iso !== undefined;
	}

	async connectCard(options: { signal?: AbortSignal } = {}): Promise<{ atr?: Uint8Array }> {
		const { signal } = options;
		return raceAbort(
			this.#run(async () => {
				throwIfAborted(signal);
				this.#forgetCard();
				const activation = await this.#link.activate(signal);
				if (!activation) {
					this.#setPresence('absent');
					throw new MynaError(ErrorKind.CardAbsent, 'No card on the reader. Place the My Number Card on the reader.');
				}
				this.#iso = new IsoDepProtocol(this.#link.exchange, activation.isoDep);
				this.#atr = activation.atr;
				this.#setPresence('present');
				return { atr: activation.atr };
			}),
			signal
		);
	}

	onPresence(listener: (event: CardPresenceEvent) => void): () => void {
		this.#listeners.add(listener);
		const known = this.#presence;
		if (known) queueMicrotask(() => this.#listeners.has(listener) && listener({ presence: known }));
		this.#schedulePoll();
		return () => {
			this.#listeners.delete(listener);
			if (this.#listeners.size === 0) this.#stopPolling();
		};
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		this.#stopPolling();
		clearTimeout(this.#keepAliveTimer);
		this.#listeners.clear();
		try {
			await this.#queue.run(async () => {
				const iso = this.#iso;
				this.#forgetCard();
				if (iso && !this.#dead) await iso.deselect().catch(() => false);
				await this.#link.close();
			});
		} catch {
			// close() never throws.
		}
	}

	#checkOpen(): void {
		if (this.#dead) throw this.#dead;
		if (this.#closed) throw new MynaError(ErrorKind.Transport, 'The reader connection is closed.');
	}

	/** Runs a task on the wire queue; an unplug found on the way ends the connection for good. */
	#run<T>(task: () => Promise<T>): Promise<T> {
		try {
			this.#checkOpen();
		} catch (error) {
			return Promise.reject(error as Error);
		}
		return this.#queue.run(async () => {
			this.#checkOpen();
			try {
				return await task();
			} catch (error) {
				if (error instanceof MynaError && error.kind === ErrorKind.ReaderUnplugged) this.#onUnplugged(error);
				throw error;
			} finally {
				this.#lastActivity = Date.now();
			}
		});
	}

	async #transmit(command: Uint8Array, options: TransmitOptions = {}): Promise<Uint8Array> {
		const { signal } = options;
		throwIfAborted(signal);
		if (command.length < SHORT_APDU_MIN || command.length > SHORT_APDU_MAX) {
			throw new MynaError(
				command.length > SHORT_APDU_MAX ? ErrorKind.Unsupported : ErrorKind.Internal,
				command.length > SHORT_APDU_MAX ? 'This reader carries short APDUs only.' : 'A command APDU has at least 4 bytes.',
				{ length: command.length }
			);
		}
		const work = this.#run(async () => {
			throwIfAborted(signal);
			const iso = this.#iso;
			if (!iso) throw new MynaError(ErrorKind.CardAbsent, 'No card is connected. Place the My Number Card on the reader.');
			try {
				return await iso.transceive(command);
			} catch (error) {
				if (error instanceof MynaError && error.kind === ErrorKind.CardRemoved) {
					this.#forgetCard();
					this.#setPresence('absent');
				} else if (iso.broken) {
					this.#forgetCard();
				}
				throw error;
			}
		});
		return raceAbort(work, signal);
	}

	#forgetCard(): void {
		this.#iso = undefined;
		this.#atr = undefined;
		this.#resetFieldBeforeDetect = true;
	}

	#onUnplugged(error: MynaError): void {
		this.#dead ??= error;
		this.#forgetCard();
		this.#stopPolling();
		clearTimeout(this.#keepAliveTimer);
	}

	#setPresence(presence: CardPresence): void {
		if (this.#presence === presence) return;
		this.#presence = presence;
		for (const listener of [...this.#listeners]) {
			try {
				listener({ presence });
			} catch {
				// A listener's failure is its own.
			}
		}
	}

	#schedulePoll(): void {
		if (this.#pollTimer !== undefined || this.#listeners.size === 0 || this.#closed || this.#dead) return;
		this.#pollTimer = setTimeout(() => void this.#pollOnce(), this.#presence === undefined ? 0 : this.#pollIntervalMs);
	}

	#stopPolling(): void {
		clearTimeout(this.#pollTimer);
		this.#pollTimer = undefined;
	}

	async #pollOnce(): Promise<void> {
		try {
			if (this.#closed || this.#dead) return;
			const poll = this.#queue.size === 0 ? this.#run(() => this.#pollStep()) : undefined;
			const presence = await poll?.catch(() => undefined);
			if (presence) this.#setPresence(presence);
		} finally {
			this.#pollTimer = undefined;
			this.#schedulePoll();
		}
	}

	async #pollStep(): Promise<CardPresence> {
		const iso = this.#iso;
		if (iso) {
			const presence = await iso.presenceCheck();
			if (presence === 'absent') this.#forgetCard();
			return presence;
		}
		const resetField = this.#resetFieldBeforeDetect;
		this.#resetFieldBeforeDetect = false;
		return (await this.#link.detect(undefined, { resetField })) ? 'present' : 'absent';
	}

	#scheduleKeepAlive(): void {
		const keepAlive = this.#link.keepAlive?.bind(this.#link);
		if (!keepAlive || this.#closed || this.#dead) return;
		const due = this.#lastActivity + this.#keepAliveIntervalMs - Date.now();
		this.#keepAliveTimer = setTimeout(() => {
			if (this.#closed || this.#dead) return;
			const idleFor = Date.now() - this.#lastActivity;
			const run = idleFor >= this.#keepAliveIntervalMs && this.#queue.size === 0 ? this.#run(keepAlive) : undefined;
			void (run ?? Promise.resolve())
				.catch(() => undefined)
				.finally(() => this.#scheduleKeepAlive());
		}, Math.max(0, due));
	}
}
