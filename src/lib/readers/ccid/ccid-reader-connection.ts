import type { CardPresenceEvent, ReaderConnection, ReaderInfo } from '../reader-connection';
import { CcidChannel } from './ccid-channel';
import type { CcidSlotLease } from './ccid-device-pool';
import { CcidSlotSession } from './ccid-slot-session';
import type { CcidExchangeObserver } from './ccid-transport';

/** One slot of a CCID reader as a ReaderConnection. */
export class CcidReaderConnection implements ReaderConnection {
	readonly info: ReaderInfo;
	readonly channel: CcidChannel;
	readonly #lease: CcidSlotLease;
	readonly #session: CcidSlotSession;
	readonly #listeners = new Set<(event: CardPresenceEvent) => void>();
	readonly #unsubscribe: (() => void)[];
	#present: boolean | undefined;
	#closed: Promise<void> | undefined;

	constructor(lease: CcidSlotLease, info: ReaderInfo) {
		this.#lease = lease;
		this.info = info;
		this.#session = new CcidSlotSession(lease.transport, lease.slot);
		this.channel = new CcidChannel(this.#session);
		this.#unsubscribe = [
			lease.transport.onSlotChange((change) => {
				if (change.slot !== lease.slot) return;
				this.#session.cardPresenceChanged(change.present);
				this.#notify(change.present);
			}),
			lease.transport.onUnplugged(() => {
				this.#session.cardPresenceChanged(false);
				if (this.#present !== false) this.#notify(false);
			})
		];
	}

	async connectCard(options: { signal?: AbortSignal } = {}): Promise<{ atr?: Uint8Array }> {
		const atr = await this.#session.powerOn(options);
		this.#present = true;
		return { atr };
	}

	onPresence(listener: (event: CardPresenceEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Watches the CCID messages of this reader interface, PIN data masked (diagnostics page). */
	observeExchanges(observer: CcidExchangeObserver): () => void {
		return this.#lease.transport.observe(observer);
	}

	close(): Promise<void> {
		this.#closed ??= this.#close();
		return this.#closed;
	}

	async #close(): Promise<void> {
		for (const unsubscribe of this.#unsubscribe) unsubscribe();
		this.#listeners.clear();
		await this.#session.shutdown();
		await this.#lease.release();
	}

	#notify(present: boolean): void {
		this.#present = present;
		const event: CardPresenceEvent = { presence: present ? 'present' : 'absent' };
		for (const listener of [...this.#listeners]) {
			try {
				listener(event);
			} catch {
				// a listener's failure must not hide the event from the others
			}
		}
	}
}
