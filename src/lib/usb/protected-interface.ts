import { ErrorKind, MynaError } from '../errors';
import { isProtectedClass } from './usb-class';

export interface InterfaceAccess {
	interfaceNumber: number;
	/** The interface exists in the device's (current or first) configuration. */
	exists: boolean;
	/** One of its alternate settings has a protected class (WebUSB checks every alternate). */
	protectedClass: boolean;
	/** This context may claim it: not protected, or the page may use `usb-unrestricted`. */
	claimable: boolean;
}

function findInterface(device: USBDevice, interfaceNumber: number): USBInterface | undefined {
	const config = device.configuration ?? device.configurations[0];
	return config?.interfaces.find((i) => i.interfaceNumber === interfaceNumber);
}

/** Whether WebUSB treats this interface as protected (facts/readers.md §1.1). Needs no open device. */
export function isProtectedInterface(device: USBDevice, interfaceNumber: number): boolean {
	const itf = findInterface(device, interfaceNumber);
	return itf !== undefined && itf.alternates.some((alt) => isProtectedClass(alt.interfaceClass));
}

/**
 * Tells, before any claim, whether this context may claim the interface, so the UI can explain a protected
 * reader instead of failing. `usbUnrestricted` comes from the composition root (`detectRoutes`).
 */
export function interfaceAccess(device: USBDevice, interfaceNumber: number, context: { usbUnrestricted: boolean }): InterfaceAccess {
	const exists = findInterface(device, interfaceNumber) !== undefined;
	const protectedClass = isProtectedInterface(device, interfaceNumber);
	return { interfaceNumber, exists, protectedClass, claimable: exists && (!protectedClass || context.usbUnrestricted) };
}

/** The error a claim of a protected interface meets, for callers that check first. */
export function protectedInterfaceError(device: USBDevice, interfaceNumber: number): MynaError {
	return new MynaError(ErrorKind.ProtectedInterface, 'This page may not use the smart-card interface of this reader (protected USB class).', {
		vendorId: device.vendorId,
		productId: device.productId,
		interfaceNumber
	});
}
