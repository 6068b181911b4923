export { ccidReaderDriver, CcidReaderDriver, type CcidReaderDriverOptions } from './ccid-reader-driver';
export { CcidReaderConnection } from './ccid-reader-connection';
export { CcidChannel } from './ccid-channel';
export { CcidSlotSession, powerOnSequence, type CcidSlotState } from './ccid-slot-session';
export {
	CcidTransport,
	type CcidExchangeEvent,
	type CcidExchangeObserver,
	type CcidTransportOptions,
	type CcidCommandOptions,
	type CcidXfrBlockOptions,
	type CcidTransportState
} from './ccid-transport';
export { acquireCcidSlot, type CcidSlotLease, type AcquireOptions } from './ccid-device-pool';
export {
	CcidCommand,
	CcidResponseType,
	CcidInterruptType,
	CcidPowerSelect,
	CcidChain,
	CcidIccStatus,
	CcidCommandStatus,
	CCID_RESPONSE_TYPE,
	encodeCcidRequest,
	encodeCcidResponse,
	parseCcidResponse,
	parseCcidInterrupt,
	iccPowerOnRequest,
	iccPowerOffRequest,
	getSlotStatusRequest,
	xfrBlockRequest,
	setParametersRequest,
	escapeRequest,
	type CcidRequest,
	type CcidResponse,
	type CcidInterrupt,
	type CcidSlotChange
} from './ccid-message';
export { CcidSlotError, ccidSlotErrorInfo, ccidCommandFailure } from './ccid-slot-error';
export { exchangeShortApdu, exchangeExtendedApdu, type ApduExchangeOptions } from './ccid-apdu-exchange';
export { redactApduForTrace } from './apdu-trace-redaction';
export {
	planNegotiation,
	t1ParameterStructure,
	t0ParameterStructure,
	t1SettingsFor,
	apduTimeoutMs,
	CCID_CONTROL_TIMEOUT_MS,
	CCID_APDU_TIMEOUT_FLOOR_MS,
	type CcidNegotiation
} from './ccid-protocol-negotiation';
