/**
 * Test fixtures: the CCID class descriptor values of the readers in facts/readers.md §6.1, as the libccid
 * descriptor dumps print them (LudovicRousseau/CCID:readers/<file>.txt at 5de6a96), and builders for the
 * 54-byte descriptor and a device spec the virtual USB device can serve. Used only by tests.
 */
import type { DeviceSpec, EndpointSpec, InterfaceSpec } from '../../emulator/usb/usb-descriptors';

export interface CcidDescriptorValues {
	bcdCcid: number;
	maxSlotIndex: number;
	voltageSupport: number;
	protocols: number;
	defaultClockKhz: number;
	maximumClockKhz: number;
	numClockSupported: number;
	dataRate: number;
	maxDataRate: number;
	numDataRatesSupported: number;
	maxIfsd: number;
	synchProtocols: number;
	mechanical: number;
	features: number;
	maxMessageLength: number;
	classGetResponse: number;
	classEnvelope: number;
	lcdLayout: number;
	pinSupport: number;
	maxBusySlots: number;
}

export interface LibccidReader {
	file: string;
	vendorId: number;
	productId: number;
	interfaceNumber: number;
	interfaceClass: number;
	values: CcidDescriptorValues;
}

function u32(out: number[], value: number): void {
	out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
}

/** CCID rev 1.1 §5.1, Table 5.1-1, field by field. */
export function encodeCcidClassDescriptor(v: CcidDescriptorValues): Uint8Array<ArrayBuffer> {
	const out: number[] = [0x36, 0x21, v.bcdCcid & 0xff, v.bcdCcid >> 8, v.maxSlotIndex, v.voltageSupport];
	u32(out, v.protocols);
	u32(out, v.defaultClockKhz);
	u32(out, v.maximumClockKhz);
	out.push(v.numClockSupported);
	u32(out, v.dataRate);
	u32(out, v.maxDataRate);
	out.push(v.numDataRatesSupported);
	u32(out, v.maxIfsd);
	u32(out, v.synchProtocols);
	u32(out, v.mechanical);
	u32(out, v.features);
	u32(out, v.maxMessageLength);
	out.push(v.classGetResponse, v.classEnvelope, v.lcdLayout & 0xff, v.lcdLayout >> 8, v.pinSupport, v.maxBusySlots);
	return new Uint8Array(out);
}

const base = { synchProtocols: 0, mechanical: 0, numClockSupported: 0, numDataRatesSupported: 0, lcdLayout: 0, maxBusySlots: 1, maxSlotIndex: 0 };

export const LIBCCID_READERS: readonly LibccidReader[] = [
	{
		file: 'ACS_ACR39U_ICC_Reader',
		vendorId: 0x072f,
		productId: 0xb100,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x07, protocols: 0x03, defaultClockKhz: 4800, maximumClockKhz: 16000, dataRate: 12903, maxDataRate: 826000, maxIfsd: 247, features: 0x000100b2, maxMessageLength: 271, classGetResponse: 0xff, classEnvelope: 0xff, pinSupport: 0 }
	},
	{
		file: 'ACS_ACR1251_Dual_Reader (PICC)',
		vendorId: 0x072f,
		productId: 0x221a,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0100, voltageSupport: 0x07, protocols: 0x02, defaultClockKhz: 4000, maximumClockKhz: 4000, dataRate: 10752, maxDataRate: 250000, maxIfsd: 512, features: 0x00040040, maxMessageLength: 522, classGetResponse: 0, classEnvelope: 0, pinSupport: 0 }
	},
	{
		file: 'ACS_ACR1251_Dual_Reader (ICC)',
		vendorId: 0x072f,
		productId: 0x221a,
		interfaceNumber: 1,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x07, protocols: 0x03, defaultClockKhz: 4800, maximumClockKhz: 4800, dataRate: 12903, maxDataRate: 344100, maxIfsd: 254, features: 0x000200ba, maxMessageLength: 288, classGetResponse: 0, classEnvelope: 0, pinSupport: 0x03 }
	},
	{
		file: 'ACS_ACR1252_Dual_Reader (PICC)',
		vendorId: 0x072f,
		productId: 0x223b,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0100, voltageSupport: 0x07, protocols: 0x02, defaultClockKhz: 4000, maximumClockKhz: 4000, dataRate: 10752, maxDataRate: 250000, maxIfsd: 254, features: 0x00040040, maxMessageLength: 522, classGetResponse: 0, classEnvelope: 0, pinSupport: 0 }
	},
	{
		file: 'ACS_ACR1252_Dual_Reader (ICC/SAM)',
		vendorId: 0x072f,
		productId: 0x223b,
		interfaceNumber: 1,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x01, protocols: 0x03, defaultClockKhz: 3420, maximumClockKhz: 3420, dataRate: 9193, maxDataRate: 213750, maxIfsd: 254, features: 0x000204ba, maxMessageLength: 288, classGetResponse: 0, classEnvelope: 0, pinSupport: 0 }
	},
	{
		file: 'ACS_ACR1252_Reader',
		vendorId: 0x072f,
		productId: 0x223e,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0100, voltageSupport: 0x07, protocols: 0x02, defaultClockKhz: 4000, maximumClockKhz: 4000, dataRate: 10752, maxDataRate: 250000, maxIfsd: 254, features: 0x000404ba, maxMessageLength: 522, classGetResponse: 0, classEnvelope: 0, pinSupport: 0 }
	},
	{
		file: 'ACS_ACR1255U-J1',
		vendorId: 0x072f,
		productId: 0x223f,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x07, protocols: 0x02, defaultClockKhz: 4000, maximumClockKhz: 4000, dataRate: 10752, maxDataRate: 129032, maxIfsd: 512, features: 0x00040040, maxMessageLength: 522, classGetResponse: 0, classEnvelope: 0, pinSupport: 0 }
	},
	{
		file: 'SCR3310',
		vendorId: 0x04e6,
		productId: 0x5116,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x01, protocols: 0x03, defaultClockKhz: 4000, maximumClockKhz: 8000, dataRate: 10753, maxDataRate: 344105, maxIfsd: 252, features: 0x000100ba, maxMessageLength: 271, classGetResponse: 0xff, classEnvelope: 0xff, pinSupport: 0 }
	},
	{
		file: 'SCR3310_2',
		vendorId: 0x04e6,
		productId: 0x511f,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0100, voltageSupport: 0x01, protocols: 0x03, defaultClockKhz: 4000, maximumClockKhz: 8000, dataRate: 10753, maxDataRate: 344105, maxIfsd: 252, features: 0x000100ba, maxMessageLength: 263, classGetResponse: 0xff, classEnvelope: 0xff, pinSupport: 0 }
	},
	{
		file: 'SCR3310-NTTCom',
		vendorId: 0x04e6,
		productId: 0x511a,
		interfaceNumber: 0,
		interfaceClass: 0xff,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x07, protocols: 0x03, defaultClockKhz: 4800, maximumClockKhz: 8000, dataRate: 12903, maxDataRate: 412903, maxIfsd: 252, features: 0x000101ba, maxMessageLength: 271, classGetResponse: 0xff, classEnvelope: 0xff, pinSupport: 0 }
	},
	{
		file: 'SCR331-DI-NTTCom',
		vendorId: 0x04e6,
		productId: 0x5120,
		interfaceNumber: 0,
		interfaceClass: 0xff,
		values: { ...base, bcdCcid: 0x0100, maxSlotIndex: 1, voltageSupport: 0x01, protocols: 0x03, defaultClockKhz: 4000, maximumClockKhz: 12000, dataRate: 10753, maxDataRate: 344105, maxIfsd: 252, features: 0x000100ba, maxMessageLength: 263, classGetResponse: 0xff, classEnvelope: 0xff, pinSupport: 0 }
	},
	{
		file: 'Identiv_uTrust_3700_F_CL_Reader',
		vendorId: 0x04e6,
		productId: 0x5790,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x01, protocols: 0x03, defaultClockKhz: 4800, maximumClockKhz: 12000, dataRate: 12903, maxDataRate: 412903, maxIfsd: 1024, mechanical: 0x00000001, features: 0x000404be, maxMessageLength: 1034, classGetResponse: 0xff, classEnvelope: 0xff, pinSupport: 0 }
	},
	...[
		['SONY_FeliCa_RC-S300_S', 0x0dc8],
		['SONY_FeliCa_RC-S300_P', 0x0dc9],
		['SONY_FeliCa_RC-S660_U', 0x0d8f]
	].map(([file, productId]) => ({
		file: file as string,
		vendorId: 0x054c,
		productId: productId as number,
		interfaceNumber: 0,
		interfaceClass: 0x0b,
		values: { ...base, bcdCcid: 0x0110, voltageSupport: 0x07, protocols: 0x02, defaultClockKhz: 4000, maximumClockKhz: 4000, dataRate: 115200, maxDataRate: 921600, maxIfsd: 254, features: 0x0004007e, maxMessageLength: 522, classGetResponse: 0, classEnvelope: 0, pinSupport: 0 }
	}))
];

export function libccidReader(file: string): LibccidReader {
	const reader = LIBCCID_READERS.find((r) => r.file === file);
	if (!reader) throw new Error(`no fixture ${file}`);
	return reader;
}

/** Bulk OUT 2, bulk IN 2, interrupt IN 3 unless told otherwise. */
export interface CcidEndpointNumbers {
	bulkOut: number;
	bulkIn: number;
	interruptIn?: number;
	packetSize?: number;
}

export const DEFAULT_CCID_ENDPOINTS: CcidEndpointNumbers = { bulkOut: 2, bulkIn: 2, interruptIn: 3, packetSize: 64 };

export function ccidInterfaceSpec(
	interfaceNumber: number,
	interfaceClass: number,
	descriptor: Uint8Array,
	endpoints: CcidEndpointNumbers = DEFAULT_CCID_ENDPOINTS
): InterfaceSpec {
	const packetSize = endpoints.packetSize ?? 64;
	const eps: EndpointSpec[] = [
		{ endpointNumber: endpoints.bulkOut, direction: 'out', type: 'bulk', packetSize },
		{ endpointNumber: endpoints.bulkIn, direction: 'in', type: 'bulk', packetSize }
	];
	if (endpoints.interruptIn !== undefined) eps.push({ endpointNumber: endpoints.interruptIn, direction: 'in', type: 'interrupt', packetSize: 8 });
	return {
		interfaceNumber,
		alternates: [{ alternateSetting: 0, interfaceClass, interfaceSubclass: 0, interfaceProtocol: 0, endpoints: eps, classDescriptor: descriptor }]
	};
}

/** A one-configuration device with the given interfaces. */
export function deviceSpec(vendorId: number, productId: number, interfaces: InterfaceSpec[], productName?: string): DeviceSpec {
	return { vendorId, productId, ...(productName ? { productName } : {}), configurations: [{ configurationValue: 1, interfaces }] };
}

/** The device of a libccid reader fixture, its CCID interface as dumped. */
export function libccidDeviceSpec(reader: LibccidReader, endpoints?: CcidEndpointNumbers): DeviceSpec {
	return deviceSpec(reader.vendorId, reader.productId, [
		ccidInterfaceSpec(reader.interfaceNumber, reader.interfaceClass, encodeCcidClassDescriptor(reader.values), endpoints)
	]);
}
