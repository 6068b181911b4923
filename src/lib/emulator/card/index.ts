/**
 * The virtual My Number Card and its test PKI (design §3, the emulator seam). Everything here is test material:
 * fictional personas, TEST keys, "JPKI TEST" CAs.
 */
export type { ApduCard } from './apdu-card';
export { VirtualMynaCard, createVirtualCard, type VirtualCardLogEntry, type VirtualCardProfile } from './virtual-myna-card';
export {
	MynaCardAtr,
	VirtualCardVariant,
	VisualPinBFormat,
	type VirtualMynaCardOptions,
	type VirtualMynaCardOptions as VirtualCardOptions
} from './virtual-card-options';
export { VirtualCardFaults, type VirtualCardFaultAnswer } from './virtual-card-faults';
export { VirtualCardPinId, PinFormats, type PinFormat } from './virtual-card-pin';
export { CardStatusWord } from './card-status-word';
export { MynaApplicationAid, JpkiApFile, TextApFile, VisualApFile, JukiApFile } from './card-file-system';
export { JpkiTokenLabel, JPKI_TOKEN_INFO_LENGTH } from './jpki-token-info';
export { CertificatePresence } from './jpki-application';
export { TextApTag } from './text-application';
export { VisualApTag } from './visual-application';
export {
	TestPki,
	TestCertificateSetId,
	TestCrlReason,
	type TestCertificateAuthority,
	type TestCertificateKind,
	type TestCertificateSet,
	type TestCrl,
	type TestEndEntity,
	type TestRevocation
} from './test-pki';
export {
	TEST_PERSONAS,
	TestPersonaId,
	PersonaSex,
	certificateBirthDate,
	isValidMyNumber,
	myNumberCheckDigit,
	type MynaPersona
} from './test-personas';
export { buildPlaceholderJp2, Jp2Magic, type PlaceholderJp2Options } from './jp2-placeholder';
export { parseCommandApdu, type CommandApdu, type CommandApduParseResult } from './command-apdu';
export type { RsaPrivateJwk } from './rsa-crt-private-key';

/** The design's name for the card the emulator hands out. */
export type { VirtualMynaCard as VirtualCard } from './virtual-myna-card';
