export { crcB, appendCrcB, hasValidCrcB } from './crc-b';
export {
	IsoDepBlockError,
	IsoDepPcb,
	IsoDepSCommand,
	encodeIsoDepBlock,
	parseIsoDepBlock,
	wtxmOf,
	type IsoDepBlock,
	type IsoDepBlockNumber,
	type IsoDepBlockParseResult
} from './iso-dep-block';
export {
	IsoDepCardEngine,
	IsoDepCardPhase,
	IsoDepSilence,
	checkWtxRequest,
	type IsoDepCardEngineOptions,
	type IsoDepCardReply
} from './iso-dep-card-engine';
export {
	TypeBCommand,
	TypeBPicc,
	TypeBPiccState,
	TypeBSilence,
	frameSizeFromIndex,
	frameWaitingTimeMs,
	type TypeBPiccOptions,
	type TypeBPiccReply
} from './type-b-picc';
export { FixedResponseCard } from './fixed-response-card';
