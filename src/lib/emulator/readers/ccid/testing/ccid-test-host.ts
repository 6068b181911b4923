import { VirtualUsbDevice } from '../../../usb/virtual-usb-device';
import type { UsbFunctionModel } from '../../../usb/usb-function-model';
import type { DeviceSpec } from '../../../usb/usb-descriptors';
import { decodeCcidResponse, encodeCcidCommand, type CcidResponse } from '../ccid-message';
import type { CcidEndpoints } from '../ccid-reader-profiles';

export interface SendOptions {
	slot?: number;
	seq?: number;
	specific?: readonly [number, number, number];
	data?: Uint8Array;
}

/** A bare host for reader tests: CCID messages over a claimed virtual USB interface, nothing more. */
export class CcidTestHost {
	readonly device: VirtualUsbDevice;
	readonly endpoints: CcidEndpoints;
	#seq = 0;

	constructor(device: VirtualUsbDevice, endpoints: CcidEndpoints) {
		this.device = device;
		this.endpoints = endpoints;
	}

	/** Sends a message; returns the bSeq used. */
	async send(type: number, options: SendOptions = {}): Promise<number> {
		const seq = options.seq ?? this.#seq++ & 0xff;
		const bytes = encodeCcidCommand({
			messageType: type,
			slot: options.slot ?? 0,
			seq,
			specific: options.specific ?? [0, 0, 0],
			data: options.data ?? new Uint8Array(0)
		});
		await this.sendRaw(bytes);
		return seq;
	}

	async sendRaw(bytes: Uint8Array): Promise<void> {
		const result = await this.device.transferOut(this.endpoints.bulkOut, bytes as Uint8Array<ArrayBuffer>);
		if (result.status !== 'ok') throw new Error(`transferOut ${result.status}`);
	}

	async receiveRaw(length = 70_000): Promise<Uint8Array> {
		const result = await this.device.transferIn(this.endpoints.bulkIn, length);
		if (result.status !== 'ok' || !result.data) throw new Error(`transferIn ${result.status}`);
		return new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength);
	}

	async receive(): Promise<CcidResponse> {
		return decodeCcidResponse(await this.receiveRaw());
	}

	async exchange(type: number, options: SendOptions = {}): Promise<CcidResponse> {
		await this.send(type, options);
		return this.receive();
	}

	async interrupt(): Promise<Uint8Array> {
		const result = await this.device.transferIn(this.endpoints.interruptIn, 64);
		if (result.status !== 'ok' || !result.data) throw new Error(`interrupt ${result.status}`);
		return new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength);
	}
}

/** Opens the device, selects configuration 1 and claims the interface (as an Isolated Web App unless told otherwise). */
export async function openCcid(
	spec: DeviceSpec,
	model: UsbFunctionModel,
	endpoints: CcidEndpoints,
	{ interfaceNumber = 0, usbUnrestricted = true }: { interfaceNumber?: number; usbUnrestricted?: boolean } = {}
): Promise<CcidTestHost> {
	const device = new VirtualUsbDevice(spec, model, { context: { usbUnrestricted } });
	await device.open();
	await device.selectConfiguration(1);
	await device.claimInterface(interfaceNumber);
	return new CcidTestHost(device, endpoints);
}

/** Races a promise against a short real-time delay: 'pending' if it has not settled by then. */
export async function settledWithin<T>(promise: Promise<T>, ms = 20): Promise<T | 'pending'> {
	return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);
}
