/** USB interface class codes that matter for reader discovery (USB-IF class codes). */
export const UsbInterfaceClass = {
	Audio: 0x01,
	Hid: 0x03,
	MassStorage: 0x08,
	SmartCard: 0x0b,
	Video: 0x0e,
	AudioVideo: 0x10,
	WirelessController: 0xe0,
	VendorSpecific: 0xff
} as const;
export type UsbInterfaceClass = (typeof UsbInterfaceClass)[keyof typeof UsbInterfaceClass];

/**
 * Interface classes a page may claim only with the `usb-unrestricted` policy feature (Isolated Web Apps)
 * [WICG/webusb:index.bs "has a protected interface class"; facts/readers.md §1.1].
 */
export const PROTECTED_INTERFACE_CLASSES: ReadonlySet<number> = new Set([
	UsbInterfaceClass.Audio,
	UsbInterfaceClass.Hid,
	UsbInterfaceClass.MassStorage,
	UsbInterfaceClass.SmartCard,
	UsbInterfaceClass.Video,
	UsbInterfaceClass.AudioVideo,
	UsbInterfaceClass.WirelessController
]);

export function isProtectedClass(interfaceClass: number): boolean {
	return PROTECTED_INTERFACE_CLASSES.has(interfaceClass);
}
