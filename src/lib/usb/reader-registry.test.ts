import { describe, expect, it } from 'vitest';
import { encodeConfigurationDescriptor, type DeviceSpec } from '../emulator/usb/usb-descriptors';
import type { UsbFunctionModel } from '../emulator/usb/usb-function-model';
import { VirtualUsbDevice } from '../emulator/usb/virtual-usb-device';
import { parseConfigurationDescriptor } from './configuration-descriptor';
import { KNOWN_READERS, USB_REQUEST_FILTERS, lookupReader, readerCandidates } from './reader-registry';
import { LIBCCID_READERS, ccidInterfaceSpec, deviceSpec, encodeCcidClassDescriptor, libccidDeviceSpec, libccidReader } from './testing/libccid-reader-fixtures';

const silentModel: UsbFunctionModel = { transferOut: () => undefined, transferIn: () => new Promise(() => undefined) };
const device = (spec: DeviceSpec) => new VirtualUsbDevice(spec, silentModel);
const descriptorOf = (file: string) => encodeCcidClassDescriptor(libccidReader(file).values);

function vendor(n: number) {
	const itf = ccidInterfaceSpec(n, 0xff, new Uint8Array(0));
	delete itf.alternates[0]!.classDescriptor;
	return itf;
}

describe('lookupReader', () => {
	it('sends the RC-S300 to its vendor interface 1 in a normal page, to CCID interface 0 with usb-unrestricted', () => {
		for (const productId of [0x0dc8, 0x0dc9]) {
			const rcs300 = device(deviceSpec(0x054c, productId, [ccidInterfaceSpec(0, 0x0b, descriptorOf('SONY_FeliCa_RC-S300_S')), vendor(1)]));
			const suffix = productId === 0x0dc8 ? 'S' : 'P';
			expect(lookupReader(rcs300)).toMatchObject({ driverId: 'rcs300', interfaceNumber: 1, name: `Sony PaSoRi RC-S300/${suffix}`, claimable: true, protectedClass: false, known: true });
			expect(lookupReader(rcs300, { usbUnrestricted: true })).toMatchObject({ driverId: 'ccid', interfaceNumber: 0, claimable: true, protectedClass: true });
			expect(lookupReader(rcs300)!.quirks.slotMedia).toEqual(['contactless']);
		}
	});

	it('sends the RC-S380 to the rcs380 driver on interface 0', () => {
		const rcs380 = device(deviceSpec(0x054c, 0x06c1, [vendor(0)]));
		expect(lookupReader(rcs380)).toMatchObject({ driverId: 'rcs380', interfaceNumber: 0, name: 'Sony PaSoRi RC-S380/S', claimable: true });
		expect(lookupReader(device(deviceSpec(0x054c, 0x06c3, [vendor(0)])))!.name).toBe('Sony PaSoRi RC-S380/P');
	});

	it('names every libccid reader and finds its CCID interface; 0x0B ones need usb-unrestricted', () => {
		const names: Record<string, string> = {
			ACS_ACR39U_ICC_Reader: 'ACS ACR39U',
			'ACS_ACR1251_Dual_Reader (PICC)': 'ACS ACR1251 Dual Reader (contactless)',
			'ACS_ACR1251_Dual_Reader (ICC)': 'ACS ACR1251 Dual Reader (SAM)',
			'ACS_ACR1252_Dual_Reader (PICC)': 'ACS ACR1252 Dual Reader (contactless)',
			'ACS_ACR1252_Dual_Reader (ICC/SAM)': 'ACS ACR1252 Dual Reader (SAM)',
			ACS_ACR1252_Reader: 'ACS ACR1252U',
			'ACS_ACR1255U-J1': 'ACS ACR1255U-J1',
			SCR3310: 'SCM SCR3310',
			SCR3310_2: 'SCM SCR3310 v2',
			'SCR3310-NTTCom': 'NTT Com SCR3310-NTTCom',
			'SCR331-DI-NTTCom': 'NTT Com SCR331-DI-NTTCom',
			Identiv_uTrust_3700_F_CL_Reader: 'Identiv uTrust 3700 F',
			'SONY_FeliCa_RC-S300_S': 'Sony PaSoRi RC-S300/S',
			'SONY_FeliCa_RC-S300_P': 'Sony PaSoRi RC-S300/P',
			'SONY_FeliCa_RC-S660_U': 'Sony RC-S660/U'
		};
		for (const reader of LIBCCID_READERS) {
			const match = lookupReader(device(libccidDeviceSpec(reader)));
			expect(match, reader.file).toMatchObject({ driverId: 'ccid', interfaceNumber: reader.interfaceNumber, name: names[reader.file], known: true });
			expect(match!.protectedClass).toBe(reader.interfaceClass === 0x0b);
			expect(match!.claimable).toBe(reader.interfaceClass !== 0x0b);
		}
	});

	it('prefers the contactless interface of a dual reader, and lists both', () => {
		const dual = device(deviceSpec(0x072f, 0x223b, [ccidInterfaceSpec(0, 0x0b, descriptorOf('ACS_ACR1252_Dual_Reader (PICC)')), ccidInterfaceSpec(1, 0x0b, descriptorOf('ACS_ACR1252_Dual_Reader (ICC/SAM)'))]));
		expect(readerCandidates(dual, { usbUnrestricted: true }).map((c) => [c.interfaceNumber, c.quirks.slotMedia[0]])).toEqual([
			[0, 'contactless'],
			[1, 'contact']
		]);
		expect(lookupReader(dual)).toMatchObject({ interfaceNumber: 0, claimable: false });
	});

	it('gives the SCR331-DI-NTTCom a contact slot 0 and a contactless slot 1', () => {
		expect(lookupReader(device(libccidDeviceSpec(libccidReader('SCR331-DI-NTTCom'))))!.quirks.slotMedia).toEqual(['contact', 'contactless']);
	});

	it('picks ccid for an unknown class 0x0B device from its interfaces alone', () => {
		const spec = deviceSpec(0x1234, 0x0001, [vendor(0), ccidInterfaceSpec(1, 0x0b, descriptorOf('SCR3310'))], 'Generic Reader');
		const match = lookupReader(device(spec));
		expect(match).toMatchObject({ driverId: 'ccid', interfaceNumber: 1, name: 'Generic Reader', known: false, protectedClass: true, claimable: false });
	});

	it('finds an unknown 0xFF CCID interface only from the parsed configuration descriptor', () => {
		const spec = deviceSpec(0x1234, 0x0002, [ccidInterfaceSpec(0, 0xff, descriptorOf('SCR3310-NTTCom'))]);
		expect(lookupReader(device(spec))).toBeUndefined();
		const configuration = parseConfigurationDescriptor(encodeConfigurationDescriptor(spec.configurations[0]!));
		expect(lookupReader(device(spec), { configuration })).toMatchObject({ driverId: 'ccid', interfaceNumber: 0, claimable: true, name: 'USB smart card reader' });
	});

	it('returns undefined for a device that is no reader', () => {
		expect(lookupReader(device(deviceSpec(0x1234, 0x0003, [vendor(0)])))).toBeUndefined();
	});
});

describe('USB_REQUEST_FILTERS', () => {
	it('lists every known reader by VID:PID and any class 0x0B device', () => {
		for (const reader of KNOWN_READERS) expect(USB_REQUEST_FILTERS).toContainEqual({ vendorId: reader.vendorId, productId: reader.productId });
		expect(USB_REQUEST_FILTERS).toContainEqual({ classCode: 0x0b });
		expect(USB_REQUEST_FILTERS).toHaveLength(KNOWN_READERS.length + 1);
		for (const [vid, pid] of [
			[0x072f, 0xb100],
			[0x072f, 0x221a],
			[0x072f, 0x223b],
			[0x072f, 0x223e],
			[0x072f, 0x223f],
			[0x04e6, 0x5116],
			[0x04e6, 0x511f],
			[0x04e6, 0x511a],
			[0x04e6, 0x5120],
			[0x04e6, 0x5790],
			[0x054c, 0x0dc8],
			[0x054c, 0x0dc9],
			[0x054c, 0x0d8f],
			[0x054c, 0x06c1],
			[0x054c, 0x06c3]
		]) {
			expect(USB_REQUEST_FILTERS).toContainEqual({ vendorId: vid, productId: pid });
		}
	});
});
