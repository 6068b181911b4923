export { parseAtr, tryParseAtr, FI_TABLE, DI_TABLE, ATR_MAX_LENGTH, type Atr, type AtrInterfaceBytes, type AtrT1Parameters, type T1Edc } from './atr';
export {
	T1SType,
	T1RError,
	T1_MAX_INF,
	encodeT1Block,
	decodeT1Block,
	isEdcError,
	edcLength,
	lrc,
	crc16,
	pcbOf,
	type T1Block
} from './t1-block';
export {
	T1Protocol,
	T1_RECEIVE_ERROR,
	TRACE_MASK_BYTE,
	T1_MAX_RETRIES,
	T1_MAX_RESYNCHS,
	T1_MAX_S_REQUESTS,
	type T1BlockExchange,
	type T1ExchangeOptions,
	type T1Settings,
	type T1TransceiveOptions
} from './t1-protocol';
export { buildPpsRequest, checkPpsResponse, type PpsOutcome } from './pps';
export { t1BlockTimeoutMs, conservativeT1BlockTimeoutMs, type T1TimingInput } from './t1-timing';
