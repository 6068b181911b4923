export {
	createRcs380Model,
	rcs380DeviceSpec,
	Rcs380Endpoint,
	type Rcs380Counters,
	type Rcs380Model,
	type Rcs380ModelOptions
} from './rcs380-model';
export {
	createRcs300CcidStub,
	createRcs300Model,
	type Rcs300CcidInterface,
	type Rcs300Counters,
	type Rcs300Model,
	type Rcs300ModelOptions
} from './rcs300-model';
export { RCS300_MAX_CCID_MESSAGE_LENGTH, Rcs300Endpoint, Rcs300ProductId, rcs300CcidClassDescriptor, rcs300DeviceSpec } from './rcs300-descriptors';
export { Rcs300Flag, Rcs300Protocol, Rcs300Sw, Rcs300Tag, typeBAtr } from './rcs300-session';
export {
	CcidCommandStatus,
	CcidMessageType,
	CcidSlotError,
	encodeCcidEscape,
	parseCcidOutMessage,
	type CcidOutMessage
} from './rcs300-ccid-message';
export {
	DataObjectError,
	EscapeApduError,
	encodeBerLength,
	encodeDataObject,
	parseDataObjects,
	parseEscapeApdu,
	type DataObject,
	type EscapeApdu
} from './rcs300-escape';
export {
	PORT100_ACK,
	PORT100_ERROR_FRAME,
	Port100FrameError,
	encodePort100Frame,
	parsePort100Frame,
	type Port100Frame
} from './port100-frame';
export {
	PORT100_MAX_RF_DATA,
	PORT100_PROTOCOL_DEFAULTS,
	Port100Command,
	Port100CommError,
	Port100ProtocolKey,
	Port100Status
} from './port100-chipset';
export type { SonyReaderFault } from './sony-reader-faults';
