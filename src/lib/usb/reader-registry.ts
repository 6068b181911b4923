import { findCcidInterfaces } from './ccid-interface';
import type { ConfigurationDescriptor } from './configuration-descriptor';
import { isProtectedClass, UsbInterfaceClass } from './usb-class';

export const ReaderDriverId = { Ccid: 'ccid', Rcs300: 'rcs300', Rcs380: 'rcs380' } as const;
export type ReaderDriverId = (typeof ReaderDriverId)[keyof typeof ReaderDriverId];

export type ReaderMedium = 'contact' | 'contactless';

/** What the drivers need to know about a reader beyond its descriptors. */
export interface ReaderQuirks {
	/** Medium of each slot (index = bSlot). */
	slotMedia: readonly ReaderMedium[];
}

export interface KnownReaderInterface {
	driverId: ReaderDriverId;
	interfaceNumber: number;
	interfaceClass: number;
	/** Suffix for readers with more than one reader function, e.g. "contactless". */
	label?: string;
	quirks: ReaderQuirks;
}

export interface KnownReader {
	vendorId: number;
	productId: number;
	name: string;
	/** In order of preference when more than one is claimable. */
	interfaces: readonly KnownReaderInterface[];
}

const CONTACT: ReaderQuirks = { slotMedia: ['contact'] };
const CONTACTLESS: ReaderQuirks = { slotMedia: ['contactless'] };
const { SmartCard, VendorSpecific } = UsbInterfaceClass;

function ccid(interfaceNumber: number, interfaceClass: number, quirks: ReaderQuirks, label?: string): KnownReaderInterface {
	return label === undefined
		? { driverId: ReaderDriverId.Ccid, interfaceNumber, interfaceClass, quirks }
		: { driverId: ReaderDriverId.Ccid, interfaceNumber, interfaceClass, quirks, label };
}

/**
 * Readers from facts/readers.md §4–§6 (descriptor dumps in LudovicRousseau/CCID:readers/*.txt).
 * ACR1251/ACR1252 Dual: readers.md calls interface 1 the ICC interface, but the dumps name it "… SAM"
 * (iInterface), so it is listed as a SAM slot, after the contactless interface.
 * RC-S300: its CCID interface 0 (class 0x0B) needs `usb-unrestricted`; where allowed it is preferred, because the
 * reader then runs ISO-DEP itself (libccid supports it); elsewhere the vendor interface 1 is the route.
 */
export const KNOWN_READERS: readonly KnownReader[] = [
	{ vendorId: 0x072f, productId: 0xb100, name: 'ACS ACR39U', interfaces: [ccid(0, SmartCard, CONTACT)] },
	{
		vendorId: 0x072f,
		productId: 0x221a,
		name: 'ACS ACR1251 Dual Reader',
		interfaces: [ccid(0, SmartCard, CONTACTLESS, 'contactless'), ccid(1, SmartCard, CONTACT, 'SAM')]
	},
	{
		vendorId: 0x072f,
		productId: 0x223b,
		name: 'ACS ACR1252 Dual Reader',
		interfaces: [ccid(0, SmartCard, CONTACTLESS, 'contactless'), ccid(1, SmartCard, CONTACT, 'SAM')]
	},
	{ vendorId: 0x072f, productId: 0x223e, name: 'ACS ACR1252U', interfaces: [ccid(0, SmartCard, CONTACTLESS)] },
	{ vendorId: 0x072f, productId: 0x223f, name: 'ACS ACR1255U-J1', interfaces: [ccid(0, SmartCard, CONTACTLESS)] },
	{ vendorId: 0x04e6, productId: 0x5116, name: 'SCM SCR3310', interfaces: [ccid(0, SmartCard, CONTACT)] },
	{ vendorId: 0x04e6, productId: 0x511f, name: 'SCM SCR3310 v2', interfaces: [ccid(0, SmartCard, CONTACT)] },
	{ vendorId: 0x04e6, productId: 0x511a, name: 'NTT Com SCR3310-NTTCom', interfaces: [ccid(0, VendorSpecific, CONTACT)] },
	{
		vendorId: 0x04e6,
		productId: 0x5120,
		name: 'NTT Com SCR331-DI-NTTCom',
		// "the contactless reader is in the second slot" [LudovicRousseau/CCID:src/ccid.c, SCR331DINTTCOM]
		interfaces: [ccid(0, VendorSpecific, { slotMedia: ['contact', 'contactless'] })]
	},
	{ vendorId: 0x04e6, productId: 0x5790, name: 'Identiv uTrust 3700 F', interfaces: [ccid(0, SmartCard, CONTACTLESS)] },
	...[
		[0x0dc8, 'Sony PaSoRi RC-S300/S'],
		[0x0dc9, 'Sony PaSoRi RC-S300/P']
	].map(([productId, name]) => ({
		vendorId: 0x054c,
		productId: productId as number,
		name: name as string,
		interfaces: [
			ccid(0, SmartCard, CONTACTLESS),
			{ driverId: ReaderDriverId.Rcs300, interfaceNumber: 1, interfaceClass: VendorSpecific, quirks: CONTACTLESS }
		]
	})),
	{ vendorId: 0x054c, productId: 0x0d8f, name: 'Sony RC-S660/U', interfaces: [ccid(0, SmartCard, CONTACTLESS)] },
	...[
		[0x06c1, 'Sony PaSoRi RC-S380/S'],
		[0x06c3, 'Sony PaSoRi RC-S380/P']
	].map(([productId, name]) => ({
		vendorId: 0x054c,
		productId: productId as number,
		name: name as string,
		interfaces: [{ driverId: ReaderDriverId.Rcs380, interfaceNumber: 0, interfaceClass: VendorSpecific, quirks: CONTACTLESS }]
	}))
];

/** `navigator.usb.requestDevice({ filters })` for every supported reader, plus any class 0x0B (CCID) device. */
export const USB_REQUEST_FILTERS: readonly USBDeviceFilter[] = [
	...KNOWN_READERS.map((r) => ({ vendorId: r.vendorId, productId: r.productId })),
	{ classCode: UsbInterfaceClass.SmartCard }
];

export interface ReaderMatch {
	driverId: ReaderDriverId;
	/** Human name, e.g. "Sony PaSoRi RC-S300/S" or "ACS ACR1252 Dual Reader (contact)". */
	name: string;
	interfaceNumber?: number;
	/** Set when the device has several reader functions (e.g. "contactless", "contact"), each its own reader. */
	label?: string;
	quirks: ReaderQuirks;
	/** Found in KNOWN_READERS (else chosen from the descriptors alone). */
	known: boolean;
	/** The interface has a protected class (needs `usb-unrestricted`). */
	protectedClass: boolean;
	/** This context may claim the interface. */
	claimable: boolean;
}

export interface LookupOptions {
	/** The page may use `usb-unrestricted` (from the composition root). Default false. */
	usbUnrestricted?: boolean;
	/** The parsed configuration descriptor, when already read: lets unknown 0xFF CCID interfaces be found. */
	configuration?: ConfigurationDescriptor;
}

export function findKnownReader(vendorId: number, productId: number): KnownReader | undefined {
	return KNOWN_READERS.find((r) => r.vendorId === vendorId && r.productId === productId);
}

function webUsbInterfaceClasses(device: USBDevice): Map<number, number[]> {
	const config = device.configuration ?? device.configurations[0];
	const classes = new Map<number, number[]>();
	for (const itf of config?.interfaces ?? []) classes.set(itf.interfaceNumber, itf.alternates.map((a) => a.interfaceClass));
	return classes;
}

function fallbackName(device: USBDevice): string {
	const product = device.productName?.trim();
	const maker = device.manufacturerName?.trim();
	if (product) return maker && !product.startsWith(maker) ? `${maker} ${product}` : product;
	return 'USB smart card reader';
}

/** Every way to reach the card through this device, best first. */
export function readerCandidates(device: USBDevice, options: LookupOptions = {}): ReaderMatch[] {
	const unrestricted = options.usbUnrestricted ?? false;
	const present = webUsbInterfaceClasses(device);
	const protectedOf = (interfaceNumber: number, declaredClass: number) => {
		const classes = present.get(interfaceNumber) ?? [declaredClass];
		return classes.some(isProtectedClass);
	};
	const known = findKnownReader(device.vendorId, device.productId);
	if (known) {
		return known.interfaces
			.filter((itf) => present.size === 0 || present.has(itf.interfaceNumber))
			.map((itf) => {
				const protectedClass = protectedOf(itf.interfaceNumber, itf.interfaceClass);
				return {
					driverId: itf.driverId,
					name: itf.label ? `${known.name} (${itf.label})` : known.name,
					interfaceNumber: itf.interfaceNumber,
					...(itf.label ? { label: itf.label } : {}),
					quirks: itf.quirks,
					known: true,
					protectedClass,
					claimable: !protectedClass || unrestricted
				};
			});
	}
	const interfaceNumbers = options.configuration
		? [...new Set(findCcidInterfaces(options.configuration).map((c) => c.interfaceNumber))]
		: [...present].filter(([, classes]) => classes.includes(UsbInterfaceClass.SmartCard)).map(([n]) => n);
	return interfaceNumbers.map((interfaceNumber) => {
		const protectedClass = protectedOf(interfaceNumber, UsbInterfaceClass.SmartCard);
		return {
			driverId: ReaderDriverId.Ccid,
			name: fallbackName(device),
			interfaceNumber,
			quirks: CONTACT,
			known: false,
			protectedClass,
			claimable: !protectedClass || unrestricted
		};
	});
}

/**
 * The driver and interface for this device: the first claimable candidate, else the first one (so the UI can
 * explain that it needs `usb-unrestricted`), else undefined (not a reader we can drive).
 */
export function lookupReader(device: USBDevice, options: LookupOptions = {}): ReaderMatch | undefined {
	const candidates = readerCandidates(device, options);
	return candidates.find((c) => c.claimable) ?? candidates[0];
}

/**
 * The readers this device holds, each to be opened on its own: every function of a multi-function device
 * (the ACR1251/1252 Dual's contactless and contact interfaces), else the one best route (the RC-S300's two
 * interfaces reach the same antenna, so only one of them is used).
 */
export function readerFunctions(device: USBDevice, options: LookupOptions = {}): ReaderMatch[] {
	const candidates = readerCandidates(device, options);
	const labelled = candidates.filter((c) => c.label !== undefined);
	if (labelled.length > 1) {
		const claimable = labelled.filter((c) => c.claimable);
		return claimable.length > 0 ? claimable : labelled.slice(0, 1);
	}
	const best = lookupReader(device, options);
	return best ? [best] : [];
}
