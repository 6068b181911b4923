import { ErrorKind, MynaError } from '../../errors';
import { abortedError } from '../iso-dep/abortable-wait';
import { UsbOperation, mapUsbError } from '../../usb/usb-errors';

/**
 * WebUSB access for the Sony vendor interfaces (class 0xFF): interface choice from the descriptors, claiming with
 * Chrome's errors mapped to error kinds, and a bulk pipe whose every wait is bounded. Only `USBDevice` members are
 * used, so a device bridged into a worker works the same. Chrome's errors are mapped by src/lib/usb/usb-errors.ts, as
 * for the CCID readers, so a user is told the same thing whichever reader they use.
 */
export const VENDOR_SPECIFIC_CLASS = 0xff;

export interface VendorInterface {
	configurationValue: number;
	interfaceNumber: number;
	alternateSetting: number;
	endpointIn: number;
	endpointOut: number;
}

export interface UsbTransferCounts {
	/** transferOut calls made. */
	out: number;
	/** transferIn calls made. */
	in: number;
}

/** The first vendor-class interface with a bulk IN and a bulk OUT endpoint, preferring `preferredNumber`. */
export function findVendorInterface(device: USBDevice, preferredNumber?: number): VendorInterface | undefined {
	const configuration = device.configuration ?? device.configurations[0];
	if (!configuration) return undefined;
	const candidates: VendorInterface[] = [];
	for (const itf of configuration.interfaces) {
		for (const alternate of itf.alternates) {
			if (alternate.interfaceClass !== VENDOR_SPECIFIC_CLASS) continue;
			const bulkIn = alternate.endpoints.find((ep) => ep.type === 'bulk' && ep.direction === 'in');
			const bulkOut = alternate.endpoints.find((ep) => ep.type === 'bulk' && ep.direction === 'out');
			if (!bulkIn || !bulkOut) continue;
			candidates.push({
				configurationValue: configuration.configurationValue,
				interfaceNumber: itf.interfaceNumber,
				alternateSetting: alternate.alternateSetting,
				endpointIn: bulkIn.endpointNumber,
				endpointOut: bulkOut.endpointNumber
			});
		}
	}
	return candidates.find((c) => c.interfaceNumber === preferredNumber) ?? candidates[0];
}

/** Opens the device, selects the configuration if needed and claims the interface. */
export async function claimVendorInterface(device: USBDevice, selection: VendorInterface): Promise<void> {
	try {
		if (!device.opened) await device.open();
	} catch (error) {
		throw mapUsbError(error, { operation: UsbOperation.Open, vendorId: device.vendorId, productId: device.productId });
	}
	try {
		if (device.configuration?.configurationValue !== selection.configurationValue) {
			await device.selectConfiguration(selection.configurationValue);
		}
		await device.claimInterface(selection.interfaceNumber);
		const current = device.configuration?.interfaces.find((i) => i.interfaceNumber === selection.interfaceNumber);
		if (current && current.alternate.alternateSetting !== selection.alternateSetting) {
			await device.selectAlternateInterface(selection.interfaceNumber, selection.alternateSetting);
		}
	} catch (error) {
		throw mapUsbError(error, { operation: UsbOperation.ClaimInterface, vendorId: device.vendorId, productId: device.productId, interfaceNumber: selection.interfaceNumber });
	}
}

/** Releases the interface and closes the device; never throws. */
export async function releaseVendorInterface(device: USBDevice, interfaceNumber: number): Promise<void> {
	try {
		await device.releaseInterface(interfaceNumber);
	} catch {
		// Unplugged or already released: nothing left to release.
	}
	try {
		if (device.opened) await device.close();
	} catch {
		// As above.
	}
}

type Settled = { ok: true; result: USBInTransferResult } | { ok: false; error: unknown };

/**
 * Bulk OUT/IN on one claimed interface. WebUSB cannot cancel a transferIn, so a read that times out stays pending
 * and the next `read` takes its result: nothing the reader sends is lost or read out of order, and callers drop
 * stale answers by their own sequence checks. After an unplug every call fails fast with ReaderUnplugged.
 */
export class VendorUsbPipe {
	readonly #device: USBDevice;
	readonly #endpointIn: number;
	readonly #endpointOut: number;
	readonly #readLength: number;
	readonly #counts: UsbTransferCounts = { out: 0, in: 0 };
	#pending: Promise<Settled> | undefined;
	#dead: MynaError | undefined;

	constructor(device: USBDevice, selection: VendorInterface, readLength: number) {
		this.#device = device;
		this.#endpointIn = selection.endpointIn;
		this.#endpointOut = selection.endpointOut;
		this.#readLength = readLength;
	}

	get transfers(): Readonly<UsbTransferCounts> {
		return { ...this.#counts };
	}

	/** The unplug error once the reader is gone. */
	get dead(): MynaError | undefined {
		return this.#dead;
	}

	#fail(error: unknown, operation: UsbOperation): MynaError {
		const mapped = mapUsbError(error, { operation, vendorId: this.#device.vendorId, productId: this.#device.productId });
		if (mapped.kind === ErrorKind.ReaderUnplugged) this.#dead = mapped;
		return mapped;
	}

	async write(bytes: Uint8Array): Promise<void> {
		if (this.#dead) throw this.#dead;
		const data = new Uint8Array(bytes);
		let result: USBOutTransferResult;
		this.#counts.out++;
		try {
			result = await this.#device.transferOut(this.#endpointOut, data);
		} catch (error) {
			throw this.#fail(error, UsbOperation.TransferOut);
		}
		if (result.status === 'stall') {
			await this.#device.clearHalt('out', this.#endpointOut).catch(() => undefined);
			throw new MynaError(ErrorKind.Transport, 'The reader refused the data (endpoint stalled).');
		}
		if (result.status !== 'ok' || result.bytesWritten !== bytes.length) {
			throw new MynaError(ErrorKind.Transport, 'The reader did not take all the data.', { status: result.status ?? 'unknown' });
		}
	}

	/** The next transfer from the reader, or `undefined` when none arrives within `timeoutMs`. */
	async read(timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array | undefined> {
		if (this.#dead) throw this.#dead;
		if (signal?.aborted) throw abortedError();
		if (!this.#pending) {
			this.#counts.in++;
			this.#pending = this.#device.transferIn(this.#endpointIn, this.#readLength).then(
				(result): Settled => ({ ok: true, result }),
				(error: unknown): Settled => ({ ok: false, error })
			);
		}
		const pending = this.#pending;
		let timer: ReturnType<typeof setTimeout> | undefined;
		let onAbort: (() => void) | undefined;
		const outcome = await Promise.race<Settled | 'timeout' | 'aborted'>([
			pending,
			new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs)))),
			new Promise((resolve) => {
				onAbort = () => resolve('aborted');
				signal?.addEventListener('abort', onAbort, { once: true });
			})
		]);
		clearTimeout(timer);
		if (onAbort) signal?.removeEventListener('abort', onAbort);
		if (outcome === 'timeout') return undefined;
		if (outcome === 'aborted') throw abortedError();
		this.#pending = undefined;
		if (!outcome.ok) throw this.#fail(outcome.error, UsbOperation.TransferIn);
		const { result } = outcome;
		if (result.status === 'stall') {
			await this.#device.clearHalt('in', this.#endpointIn).catch(() => undefined);
			throw new MynaError(ErrorKind.Transport, 'The reader’s answer was refused (endpoint stalled).');
		}
		if (result.status === 'babble') throw new MynaError(ErrorKind.Transport, 'The reader sent more than a whole answer.', { status: 'babble' });
		if (result.status !== 'ok' || !result.data) {
			throw new MynaError(ErrorKind.Transport, 'The USB transfer from the reader failed.', { status: result.status ?? 'unknown' });
		}
		const view = result.data;
		return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
	}
}
