export { rcs300ReaderDriver, Rcs300ReaderDriver, Rcs300Models, type Rcs300OpenOptions } from './rcs300-reader-driver';
export { Rcs300TypeBLink, RCS300_LIMITS, type Rcs300ActivationPath } from './rcs300-type-b-link';
export { Rcs300Session, Rcs300Timing } from './rcs300-session';
export {
	checkManageSessionAnswer,
	parseSwitchProtocolAnswer,
	parseTransceiveAnswer,
	RCS300_TYPE_B_FLAGS,
	Rcs300Payload,
	Rcs300Tag,
	switchProtocolPayload,
	transceivePayload,
	type SwitchProtocolAnswer
} from './rcs300-commands';
export { CcidCommandStatus, CcidMessageType, encodePcToRdrEscape, parseRdrToPcEscape, type RdrToPcEscape } from './ccid-escape';
export { encodeRcs300Tlv, parseRcs300Tlvs, type Rcs300Tlv } from './rcs300-tlv';
