export type { CardChannel, ChannelCapabilities, TransmitOptions } from './channel';
export {
	ApduCase,
	ApduForm,
	ApduLimit,
	commandApduCase,
	commandApduForm,
	decodeCommandApdu,
	encodeCommandApdu,
	parseCommandApdu,
	type CommandApdu,
	type EncodeCommandApduOptions,
	type ParsedCommandApdu
} from './command-apdu';
export { carriesSecret, Instruction, instructionName, SecretInstruction } from './instructions';
export {
	describeStatusWord,
	formatStatusWord,
	isOkStatus,
	pinRetriesFromStatusWord,
	StatusWord,
	StatusWord1,
	StatusWordMeanings,
	statusWordCount,
	statusWordPattern,
	type StatusWordLocale,
	type StatusWordPattern
} from './status-words';
export { ApduStatusError, errorKindForStatusWord, isApduStatusError, type ApduStatusContext } from './apdu-status-error';
export { checkOk, checkStatus, encodeResponseApdu, parseResponseApdu, type ResponseApdu } from './response-apdu';
export { transceive, transceiveOk, TransceiveLimit, type TransceiveOptions } from './transmit';
export {
	BerTlvLimit,
	childTlvs,
	encodeTlv,
	findChild,
	iterateTlvs,
	readTlv,
	readTlvs,
	TagClass,
	tlvValue,
	walkTlvs,
	type FindChildOptions,
	type Tlv,
	type TlvNode,
	type TlvSequenceOptions,
	type TlvWalkOptions
} from './ber-tlv';
export {
	formatTrace,
	formatTraceEntry,
	MemoryTraceSink,
	redactCommandApdu,
	redactResponseApdu,
	TRACE_MASK,
	TraceDirection,
	TracingChannel,
	type ApduTraceEntry,
	type TraceSink,
	type TracingChannelOptions
} from './trace';
