export {
	CCID_READER_PROFILE_IDS,
	CCID_READER_PROFILES,
	RCS300_CCID_INTERFACE_PROFILE,
	isCcidReaderProfileId,
	type CcidEndpoints,
	type CcidEscapeHandler,
	type CcidInterfaceProfile,
	type CcidMedium,
	type CcidReaderProfile,
	type CcidReaderProfileId
} from './ccid-reader-profiles';
export { CcidReaderModel, createCcidReaderModel, type CcidReaderModelOptions, type CcidSlotAddress } from './ccid-reader-model';
export { CcidInterfaceFunction, type CcidInterfaceOptions } from './ccid-interface-function';
export { createRcs300CcidInterface, RCS300_DEVICE_IDENTITY, type Rcs300CcidInterface } from './rcs300-ccid-interface';
export { T1CardEngine, type T1CardEngineOptions } from './t1-card-engine';
export {
	T1Edc,
	T1Pcb,
	T1SBlockType,
	T1BlockFault,
	decodeT1Block,
	encodeT1Block,
	iBlock,
	rBlock,
	sBlock,
	lrc,
	crc16,
	type T1Block
} from './t1-block';
export { parseAtrT1Parameters, t1BlockWaitingTimeMs, AtrFault, type AtrT1Parameters } from './atr-t1-parameters';
export {
	CCID_CLASS_DESCRIPTOR_LENGTH,
	decodeCcidClassDescriptor,
	encodeCcidClassDescriptor,
	type CcidClassDescriptor
} from './ccid-class-descriptor';
export {
	decodeCcidCommand,
	decodeCcidResponse,
	decodeNotifySlotChange,
	encodeCcidCommand,
	encodeCcidResponse,
	encodeHardwareError,
	encodeNotifySlotChange,
	CcidFrameFault,
	type CcidCommand,
	type CcidResponse,
	type CcidSlotChange
} from './ccid-message';
export * from './ccid-constants';
