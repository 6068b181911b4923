/**
 * The messages a device has ready for one IN endpoint, in order. `take` waits until there is one or the signal
 * aborts (unplug, close), so a host transferIn waits as it does on a real bus.
 */
export class UsbInQueue {
	#messages: Uint8Array[] = [];
	#waiters: Array<(message: Uint8Array) => void> = [];

	push(message: Uint8Array): void {
		const waiter = this.#waiters.shift();
		if (waiter) waiter(message);
		else this.#messages.push(message);
	}

	take(signal: AbortSignal): Promise<Uint8Array> {
		if (signal.aborted) return Promise.reject(signal.reason);
		const ready = this.#messages.shift();
		if (ready) return Promise.resolve(ready);
		return new Promise((resolve, reject) => {
			const waiter = (message: Uint8Array) => {
				signal.removeEventListener('abort', onAbort);
				resolve(message);
			};
			const onAbort = () => {
				this.#waiters = this.#waiters.filter((w) => w !== waiter);
				reject(signal.reason);
			};
			signal.addEventListener('abort', onAbort, { once: true });
			this.#waiters.push(waiter);
		});
	}

	/** Drops what the host has not read yet (device reset, close). */
	clear(): void {
		this.#messages = [];
	}

	get pending(): number {
		return this.#messages.length;
	}
}
