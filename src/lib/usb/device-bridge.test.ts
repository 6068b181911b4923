import { expose, proxy, wrap } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { UsbClass, type DeviceSpec } from '../emulator/usb/usb-descriptors';
import type { UsbFunctionModel } from '../emulator/usb/usb-function-model';
import { VirtualUsbDevice } from '../emulator/usb/virtual-usb-device';
import { BridgedUsbDevice, snapshotUsbDevice, usbDeviceOps, type UsbDeviceOps } from './device-bridge';

const spec: DeviceSpec = {
	vendorId: 0x054c,
	productId: 0x06c1,
	productName: 'RC-S380/S',
	configurations: [
		{
			configurationValue: 1,
			interfaces: [
				{ interfaceNumber: 0, alternates: [{ alternateSetting: 0, interfaceClass: UsbClass.SmartCard, interfaceSubclass: 0, interfaceProtocol: 0, endpoints: [] }] },
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
								{ endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 }
							]
						}
					]
				}
			]
		}
	]
};

function reversingModel(): UsbFunctionModel {
	let pending: Uint8Array | undefined;
	return {
		transferOut: (_ep, data) => void (pending = data.slice().reverse()),
		transferIn: async () => pending ?? new Uint8Array(0)
	};
}

const channels: MessageChannel[] = [];
afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

/** Bridges a virtual device across a real MessageChannel, as between the page and the card worker. */
function bridge(device: USBDevice): BridgedUsbDevice {
	const channel = new MessageChannel();
	channels.push(channel);
	expose(proxy(usbDeviceOps(device)), channel.port1 as unknown as Parameters<typeof expose>[1]);
	const ops = wrap<UsbDeviceOps>(channel.port2 as unknown as Parameters<typeof wrap>[0]);
	return new BridgedUsbDevice(structuredClone(snapshotUsbDevice(device)), ops as unknown as UsbDeviceOps);
}

describe('USB device bridge', () => {
	it('carries descriptors, state and transfers across a message channel', async () => {
		const virtual = new VirtualUsbDevice(spec, reversingModel());
		const device = bridge(virtual);
		expect(device.vendorId).toBe(0x054c);
		expect(device.configurations[0]!.interfaces[1]!.alternates[0]!.interfaceClass).toBe(0xff);
		await device.open();
		await device.selectConfiguration(1);
		await device.claimInterface(1);
		expect(device.opened).toBe(true);
		expect(device.configuration!.interfaces[1]!.claimed).toBe(true);
		const out = await device.transferOut(2, new Uint8Array([1, 2, 3]));
		expect(out).toEqual({ status: 'ok', bytesWritten: 3 });
		const back = await device.transferIn(1, 64);
		expect([...new Uint8Array(back.data!.buffer, back.data!.byteOffset, back.data!.byteLength)]).toEqual([3, 2, 1]);
	});

	it('rebuilds the same DOMException name in the worker (SecurityError, NetworkError)', async () => {
		const virtual = new VirtualUsbDevice(spec, reversingModel());
		const device = bridge(virtual);
		await device.open();
		await device.selectConfiguration(1);
		await expect(device.claimInterface(0)).rejects.toMatchObject({ name: 'SecurityError' });
		await device.claimInterface(1);
		virtual.unplug();
		await expect(device.transferOut(2, new Uint8Array([1]))).rejects.toMatchObject({ name: 'NotFoundError' });
	});
});
