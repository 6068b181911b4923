import { readUint16LE } from '../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import { UsbOperation, inTransferBytes, mapUsbError, transferStatusError } from './usb-errors';

/** Standard descriptor types (USB 2.0 §9.4 Table 9-5) and the class descriptor type CCID uses (CCID 1.1 §5.1). */
export const UsbDescriptorType = {
	Device: 0x01,
	Configuration: 0x02,
	String: 0x03,
	Interface: 0x04,
	Endpoint: 0x05,
	InterfaceAssociation: 0x0b,
	ClassSpecific: 0x21
} as const;

const GET_DESCRIPTOR = 0x06;
const CONFIGURATION_HEADER_LENGTH = 9;
const INTERFACE_LENGTH = 9;
const ENDPOINT_LENGTH = 7;

export interface RawDescriptor {
	type: number;
	/** The whole descriptor, bLength and bDescriptorType included. */
	bytes: Uint8Array;
}

export interface EndpointDescriptor {
	address: number;
	endpointNumber: number;
	direction: USBDirection;
	type: 'control' | USBEndpointType;
	maxPacketSize: number;
	interval: number;
}

export interface InterfaceDescriptor {
	interfaceNumber: number;
	alternateSetting: number;
	interfaceClass: number;
	interfaceSubclass: number;
	interfaceProtocol: number;
	/** bNumEndpoints as declared; `endpoints` holds what the descriptor really contains. */
	declaredEndpointCount: number;
	endpoints: EndpointDescriptor[];
	/** Class or vendor descriptors found after this interface descriptor (e.g. the CCID 0x21 descriptor). */
	extra: RawDescriptor[];
}

export interface ConfigurationDescriptor {
	configurationValue: number;
	totalLength: number;
	interfaceCount: number;
	attributes: number;
	maxPower: number;
	/** One entry per (interface, alternate setting), in descriptor order. */
	interfaces: InterfaceDescriptor[];
	/** Descriptors before the first interface (interface association, vendor). */
	extra: RawDescriptor[];
}

function malformed(message: string, offset: number): MynaError {
	return new MynaError(ErrorKind.Protocol, `Malformed USB configuration descriptor: ${message}.`, { offset });
}

const ENDPOINT_TYPES = ['control', 'isochronous', 'bulk', 'interrupt'] as const;

/**
 * Walks a full configuration descriptor (USB 2.0 §9.6.3). Strict: wTotalLength must equal the bytes given, every
 * descriptor must fit, interface and endpoint descriptors must have their minimum length. Each step advances at
 * least two bytes, so the walk is bounded by wTotalLength (≤ 65535).
 */
export function parseConfigurationDescriptor(bytes: Uint8Array): ConfigurationDescriptor {
	if (bytes.length < CONFIGURATION_HEADER_LENGTH) throw malformed('shorter than its header', 0);
	if (bytes[0]! < CONFIGURATION_HEADER_LENGTH || bytes[1] !== UsbDescriptorType.Configuration) throw malformed('not a configuration descriptor', 0);
	const totalLength = readUint16LE(bytes, 2);
	if (totalLength !== bytes.length) throw malformed(`wTotalLength ${totalLength} but ${bytes.length} bytes`, 2);
	const config: ConfigurationDescriptor = {
		configurationValue: bytes[5]!,
		totalLength,
		interfaceCount: bytes[4]!,
		attributes: bytes[7]!,
		maxPower: bytes[8]!,
		interfaces: [],
		extra: []
	};
	let current: InterfaceDescriptor | undefined;
	let offset = bytes[0]!;
	while (offset < totalLength) {
		if (offset + 2 > totalLength) throw malformed('truncated descriptor header', offset);
		const length = bytes[offset]!;
		const type = bytes[offset + 1]!;
		if (length < 2) throw malformed(`descriptor length ${length}`, offset);
		if (offset + length > totalLength) throw malformed('descriptor runs past wTotalLength', offset);
		const body = bytes.subarray(offset, offset + length);
		if (type === UsbDescriptorType.Interface) {
			if (length < INTERFACE_LENGTH) throw malformed('short interface descriptor', offset);
			current = {
				interfaceNumber: body[2]!,
				alternateSetting: body[3]!,
				declaredEndpointCount: body[4]!,
				interfaceClass: body[5]!,
				interfaceSubclass: body[6]!,
				interfaceProtocol: body[7]!,
				endpoints: [],
				extra: []
			};
			config.interfaces.push(current);
		} else if (type === UsbDescriptorType.Endpoint) {
			if (length < ENDPOINT_LENGTH) throw malformed('short endpoint descriptor', offset);
			if (!current) throw malformed('endpoint outside an interface', offset);
			const address = body[2]!;
			current.endpoints.push({
				address,
				endpointNumber: address & 0x0f,
				direction: address & 0x80 ? 'in' : 'out',
				type: ENDPOINT_TYPES[body[3]! & 0x03]!,
				maxPacketSize: readUint16LE(body, 4) & 0x07ff,
				interval: body[6]!
			});
		} else {
			(current ? current.extra : config.extra).push({ type, bytes: body.slice() });
		}
		offset += length;
	}
	return config;
}

export interface ReadDescriptorOptions {
	/** Configuration index (not value), 0 for the first. */
	index?: number;
	signal?: AbortSignal;
}

/**
 * Reads configuration descriptor `index` with standard GET_DESCRIPTOR requests to the device (first the 9-byte
 * header for wTotalLength, then the whole). Only standard device-level requests with wIndex 0 are sent: Chrome
 * blocks class/vendor requests whose wIndex names a protected interface (facts/readers.md §1.4, §6.2).
 * The device must be open.
 */
export async function readConfigurationDescriptor(device: USBDevice, options: ReadDescriptorOptions = {}): Promise<ConfigurationDescriptor> {
	const index = options.index ?? 0;
	if (!Number.isInteger(index) || index < 0 || index > 0xff) throw new RangeError('configuration index out of range');
	const context = { operation: UsbOperation.ControlIn, vendorId: device.vendorId, productId: device.productId };
	const setup: USBControlTransferParameters = {
		requestType: 'standard',
		recipient: 'device',
		request: GET_DESCRIPTOR,
		value: (UsbDescriptorType.Configuration << 8) | index,
		index: 0
	};
	const read = async (length: number): Promise<Uint8Array> => {
		throwIfAborted(options.signal);
		let result: USBInTransferResult;
		try {
			result = await device.controlTransferIn(setup, length);
		} catch (error) {
			throw mapUsbError(error, context);
		}
		if (result.status !== 'ok') throw transferStatusError(result.status, context);
		return inTransferBytes(result);
	};
	const header = await read(CONFIGURATION_HEADER_LENGTH);
	if (header.length < CONFIGURATION_HEADER_LENGTH || header[1] !== UsbDescriptorType.Configuration) {
		throw malformed('bad header from GET_DESCRIPTOR', 0);
	}
	const totalLength = readUint16LE(header, 2);
	if (totalLength < CONFIGURATION_HEADER_LENGTH) throw malformed(`wTotalLength ${totalLength}`, 2);
	const full = totalLength === header.length ? header : await read(totalLength);
	return parseConfigurationDescriptor(full);
}
