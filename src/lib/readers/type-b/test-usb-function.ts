import { toHex } from '../../bytes';
import type { UsbFunctionModel } from '../../emulator/usb/usb-function-model';

/**
 * Test double base for a USB reader function behind the emulator's VirtualUsbDevice: it logs every transfer as
 * hex ('>' host to reader, '<' reader to host) and hands queued answers to transferIn in order.
 */
export abstract class TestUsbFunction implements UsbFunctionModel {
	/** Every transfer, in order: '> 00 00 ff …' out, '< …' in. */
	readonly wire: string[] = [];
	readonly #queue: Uint8Array[] = [];
	readonly #waiting: ((bytes: Uint8Array) => void)[] = [];

	/** Answers to one OUT transfer, queued for the host to read. */
	protected abstract answer(data: Uint8Array): Uint8Array[];

	/** Bytes the host wrote, newest last. */
	get sent(): string[] {
		return this.wire.filter((line) => line.startsWith('>')).map((line) => line.slice(2));
	}

	/** Queues bytes for the host as if the reader had sent them unprompted. */
	push(bytes: Uint8Array): void {
		const waiter = this.#waiting.shift();
		if (waiter) waiter(bytes);
		else this.#queue.push(bytes);
	}

	transferOut(_endpointNumber: number, data: Uint8Array): void {
		this.wire.push('> ' + toHex(data, ' '));
		for (const bytes of this.answer(data)) this.push(bytes);
	}

	transferIn(_endpointNumber: number, _length: number, signal: AbortSignal): Promise<Uint8Array> {
		const ready = this.#queue.shift();
		const delivered = (bytes: Uint8Array) => {
			this.wire.push('< ' + toHex(bytes, ' '));
			return bytes;
		};
		if (ready) return Promise.resolve(delivered(ready));
		return new Promise((resolve, reject) => {
			const waiter = (bytes: Uint8Array) => resolve(delivered(bytes));
			this.#waiting.push(waiter);
			signal.addEventListener(
				'abort',
				() => {
					const index = this.#waiting.indexOf(waiter);
					if (index >= 0) this.#waiting.splice(index, 1);
					reject(new DOMException('aborted', 'AbortError'));
				},
				{ once: true }
			);
		});
	}
}
