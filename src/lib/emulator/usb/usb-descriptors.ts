/** Plain descriptor data for a virtual USB device, and their standard binary encoding (USB 2.0 §9.6). */

export const UsbClass = {
	Audio: 0x01,
	Hid: 0x03,
	MassStorage: 0x08,
	SmartCard: 0x0b,
	Video: 0x0e,
	AudioVideo: 0x10,
	WirelessController: 0xe0,
	VendorSpecific: 0xff
} as const;

/** Interface classes a normal page may not claim (WICG/webusb "protected interface classes"). */
export const PROTECTED_INTERFACE_CLASSES: readonly number[] = [
	UsbClass.Audio,
	UsbClass.Hid,
	UsbClass.MassStorage,
	UsbClass.SmartCard,
	UsbClass.Video,
	UsbClass.AudioVideo,
	UsbClass.WirelessController
];

export interface EndpointSpec {
	endpointNumber: number;
	direction: USBDirection;
	type: USBEndpointType;
	packetSize: number;
}

export interface AlternateSpec {
	alternateSetting: number;
	interfaceClass: number;
	interfaceSubclass: number;
	interfaceProtocol: number;
	interfaceName?: string;
	endpoints: EndpointSpec[];
	/** Class-specific descriptor bytes that follow the interface descriptor (e.g. the CCID 0x21 descriptor). */
	classDescriptor?: Uint8Array;
}

export interface InterfaceSpec {
	interfaceNumber: number;
	alternates: AlternateSpec[];
}

export interface ConfigurationSpec {
	configurationValue: number;
	configurationName?: string;
	interfaces: InterfaceSpec[];
}

export interface DeviceSpec {
	vendorId: number;
	productId: number;
	deviceClass?: number;
	deviceSubclass?: number;
	deviceProtocol?: number;
	usbVersion?: [number, number, number];
	deviceVersion?: [number, number, number];
	manufacturerName?: string;
	productName?: string;
	serialNumber?: string;
	configurations: ConfigurationSpec[];
}

const ENDPOINT_TYPE_BITS: Record<USBEndpointType, number> = { isochronous: 1, bulk: 2, interrupt: 3 };

function bcd([major, minor, sub]: [number, number, number]): number {
	return (major << 8) | ((minor & 0x0f) << 4) | (sub & 0x0f);
}

export function encodeDeviceDescriptor(spec: DeviceSpec): Uint8Array {
	const usb = bcd(spec.usbVersion ?? [2, 0, 0]);
	const dev = bcd(spec.deviceVersion ?? [1, 0, 0]);
	return new Uint8Array([
		18, 0x01, usb & 0xff, usb >> 8,
		spec.deviceClass ?? 0, spec.deviceSubclass ?? 0, spec.deviceProtocol ?? 0, 64,
		spec.vendorId & 0xff, spec.vendorId >> 8, spec.productId & 0xff, spec.productId >> 8,
		dev & 0xff, dev >> 8, spec.manufacturerName ? 1 : 0, spec.productName ? 2 : 0, spec.serialNumber ? 3 : 0,
		spec.configurations.length
	]);
}

/** The full configuration descriptor (configuration, interfaces, class descriptors, endpoints), wTotalLength filled. */
export function encodeConfigurationDescriptor(config: ConfigurationSpec): Uint8Array {
	const parts: number[] = [];
	for (const itf of config.interfaces) {
		for (const alt of itf.alternates) {
			parts.push(9, 0x04, itf.interfaceNumber, alt.alternateSetting, alt.endpoints.length, alt.interfaceClass, alt.interfaceSubclass, alt.interfaceProtocol, 0);
			if (alt.classDescriptor) parts.push(...alt.classDescriptor);
			for (const ep of alt.endpoints) {
				const address = (ep.direction === 'in' ? 0x80 : 0) | ep.endpointNumber;
				parts.push(7, 0x05, address, ENDPOINT_TYPE_BITS[ep.type], ep.packetSize & 0xff, ep.packetSize >> 8, ep.type === 'interrupt' ? 0x10 : 0);
			}
		}
	}
	const total = 9 + parts.length;
	return new Uint8Array([9, 0x02, total & 0xff, total >> 8, config.interfaces.length, config.configurationValue, 0, 0x80, 50, ...parts]);
}

/** Converts the plain spec into objects shaped like WebUSB's USBConfiguration tree. */
export function toUsbConfiguration(spec: ConfigurationSpec): USBConfiguration {
	const interfaces: USBInterface[] = spec.interfaces.map((itf) => {
		const alternates: USBAlternateInterface[] = itf.alternates.map((alt) => ({
			alternateSetting: alt.alternateSetting,
			interfaceClass: alt.interfaceClass,
			interfaceSubclass: alt.interfaceSubclass,
			interfaceProtocol: alt.interfaceProtocol,
			interfaceName: alt.interfaceName ?? null,
			endpoints: alt.endpoints.map((ep) => ({ ...ep }))
		}));
		return { interfaceNumber: itf.interfaceNumber, alternate: alternates[0]!, alternates, claimed: false };
	});
	return { configurationValue: spec.configurationValue, configurationName: spec.configurationName ?? null, interfaces };
}
