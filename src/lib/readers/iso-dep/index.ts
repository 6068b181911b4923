export { IsoDepDefaults, IsoDepProtocol, type IsoDepFrameExchange, type IsoDepOptions, type IsoDepPresence } from './iso-dep-protocol';
export { decodeIsoDepBlock, encodeIsoDepBlock, IsoDepPcb, WTXM_MAX, WTXM_MIN, type BlockNumber, type IsoDepBlock } from './iso-dep-block';
export { FRAME_SIZES, frameSizeFromIndex, frameSizeIndexFor, frameWaitingTimeMs, IsoDepTiming, startupFrameGuardTimeMs } from './iso-dep-parameters';
export { RfFailure, rfFailureOf, rfTimeoutError, rfTransmissionError } from './rf-link-error';
export { raceAbort, sleep } from './abortable-wait';
export { SerialQueue } from './serial-queue';
/** Type B activation (ISO/IEC 14443-3), shared by the RC-S380 and RC-S300 drivers. */
export {
	activateTypeB,
	buildTypeBAtr,
	encodeAttrib,
	encodeHltb,
	encodeSensbReq,
	isHltbResponse,
	parseAttribResponse,
	parseProtocolInfo,
	parseSensbRes,
	parseTypeBAtr,
	pollTypeB,
	TypeBTiming,
	type AttribResponse,
	type SensbRes,
	type TypeBActivation,
	type TypeBAtrFields
} from '../type-b/index';
