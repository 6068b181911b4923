import type { CardPresence, CardPresenceEvent, ReaderConnection, ReaderInfo } from '../reader-connection';
import { SmartCardChannel } from './smart-card-channel';
import type { SmartCardConnectionOps } from './smart-card-connection-ops';
import { smartCardError } from './smart-card-errors';

/**
 * Card worker side of the Web Smart Card API route: a `ReaderConnection` over the connection the page lends
 * (`SmartCardConnectionOps`), so the card layer runs unchanged. Card presence comes from the page's watcher
 * (`notifyPresence`). `transaction` runs one card operation inside a PC/SC transaction, so another application
 * cannot slip its APDUs between ours (VERIFY then SIGN).
 */
export class SmartCardReaderConnection implements ReaderConnection {
	readonly info: ReaderInfo;
	#ops: SmartCardConnectionOps;
	#channel: SmartCardChannel;
	#listeners = new Set<(event: CardPresenceEvent) => void>();
	/** Operations queue for the transaction: the second waits for the first to end (one transaction per connection). */
	#queue: Promise<unknown> = Promise.resolve();

	constructor(ops: SmartCardConnectionOps, info: ReaderInfo) {
		this.#ops = ops;
		this.info = info;
		this.#channel = new SmartCardChannel(ops);
	}

	get channel(): SmartCardChannel {
		return this.#channel;
	}

	async connectCard(): Promise<{ atr?: Uint8Array }> {
		try {
			const { atr } = await this.#ops.connect();
			this.#channel = new SmartCardChannel(this.#ops, atr);
			return atr ? { atr } : {};
		} catch (error) {
			throw smartCardError(error, 'connect');
		}
	}

	/** Runs `work` inside a PC/SC transaction (begun and ended around it), after the operations queued before it. */
	transaction<T>(work: () => Promise<T>): Promise<T> {
		const run = this.#queue.catch(() => undefined).then(() => this.#inTransaction(work));
		this.#queue = run;
		return run;
	}

	async #inTransaction<T>(work: () => Promise<T>): Promise<T> {
		try {
			await this.#ops.beginTransaction();
		} catch (error) {
			throw smartCardError(error, 'startTransaction');
		}
		try {
			return await work();
		} finally {
			await this.#ops.endTransaction().catch(() => undefined);
		}
	}

	onPresence(listener: (event: CardPresenceEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	notifyPresence(presence: CardPresence): void {
		for (const listener of [...this.#listeners]) listener({ presence });
	}

	/** Disconnects with `reset`: the card forgets the PINs verified in our session before anyone else uses it. */
	async close(): Promise<void> {
		this.#listeners.clear();
		await this.#ops.disconnect('reset').catch(() => undefined);
	}
}
