export { UsbInterfaceClass, PROTECTED_INTERFACE_CLASSES, isProtectedClass } from './usb-class';
export { UsbOperation, mapUsbError, transferStatusError, inTransferBytes, type UsbErrorContext } from './usb-errors';
export {
	UsbDescriptorType,
	parseConfigurationDescriptor,
	readConfigurationDescriptor,
	type ConfigurationDescriptor,
	type InterfaceDescriptor,
	type EndpointDescriptor,
	type RawDescriptor,
	type ReadDescriptorOptions
} from './configuration-descriptor';
export {
	CcidFeature,
	CcidExchangeLevel,
	CcidVoltageSupport,
	CcidPinSupport,
	CCID_CLASS_DESCRIPTOR_TYPE,
	CCID_CLASS_DESCRIPTOR_LENGTH,
	CCID_HEADER_LENGTH,
	parseCcidClassDescriptor,
	hasCcidFeature,
	supportsT0,
	supportsT1,
	type CcidClassDescriptor
} from './ccid-class-descriptor';
export { findCcidInterfaces, chooseCcidInterface, type CcidInterface } from './ccid-interface';
export { isProtectedInterface, interfaceAccess, protectedInterfaceError, type InterfaceAccess } from './protected-interface';
export {
	ReaderDriverId,
	KNOWN_READERS,
	USB_REQUEST_FILTERS,
	findKnownReader,
	lookupReader,
	readerFunctions,
	readerCandidates,
	type KnownReader,
	type KnownReaderInterface,
	type LookupOptions,
	type ReaderMatch,
	type ReaderMedium,
	type ReaderQuirks
} from './reader-registry';
