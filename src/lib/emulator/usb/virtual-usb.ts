import type { VirtualUsbDevice } from './virtual-usb-device';

export type DeviceChooser = (candidates: VirtualUsbDevice[]) => VirtualUsbDevice | undefined;

function matchesFilter(device: USBDevice, filter: USBDeviceFilter): boolean {
	if (filter.vendorId !== undefined && filter.vendorId !== device.vendorId) return false;
	if (filter.productId !== undefined && filter.productId !== device.productId) return false;
	if (filter.serialNumber !== undefined && filter.serialNumber !== device.serialNumber) return false;
	const classMatch = (c: number, s: number, p: number) =>
		(filter.classCode === undefined || filter.classCode === c) &&
		(filter.subclassCode === undefined || filter.subclassCode === s) &&
		(filter.protocolCode === undefined || filter.protocolCode === p);
	if (filter.classCode === undefined && filter.subclassCode === undefined && filter.protocolCode === undefined) return true;
	if (classMatch(device.deviceClass, device.deviceSubclass, device.deviceProtocol)) return true;
	return device.configurations.some((config) =>
		config.interfaces.some((itf) => itf.alternates.some((alt) => classMatch(alt.interfaceClass, alt.interfaceSubclass, alt.interfaceProtocol)))
	);
}

function connectionEvent(type: 'connect' | 'disconnect', device: USBDevice): Event {
	const event = new Event(type);
	Object.defineProperty(event, 'device', { value: device, enumerable: true });
	return event;
}

/**
 * A `navigator.usb` over virtual devices: getDevices returns the devices this origin was granted, requestDevice
 * plays the chooser (the first match unless a chooser is set), connect/disconnect events fire on plug changes.
 */
export class VirtualUsb extends EventTarget {
	onconnect: ((this: this, ev: USBConnectionEvent) => unknown) | null = null;
	ondisconnect: ((this: this, ev: USBConnectionEvent) => unknown) | null = null;

	#attached: VirtualUsbDevice[] = [];
	#granted = new Set<VirtualUsbDevice>();
	#chooser: DeviceChooser = (candidates) => candidates[0];

	/** Attaches a device to the virtual bus (fires `connect`). `granted` = the origin already has permission. */
	attach(device: VirtualUsbDevice, { granted = false }: { granted?: boolean } = {}): void {
		if (this.#attached.includes(device)) return;
		device.replug();
		device.onDisconnect((d) => this.#detached(d));
		this.#attached.push(device);
		if (granted) this.#granted.add(device);
		// Chrome tells a page about devices it has permission for, and no others.
		if (this.#granted.has(device)) this.#dispatch('connect', device);
	}

	/** The user's pick in the chooser dialog; return undefined to cancel. */
	setChooser(chooser: DeviceChooser): void {
		this.#chooser = chooser;
	}

	get attached(): readonly VirtualUsbDevice[] {
		return this.#attached;
	}

	#detached(device: VirtualUsbDevice): void {
		const index = this.#attached.indexOf(device);
		if (index < 0) return;
		this.#attached.splice(index, 1);
		if (this.#granted.has(device)) this.#dispatch('disconnect', device);
	}

	#dispatch(type: 'connect' | 'disconnect', device: VirtualUsbDevice): void {
		const event = connectionEvent(type, device);
		this.dispatchEvent(event);
		const handler = type === 'connect' ? this.onconnect : this.ondisconnect;
		handler?.call(this, event as USBConnectionEvent);
	}

	async getDevices(): Promise<USBDevice[]> {
		return this.#attached.filter((d) => this.#granted.has(d));
	}

	async requestDevice(options?: USBDeviceRequestOptions): Promise<USBDevice> {
		if (!options || !Array.isArray(options.filters)) throw new TypeError("Failed to execute 'requestDevice' on 'USB': 1 argument required.");
		const excluded = options.exclusionFilters ?? [];
		const candidates = this.#attached.filter(
			(d) => (options.filters.length === 0 || options.filters.some((f) => matchesFilter(d, f))) && !excluded.some((f) => matchesFilter(d, f))
		);
		const chosen = this.#chooser(candidates);
		if (!chosen || !candidates.includes(chosen)) throw new DOMException('No device selected.', 'NotFoundError');
		this.#granted.add(chosen);
		return chosen;
	}
}

/** The virtual bus typed as WebUSB's `USB`, for code that takes a `navigator.usb`. */
export function asUsb(usb: VirtualUsb): USB {
	return usb as unknown as USB;
}
