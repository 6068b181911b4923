/**
 * CCID rev 1.1 constants, with the names libccid uses (LudovicRousseau/CCID:src/ccid.h, src/commands.h).
 */

/** Bulk-OUT messages, host to reader (CCID §6.1). */
export const CcidCommandType = {
	SetParameters: 0x61,
	IccPowerOn: 0x62,
	IccPowerOff: 0x63,
	GetSlotStatus: 0x65,
	Secure: 0x69,
	T0Apdu: 0x6a,
	Escape: 0x6b,
	GetParameters: 0x6c,
	ResetParameters: 0x6d,
	IccClock: 0x6e,
	XfrBlock: 0x6f,
	Mechanical: 0x71,
	Abort: 0x72,
	SetDataRateAndClockFrequency: 0x73
} as const;
export type CcidCommandType = (typeof CcidCommandType)[keyof typeof CcidCommandType];

/** Bulk-IN messages, reader to host (CCID §6.2). */
export const CcidResponseType = {
	DataBlock: 0x80,
	SlotStatus: 0x81,
	Parameters: 0x82,
	Escape: 0x83,
	DataRateAndClockFrequency: 0x84
} as const;
export type CcidResponseType = (typeof CcidResponseType)[keyof typeof CcidResponseType];

/** Interrupt-IN messages (CCID §6.3). */
export const CcidInterruptType = {
	NotifySlotChange: 0x50,
	HardwareError: 0x51
} as const;

/** The response each command gets (CCID §6.1, one table row per command). */
export const CCID_RESPONSE_FOR: Readonly<Record<CcidCommandType, CcidResponseType>> = {
	[CcidCommandType.SetParameters]: CcidResponseType.Parameters,
	[CcidCommandType.IccPowerOn]: CcidResponseType.DataBlock,
	[CcidCommandType.IccPowerOff]: CcidResponseType.SlotStatus,
	[CcidCommandType.GetSlotStatus]: CcidResponseType.SlotStatus,
	[CcidCommandType.Secure]: CcidResponseType.DataBlock,
	[CcidCommandType.T0Apdu]: CcidResponseType.SlotStatus,
	[CcidCommandType.Escape]: CcidResponseType.Escape,
	[CcidCommandType.GetParameters]: CcidResponseType.Parameters,
	[CcidCommandType.ResetParameters]: CcidResponseType.Parameters,
	[CcidCommandType.IccClock]: CcidResponseType.SlotStatus,
	[CcidCommandType.XfrBlock]: CcidResponseType.DataBlock,
	[CcidCommandType.Mechanical]: CcidResponseType.SlotStatus,
	[CcidCommandType.Abort]: CcidResponseType.SlotStatus,
	[CcidCommandType.SetDataRateAndClockFrequency]: CcidResponseType.DataRateAndClockFrequency
};

export function isCcidCommandType(value: number): value is CcidCommandType {
	return Object.prototype.hasOwnProperty.call(CCID_RESPONSE_FOR, value);
}

export const CCID_HEADER_SIZE = 10;

/** bStatus bits 0–1 (bmICCStatus). */
export const CcidIccStatus = {
	PresentActive: 0,
	PresentInactive: 1,
	Absent: 2
} as const;
export type CcidIccStatus = (typeof CcidIccStatus)[keyof typeof CcidIccStatus];

/** bStatus bits 6–7 (bmCommandStatus). */
export const CcidCommandStatus = {
	Ok: 0x00,
	Failed: 0x40,
	TimeExtension: 0x80
} as const;
export type CcidCommandStatus = (typeof CcidCommandStatus)[keyof typeof CcidCommandStatus];

/**
 * bError values. CCID §6.2.6: 0x01–0x7F is the offset of the first bad header field; 0xE0–0xFF are the spec's
 * own codes; 0x81–0xC0 are vendor codes, of which we use only the one libccid names (ccid_error in src/ccid.c).
 */
export const CcidErrorCode = {
	CommandNotSupported: 0x00,
	/** Offset of dwLength. */
	BadLength: 0x01,
	/** Offset of bSlot. */
	BadSlot: 0x05,
	/** Offset of byte 7: bPowerSelect (IccPowerOn), bProtocolNum (SetParameters). */
	BadByte7: 0x07,
	/** Offset of wLevelParameter (XfrBlock). */
	BadLevelParameter: 0x08,
	/** Vendor code, libccid text "wrong APDU command length" (GemPC). We use it for an APDU the exchange level refuses. */
	WrongApduLength: 0xbe,
	SlotBusy: 0xe0,
	ProtocolNotSupported: 0xf6,
	/** The ATR's TCK is wrong (we also use it for any ATR that does not parse). */
	BadAtrTck: 0xf7,
	BadAtrTs: 0xf8,
	HardwareError: 0xfb,
	Overrun: 0xfc,
	IccMute: 0xfe,
	CommandAborted: 0xff
} as const;

/** dwFeatures bits (CCID §5.1; libccid ccid.h CCID_CLASS_*). */
export const CcidFeature = {
	AutoConfigurationFromAtr: 0x0000_0002,
	AutoActivation: 0x0000_0004,
	AutoVoltage: 0x0000_0008,
	AutoClock: 0x0000_0010,
	AutoBaud: 0x0000_0020,
	AutoParameterNegotiation: 0x0000_0040,
	AutoPps: 0x0000_0080,
	ClockStop: 0x0000_0100,
	NadOtherThanZero: 0x0000_0200,
	AutoIfsd: 0x0000_0400,
	LevelTpdu: 0x0001_0000,
	LevelShortApdu: 0x0002_0000,
	LevelExtendedApdu: 0x0004_0000
} as const;

export const CCID_EXCHANGE_LEVEL_MASK = 0x0007_0000;

export const CcidExchangeLevel = {
	Character: 'character',
	Tpdu: 'tpdu',
	ShortApdu: 'short-apdu',
	ExtendedApdu: 'extended-apdu'
} as const;
export type CcidExchangeLevel = (typeof CcidExchangeLevel)[keyof typeof CcidExchangeLevel];

export function exchangeLevelOf(dwFeatures: number): CcidExchangeLevel {
	switch (dwFeatures & CCID_EXCHANGE_LEVEL_MASK) {
		case CcidFeature.LevelTpdu:
			return CcidExchangeLevel.Tpdu;
		case CcidFeature.LevelShortApdu:
			return CcidExchangeLevel.ShortApdu;
		case CcidFeature.LevelExtendedApdu:
			return CcidExchangeLevel.ExtendedApdu;
		default:
			return CcidExchangeLevel.Character;
	}
}

/**
 * wLevelParameter of an XfrBlock and bChainParameter of a DataBlock at the extended APDU level
 * (CCID §6.1.4, §6.2.1; libccid CmdXfrBlockAPDU_extended).
 */
export const CcidChainParameter = {
	/** The APDU begins and ends in this message. */
	Whole: 0x00,
	/** The APDU begins here and continues. */
	Begins: 0x01,
	/** The APDU continues and ends here. */
	Ends: 0x02,
	/** The APDU continues and more follows. */
	Continues: 0x03,
	/** Empty abData: the next part is expected (from the host: "send me the next response part"). */
	Empty: 0x10
} as const;

/** bPowerSelect of IccPowerOn. */
export const CcidPowerSelect = {
	Automatic: 0,
	Volts5: 1,
	Volts3: 2,
	Volts1_8: 3
} as const;

/** bit of bVoltageSupport for each bPowerSelect voltage class. */
export const CCID_VOLTAGE_SUPPORT_BIT: Readonly<Record<number, number>> = { 1: 0x01, 2: 0x02, 3: 0x04 };

/** bProtocolNum; also the bit number in dwProtocols. */
export const CcidProtocol = {
	T0: 0,
	T1: 1
} as const;

/** Class-specific control requests (CCID §5.3). */
export const CcidControlRequest = {
	Abort: 0x01,
	GetClockFrequencies: 0x02,
	GetDataRates: 0x03
} as const;

/** bHardwareErrorCode of RDR_to_PC_HardwareError (CCID §6.3.2): the only code the spec defines. */
export const CCID_HARDWARE_ERROR_OVERCURRENT = 0x01;
