export { encodeSensbReq, parseSensbRes, parseProtocolInfo, SensbParam, TypeBCode, type SensbReqOptions, type SensbRes } from './sensb';
export { encodeAttrib, encodeHltb, isHltbResponse, parseAttribResponse, type AttribOptions, type AttribResponse } from './attrib';
export { buildTypeBAtr, parseTypeBAtr, TYPE_B_ATR_LENGTH, type TypeBAtrFields } from './type-b-atr';
export { activateTypeB, activationFromSensbRes, pollTypeB, TypeBTiming, type TypeBActivation, type TypeBLinkLimits } from './type-b-activation';
export { TypeBConnectionDefaults, TypeBReaderConnection, type TypeBConnectionOptions, type TypeBLink } from './type-b-reader-connection';
export {
	claimVendorInterface,
	findVendorInterface,
	releaseVendorInterface,
	VENDOR_SPECIFIC_CLASS,
	VendorUsbPipe,
	type UsbTransferCounts,
	type VendorInterface
} from './vendor-usb-pipe';
