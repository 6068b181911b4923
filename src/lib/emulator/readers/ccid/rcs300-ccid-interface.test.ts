import { describe, expect, it } from 'vitest';
import { fromHex, ownBuffer, toHex } from '../../../bytes';
import { UsbClass, type DeviceSpec } from '../../usb/usb-descriptors';
import { STALL, type UsbFunctionModel } from '../../usb/usb-function-model';
import { VirtualUsbDevice } from '../../usb/virtual-usb-device';
import { decodeCcidClassDescriptor } from './ccid-class-descriptor';
import { CcidCommandType } from './ccid-constants';
import { RCS300_DEVICE_IDENTITY, createRcs300CcidInterface } from './rcs300-ccid-interface';
import { CcidTestHost } from './testing/ccid-test-host';
import { FakeApduCard, askFor, patternResponse } from './testing/fake-apdu-card';

/** What the RC-S300 model does with the piece: interface 0 from here, its own vendor interface 1 on bulk endpoint 2. */
function composedRcs300() {
	const ccid = createRcs300CcidInterface();
	const vendorOut: Uint8Array[] = [];
	const spec: DeviceSpec = {
		...RCS300_DEVICE_IDENTITY,
		deviceVersion: [...RCS300_DEVICE_IDENTITY.deviceVersion],
		configurations: [
			{
				configurationValue: 1,
				interfaces: [
					ccid.interfaceSpec,
					{
						interfaceNumber: 1,
						alternates: [
							{
								alternateSetting: 0,
								interfaceClass: UsbClass.VendorSpecific,
								interfaceSubclass: 0,
								interfaceProtocol: 0,
								endpoints: [
									{ endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
									{ endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 }
								]
							}
						]
					}
				]
			}
		]
	};
	const model: UsbFunctionModel = {
		transferOut(ep, data) {
			if (ccid.handler.ownsEndpoint('out', ep)) return ccid.handler.transferOut(ep, data);
			vendorOut.push(data);
		},
		async transferIn(ep, length, signal) {
			if (ccid.handler.ownsEndpoint('in', ep)) return ccid.handler.transferIn(ep, length, signal);
			return STALL;
		},
		closed: () => ccid.handler.closed()
	};
	return { ccid, spec, model, vendorOut };
}

describe('createRcs300CcidInterface', () => {
	it('gives interface 0 with the RC-S300/S class descriptor libccid shows (ext APDU, 522, IFSD 254, T=1)', () => {
		const { ccid } = composedRcs300();
		const alt = ccid.interfaceSpec.alternates[0]!;
		expect(ccid.interfaceSpec.interfaceNumber).toBe(0);
		expect(alt.interfaceClass).toBe(0x0b);
		expect(alt.endpoints.map((e) => `${e.type}-${e.direction}-${e.endpointNumber}`)).toEqual(['bulk-out-1', 'bulk-in-1', 'interrupt-in-3']);
		const d = decodeCcidClassDescriptor(alt.classDescriptor!);
		expect(d).toMatchObject({
			bcdCCID: 0x0110,
			bMaxSlotIndex: 0,
			bVoltageSupport: 0x07,
			dwProtocols: 2,
			dwDefaultClock: 4000,
			dwMaximumClock: 4000,
			dwDataRate: 115200,
			dwMaxDataRate: 921600,
			dwMaxIFSD: 254,
			dwFeatures: 0x0004007e,
			dwMaxCCIDMessageLength: 522,
			bPINSupport: 0,
			bMaxCCIDBusySlots: 1
		});
		expect([RCS300_DEVICE_IDENTITY.vendorId, RCS300_DEVICE_IDENTITY.productId]).toEqual([0x054c, 0x0dc8]);
	});

	it('combines with a vendor interface 1: a normal page claims only interface 1; interface 0 answers CCID in an IWA', async () => {
		const normal = composedRcs300();
		const page = new VirtualUsbDevice(normal.spec, normal.model);
		await page.open();
		await page.selectConfiguration(1);
		await expect(page.claimInterface(0)).rejects.toMatchObject({ name: 'SecurityError' });
		await page.claimInterface(1);
		await page.transferOut(2, ownBuffer(fromHex('6B 00000000 00 00 000000')));
		expect(normal.vendorOut).toHaveLength(1);

		const { ccid, spec, model } = composedRcs300();
		const device = new VirtualUsbDevice(spec, model, { context: { usbUnrestricted: true } });
		await device.open();
		await device.selectConfiguration(1);
		await device.claimInterface(0);
		const host = new CcidTestHost(device, ccid.profile.endpoints);
		const card = new FakeApduCard();
		ccid.handler.insertCard(card);
		expect(toHex(await host.interrupt())).toBe('5003');
		// automatic activation: the card is already powered
		expect(await host.exchange(CcidCommandType.GetSlotStatus)).toMatchObject({ status: 0x00 });
		const first = await host.exchange(CcidCommandType.XfrBlock, { data: askFor(600) });
		expect(first).toMatchObject({ specific: 0x01 });
		expect(first.data).toHaveLength(512);
		const rest = await host.exchange(CcidCommandType.XfrBlock, { specific: [0, 0x10, 0] });
		expect(rest).toMatchObject({ specific: 0x02 });
		expect(toHex(rest.data)).toBe(toHex(patternResponse(600).subarray(512)));
	});
});
