/** The card layer (design §3): the My Number Card's applications as sessions over any `CardChannel`. */
export { MynaCard, type CardOperationOptions, type PinStatusesOptions } from './myna-card';
export { CardService } from './card-service';
export { AgeThreshold, hasReachedAge } from './age-check';
export { formatApduTranscript, parseApduTranscript, TranscriptLimit, type ApduExchange } from './apdu-transcript';
export { ALL_BASIC_INFO_FIELDS, BasicInfoField, Sex, parseBasicFourInfo, type BasicFourInfo } from './basic-four-info';
export { ApplicationAid, CardApplication, JpkiFile, TextApFile, VisualApFile } from './card-applications';
export { CardCommand } from './card-commands';
export { ALL_CARD_FACE_PARTS, CardFacePart, parseCardFace, type CardFace, type CardImage } from './card-face';
export { CardSession, ExtendedLengthUse, ReadLimit, type SigningKeyKind } from './card-session';
export { HashAlgorithm, HashAlgorithms, buildDigestInfo, isHashAlgorithm } from './digest-info';
export { ImageFormat, sniffImageFormat } from './image-format';
export {
	CertificateKind,
	JpkiSession,
	MAX_CERTIFICATE_LENGTH,
	type CardCertificate,
	type CardDetection,
	type CardSignature,
	type ReadCertificateOptions,
	type SignOptions
} from './jpki-session';
export { CardKind, JpkiTokenLabel, PhonePlatform, classifyTokenLabel, parseTokenLabel } from './jpki-token-info';
export { isValidMyNumber } from './my-number';
export { encodePin } from './pin-format';
export {
	PinGuard,
	PinState,
	type PinChange,
	type PinOptions,
	type PinStatus,
	type PinVerification
} from './pin-guard';
export { RecoveryPlace, pinRecoveryHint, type PinRecoveryHint } from './pin-recovery';
export { ALL_PIN_KINDS, PinKind, PinRule, PinSpecs, isPinKind, type ChangeablePinKind, type PinSpec } from './pin-specs';
export { certificatePublicKey, type RsaPublicKey } from './rsa-public-key';
export { verifyPkcs1v15 } from './rsa-pkcs1-verify';
export { TextApSession, type ReadBasicInfoOptions } from './text-ap-session';
export { VisualApSession, type CardFaceKey, type ReadCardFaceOptions } from './visual-ap-session';
