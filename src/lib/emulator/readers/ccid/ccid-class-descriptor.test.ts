import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, readUint16LE, toHex } from '../../../bytes';
import { ErrorKind, isMynaError } from '../../../errors';
import { VirtualUsbDevice } from '../../usb/virtual-usb-device';
import {
	CCID_CLASS_DESCRIPTOR_LENGTH,
	decodeCcidClassDescriptor,
	encodeCcidClassDescriptor,
	type CcidClassDescriptor
} from './ccid-class-descriptor';
import { createCcidReaderModel } from './ccid-reader-model';
import { CCID_READER_PROFILE_IDS, type CcidReaderProfileId } from './ccid-reader-profiles';

/**
 * The values libccid prints for each reader (LudovicRousseau/CCID:readers/*.txt at 5de6a96), copied here by hand
 * and not from the profiles, so a wrong profile value fails. Per interface:
 * [class, bcdCCID, bMaxSlotIndex, bVoltageSupport, dwProtocols, dwDefaultClock kHz, dwMaximumClock kHz,
 *  dwDataRate, dwMaxDataRate, dwMaxIFSD, dwMechanical, dwFeatures, dwMaxCCIDMessageLength,
 *  bClassGetResponse, bClassEnvelope, bPINSupport]
 */
type Row = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
const LIBCCID: Record<CcidReaderProfileId, { vidPid: [number, number]; product: string; interfaces: Row[] }> = {
	acr1252u: {
		vidPid: [0x072f, 0x223e],
		product: 'ACR1252 Reader',
		interfaces: [[0x0b, 0x0100, 0, 0x07, 2, 4000, 4000, 10752, 250000, 254, 0, 0x000404ba, 522, 0x00, 0x00, 0]]
	},
	'acr1251-dual': {
		vidPid: [0x072f, 0x221a],
		product: 'ACR1251 Dual Reader',
		interfaces: [
			[0x0b, 0x0100, 0, 0x07, 2, 4000, 4000, 10752, 250000, 512, 0, 0x00040040, 522, 0x00, 0x00, 0],
			[0x0b, 0x0110, 0, 0x07, 3, 4800, 4800, 12903, 344100, 254, 0, 0x000200ba, 288, 0x00, 0x00, 0x03]
		]
	},
	acr39u: {
		vidPid: [0x072f, 0xb100],
		product: 'ACR39U ICC Reader',
		interfaces: [[0x0b, 0x0110, 0, 0x07, 3, 4800, 16000, 12903, 826000, 247, 0, 0x000100b2, 271, 0xff, 0xff, 0]]
	},
	scr3310: {
		vidPid: [0x04e6, 0x5116],
		product: 'SCR3310 USB Smart Card Reader',
		interfaces: [[0x0b, 0x0110, 0, 0x01, 3, 4000, 8000, 10753, 344105, 252, 0, 0x000100ba, 271, 0xff, 0xff, 0]]
	},
	'scr3310-nttcom': {
		vidPid: [0x04e6, 0x511a],
		product: 'SCR3310-NTTCom USB SmartCard Reader',
		interfaces: [[0xff, 0x0110, 0, 0x07, 3, 4800, 8000, 12903, 412903, 252, 0, 0x000101ba, 271, 0xff, 0xff, 0]]
	},
	'scr331-di-nttcom': {
		vidPid: [0x04e6, 0x5120],
		product: 'SCR331-DI USB Smart Card Reader',
		interfaces: [[0xff, 0x0100, 1, 0x01, 3, 4000, 12000, 10753, 344105, 252, 0, 0x000100ba, 263, 0xff, 0xff, 0]]
	},
	'utrust-3700f': {
		vidPid: [0x04e6, 0x5790],
		product: 'uTrust 3700 F CL Reader',
		interfaces: [[0x0b, 0x0110, 0, 0x01, 3, 4800, 12000, 12903, 412903, 1024, 1, 0x000404be, 1034, 0xff, 0xff, 0]]
	}
};

/** Walks a configuration descriptor the way a driver does: each interface with the 0x21 descriptor after it. */
function walkConfiguration(bytes: Uint8Array): { interfaceClass: number; endpoints: number; ccid?: Uint8Array }[] {
	const found: { interfaceClass: number; endpoints: number; ccid?: Uint8Array }[] = [];
	let offset = 0;
	while (offset + 2 <= bytes.length) {
		const length = bytes[offset]!;
		const type = bytes[offset + 1]!;
		if (length < 2 || offset + length > bytes.length) throw new Error('bad descriptor chain');
		if (type === 0x04) found.push({ interfaceClass: bytes[offset + 5]!, endpoints: bytes[offset + 4]! });
		if (type === 0x21) found[found.length - 1]!.ccid = bytes.slice(offset, offset + length);
		offset += length;
	}
	return found;
}

async function configurationBytes(device: VirtualUsbDevice): Promise<Uint8Array> {
	await device.open();
	const head = await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, 9);
	const total = head.data!.getUint16(2, true);
	const full = await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, total);
	return new Uint8Array(full.data!.buffer, full.data!.byteOffset, full.data!.byteLength);
}

describe('CCID class descriptor of each profile, read back over GET_DESCRIPTOR', () => {
	for (const id of CCID_READER_PROFILE_IDS) {
		it(`${id} matches libccid's dump`, async () => {
			const expected = LIBCCID[id];
			const model = createCcidReaderModel(id);
			const device = new VirtualUsbDevice(model.spec, model);
			expect([device.vendorId, device.productId]).toEqual(expected.vidPid);
			expect(device.productName).toBe(expected.product);
			const interfaces = walkConfiguration(await configurationBytes(device));
			expect(interfaces).toHaveLength(expected.interfaces.length);
			interfaces.forEach((itf, index) => {
				const row = expected.interfaces[index]!;
				expect(itf.interfaceClass).toBe(row[0]);
				expect(itf.endpoints).toBe(3);
				expect(itf.ccid).toHaveLength(CCID_CLASS_DESCRIPTOR_LENGTH);
				const d = decodeCcidClassDescriptor(itf.ccid!);
				expect([
					d.bcdCCID, d.bMaxSlotIndex, d.bVoltageSupport, d.dwProtocols, d.dwDefaultClock, d.dwMaximumClock,
					d.dwDataRate, d.dwMaxDataRate, d.dwMaxIFSD, d.dwMechanical, d.dwFeatures, d.dwMaxCCIDMessageLength,
					d.bClassGetResponse, d.bClassEnvelope, d.bPINSupport
				]).toEqual(row.slice(1));
				expect([d.bNumClockSupported, d.bNumDataRatesSupported, d.dwSynchProtocols, d.wLcdLayout, d.bMaxCCIDBusySlots]).toEqual([0, 0, 0, 0, 1]);
			});
		});
	}

	it('encodes the ACR1252U descriptor to the exact CCID §5.1 bytes', () => {
		const model = createCcidReaderModel('acr1252u');
		const bytes = model.spec.configurations[0]!.interfaces[0]!.alternates[0]!.classDescriptor!;
		expect(toHex(bytes)).toBe(
			'3621' + '0001' + '00' + '07' + '02000000' + 'a00f0000' + 'a00f0000' + '00' + '002a0000' + '90d00300' + '00' +
				'fe000000' + '00000000' + '00000000' + 'ba040400' + '0a020000' + '00' + '00' + '0000' + '00' + '01'
		);
		expect(readUint16LE(bytes, 44)).toBe(522);
	});
});

const descriptorArbitrary: fc.Arbitrary<CcidClassDescriptor> = fc.record({
	bcdCCID: fc.integer({ min: 0, max: 0xffff }),
	bMaxSlotIndex: fc.integer({ min: 0, max: 0xff }),
	bVoltageSupport: fc.integer({ min: 0, max: 0xff }),
	dwProtocols: fc.nat({ max: 0xffff_ffff }),
	dwDefaultClock: fc.nat({ max: 0xffff_ffff }),
	dwMaximumClock: fc.nat({ max: 0xffff_ffff }),
	bNumClockSupported: fc.integer({ min: 0, max: 0xff }),
	dwDataRate: fc.nat({ max: 0xffff_ffff }),
	dwMaxDataRate: fc.nat({ max: 0xffff_ffff }),
	bNumDataRatesSupported: fc.integer({ min: 0, max: 0xff }),
	dwMaxIFSD: fc.nat({ max: 0xffff_ffff }),
	dwSynchProtocols: fc.nat({ max: 0xffff_ffff }),
	dwMechanical: fc.nat({ max: 0xffff_ffff }),
	dwFeatures: fc.nat({ max: 0xffff_ffff }),
	dwMaxCCIDMessageLength: fc.nat({ max: 0xffff_ffff }),
	bClassGetResponse: fc.integer({ min: 0, max: 0xff }),
	bClassEnvelope: fc.integer({ min: 0, max: 0xff }),
	wLcdLayout: fc.integer({ min: 0, max: 0xffff }),
	bPINSupport: fc.integer({ min: 0, max: 0xff }),
	bMaxCCIDBusySlots: fc.integer({ min: 0, max: 0xff })
});

describe('CCID class descriptor codec', () => {
	it('round-trips every field value', () => {
		fc.assert(
			fc.property(descriptorArbitrary, (d) => {
				expect(decodeCcidClassDescriptor(encodeCcidClassDescriptor(d))).toEqual(d);
			})
		);
	});

	it('refuses short input and a wrong bLength/bDescriptorType with kind Malformed', () => {
		expect(() => decodeCcidClassDescriptor(fromHex('3621'))).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		const wrongType = encodeCcidClassDescriptor(createCcidReaderModel('acr39u').profile.interfaces[0]!.descriptor);
		wrongType[1] = 0x24;
		expect(() => decodeCcidClassDescriptor(wrongType)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('random bytes give a descriptor or a Malformed error, nothing else', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
				try {
					const d = decodeCcidClassDescriptor(bytes);
					expect(bytes[0]).toBe(54);
					expect(d.dwFeatures).toBeGreaterThanOrEqual(0);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
