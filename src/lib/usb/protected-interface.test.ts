import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import type { UsbFunctionModel } from '../emulator/usb/usb-function-model';
import { VirtualUsbDevice } from '../emulator/usb/virtual-usb-device';
import { interfaceAccess, isProtectedInterface, protectedInterfaceError } from './protected-interface';
import { ccidInterfaceSpec, deviceSpec, encodeCcidClassDescriptor, libccidReader } from './testing/libccid-reader-fixtures';
import { UsbOperation, mapUsbError } from './usb-errors';

const silentModel: UsbFunctionModel = { transferOut: () => undefined, transferIn: () => new Promise(() => undefined) };
const descriptor = encodeCcidClassDescriptor(libccidReader('SONY_FeliCa_RC-S300_S').values);

function rcs300(usbUnrestricted: boolean) {
	const vendor = ccidInterfaceSpec(1, 0xff, descriptor);
	delete vendor.alternates[0]!.classDescriptor;
	return new VirtualUsbDevice(deviceSpec(0x054c, 0x0dc8, [ccidInterfaceSpec(0, 0x0b, descriptor), vendor]), silentModel, { context: { usbUnrestricted } });
}

describe('protected interface detection (facts/readers.md §1.1)', () => {
	it('tells a class 0x0B interface from a vendor one, before the device is opened', () => {
		const device = rcs300(false);
		expect(device.opened).toBe(false);
		expect(isProtectedInterface(device, 0)).toBe(true);
		expect(isProtectedInterface(device, 1)).toBe(false);
		expect(isProtectedInterface(device, 7)).toBe(false);
	});

	it('says whether this context may claim it', () => {
		const device = rcs300(false);
		expect(interfaceAccess(device, 0, { usbUnrestricted: false })).toEqual({ interfaceNumber: 0, exists: true, protectedClass: true, claimable: false });
		expect(interfaceAccess(device, 0, { usbUnrestricted: true })).toEqual({ interfaceNumber: 0, exists: true, protectedClass: true, claimable: true });
		expect(interfaceAccess(device, 1, { usbUnrestricted: false })).toEqual({ interfaceNumber: 1, exists: true, protectedClass: false, claimable: true });
		expect(interfaceAccess(device, 5, { usbUnrestricted: true })).toMatchObject({ exists: false, claimable: false });
	});

	it('counts an interface as protected when any alternate setting has a protected class', () => {
		const itf = ccidInterfaceSpec(0, 0xff, descriptor);
		itf.alternates.push({ ...itf.alternates[0]!, alternateSetting: 1, interfaceClass: 0x03 });
		const device = new VirtualUsbDevice(deviceSpec(0x1234, 0x5678, [itf]), silentModel);
		expect(isProtectedInterface(device, 0)).toBe(true);
	});

	it.each([0x01, 0x03, 0x08, 0x0b, 0x0e, 0x10, 0xe0])('class 0x%s is protected', (cls) => {
		const device = new VirtualUsbDevice(deviceSpec(1, 2, [ccidInterfaceSpec(0, cls, descriptor)]), silentModel);
		expect(isProtectedInterface(device, 0)).toBe(true);
	});

	it('maps the SecurityError of a claim in a normal page to ProtectedInterface with the device and interface', async () => {
		const device = rcs300(false);
		await device.open();
		await device.selectConfiguration(1);
		const failure = await device.claimInterface(0).catch((e: unknown) => e);
		const mapped = mapUsbError(failure, { operation: UsbOperation.ClaimInterface, vendorId: 0x054c, productId: 0x0dc8, interfaceNumber: 0 });
		expect(mapped).toMatchObject({ kind: ErrorKind.ProtectedInterface, details: { vendorId: 0x054c, productId: 0x0dc8, interfaceNumber: 0, name: 'SecurityError' } });
		expect(protectedInterfaceError(device, 0)).toMatchObject({ kind: ErrorKind.ProtectedInterface, details: { vendorId: 0x054c, productId: 0x0dc8, interfaceNumber: 0 } });
		await expect(device.claimInterface(1)).resolves.toBeUndefined();
	});
});
