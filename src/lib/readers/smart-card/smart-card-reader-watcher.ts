import { ErrorKind, type ErrorData } from '../../errors';
import type { Timers } from '../../timers';
import type { SmartCardContext, SmartCardResourceManager } from './smart-card-api';
import { smartCardError, smartCardErrorFields } from './smart-card-errors';
import { SmartCardReaderStates, type SmartCardReaderEvent } from './smart-card-reader-states';

export interface SmartCardReaderWatcherOptions {
	/** The platform's timers (injected): the pause before a retry. */
	timers: Timers;
	/** Longest wait in one `getStatusChange` before the reader list is read again (platforms without PnP events). */
	pollMs?: number;
	/** Pause before trying again after a failure (service stopped, context lost). */
	retryMs?: number;
	/** A failure the watcher cannot get past by itself (permission, policy), for the UI. */
	onError?: (error: ErrorData) => void;
}

const DEFAULTS = { pollMs: 2000, retryMs: 1000 } as const;

/**
 * Page side of the Web Smart Card API route: keeps one context and waits in `getStatusChange` for readers to come
 * and go and cards to go in and out, reporting `SmartCardReaderEvent`s. The context is only for watching (one
 * operation at a time per context): connections use their own. After `no-service` (the PC/SC service stopped or
 * restarted) it forgets every reader and establishes a new context. `stop()` aborts the wait in progress.
 */
export class SmartCardReaderWatcher {
	#manager: SmartCardResourceManager;
	#listener: (event: SmartCardReaderEvent) => void;
	#options: Required<Omit<SmartCardReaderWatcherOptions, 'onError'>> & Pick<SmartCardReaderWatcherOptions, 'onError'>;
	#states = new SmartCardReaderStates();
	#stop: AbortController | undefined;
	#running: Promise<void> | undefined;

	constructor(manager: SmartCardResourceManager, listener: (event: SmartCardReaderEvent) => void, options: SmartCardReaderWatcherOptions) {
		this.#manager = manager;
		this.#listener = listener;
		this.#options = { ...DEFAULTS, ...options };
	}

	/** Whether the card is in, as last seen. */
	isPresent(readerName: string): boolean {
		return this.#states.isPresent(readerName);
	}

	start(): void {
		if (this.#stop) return;
		const stop = new AbortController();
		this.#stop = stop;
		this.#running = this.#loop(stop.signal);
	}

	/** Stops watching; resolves when the loop has ended. */
	async stop(): Promise<void> {
		this.#stop?.abort();
		this.#stop = undefined;
		await this.#running;
	}

	#emit(events: SmartCardReaderEvent[]): void {
		for (const event of events) this.#listener(event);
	}

	async #loop(signal: AbortSignal): Promise<void> {
		let context: SmartCardContext | undefined;
		let relist = true;
		let pnp = true;
		while (!signal.aborted) {
			try {
				context ??= await this.#manager.establishContext();
				if (signal.aborted) break;
				if (relist) {
					this.#emit(this.#states.setReaders(await context.listReaders()));
					relist = false;
					if (signal.aborted) break;
				}
				const answer = await context.getStatusChange(this.#states.statesIn(pnp), { timeout: this.#options.pollMs, signal });
				const update = this.#states.update(answer);
				this.#emit(update.events);
				relist = update.relist;
			} catch (error) {
				if (signal.aborted) break;
				const { name, responseCode } = smartCardErrorFields(error);
				if (name === 'TimeoutError') {
					relist = true; // no PnP event on this platform, perhaps: look at the list now and then
					continue;
				}
				if (responseCode === 'no-service') {
					context = undefined;
					this.#emit(this.#states.clear());
				} else if (responseCode === 'unknown-reader') {
					// A reader left between the list and the wait, or the platform has no PnP pseudo-reader.
					pnp = false;
				}
				const mapped = smartCardError(error, 'getStatusChange');
				if (mapped.kind === ErrorKind.PermissionDenied || mapped.kind === ErrorKind.Unsupported) {
					this.#options.onError?.(mapped.toData());
					break;
				}
				relist = true;
				await pause(this.#options.timers, this.#options.retryMs, signal);
			}
		}
	}
}

function pause(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = timers.setTimeout(done, ms);
		function done() {
			timers.clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, { once: true });
	});
}
