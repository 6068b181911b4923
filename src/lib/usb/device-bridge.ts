/**
 * The page owns WebUSB devices (permission prompts and connect/disconnect events live there, and Playwright
 * init scripts reach only the page); the card worker runs the drivers. This bridge carries one device across:
 * the page exposes `UsbDeviceOps` (plain data in and out), the worker wraps them as a `USBDevice` again, so the
 * drivers run unchanged on a real device, an emulated one, or one bridged from the page.
 */

export interface UsbDeviceSnapshot {
	vendorId: number;
	productId: number;
	deviceClass: number;
	deviceSubclass: number;
	deviceProtocol: number;
	usbVersion: [number, number, number];
	deviceVersion: [number, number, number];
	manufacturerName: string | null;
	productName: string | null;
	serialNumber: string | null;
	configurations: USBConfiguration[];
}

export interface PlainInResult {
	status: USBTransferStatus;
	data?: Uint8Array;
}

export interface PlainOutResult {
	status: USBTransferStatus;
	bytesWritten: number;
}

export interface PlainDeviceState {
	opened: boolean;
	configurationValue: number | null;
	claimed: number[];
	alternates: Record<number, number>;
}

/** What crosses the thread boundary. Every method resolves with plain data or rejects with {name, message}. */
export interface UsbDeviceOps {
	open(): Promise<PlainDeviceState>;
	close(): Promise<PlainDeviceState>;
	selectConfiguration(value: number): Promise<PlainDeviceState>;
	claimInterface(interfaceNumber: number): Promise<PlainDeviceState>;
	releaseInterface(interfaceNumber: number): Promise<PlainDeviceState>;
	selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<PlainDeviceState>;
	controlTransferIn(setup: USBControlTransferParameters, length: number): Promise<PlainInResult>;
	controlTransferOut(setup: USBControlTransferParameters, data?: Uint8Array): Promise<PlainOutResult>;
	transferIn(endpointNumber: number, length: number): Promise<PlainInResult>;
	transferOut(endpointNumber: number, data: Uint8Array): Promise<PlainOutResult>;
	clearHalt(direction: USBDirection, endpointNumber: number): Promise<void>;
	reset(): Promise<void>;
}

function plainConfiguration(config: USBConfiguration): USBConfiguration {
	return {
		configurationValue: config.configurationValue,
		configurationName: config.configurationName ?? null,
		interfaces: config.interfaces.map((itf) => {
			const alternates = itf.alternates.map((alt) => ({
				alternateSetting: alt.alternateSetting,
				interfaceClass: alt.interfaceClass,
				interfaceSubclass: alt.interfaceSubclass,
				interfaceProtocol: alt.interfaceProtocol,
				interfaceName: alt.interfaceName ?? null,
				endpoints: alt.endpoints.map((ep) => ({ endpointNumber: ep.endpointNumber, direction: ep.direction, type: ep.type, packetSize: ep.packetSize }))
			}));
			const current = alternates.find((a) => a.alternateSetting === itf.alternate?.alternateSetting) ?? alternates[0]!;
			return { interfaceNumber: itf.interfaceNumber, alternate: current, alternates, claimed: false };
		})
	};
}

/** Page side: the device's descriptors as plain data. */
export function snapshotUsbDevice(device: USBDevice): UsbDeviceSnapshot {
	return {
		vendorId: device.vendorId,
		productId: device.productId,
		deviceClass: device.deviceClass,
		deviceSubclass: device.deviceSubclass,
		deviceProtocol: device.deviceProtocol,
		usbVersion: [device.usbVersionMajor, device.usbVersionMinor, device.usbVersionSubminor],
		deviceVersion: [device.deviceVersionMajor, device.deviceVersionMinor, device.deviceVersionSubminor],
		manufacturerName: device.manufacturerName ?? null,
		productName: device.productName ?? null,
		serialNumber: device.serialNumber ?? null,
		configurations: device.configurations.map(plainConfiguration)
	};
}

function stateOf(device: USBDevice): PlainDeviceState {
	const config = device.configuration;
	const alternates: Record<number, number> = {};
	for (const itf of config?.interfaces ?? []) alternates[itf.interfaceNumber] = itf.alternate?.alternateSetting ?? 0;
	return {
		opened: device.opened,
		configurationValue: config?.configurationValue ?? null,
		claimed: (config?.interfaces ?? []).filter((i) => i.claimed).map((i) => i.interfaceNumber),
		alternates
	};
}

function plainIn(result: USBInTransferResult): PlainInResult {
	const data = result.data ? new Uint8Array(result.data.buffer.slice(result.data.byteOffset, result.data.byteOffset + result.data.byteLength)) : undefined;
	return data ? { status: result.status ?? 'ok', data } : { status: result.status ?? 'ok' };
}

/** Errors cross as plain {name, message} so the worker can rebuild the same DOMException. */
async function plainErrors<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		const name = error instanceof Error || error instanceof DOMException ? error.name : 'UnknownError';
		const message = error instanceof Error || error instanceof DOMException ? error.message : 'USB operation failed';
		throw { name, message };
	}
}

/** Page side: the operations the worker may perform on one device. */
export function usbDeviceOps(device: USBDevice): UsbDeviceOps {
	const withState = (work: () => Promise<unknown>) => plainErrors(async () => (await work(), stateOf(device)));
	return {
		open: () => withState(() => device.open()),
		close: () => withState(() => device.close()),
		selectConfiguration: (value) => withState(() => device.selectConfiguration(value)),
		claimInterface: (n) => withState(() => device.claimInterface(n)),
		releaseInterface: (n) => withState(() => device.releaseInterface(n)),
		selectAlternateInterface: (n, alt) => withState(() => device.selectAlternateInterface(n, alt)),
		controlTransferIn: (setup, length) => plainErrors(async () => plainIn(await device.controlTransferIn(setup, length))),
		controlTransferOut: (setup, data) =>
			plainErrors(async () => {
				const r = await device.controlTransferOut(setup, data as Uint8Array<ArrayBuffer> | undefined);
				return { status: r.status ?? 'ok', bytesWritten: r.bytesWritten };
			}),
		transferIn: (ep, length) => plainErrors(async () => plainIn(await device.transferIn(ep, length))),
		transferOut: (ep, data) =>
			plainErrors(async () => {
				const r = await device.transferOut(ep, data as Uint8Array<ArrayBuffer>);
				return { status: r.status ?? 'ok', bytesWritten: r.bytesWritten };
			}),
		clearHalt: (direction, ep) => plainErrors(() => device.clearHalt(direction, ep)),
		reset: () => plainErrors(() => device.reset())
	};
}

function rethrow(error: unknown): never {
	const { name, message } = (error ?? {}) as { name?: string; message?: string };
	throw new DOMException(message ?? 'USB operation failed', name ?? 'UnknownError');
}

function toUint8(data: BufferSource | undefined): Uint8Array | undefined {
	if (data === undefined) return undefined;
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Worker side: a USBDevice over the page's operations. State mirrors what the page reports after each call. */
export class BridgedUsbDevice implements USBDevice {
	readonly usbVersionMajor: number;
	readonly usbVersionMinor: number;
	readonly usbVersionSubminor: number;
	readonly deviceClass: number;
	readonly deviceSubclass: number;
	readonly deviceProtocol: number;
	readonly vendorId: number;
	readonly productId: number;
	readonly deviceVersionMajor: number;
	readonly deviceVersionMinor: number;
	readonly deviceVersionSubminor: number;
	readonly manufacturerName: string | null;
	readonly productName: string | null;
	readonly serialNumber: string | null;
	readonly configurations: USBConfiguration[];
	#ops: UsbDeviceOps;
	#state: PlainDeviceState = { opened: false, configurationValue: null, claimed: [], alternates: {} };

	constructor(snapshot: UsbDeviceSnapshot, ops: UsbDeviceOps) {
		this.#ops = ops;
		[this.usbVersionMajor, this.usbVersionMinor, this.usbVersionSubminor] = snapshot.usbVersion;
		[this.deviceVersionMajor, this.deviceVersionMinor, this.deviceVersionSubminor] = snapshot.deviceVersion;
		this.deviceClass = snapshot.deviceClass;
		this.deviceSubclass = snapshot.deviceSubclass;
		this.deviceProtocol = snapshot.deviceProtocol;
		this.vendorId = snapshot.vendorId;
		this.productId = snapshot.productId;
		this.manufacturerName = snapshot.manufacturerName;
		this.productName = snapshot.productName;
		this.serialNumber = snapshot.serialNumber;
		this.configurations = snapshot.configurations;
	}

	get opened(): boolean {
		return this.#state.opened;
	}

	get configuration(): USBConfiguration | null {
		const config = this.configurations.find((c) => c.configurationValue === this.#state.configurationValue);
		if (!config) return null;
		for (const itf of config.interfaces) {
			(itf as { claimed: boolean }).claimed = this.#state.claimed.includes(itf.interfaceNumber);
			const alt = itf.alternates.find((a) => a.alternateSetting === this.#state.alternates[itf.interfaceNumber]);
			if (alt) (itf as { alternate: USBAlternateInterface }).alternate = alt;
		}
		return config;
	}

	async #update(work: Promise<PlainDeviceState>): Promise<void> {
		try {
			this.#state = await work;
		} catch (error) {
			rethrow(error);
		}
	}

	async #call<T>(work: Promise<T>): Promise<T> {
		try {
			return await work;
		} catch (error) {
			rethrow(error);
		}
	}

	open = () => this.#update(this.#ops.open());
	close = () => this.#update(this.#ops.close());
	forget = () => this.close();
	selectConfiguration = (value: number) => this.#update(this.#ops.selectConfiguration(value));
	claimInterface = (n: number) => this.#update(this.#ops.claimInterface(n));
	releaseInterface = (n: number) => this.#update(this.#ops.releaseInterface(n));
	selectAlternateInterface = (n: number, alt: number) => this.#update(this.#ops.selectAlternateInterface(n, alt));
	clearHalt = (direction: USBDirection, ep: number) => this.#call(this.#ops.clearHalt(direction, ep));
	reset = () => this.#call(this.#ops.reset());

	async controlTransferIn(setup: USBControlTransferParameters, length: number): Promise<USBInTransferResult> {
		return inResult(await this.#call(this.#ops.controlTransferIn(setup, length)));
	}

	async controlTransferOut(setup: USBControlTransferParameters, data?: BufferSource): Promise<USBOutTransferResult> {
		return (await this.#call(this.#ops.controlTransferOut(setup, toUint8(data)))) as USBOutTransferResult;
	}

	async transferIn(endpointNumber: number, length: number): Promise<USBInTransferResult> {
		return inResult(await this.#call(this.#ops.transferIn(endpointNumber, length)));
	}

	async transferOut(endpointNumber: number, data: BufferSource): Promise<USBOutTransferResult> {
		return (await this.#call(this.#ops.transferOut(endpointNumber, toUint8(data)!))) as USBOutTransferResult;
	}

	async isochronousTransferIn(): Promise<USBIsochronousInTransferResult> {
		throw new DOMException('Isochronous transfers are not bridged.', 'NotSupportedError');
	}

	async isochronousTransferOut(): Promise<USBIsochronousOutTransferResult> {
		throw new DOMException('Isochronous transfers are not bridged.', 'NotSupportedError');
	}
}

function inResult(plain: PlainInResult): USBInTransferResult {
	const data = plain.data ? new DataView(plain.data.buffer, plain.data.byteOffset, plain.data.byteLength) : undefined;
	return { status: plain.status, data } as USBInTransferResult;
}
