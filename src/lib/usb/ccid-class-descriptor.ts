import { readUint16LE, readUint32LE } from '../bytes';
import { ErrorKind, MynaError } from '../errors';

/** dwFeatures bits (CCID rev 1.1 §5.1; LudovicRousseau/CCID:src/ccid.h CCID_CLASS_*). */
export const CcidFeature = {
	AutoConfigFromAtr: 0x0000_0002,
	AutoActivation: 0x0000_0004,
	AutoVoltage: 0x0000_0008,
	AutoClock: 0x0000_0010,
	AutoBaud: 0x0000_0020,
	AutoParameterNegotiation: 0x0000_0040,
	AutoPps: 0x0000_0080,
	ClockStop: 0x0000_0100,
	NadOtherThanZero: 0x0000_0200,
	AutoIfsd: 0x0000_0400,
	ExchangeMask: 0x0007_0000,
	TpduLevel: 0x0001_0000,
	ShortApduLevel: 0x0002_0000,
	ExtendedApduLevel: 0x0004_0000,
	UsbWakeUp: 0x0010_0000
} as const;

export const CcidExchangeLevel = {
	Character: 'character',
	Tpdu: 'tpdu',
	ShortApdu: 'short-apdu',
	ExtendedApdu: 'extended-apdu'
} as const;
export type CcidExchangeLevel = (typeof CcidExchangeLevel)[keyof typeof CcidExchangeLevel];

/** bVoltageSupport bits. */
export const CcidVoltageSupport = { V5: 0x01, V3: 0x02, V1_8: 0x04 } as const;

/** bPINSupport bits. */
export const CcidPinSupport = { Verify: 0x01, Modify: 0x02 } as const;

export const CCID_CLASS_DESCRIPTOR_TYPE = 0x21;
export const CCID_CLASS_DESCRIPTOR_LENGTH = 0x36;
/** Every CCID message starts with a 10-byte header. */
export const CCID_HEADER_LENGTH = 10;

export interface CcidClassDescriptor {
	/** bcdCCID, e.g. 0x0110 for 1.10. */
	bcdCcid: number;
	maxSlotIndex: number;
	slotCount: number;
	voltageSupport: number;
	/** dwProtocols bit mask: 0x01 T=0, 0x02 T=1. */
	protocols: number;
	defaultClockKhz: number;
	maximumClockKhz: number;
	numClockSupported: number;
	dataRate: number;
	maxDataRate: number;
	numDataRatesSupported: number;
	maxIfsd: number;
	synchProtocols: number;
	mechanical: number;
	features: number;
	exchangeLevel: CcidExchangeLevel;
	maxMessageLength: number;
	classGetResponse: number;
	classEnvelope: number;
	lcdLayout: number;
	pinSupport: number;
	maxBusySlots: number;
}

function malformed(message: string, details: Record<string, number> = {}): MynaError {
	return new MynaError(ErrorKind.Protocol, `Malformed CCID class descriptor: ${message}.`, details);
}

const LEVELS: ReadonlyMap<number, CcidExchangeLevel> = new Map([
	[0, CcidExchangeLevel.Character],
	[CcidFeature.TpduLevel, CcidExchangeLevel.Tpdu],
	[CcidFeature.ShortApduLevel, CcidExchangeLevel.ShortApdu],
	[CcidFeature.ExtendedApduLevel, CcidExchangeLevel.ExtendedApdu]
]);

const MIN_MESSAGE_LENGTH = CCID_HEADER_LENGTH + 1;
/** CCID rev 1.1 §5.1: dwMaxCCIDMessageLength is at most 65544 + 10. */
const MAX_MESSAGE_LENGTH = CCID_HEADER_LENGTH + 65_544;

/**
 * Parses the 54-byte CCID class descriptor (CCID rev 1.1 §5.1, Table 5.1-1). Strict: bLength 0x36, type 0x21,
 * exactly one exchange level, at least one of T=0/T=1, a message length that holds a header.
 */
export function parseCcidClassDescriptor(bytes: Uint8Array): CcidClassDescriptor {
	if (bytes.length < CCID_CLASS_DESCRIPTOR_LENGTH) throw malformed(`${bytes.length} bytes`, { length: bytes.length });
	if (bytes[0] !== CCID_CLASS_DESCRIPTOR_LENGTH) throw malformed(`bLength ${bytes[0]}`, { bLength: bytes[0]! });
	if (bytes[1] !== CCID_CLASS_DESCRIPTOR_TYPE) throw malformed(`bDescriptorType ${bytes[1]}`, { bDescriptorType: bytes[1]! });
	const features = readUint32LE(bytes, 40);
	const exchangeLevel = LEVELS.get(features & CcidFeature.ExchangeMask);
	if (exchangeLevel === undefined) throw malformed('ambiguous exchange level', { features });
	const protocols = readUint32LE(bytes, 6);
	if ((protocols & 0x03) === 0) throw malformed('neither T=0 nor T=1', { protocols });
	const maxMessageLength = readUint32LE(bytes, 44);
	if (maxMessageLength < MIN_MESSAGE_LENGTH || maxMessageLength > MAX_MESSAGE_LENGTH) {
		throw malformed(`dwMaxCCIDMessageLength ${maxMessageLength}`, { maxMessageLength });
	}
	const maxSlotIndex = bytes[4]!;
	return {
		bcdCcid: readUint16LE(bytes, 2),
		maxSlotIndex,
		slotCount: maxSlotIndex + 1,
		voltageSupport: bytes[5]!,
		protocols,
		defaultClockKhz: readUint32LE(bytes, 10),
		maximumClockKhz: readUint32LE(bytes, 14),
		numClockSupported: bytes[18]!,
		dataRate: readUint32LE(bytes, 19),
		maxDataRate: readUint32LE(bytes, 23),
		numDataRatesSupported: bytes[27]!,
		maxIfsd: readUint32LE(bytes, 28),
		synchProtocols: readUint32LE(bytes, 32),
		mechanical: readUint32LE(bytes, 36),
		features,
		exchangeLevel,
		maxMessageLength,
		classGetResponse: bytes[48]!,
		classEnvelope: bytes[49]!,
		lcdLayout: readUint16LE(bytes, 50),
		pinSupport: bytes[52]!,
		maxBusySlots: bytes[53]!
	};
}

export function hasCcidFeature(descriptor: Pick<CcidClassDescriptor, 'features'>, feature: number): boolean {
	return (descriptor.features & feature) === feature;
}

export function supportsT1(descriptor: Pick<CcidClassDescriptor, 'protocols'>): boolean {
	return (descriptor.protocols & 0x02) !== 0;
}

export function supportsT0(descriptor: Pick<CcidClassDescriptor, 'protocols'>): boolean {
	return (descriptor.protocols & 0x01) !== 0;
}
