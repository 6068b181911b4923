import { ErrorKind, MynaError } from '../errors';
import {
	CCID_CLASS_DESCRIPTOR_LENGTH,
	CCID_CLASS_DESCRIPTOR_TYPE,
	parseCcidClassDescriptor,
	type CcidClassDescriptor
} from './ccid-class-descriptor';
import type { ConfigurationDescriptor, EndpointDescriptor, InterfaceDescriptor } from './configuration-descriptor';
import { UsbInterfaceClass } from './usb-class';

/** bInterfaceProtocol of a class 0x0B interface: 0 = bulk CCID; 1, 2 = ICCD A/B (control pipe, not supported). */
const CCID_BULK_PROTOCOL = 0x00;

/** One interface (alternate setting) that speaks CCID over bulk endpoints. */
export interface CcidInterface {
	interfaceNumber: number;
	alternateSetting: number;
	interfaceClass: number;
	descriptor: CcidClassDescriptor;
	bulkIn: EndpointDescriptor;
	bulkOut: EndpointDescriptor;
	interruptIn?: EndpointDescriptor;
}

function ccidDescriptorBytes(itf: InterfaceDescriptor): Uint8Array | undefined {
	return itf.extra.find((d) => d.type === CCID_CLASS_DESCRIPTOR_TYPE && d.bytes.length === CCID_CLASS_DESCRIPTOR_LENGTH)?.bytes;
}

function endpoints(itf: InterfaceDescriptor): Pick<CcidInterface, 'bulkIn' | 'bulkOut' | 'interruptIn'> | undefined {
	const bulkIn = itf.endpoints.find((e) => e.type === 'bulk' && e.direction === 'in');
	const bulkOut = itf.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
	const interruptIn = itf.endpoints.find((e) => e.type === 'interrupt' && e.direction === 'in');
	if (!bulkIn || !bulkOut) return undefined;
	return interruptIn ? { bulkIn, bulkOut, interruptIn } : { bulkIn, bulkOut };
}

/**
 * The CCID interfaces of a configuration: class 0x0B (bulk protocol) with its class descriptor, or a
 * vendor-class 0xFF interface that carries a 54-byte 0x21 descriptor (the NTT Com SCM readers,
 * facts/readers.md §6.1). A class 0x0B interface with a malformed class descriptor is an error; a 0xFF
 * interface whose 0x21 descriptor does not parse is simply not CCID.
 */
export function findCcidInterfaces(config: ConfigurationDescriptor): CcidInterface[] {
	const found: CcidInterface[] = [];
	for (const itf of config.interfaces) {
		const isSmartCard = itf.interfaceClass === UsbInterfaceClass.SmartCard;
		if (!isSmartCard && itf.interfaceClass !== UsbInterfaceClass.VendorSpecific) continue;
		if (isSmartCard && itf.interfaceProtocol !== CCID_BULK_PROTOCOL) continue;
		const bytes = ccidDescriptorBytes(itf);
		if (!bytes) {
			if (isSmartCard) {
				throw new MynaError(ErrorKind.Protocol, 'The smart-card interface has no CCID class descriptor.', { interfaceNumber: itf.interfaceNumber });
			}
			continue;
		}
		let descriptor: CcidClassDescriptor;
		try {
			descriptor = parseCcidClassDescriptor(bytes);
		} catch (error) {
			if (isSmartCard) throw error;
			continue;
		}
		const eps = endpoints(itf);
		if (!eps) {
			if (isSmartCard) {
				throw new MynaError(ErrorKind.Protocol, 'The smart-card interface lacks bulk endpoints.', { interfaceNumber: itf.interfaceNumber });
			}
			continue;
		}
		found.push({ interfaceNumber: itf.interfaceNumber, alternateSetting: itf.alternateSetting, interfaceClass: itf.interfaceClass, descriptor, ...eps });
	}
	return found;
}

/** The CCID interface to use: the requested number, else the first one found. */
export function chooseCcidInterface(config: ConfigurationDescriptor, interfaceNumber?: number): CcidInterface {
	const all = findCcidInterfaces(config);
	const chosen = interfaceNumber === undefined ? all[0] : all.find((c) => c.interfaceNumber === interfaceNumber);
	if (!chosen) {
		throw new MynaError(
			ErrorKind.Unsupported,
			interfaceNumber === undefined ? 'This USB device has no CCID smart-card interface.' : 'This USB interface does not speak CCID.',
			interfaceNumber === undefined ? {} : { interfaceNumber }
		);
	}
	return chosen;
}
