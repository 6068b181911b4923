import { describe, expect, it } from 'vitest';
import { UsbClass, encodeConfigurationDescriptor, type DeviceSpec } from './usb-descriptors';
import { STALL, type UsbFunctionModel } from './usb-function-model';
import { VirtualUsbDevice } from './virtual-usb-device';
import { VirtualUsb } from './virtual-usb';

const spec: DeviceSpec = {
	vendorId: 0x054c,
	productId: 0x0dc8,
	manufacturerName: 'Test',
	productName: 'Two interfaces',
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
							classDescriptor: new Uint8Array([3, 0x21, 0x10]),
							endpoints: [
								{ endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
								{ endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 }
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
								{ endpointNumber: 3, direction: 'out', type: 'bulk', packetSize: 64 },
								{ endpointNumber: 4, direction: 'in', type: 'bulk', packetSize: 64 }
							]
						}
					]
				}
			]
		}
	]
};

/** An echo function: what goes out on 3 comes back on 4; waits while there is nothing. */
function echoModel(): UsbFunctionModel & { received: Uint8Array[] } {
	const queue: Uint8Array[] = [];
	let wake: (() => void) | undefined;
	return {
		received: [],
		transferOut(_ep, data) {
			this.received.push(data);
			queue.push(data);
			wake?.();
		},
		async transferIn(_ep, _length, signal) {
			while (queue.length === 0) {
				await new Promise<void>((resolve, reject) => {
					wake = resolve;
					signal.addEventListener('abort', () => reject(signal.reason), { once: true });
				});
			}
			return queue.shift()!;
		},
		async controlTransferIn(setup) {
			return setup.request === 0x42 ? new Uint8Array([1, 2, 3]) : STALL;
		}
	};
}

async function openedDevice(options: ConstructorParameters<typeof VirtualUsbDevice>[2] = {}) {
	const model = echoModel();
	const device = new VirtualUsbDevice(spec, model, options);
	await device.open();
	await device.selectConfiguration(1);
	return { device, model };
}

describe('VirtualUsbDevice', () => {
	it('refuses a protected class (0x0B) in a normal page with SecurityError, as Chrome does', async () => {
		const { device } = await openedDevice();
		await expect(device.claimInterface(0)).rejects.toMatchObject({ name: 'SecurityError' });
		await expect(device.claimInterface(1)).resolves.toBeUndefined();
		expect(device.configuration!.interfaces[1]!.claimed).toBe(true);
	});

	it('lets an Isolated Web App with usb-unrestricted claim the protected interface', async () => {
		const { device } = await openedDevice({ context: { usbUnrestricted: true } });
		await expect(device.claimInterface(0)).resolves.toBeUndefined();
	});

	it('blocks class and vendor control requests whose wIndex names a protected interface', async () => {
		const { device } = await openedDevice();
		await expect(
			device.controlTransferIn({ requestType: 'vendor', recipient: 'device', request: 0x42, value: 0, index: 0 }, 8)
		).rejects.toMatchObject({ name: 'SecurityError' });
		const ok = await device.controlTransferIn({ requestType: 'vendor', recipient: 'device', request: 0x42, value: 0, index: 1 }, 8);
		expect(ok.status).toBe('ok');
		expect([...new Uint8Array(ok.data!.buffer, ok.data!.byteOffset, ok.data!.byteLength)]).toEqual([1, 2, 3]);
	});

	it('answers standard GET_DESCRIPTOR with the device and the full configuration (class descriptor included)', async () => {
		const { device } = await openedDevice();
		const dev = await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0100, index: 0 }, 18);
		expect(dev.data!.getUint16(8, true)).toBe(0x054c);
		const head = await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, 9);
		const total = head.data!.getUint16(2, true);
		expect(total).toBe(encodeConfigurationDescriptor(spec.configurations[0]!).length);
		const full = await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, total);
		const bytes = new Uint8Array(full.data!.buffer, full.data!.byteOffset, full.data!.byteLength);
		// interface 0 descriptor is followed directly by the class descriptor 03 21 10
		expect([...bytes.slice(18, 21)]).toEqual([3, 0x21, 0x10]);
	});

	it('rejects transfers on endpoints of an unclaimed interface', async () => {
		const { device } = await openedDevice();
		await expect(device.transferOut(3, new Uint8Array([1]))).rejects.toMatchObject({ name: 'NotFoundError' });
	});

	it('reports a busy device (another tab or program) as NetworkError on claim', async () => {
		const { device } = await openedDevice({ claimedElsewhere: true });
		await expect(device.claimInterface(1)).rejects.toMatchObject({ name: 'NetworkError' });
	});

	it('fails a pending transfer with NetworkError on unplug, then every call with NotFoundError', async () => {
		const { device } = await openedDevice();
		await device.claimInterface(1);
		const pending = device.transferIn(4, 64);
		device.unplug();
		await expect(pending).rejects.toMatchObject({ name: 'NetworkError' });
		await expect(device.open()).rejects.toMatchObject({ name: 'NotFoundError' });
	});

	it('babbles when the device has more than the host asked for', async () => {
		const { device } = await openedDevice();
		await device.claimInterface(1);
		await device.transferOut(3, new Uint8Array([1, 2, 3, 4]));
		const result = await device.transferIn(4, 2);
		expect(result.status).toBe('babble');
		expect(result.data!.byteLength).toBe(2);
	});

	it('injects faults at the Nth transfer: corrupt, stall, unplug', async () => {
		const { device } = await openedDevice();
		await device.claimInterface(1);
		device.faults.add({ nth: 1, direction: 'in', when: 'after', action: { type: 'corrupt', byteIndex: 0 } });
		await device.transferOut(3, new Uint8Array([0x10, 0x20]));
		const corrupted = await device.transferIn(4, 64);
		expect(corrupted.data!.getUint8(0)).toBe(0x10 ^ 0xff);
		device.faults.add({ nth: 1, direction: 'out', when: 'before', action: { type: 'stall' } });
		expect((await device.transferOut(3, new Uint8Array([1]))).status).toBe('stall');
		device.faults.add({ nth: 2, when: 'before', action: { type: 'unplug' } });
		await device.transferOut(3, new Uint8Array([7]));
		await expect(device.transferIn(4, 64)).rejects.toMatchObject({ name: 'NetworkError' });
		expect(device.connected).toBe(false);
	});
});

describe('VirtualUsb', () => {
	it('plays the chooser with filters, grants the pick, and fires connect/disconnect for granted devices only', async () => {
		const usb = new VirtualUsb();
		const events: string[] = [];
		usb.addEventListener('connect', () => events.push('connect'));
		usb.addEventListener('disconnect', () => events.push('disconnect'));
		const device = new VirtualUsbDevice(spec, echoModel());
		usb.attach(device);
		expect(await usb.getDevices()).toEqual([]);
		await expect(usb.requestDevice({ filters: [{ vendorId: 0x1234 }] })).rejects.toMatchObject({ name: 'NotFoundError' });
		expect(await usb.requestDevice({ filters: [{ vendorId: 0x054c, productId: 0x0dc8 }] })).toBe(device);
		expect(await usb.requestDevice({ filters: [{ classCode: 0xff }] })).toBe(device);
		expect(await usb.getDevices()).toEqual([device]);
		device.unplug();
		expect(await usb.getDevices()).toEqual([]);
		usb.attach(device);
		expect(await usb.getDevices()).toEqual([device]);
		// Events only for devices the page was granted: none for the first attach, both after the grant.
		expect(events).toEqual(['disconnect', 'connect']);
	});

	it('treats a cancelled chooser as NotFoundError', async () => {
		const usb = new VirtualUsb();
		usb.attach(new VirtualUsbDevice(spec, echoModel()));
		usb.setChooser(() => undefined);
		await expect(usb.requestDevice({ filters: [] })).rejects.toMatchObject({ name: 'NotFoundError' });
	});
});
