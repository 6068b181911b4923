import { writeUint32LE } from '../../../bytes';
import { UsbClass, type DeviceSpec } from '../../usb/usb-descriptors';

/**
 * USB identity of the Sony RC-S300 (facts/readers.md §4.1, §6.1; rcs300.md §0–§1):
 * - /S 054C:0DC8, /P 054C:0DC9, product "FeliCa Port/PaSoRi 4.0" (PC/SC names it "SONY FeliCa Port/PaSoRi 4.0").
 * - Interface 0: CCID (class 0x0B) with bulk OUT, bulk IN and interrupt IN. Class descriptor values from the
 *   libccid dump: bcdCCID 1.10, one slot, T=1, dwMaxIFSD 254, dwFeatures 0x0004007E, dwMaxCCIDMessageLength 522,
 *   bPINSupport 0, bMaxCCIDBusySlots 1. The endpoint numbers (1, 0x81, 0x83), voltage, clock and data-rate fields
 *   are not in the facts: INFERENCE, chosen as typical values.
 * - Interface 1: vendor specific (0xFF, INFERENCE strongly supported), bulk OUT 0x02 / bulk IN 0x82, 64-byte
 *   packets; no interrupt endpoint is known there.
 */

export const Rcs300Endpoint = {
	ccidBulkOut: 1,
	ccidBulkIn: 1,
	ccidInterruptIn: 3,
	vendorBulkOut: 2,
	vendorBulkIn: 2
} as const;

export const Rcs300ProductId = { S: 0x0dc8, P: 0x0dc9 } as const;

export const RCS300_MAX_CCID_MESSAGE_LENGTH = 522;

/** The 54-byte CCID class descriptor (CCID rev 1.1 §5.1) of interface 0. */
export function rcs300CcidClassDescriptor(): Uint8Array {
	const d = new Uint8Array(54);
	d[0] = 54;
	d[1] = 0x21;
	d[2] = 0x10; // bcdCCID 1.10
	d[3] = 0x01;
	d[4] = 0x00; // bMaxSlotIndex
	d[5] = 0x07; // bVoltageSupport (INFERENCE)
	writeUint32LE(d, 6, 0x00000002); // dwProtocols: T=1
	writeUint32LE(d, 10, 4000); // dwDefaultClock kHz (INFERENCE)
	writeUint32LE(d, 14, 4000); // dwMaximumClock (INFERENCE)
	d[18] = 0;
	writeUint32LE(d, 19, 10752); // dwDataRate bps (INFERENCE)
	writeUint32LE(d, 23, 847_000); // dwMaxDataRate (INFERENCE)
	d[27] = 0;
	writeUint32LE(d, 28, 254); // dwMaxIFSD
	writeUint32LE(d, 32, 0); // dwSynchProtocols
	writeUint32LE(d, 36, 0); // dwMechanical
	writeUint32LE(d, 40, 0x0004007e); // dwFeatures
	writeUint32LE(d, 44, RCS300_MAX_CCID_MESSAGE_LENGTH);
	d[48] = 0xff; // bClassGetResponse: echo (INFERENCE)
	d[49] = 0xff; // bClassEnvelope: echo (INFERENCE)
	d[50] = 0x00; // wLcdLayout
	d[51] = 0x00;
	d[52] = 0x00; // bPINSupport
	d[53] = 0x01; // bMaxCCIDBusySlots
	return d;
}

export function rcs300DeviceSpec(options: { variant?: 'S' | 'P'; serialNumber?: string } = {}): DeviceSpec {
	return {
		vendorId: 0x054c,
		productId: Rcs300ProductId[options.variant ?? 'S'],
		manufacturerName: 'SONY',
		productName: 'FeliCa Port/PaSoRi 4.0',
		...(options.serialNumber ? { serialNumber: options.serialNumber } : {}),
		configurations: [
			{
				configurationValue: 1,
				interfaces: [
					{
						interfaceNumber: 0,
						alternates: [
							{
								alternateSetting: 0,
								interfaceClass: UsbClass.SmartCard,
								interfaceSubclass: 0,
								interfaceProtocol: 0,
								classDescriptor: rcs300CcidClassDescriptor(),
								endpoints: [
									{ endpointNumber: Rcs300Endpoint.ccidBulkOut, direction: 'out', type: 'bulk', packetSize: 64 },
									{ endpointNumber: Rcs300Endpoint.ccidBulkIn, direction: 'in', type: 'bulk', packetSize: 64 },
									{ endpointNumber: Rcs300Endpoint.ccidInterruptIn, direction: 'in', type: 'interrupt', packetSize: 8 }
								]
							}
						]
					},
					{
						interfaceNumber: 1,
						alternates: [
							{
								alternateSetting: 0,
								interfaceClass: UsbClass.VendorSpecific,
								interfaceSubclass: 0,
								interfaceProtocol: 0,
								endpoints: [
									{ endpointNumber: Rcs300Endpoint.vendorBulkOut, direction: 'out', type: 'bulk', packetSize: 64 },
									{ endpointNumber: Rcs300Endpoint.vendorBulkIn, direction: 'in', type: 'bulk', packetSize: 64 }
								]
							}
						]
					}
				]
			}
		]
	};
}
