import {
	PROTECTED_INTERFACE_CLASSES,
	encodeConfigurationDescriptor,
	encodeDeviceDescriptor,
	toUsbConfiguration,
	type DeviceSpec
} from './usb-descriptors';
import { STALL, type ControlSetup, type UsbFunctionModel } from './usb-function-model';
import { UsbTransferFaults, type TransferDirection, type TransferFaultAction } from './usb-transfer-faults';

export interface VirtualUsbContext {
	/** The page may use the `usb-unrestricted` policy feature (Isolated Web Apps): protected classes are claimable. */
	usbUnrestricted: boolean;
}

export interface VirtualUsbDeviceOptions {
	context?: VirtualUsbContext;
	/** Another tab or program holds the device: claimInterface fails as Chrome reports it. */
	claimedElsewhere?: boolean;
}

function domError(name: string, message: string): DOMException {
	return new DOMException(message, name);
}

function inResult(status: USBTransferStatus, bytes?: Uint8Array): USBInTransferResult {
	const data = bytes ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
	return { status, data } as USBInTransferResult;
}

function outResult(status: USBTransferStatus, bytesWritten: number): USBOutTransferResult {
	return { status, bytesWritten } as USBOutTransferResult;
}

function toBytes(data: BufferSource | undefined): Uint8Array {
	if (!data) return new Uint8Array(0);
	if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
	return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A USBDevice that behaves like Chrome's for the parts WebUSB defines: state checks, claims, protected interface
 * classes, standard descriptors, and disconnection (pending transfers fail, later calls find no device).
 */
export class VirtualUsbDevice implements USBDevice {
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
	readonly faults = new UsbTransferFaults();

	#spec: DeviceSpec;
	#model: UsbFunctionModel;
	#context: VirtualUsbContext;
	#claimedElsewhere: boolean;
	#opened = false;
	#configuration: USBConfiguration | null = null;
	#claimed = new Set<number>();
	#connected = true;
	#aborter = new AbortController();
	#onDisconnect: ((device: VirtualUsbDevice) => void) | undefined;

	constructor(spec: DeviceSpec, model: UsbFunctionModel, options: VirtualUsbDeviceOptions = {}) {
		this.#spec = spec;
		this.#model = model;
		this.#context = options.context ?? { usbUnrestricted: false };
		this.#claimedElsewhere = options.claimedElsewhere ?? false;
		[this.usbVersionMajor, this.usbVersionMinor, this.usbVersionSubminor] = spec.usbVersion ?? [2, 0, 0];
		[this.deviceVersionMajor, this.deviceVersionMinor, this.deviceVersionSubminor] = spec.deviceVersion ?? [1, 0, 0];
		this.deviceClass = spec.deviceClass ?? 0;
		this.deviceSubclass = spec.deviceSubclass ?? 0;
		this.deviceProtocol = spec.deviceProtocol ?? 0;
		this.vendorId = spec.vendorId;
		this.productId = spec.productId;
		this.manufacturerName = spec.manufacturerName ?? null;
		this.productName = spec.productName ?? null;
		this.serialNumber = spec.serialNumber ?? null;
		this.configurations = spec.configurations.map(toUsbConfiguration);
	}

	get opened(): boolean {
		return this.#opened;
	}

	get configuration(): USBConfiguration | null {
		return this.#configuration;
	}

	get connected(): boolean {
		return this.#connected;
	}

	/** Which context the device is used from (normal page, or one allowed `usb-unrestricted`). */
	setContext(context: VirtualUsbContext): void {
		this.#context = context;
	}

	setClaimedElsewhere(value: boolean): void {
		this.#claimedElsewhere = value;
	}

	/** Called by the virtual `navigator.usb` so it can fire `disconnect`. */
	onDisconnect(listener: (device: VirtualUsbDevice) => void): void {
		this.#onDisconnect = listener;
	}

	/** Pulls the plug: pending transfers fail with NetworkError, later calls with NotFoundError. */
	unplug(): void {
		if (!this.#connected) return;
		this.#connected = false;
		this.#opened = false;
		this.#claimed.clear();
		this.#aborter.abort();
		this.#model.closed?.();
		this.#onDisconnect?.(this);
	}

	/** Plugs the same device back in (a fresh connection, as after re-insertion). */
	replug(): void {
		if (this.#connected) return;
		this.#connected = true;
		this.#configuration = null;
		this.#aborter = new AbortController();
		for (const config of this.configurations) for (const itf of config.interfaces) (itf as { claimed: boolean }).claimed = false;
	}

	#checkConnected(): void {
		if (!this.#connected) throw domError('NotFoundError', 'The device was disconnected.');
	}

	#checkOpen(): void {
		this.#checkConnected();
		if (!this.#opened) throw domError('InvalidStateError', 'The device must be opened first.');
	}

	#interface(interfaceNumber: number): USBInterface {
		const itf = this.#configuration?.interfaces.find((i) => i.interfaceNumber === interfaceNumber);
		if (!itf) throw domError('NotFoundError', 'The interface number provided is not supported by the device in its current configuration.');
		return itf;
	}

	#isProtected(itf: USBInterface): boolean {
		return itf.alternates.some((alt) => PROTECTED_INTERFACE_CLASSES.includes(alt.interfaceClass));
	}

	#endpoint(direction: USBDirection, endpointNumber: number): void {
		for (const itf of this.#configuration?.interfaces ?? []) {
			if (!this.#claimed.has(itf.interfaceNumber)) continue;
			if (itf.alternate.endpoints.some((ep) => ep.endpointNumber === endpointNumber && ep.direction === direction)) return;
		}
		throw domError('NotFoundError', 'The specified endpoint is not part of a claimed and selected alternate interface.');
	}

	async open(): Promise<void> {
		this.#checkConnected();
		if (this.#opened) return;
		this.#opened = true;
		this.#model.opened?.();
	}

	async close(): Promise<void> {
		this.#checkConnected();
		if (!this.#opened) return;
		for (const n of this.#claimed) this.#model.interfaceReleased?.(n);
		this.#claimed.clear();
		for (const itf of this.#configuration?.interfaces ?? []) (itf as { claimed: boolean }).claimed = false;
		this.#opened = false;
		this.#aborter.abort();
		this.#aborter = new AbortController();
		this.#model.closed?.();
	}

	async forget(): Promise<void> {
		if (this.#opened) await this.close();
	}

	async selectConfiguration(configurationValue: number): Promise<void> {
		this.#checkOpen();
		const config = this.configurations.find((c) => c.configurationValue === configurationValue);
		if (!config) throw domError('NotFoundError', 'The configuration value provided is not supported by the device.');
		this.#configuration = config;
	}

	async claimInterface(interfaceNumber: number): Promise<void> {
		this.#checkOpen();
		if (!this.#configuration) throw domError('InvalidStateError', 'The device must have a configuration selected.');
		const itf = this.#interface(interfaceNumber);
		if (this.#isProtected(itf) && !this.#context.usbUnrestricted) {
			throw domError('SecurityError', 'The requested interface implements a protected class.');
		}
		if (this.#claimed.has(interfaceNumber)) return;
		if (this.#claimedElsewhere) throw domError('NetworkError', 'Unable to claim interface.');
		this.#claimed.add(interfaceNumber);
		(itf as { claimed: boolean }).claimed = true;
		this.#model.interfaceClaimed?.(interfaceNumber);
	}

	async releaseInterface(interfaceNumber: number): Promise<void> {
		this.#checkOpen();
		const itf = this.#interface(interfaceNumber);
		if (!this.#claimed.delete(interfaceNumber)) return;
		(itf as { claimed: boolean }).claimed = false;
		this.#model.interfaceReleased?.(interfaceNumber);
	}

	async selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
		this.#checkOpen();
		const itf = this.#interface(interfaceNumber);
		if (!this.#claimed.has(interfaceNumber)) throw domError('InvalidStateError', 'The interface must be claimed first.');
		const alt = itf.alternates.find((a) => a.alternateSetting === alternateSetting);
		if (!alt) throw domError('NotFoundError', 'The alternate setting provided is not supported by the device.');
		(itf as { alternate: USBAlternateInterface }).alternate = alt;
	}

	/** Chrome blocks non-standard control requests aimed at a protected interface, whatever the recipient (wIndex). */
	#checkControl(setup: ControlSetup): void {
		this.#checkOpen();
		if (this.#context.usbUnrestricted) return;
		const target = setup.index & 0xff;
		const aimsAtInterface = setup.recipient === 'interface' || setup.recipient === 'endpoint' || setup.requestType !== 'standard';
		if (!aimsAtInterface) return;
		const itf = this.#configuration?.interfaces.find((i) => i.interfaceNumber === target);
		if (itf && this.#isProtected(itf)) {
			throw domError('SecurityError', 'The requested interface implements a protected class.');
		}
	}

	async controlTransferIn(setup: USBControlTransferParameters, length: number): Promise<USBInTransferResult> {
		this.#checkControl(setup);
		if (setup.requestType === 'standard' && setup.recipient === 'device' && setup.request === 0x06) {
			const type = setup.value >> 8;
			const index = setup.value & 0xff;
			let bytes: Uint8Array | undefined;
			if (type === 0x01) bytes = encodeDeviceDescriptor(this.#spec);
			else if (type === 0x02 && this.#spec.configurations[index]) bytes = encodeConfigurationDescriptor(this.#spec.configurations[index]);
			if (!bytes) return inResult('stall');
			return inResult('ok', bytes.slice(0, length));
		}
		const answer = (await this.#model.controlTransferIn?.(setup, length)) ?? STALL;
		this.#checkConnected();
		if (answer === STALL) return inResult('stall');
		return answer.length > length ? inResult('babble', answer.slice(0, length)) : inResult('ok', answer);
	}

	async controlTransferOut(setup: USBControlTransferParameters, data?: BufferSource): Promise<USBOutTransferResult> {
		this.#checkControl(setup);
		const bytes = toBytes(data);
		if (!this.#model.controlTransferOut) return outResult('stall', 0);
		const answer = await this.#model.controlTransferOut(setup, bytes);
		this.#checkConnected();
		return answer === STALL ? outResult('stall', 0) : outResult('ok', bytes.length);
	}

	async clearHalt(direction: USBDirection, endpointNumber: number): Promise<void> {
		this.#checkOpen();
		this.#endpoint(direction, endpointNumber);
	}

	async reset(): Promise<void> {
		this.#checkOpen();
		this.#model.deviceReset?.();
	}

	async #applyFaults(actions: TransferFaultAction[]): Promise<'stall' | undefined> {
		let stall: 'stall' | undefined;
		for (const action of actions) {
			if (action.type === 'unplug') this.unplug();
			else if (action.type === 'delay') await sleep(action.ms);
			else if (action.type === 'stall') stall = 'stall';
			else if (action.type === 'call') action.run();
		}
		return stall;
	}

	#disconnectedDuringTransfer(): DOMException {
		return domError('NetworkError', 'A transfer error has occurred.');
	}

	async #fault(direction: TransferDirection, endpointNumber: number, when: 'before' | 'after') {
		const actions = this.faults.take(direction, endpointNumber, when);
		const stall = await this.#applyFaults(actions);
		return { stall, corrupt: actions.find((a) => a.type === 'corrupt') };
	}

	async transferOut(endpointNumber: number, data: BufferSource): Promise<USBOutTransferResult> {
		this.#checkOpen();
		this.#endpoint('out', endpointNumber);
		const bytes = toBytes(data);
		this.faults.transferCount++;
		const before = await this.#fault('out', endpointNumber, 'before');
		if (!this.#connected) throw this.#disconnectedDuringTransfer();
		if (before.stall) return outResult('stall', 0);
		if (before.corrupt?.type === 'corrupt' && bytes.length > 0) {
			const i = Math.min(before.corrupt.byteIndex ?? bytes.length - 1, bytes.length - 1);
			bytes[i]! ^= before.corrupt.xor ?? 0xff;
		}
		const answer = await this.#model.transferOut(endpointNumber, bytes);
		if (!this.#connected) throw this.#disconnectedDuringTransfer();
		const after = await this.#fault('out', endpointNumber, 'after');
		if (answer === STALL || after.stall) return outResult('stall', 0);
		return outResult('ok', bytes.length);
	}

	async transferIn(endpointNumber: number, length: number): Promise<USBInTransferResult> {
		this.#checkOpen();
		this.#endpoint('in', endpointNumber);
		this.faults.transferCount++;
		// Taken before any await: a close() in the same tick must cancel this transfer.
		const signal = this.#aborter.signal;
		const before = await this.#fault('in', endpointNumber, 'before');
		if (!this.#connected) throw this.#disconnectedDuringTransfer();
		if (signal.aborted) throw domError('AbortError', 'The transfer was cancelled.');
		if (before.stall) return inResult('stall');
		let answer: Uint8Array | typeof STALL;
		try {
			answer = await this.#model.transferIn(endpointNumber, length, signal);
		} catch (error) {
			if (signal.aborted) throw this.#connected ? domError('AbortError', 'The transfer was cancelled.') : this.#disconnectedDuringTransfer();
			throw error;
		}
		if (signal.aborted) throw this.#connected ? domError('AbortError', 'The transfer was cancelled.') : this.#disconnectedDuringTransfer();
		const after = await this.#fault('in', endpointNumber, 'after');
		if (!this.#connected) throw this.#disconnectedDuringTransfer();
		if (answer === STALL || after.stall) return inResult('stall');
		const corrupt = before.corrupt ?? after.corrupt;
		if (corrupt?.type === 'corrupt' && answer.length > 0) {
			answer = answer.slice();
			const i = Math.min(corrupt.byteIndex ?? answer.length - 1, answer.length - 1);
			answer[i]! ^= corrupt.xor ?? 0xff;
		}
		return answer.length > length ? inResult('babble', answer.slice(0, length)) : inResult('ok', answer);
	}

	async isochronousTransferIn(): Promise<USBIsochronousInTransferResult> {
		throw domError('NotSupportedError', 'Isochronous transfers are not emulated.');
	}

	async isochronousTransferOut(): Promise<USBIsochronousOutTransferResult> {
		throw domError('NotSupportedError', 'Isochronous transfers are not emulated.');
	}
}
