import { concatBytes } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { rfTimeoutError, rfTransmissionError } from '../iso-dep/rf-link-error';
import { encodeRcs300Tlv, parseRcs300Tlvs, type Rcs300Tlv } from './rcs300-tlv';

/** Data-object tags of the Sony `FF 50` pseudo-APDUs (readers.md §4.3, rcs300.md §1–3). */
export const Rcs300Tag = {
	Status: 0xc0,
	SwitchProtocol: 0x8f,
	TransmissionFlags: 0x90,
	Transceive: 0x95,
	ResponseStatus: 0x96,
	ResponseData: 0x97,
	Timer: 0x5f46,
	Atr: 0x5f51,
	VendorParameter: 0xff6e
} as const;

/** Payloads of the escapes without variable parts (rcs300.md §1.2, §3). */
export const Rcs300Payload = {
	EndSession: Uint8Array.of(0xff, 0x50, 0x00, 0x00, 0x02, 0x82, 0x00, 0x00),
	StartSession: Uint8Array.of(0xff, 0x50, 0x00, 0x00, 0x02, 0x81, 0x00, 0x00),
	RfOff: Uint8Array.of(0xff, 0x50, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00),
	RfOn: Uint8Array.of(0xff, 0x50, 0x00, 0x00, 0x02, 0x84, 0x00, 0x00),
	FirmwareVersion: Uint8Array.of(0xff, 0x56, 0x00, 0x00),
	/** GET DATA P1 = 01: for Type B, the card's answer to ATTRIB (rcs300.md §1.3, Microsoft's PC/SC Part 3 notes). */
	GetAttribResponse: Uint8Array.of(0xff, 0xca, 0x01, 0x00)
} as const;

/** Transmission flags, a set bit disables: Type B keeps CRC on and drops parity and prologue (0x001C). */
export const RCS300_TYPE_B_FLAGS = 0x001c;

/** `FF 6E 03 <sub-tag> 01 <value>` sub-tags sent before a switch to layer 4. */
export const Rcs300VendorParameter = {
	Fsdi: 0x01,
	Cid: 0x08
} as const;

export const SW_OK = 0x9000;
/** "failed to get access authority": another program has the reader. */
const SW_ACCESS_DENIED = 0x698a;
/** C0 status words that mean the card did not answer (rcs300.md §1.3: EZS reports 63 01 as an RF timeout). */
const NO_ANSWER_STATUS = new Set([0x6400, 0x6401, 0x6a81, 0x6301]);

function vendorParameter(subTag: number, value: number): Uint8Array {
	return encodeRcs300Tlv(Rcs300Tag.VendorParameter, encodeRcs300Tlv(subTag, Uint8Array.of(value)));
}

/**
 * Switch protocol to ISO/IEC 14443 Type B at `layer`. Layer 4 states FSDI and CID first, so that a reader that
 * sends ATTRIB itself gives the card CID 0:
 * `FF 50 00 02 10 FF 6E 03 01 01 <FSDI> FF 6E 03 08 01 <CID> 8F 02 01 04 00`; layer 3 is `FF 50 00 02 04 8F 02 01 03 00`.
 */
export function switchProtocolPayload(layer: 3 | 4, parameters: { fsdi: number; cid: number } = { fsdi: 8, cid: 0 }): Uint8Array {
	const objects = concatBytes(
		...(layer === 4 ? [vendorParameter(Rcs300VendorParameter.Fsdi, parameters.fsdi), vendorParameter(Rcs300VendorParameter.Cid, parameters.cid)] : []),
		encodeRcs300Tlv(Rcs300Tag.SwitchProtocol, Uint8Array.of(0x01, layer))
	);
	return concatBytes(Uint8Array.of(0xff, 0x50, 0x00, 0x02, objects.length), objects, Uint8Array.of(0x00));
}

/**
 * Transparent exchange of one RF frame: `FF 50 00 01 00 <Lc HH LL> 90 02 00 1C 5F 46 04 <timer µs LE>
 * 95 82 <HH LL> <frame> 00 00 00`. The flags are restated every time, as the reader keeps the last ones.
 */
export function transceivePayload(frame: Uint8Array, timeoutMs: number): Uint8Array {
	const micros = Math.min(0xffff_ffff, Math.max(1, Math.ceil(timeoutMs * 1000)));
	const timer = Uint8Array.of(micros & 0xff, (micros >>> 8) & 0xff, (micros >>> 16) & 0xff, micros >>> 24);
	if (frame.length > 0xffff) throw new MynaError(ErrorKind.Internal, 'RF frame too long', { length: frame.length });
	const objects = concatBytes(
		Uint8Array.of(Rcs300Tag.TransmissionFlags, 0x02, RCS300_TYPE_B_FLAGS >> 8, RCS300_TYPE_B_FLAGS & 0xff),
		encodeRcs300Tlv(Rcs300Tag.Timer, timer),
		Uint8Array.of(Rcs300Tag.Transceive, 0x82, frame.length >> 8, frame.length & 0xff),
		frame
	);
	return concatBytes(Uint8Array.of(0xff, 0x50, 0x00, 0x01, 0x00, objects.length >> 8, objects.length & 0xff), objects, Uint8Array.of(0, 0, 0));
}

/** The reader's own SW1 SW2 at the end of every answer, and what precedes it. */
export function splitReaderStatus(payload: Uint8Array): { data: Uint8Array; sw: number } {
	if (payload.length < 2) throw new MynaError(ErrorKind.Protocol, 'The reader’s answer has no status word.');
	return { data: payload.subarray(0, payload.length - 2), sw: (payload[payload.length - 2]! << 8) | payload[payload.length - 1]! };
}

function readerRefused(sw: number): MynaError {
	if (sw === SW_ACCESS_DENIED) {
		return new MynaError(ErrorKind.ReaderBusy, 'The reader is in use by another tab or program. Close it there and try again.', { sw: hexWord(sw) });
	}
	return new MynaError(ErrorKind.ReaderHardware, 'The reader refused a command.', { sw: hexWord(sw) });
}

function hexWord(sw: number): string {
	return sw.toString(16).padStart(4, '0');
}

interface FramedAnswer {
	objects: Rcs300Tlv[];
	/** The reader's own SW after the objects. */
	outerSw: number;
}

/**
 * The data objects of an `FF 50` answer. The reader's own SW is 90 00 in every source (rcs300.md §1.1); should a
 * reader repeat a failing status there instead, the C0 object still tells the outcome, so only an answer without
 * C0 is refused on the outer SW alone.
 */
function answerObjects(payload: Uint8Array): FramedAnswer {
	const { data, sw } = splitReaderStatus(payload);
	if (sw === SW_OK) return { objects: parseRcs300Tlvs(data), outerSw: sw };
	let objects: Rcs300Tlv[];
	try {
		objects = parseRcs300Tlvs(data);
	} catch {
		throw readerRefused(sw);
	}
	if (!objects.some((o) => o.tag === Rcs300Tag.Status)) throw readerRefused(sw);
	return { objects, outerSw: sw };
}

/** The C0 status object `C0 03 <status> <SW1> <SW2>`: `ok` when status 00, its SW 90 00, and the outer SW 90 00. */
function statusOf({ objects, outerSw }: FramedAnswer): { ok: boolean; sw: number } {
	const status = objects.find((o) => o.tag === Rcs300Tag.Status);
	if (!status || status.value.length !== 3) throw new MynaError(ErrorKind.Protocol, 'The reader’s answer has no status object.');
	const sw = (status.value[1]! << 8) | status.value[2]!;
	if (sw !== SW_OK) return { ok: false, sw };
	return outerSw === SW_OK ? { ok: status.value[0] === 0, sw } : { ok: false, sw: outerSw };
}

/** Start/end session, RF on/off: success or a typed error. */
export function checkManageSessionAnswer(payload: Uint8Array): void {
	const status = statusOf(answerObjects(payload));
	if (!status.ok) throw readerRefused(status.sw);
}

export interface SwitchProtocolAnswer {
	ok: boolean;
	sw: number;
	/** A PC/SC style ATR, when the reader activated a card itself. */
	atr?: Uint8Array;
}

export function parseSwitchProtocolAnswer(payload: Uint8Array): SwitchProtocolAnswer {
	const answer = answerObjects(payload);
	const status = statusOf(answer);
	if (status.sw === SW_ACCESS_DENIED) throw readerRefused(status.sw);
	const atr = answer.objects.find((o) => o.tag === Rcs300Tag.Atr)?.value;
	return atr ? { ...status, atr } : status;
}

/**
 * The card's frame from a transparent exchange answer (`C0`, optional `92`/`96`/`FF 6D`, `97 <frame>`, any order).
 * A C0 failure is an RF failure the ISO-DEP layer recovers from: "no answer" codes as a timeout, others as a
 * damaged frame. No `97` object also means no answer.
 */
export function parseTransceiveAnswer(payload: Uint8Array): Uint8Array {
	const answer = answerObjects(payload);
	const status = statusOf(answer);
	if (status.sw === SW_ACCESS_DENIED) throw readerRefused(status.sw);
	if (!status.ok) throw NO_ANSWER_STATUS.has(status.sw) ? rfTimeoutError() : rfTransmissionError(`reader status ${hexWord(status.sw)}`);
	const data = answer.objects.find((o) => o.tag === Rcs300Tag.ResponseData);
	if (!data) throw rfTimeoutError();
	return data.value;
}
