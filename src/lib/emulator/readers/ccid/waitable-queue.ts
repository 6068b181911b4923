/**
 * A FIFO an IN endpoint reads from: `shift` waits until an item is there, for as long as the host's transfer
 * lasts (its signal aborts the wait: close, unplug, or the host's own abort).
 */
export class WaitableQueue<T> {
	#items: T[] = [];
	#waiters: { resolve: (item: T) => void; signal: AbortSignal; onAbort: () => void }[] = [];

	get length(): number {
		return this.#items.length;
	}

	push(item: T): void {
		const waiter = this.#waiters.shift();
		if (!waiter) {
			this.#items.push(item);
			return;
		}
		waiter.signal.removeEventListener('abort', waiter.onAbort);
		waiter.resolve(item);
	}

	clear(): void {
		this.#items = [];
	}

	shift(signal: AbortSignal): Promise<T> {
		if (signal.aborted) return Promise.reject(signal.reason);
		if (this.#items.length > 0) return Promise.resolve(this.#items.shift()!);
		return new Promise<T>((resolve, reject) => {
			const onAbort = () => {
				this.#waiters = this.#waiters.filter((w) => w.onAbort !== onAbort);
				reject(signal.reason);
			};
			this.#waiters.push({ resolve, signal, onAbort });
			signal.addEventListener('abort', onAbort, { once: true });
		});
	}
}
