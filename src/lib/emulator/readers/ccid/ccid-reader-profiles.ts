import { UsbClass } from '../../usb/usb-descriptors';
import type { CcidClassDescriptor } from './ccid-class-descriptor';

/**
 * Real readers as libccid's descriptor dumps show them (LudovicRousseau/CCID:readers/<file>.txt at 5de6a96;
 * readers.md §6.1). Endpoint numbers are not in the dumps: ours are chosen to be distinct per interface.
 */

export type CcidMedium = 'contact' | 'contactless';

/** A reader's PC_to_RDR_Escape: the answer's abData, or undefined for "command not supported". */
export type CcidEscapeHandler = (command: Uint8Array, slot: number) => Uint8Array | undefined;

/** Endpoint numbers of one CCID interface: bulk OUT, bulk IN and interrupt IN. */
export interface CcidEndpoints {
	readonly bulkOut: number;
	readonly bulkIn: number;
	readonly interruptIn: number;
}

export interface CcidInterfaceProfile {
	/** iInterface as the dump shows it; absent when the dump has only a string index or garbage. */
	readonly interfaceName?: string;
	/** 0x0B (CCID), or 0xFF for readers that speak CCID on a vendor-class interface. */
	readonly interfaceClass: number;
	readonly descriptor: Readonly<CcidClassDescriptor>;
	readonly endpoints: CcidEndpoints;
	/** One entry per slot (bMaxSlotIndex + 1). */
	readonly slotMedia: readonly CcidMedium[];
	/** Vendor Escape commands the reader answers; none of the profiles here defines any. */
	readonly escape?: CcidEscapeHandler;
}

export interface CcidReaderProfile {
	readonly name: string;
	readonly vendorId: number;
	readonly productId: number;
	readonly manufacturerName: string;
	readonly productName: string;
	readonly deviceVersion: readonly [number, number, number];
	readonly interfaces: readonly CcidInterfaceProfile[];
	/** The libccid dump the values come from. */
	readonly source: string;
}

export const CCID_READER_PROFILE_IDS = [
	'acr1252u',
	'acr1251-dual',
	'acr39u',
	'scr3310',
	'scr3310-nttcom',
	'scr331-di-nttcom',
	'utrust-3700f'
] as const;
export type CcidReaderProfileId = (typeof CCID_READER_PROFILE_IDS)[number];

const ENDPOINTS_SINGLE: CcidEndpoints = { bulkOut: 2, bulkIn: 2, interruptIn: 1 };
const ENDPOINTS_SECOND: CcidEndpoints = { bulkOut: 4, bulkIn: 4, interruptIn: 3 };

/** Fields every dump here shares. */
const COMMON = {
	bNumClockSupported: 0,
	bNumDataRatesSupported: 0,
	dwSynchProtocols: 0,
	dwMechanical: 0,
	wLcdLayout: 0,
	bPINSupport: 0,
	bMaxCCIDBusySlots: 1
} as const;

export const CCID_READER_PROFILES: Readonly<Record<CcidReaderProfileId, CcidReaderProfile>> = {
	acr1252u: {
		name: 'ACS ACR1252U',
		vendorId: 0x072f,
		productId: 0x223e,
		manufacturerName: 'ACS',
		productName: 'ACR1252 Reader',
		deviceVersion: [2, 0, 6],
		source: 'readers/ACS_ACR1252_Reader.txt',
		interfaces: [
			{
				interfaceName: 'ACR1252 Reader PICC',
				interfaceClass: UsbClass.SmartCard,
				endpoints: ENDPOINTS_SINGLE,
				slotMedia: ['contactless'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0100,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x07,
					dwProtocols: 0x0000_0002,
					dwDefaultClock: 4000,
					dwMaximumClock: 4000,
					dwDataRate: 10752,
					dwMaxDataRate: 250000,
					dwMaxIFSD: 254,
					dwFeatures: 0x0004_04ba,
					dwMaxCCIDMessageLength: 522,
					bClassGetResponse: 0x00,
					bClassEnvelope: 0x00
				}
			}
		]
	},
	'acr1251-dual': {
		name: 'ACS ACR1251 Dual',
		vendorId: 0x072f,
		productId: 0x221a,
		manufacturerName: 'ACS',
		productName: 'ACR1251 Dual Reader',
		deviceVersion: [2, 0, 0],
		source: 'readers/ACS_ACR1251_Dual_Reader.txt',
		interfaces: [
			{
				interfaceName: 'ACR1251 Dual Reader PICC',
				interfaceClass: UsbClass.SmartCard,
				endpoints: ENDPOINTS_SINGLE,
				slotMedia: ['contactless'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0100,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x07,
					dwProtocols: 0x0000_0002,
					dwDefaultClock: 4000,
					dwMaximumClock: 4000,
					dwDataRate: 10752,
					dwMaxDataRate: 250000,
					dwMaxIFSD: 512,
					dwFeatures: 0x0004_0040,
					dwMaxCCIDMessageLength: 522,
					bClassGetResponse: 0x00,
					bClassEnvelope: 0x00
				}
			},
			{
				// The dump names interface 1 "SAM"; readers.md §6.1 calls it the ICC (contact) interface.
				interfaceName: 'ACR1251 Dual Reader SAM',
				interfaceClass: UsbClass.SmartCard,
				endpoints: ENDPOINTS_SECOND,
				slotMedia: ['contact'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0110,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x07,
					dwProtocols: 0x0000_0003,
					dwDefaultClock: 4800,
					dwMaximumClock: 4800,
					dwDataRate: 12903,
					dwMaxDataRate: 344100,
					dwMaxIFSD: 254,
					dwFeatures: 0x0002_00ba,
					dwMaxCCIDMessageLength: 288,
					bClassGetResponse: 0x00,
					bClassEnvelope: 0x00,
					bPINSupport: 0x03
				}
			}
		]
	},
	acr39u: {
		name: 'ACS ACR39U',
		vendorId: 0x072f,
		productId: 0xb100,
		manufacturerName: 'ACS',
		productName: 'ACR39U ICC Reader',
		deviceVersion: [2, 1, 6],
		source: 'readers/ACS_ACR39U_ICC_Reader.txt',
		interfaces: [
			{
				interfaceClass: UsbClass.SmartCard,
				endpoints: ENDPOINTS_SINGLE,
				slotMedia: ['contact'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0110,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x07,
					dwProtocols: 0x0000_0003,
					dwDefaultClock: 4800,
					dwMaximumClock: 16000,
					dwDataRate: 12903,
					dwMaxDataRate: 826000,
					dwMaxIFSD: 247,
					dwFeatures: 0x0001_00b2,
					dwMaxCCIDMessageLength: 271,
					bClassGetResponse: 0xff,
					bClassEnvelope: 0xff
				}
			}
		]
	},
	scr3310: {
		name: 'SCM SCR3310',
		vendorId: 0x04e6,
		productId: 0x5116,
		manufacturerName: 'SCM Microsystems Inc.',
		productName: 'SCR3310 USB Smart Card Reader',
		deviceVersion: [5, 2, 3],
		source: 'readers/SCR3310.txt',
		interfaces: [
			{
				interfaceClass: UsbClass.SmartCard,
				endpoints: ENDPOINTS_SINGLE,
				slotMedia: ['contact'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0110,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x01,
					dwProtocols: 0x0000_0003,
					dwDefaultClock: 4000,
					dwMaximumClock: 8000,
					dwDataRate: 10753,
					dwMaxDataRate: 344105,
					dwMaxIFSD: 252,
					dwFeatures: 0x0001_00ba,
					dwMaxCCIDMessageLength: 271,
					bClassGetResponse: 0xff,
					bClassEnvelope: 0xff
				}
			}
		]
	},
	'scr3310-nttcom': {
		name: 'NTT Communications SCR3310-NTTCom',
		vendorId: 0x04e6,
		productId: 0x511a,
		manufacturerName: 'NTT Communications Corp.',
		productName: 'SCR3310-NTTCom USB SmartCard Reader',
		deviceVersion: [2, 0, 3],
		source: 'readers/SCR3310-NTTCom.txt',
		interfaces: [
			{
				interfaceName: 'Vendor Interface',
				interfaceClass: UsbClass.VendorSpecific,
				endpoints: ENDPOINTS_SINGLE,
				slotMedia: ['contact'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0110,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x07,
					dwProtocols: 0x0000_0003,
					dwDefaultClock: 4800,
					dwMaximumClock: 8000,
					dwDataRate: 12903,
					dwMaxDataRate: 412903,
					dwMaxIFSD: 252,
					dwFeatures: 0x0001_01ba,
					dwMaxCCIDMessageLength: 271,
					bClassGetResponse: 0xff,
					bClassEnvelope: 0xff
				}
			}
		]
	},
	'scr331-di-nttcom': {
		name: 'NTT Communications SCR331-DI-NTTCom',
		vendorId: 0x04e6,
		productId: 0x5120,
		manufacturerName: 'SCM Microsystems Inc.',
		productName: 'SCR331-DI USB Smart Card Reader',
		deviceVersion: [6, 2, 7],
		source: 'readers/SCR331-DI-NTTCom.txt',
		interfaces: [
			{
				interfaceClass: UsbClass.VendorSpecific,
				endpoints: ENDPOINTS_SINGLE,
				// Dual interface: which slot is the contactless one is not in the dump (UNSURE).
				slotMedia: ['contact', 'contactless'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0100,
					bMaxSlotIndex: 1,
					bVoltageSupport: 0x01,
					dwProtocols: 0x0000_0003,
					dwDefaultClock: 4000,
					dwMaximumClock: 12000,
					dwDataRate: 10753,
					dwMaxDataRate: 344105,
					dwMaxIFSD: 252,
					dwFeatures: 0x0001_00ba,
					dwMaxCCIDMessageLength: 263,
					bClassGetResponse: 0xff,
					bClassEnvelope: 0xff
				}
			}
		]
	},
	'utrust-3700f': {
		name: 'Identiv uTrust 3700 F',
		vendorId: 0x04e6,
		productId: 0x5790,
		manufacturerName: 'Identiv',
		productName: 'uTrust 3700 F CL Reader',
		deviceVersion: [1, 0, 2],
		source: 'readers/Identiv_uTrust_3700_F_CL_Reader.txt',
		interfaces: [
			{
				interfaceName: 'uTrust 3700 F CL Reader',
				interfaceClass: UsbClass.SmartCard,
				endpoints: ENDPOINTS_SINGLE,
				slotMedia: ['contactless'],
				descriptor: {
					...COMMON,
					bcdCCID: 0x0110,
					bMaxSlotIndex: 0,
					bVoltageSupport: 0x01,
					dwProtocols: 0x0000_0003,
					dwDefaultClock: 4800,
					dwMaximumClock: 12000,
					dwDataRate: 12903,
					dwMaxDataRate: 412903,
					dwMaxIFSD: 1024,
					dwMechanical: 0x0000_0001,
					dwFeatures: 0x0004_04be,
					dwMaxCCIDMessageLength: 1034,
					bClassGetResponse: 0xff,
					bClassEnvelope: 0xff
				}
			}
		]
	}
};

export function isCcidReaderProfileId(value: string): value is CcidReaderProfileId {
	return (CCID_READER_PROFILE_IDS as readonly string[]).includes(value);
}

/** Sony RC-S300/S interface 0 (readers/SONY_FeliCa_RC-S300_S.txt); its interface 1 (0xFF) is the RC-S300 model's. */
export const RCS300_CCID_INTERFACE_PROFILE: CcidInterfaceProfile = {
	interfaceClass: UsbClass.SmartCard,
	// Interface 1 uses bulk endpoint 2 both ways (rcs300.md §0), so interface 0 keeps clear of it.
	endpoints: { bulkOut: 1, bulkIn: 1, interruptIn: 3 },
	slotMedia: ['contactless'],
	descriptor: {
		...COMMON,
		bcdCCID: 0x0110,
		bMaxSlotIndex: 0,
		bVoltageSupport: 0x07,
		dwProtocols: 0x0000_0002,
		dwDefaultClock: 4000,
		dwMaximumClock: 4000,
		dwDataRate: 115200,
		dwMaxDataRate: 921600,
		dwMaxIFSD: 254,
		dwFeatures: 0x0004_007e,
		dwMaxCCIDMessageLength: 522,
		bClassGetResponse: 0x00,
		bClassEnvelope: 0x00
	}
};
