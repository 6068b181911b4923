import { ErrorKind, MynaError, type ErrorDetail } from '../../errors';
import { CcidIccStatus, type CcidResponse } from './ccid-message';

/** bError values of the slot error register (CCID rev 1.1 §6.2.6; LudovicRousseau/CCID:src/ccid.c ccid_error). */
export const CcidSlotError = {
	CommandNotSupported: 0x00,
	WrongLength: 0x01,
	BadSlot: 0x05,
	IccShortCircuit: 0xa2,
	AtrTooLong: 0xa3,
	NoDataExchanged: 0xab,
	EmvT1TooLong: 0xb0,
	EmvProtocolError: 0xbb,
	CardErrorDuringT1: 0xbd,
	WrongApduLength: 0xbe,
	SlotBusy: 0xe0,
	PinCancelled: 0xef,
	PinTimeout: 0xf0,
	BusyWithAutoSequence: 0xf2,
	DeactivatedProtocol: 0xf3,
	ProcedureByteConflict: 0xf4,
	IccClassNotSupported: 0xf5,
	IccProtocolNotSupported: 0xf6,
	BadAtrTck: 0xf7,
	BadAtrTs: 0xf8,
	HardwareError: 0xfb,
	Overrun: 0xfc,
	ParityError: 0xfd,
	IccMute: 0xfe,
	CommandAborted: 0xff
} as const;

interface SlotErrorInfo {
	kind: ErrorKind;
	message: string;
}

const CARD_COMMUNICATION = 'Communication with the card failed.';

const SLOT_ERRORS: ReadonlyMap<number, SlotErrorInfo> = new Map([
	[CcidSlotError.CommandNotSupported, { kind: ErrorKind.Protocol, message: 'The card reader does not support this command.' }],
	[CcidSlotError.WrongLength, { kind: ErrorKind.Protocol, message: 'The card reader rejected the command length.' }],
	[CcidSlotError.BadSlot, { kind: ErrorKind.Protocol, message: 'The card reader has no such slot.' }],
	[CcidSlotError.IccShortCircuit, { kind: ErrorKind.ReaderHardware, message: 'The card reader detected a short circuit on the card.' }],
	[CcidSlotError.AtrTooLong, { kind: ErrorKind.Protocol, message: 'The card answered with an invalid ATR (too long).' }],
	[CcidSlotError.NoDataExchanged, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.EmvT1TooLong, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.EmvProtocolError, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.CardErrorDuringT1, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.WrongApduLength, { kind: ErrorKind.Protocol, message: 'The card reader rejected the APDU length.' }],
	[CcidSlotError.SlotBusy, { kind: ErrorKind.ReaderBusy, message: 'The card reader slot is busy.' }],
	[CcidSlotError.PinCancelled, { kind: ErrorKind.Protocol, message: 'PIN entry on the reader was cancelled.' }],
	[CcidSlotError.PinTimeout, { kind: ErrorKind.Protocol, message: 'PIN entry on the reader timed out.' }],
	[CcidSlotError.BusyWithAutoSequence, { kind: ErrorKind.ReaderBusy, message: 'The card reader is busy.' }],
	[CcidSlotError.DeactivatedProtocol, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.ProcedureByteConflict, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.IccClassNotSupported, { kind: ErrorKind.Protocol, message: 'The card does not work at this voltage.' }],
	[CcidSlotError.IccProtocolNotSupported, { kind: ErrorKind.Protocol, message: 'The card reader does not support the card protocol.' }],
	[CcidSlotError.BadAtrTck, { kind: ErrorKind.Protocol, message: 'The card answered with an invalid ATR (checksum).' }],
	[CcidSlotError.BadAtrTs, { kind: ErrorKind.Protocol, message: 'The card answered with an invalid ATR (TS).' }],
	[CcidSlotError.HardwareError, { kind: ErrorKind.ReaderHardware, message: 'The card reader reported a hardware error.' }],
	[CcidSlotError.Overrun, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.ParityError, { kind: ErrorKind.Protocol, message: CARD_COMMUNICATION }],
	[CcidSlotError.IccMute, { kind: ErrorKind.CardMute, message: 'The card does not answer.' }],
	[CcidSlotError.CommandAborted, { kind: ErrorKind.Aborted, message: 'The card reader aborted the command.' }]
]);

/** What a bError means. 0x01–0x7F other than the named ones: the index of a bad parameter in the command. */
export function ccidSlotErrorInfo(code: number): SlotErrorInfo {
	return (
		SLOT_ERRORS.get(code) ??
		(code > 0 && code < 0x80
			? { kind: ErrorKind.Protocol, message: 'The card reader rejected a command parameter.' }
			: { kind: ErrorKind.Protocol, message: 'The card reader reported an error.' })
	);
}

/**
 * A failed command (bmCommandStatus = 1) as a MynaError. An absent card wins over bError (readers report
 * "absent or mute", 0xFE, for both): CardAbsent when bmICCStatus says absent, CardMute otherwise.
 */
export function ccidCommandFailure(response: CcidResponse, context: { command: number }): MynaError {
	const details: Record<string, ErrorDetail> = {
		command: context.command,
		slot: response.slot,
		ccidError: response.error,
		iccStatus: response.iccStatus
	};
	if (response.iccStatus === CcidIccStatus.Absent) return new MynaError(ErrorKind.CardAbsent, 'There is no card in the reader.', details);
	const info = ccidSlotErrorInfo(response.error);
	return new MynaError(info.kind, info.message, details);
}
