import type { ApduCard } from '../../card/apdu-card';
import { equalBytes } from '../../../bytes';
import { appendCrcB, hasValidCrcB } from './crc-b';
import { IsoDepCardEngine, checkWtxRequest, type IsoDepSilence } from './iso-dep-card-engine';

/**
 * A proximity card (PICC) of ISO/IEC 14443-3 Type B carrying an ISO-DEP card engine: what a reader's antenna
 * talks to. Frames go in and out as on air, CRC_B included (SOF/EOF are the reader's business).
 *
 * Type B commands (ISO 14443-3 §7):
 * - REQB/WUPB `05 AFI PARAM`: PARAM b4 (0x08) = WUPB, b5 (0x10) = the reader supports the extended ATQB,
 *   b3–b1 = N slots (1, 2, 4, 8, 16). The card always draws slot 1, so it answers at once (never needs a Slot-MARKER).
 *   REQB is answered in IDLE and READY, WUPB also in HALT; AFI 00 reaches every card, otherwise the family must match.
 * - SENSB_RES (ATQB) `50 PUPI(4) application-data(4) protocol-info(3, or 4 with SFGI)`. Protocol info:
 *   byte 1 bit rates, byte 2 FSCI<<4 | protocol type (1 = ISO 14443-4), byte 3 FWI<<4 | ADC<<2 | FO (b2 NAD, b1 CID).
 * - ATTRIB `1D PUPI(4) param1 param2 param3 param4 [higher-layer INF]`: param2 b4–b1 FSDI (FSD, FSDI > 8 read as 8),
 *   param3 b4–b1 protocol type (must be the card's), param4 b4–b1 CID. Only with this card's PUPI, in READY.
 *   Answer `MBLI<<4 | CID`; then ISO-DEP (ACTIVE). Any other PUPI: silence.
 * - HLTB `50 PUPI(4)` in READY or ACTIVE → answer `00`, HALT.
 * Field off (or removal) powers the card down: state lost and `ApduCard.reset()`.
 */

export const TypeBPiccState = {
	powerOff: 'power-off',
	idle: 'idle',
	ready: 'ready',
	active: 'active',
	halt: 'halt'
} as const;
export type TypeBPiccState = (typeof TypeBPiccState)[keyof typeof TypeBPiccState];

export interface TypeBPiccOptions {
	/** PUPI (4 bytes), or a function drawing a new one at every power-up (cards with a random PUPI). */
	readonly pupi?: Uint8Array | (() => Uint8Array);
	/** ATQB application data (4 bytes). */
	readonly applicationData?: Uint8Array;
	readonly afi?: number;
	/** 0..8: FSC 16..256. Default 8 (256). */
	readonly fsci?: number;
	/** 0..14: FWT = 4096/fc × 2^FWI. Default 8 (≈77 ms). */
	readonly fwi?: number;
	/** Extended ATQB byte: SFGI 0..14. Default 0. */
	readonly sfgi?: number;
	/** Default true (FO_CID set). */
	readonly cidSupported?: boolean;
	/** Protocol info byte 1. Default 0x00: 106 kbit/s only, both directions. */
	readonly bitRateCapability?: number;
	/**
	 * When the 13-byte extended ATQB (with SFGI) is sent: only when REQB PARAM b5 says the reader supports it
	 * (ISO 14443-3 as amended), always, or never. Readers differ in what they accept (nfcpy wants ≥ 12 bytes,
	 * the RC-S300 Rust driver ≥ 13), so both must be testable.
	 */
	readonly extendedAtqb?: 'when-requested' | 'always' | 'never';
}

export type TypeBPiccReply =
	| { readonly type: 'frame'; readonly frame: Uint8Array }
	| { readonly type: 'silent'; readonly reason: TypeBSilence | IsoDepSilence };

export const TypeBSilence = {
	noField: 'the field is off',
	badCrc: 'CRC_B error or frame too short',
	unknownCommand: 'not a Type B command in this state',
	malformed: 'command with a wrong length or RFU value',
	afiMismatch: 'REQB for another application family',
	notInState: 'command not accepted in this state',
	otherPupi: 'addressed to another PUPI',
	unsupportedParameter: 'ATTRIB asks for a protocol type or bit rate the card does not have'
} as const;
export type TypeBSilence = (typeof TypeBSilence)[keyof typeof TypeBSilence];

export const TypeBCommand = { reqb: 0x05, attrib: 0x1d, hltb: 0x50, atqb: 0x50 } as const;

const FSC_BY_FSCI = [16, 24, 32, 40, 48, 64, 96, 128, 256] as const;

/** ISO 14443-3 FSCI/FSDI table; codes above 8 are read as 8 (256), as nfcpy does. */
export function frameSizeFromIndex(index: number): number {
	return FSC_BY_FSCI[Math.min(Math.max(0, Math.trunc(index)), 8)]!;
}

/** FWT in milliseconds: 256 × 16 / fc × 2^FWI (fc = 13.56 MHz); FWI 15 is RFU and read as 4. */
export function frameWaitingTimeMs(fwi: number): number {
	const effective = fwi > 14 || fwi < 0 ? 4 : fwi;
	return ((4096 / 13.56e6) * 2 ** effective) * 1000;
}

const PROTOCOL_TYPE_ISO_DEP = 0x01;
const DEFAULT_PUPI = new Uint8Array([0x4d, 0x79, 0x4e, 0x61]);
const DEFAULT_APPLICATION_DATA = new Uint8Array([0x00, 0x00, 0x00, 0x00]);

export class TypeBPicc {
	readonly card: ApduCard;
	readonly #pupiSource: Uint8Array | (() => Uint8Array);
	readonly #applicationData: Uint8Array;
	readonly #afi: number;
	readonly #fsci: number;
	readonly #fwi: number;
	readonly #sfgi: number;
	readonly #cidSupported: boolean;
	readonly #bitRates: number;
	readonly #extendedAtqb: 'when-requested' | 'always' | 'never';
	#state: TypeBPiccState = TypeBPiccState.powerOff;
	#pupi: Uint8Array;
	#engine: IsoDepCardEngine | undefined;
	#attribAnswer: Uint8Array | undefined;
	#corruptCrcs = 0;
	#wtx: { count: number; wtxm: number } | undefined;

	constructor(card: ApduCard, options: TypeBPiccOptions = {}) {
		this.card = card;
		this.#pupiSource = options.pupi ?? DEFAULT_PUPI;
		this.#applicationData = (options.applicationData ?? DEFAULT_APPLICATION_DATA).slice();
		if (this.#applicationData.length !== 4) throw new RangeError('application data is 4 bytes');
		this.#afi = byte(options.afi ?? 0x00, 'AFI');
		this.#fsci = inRange(options.fsci ?? 8, 0, 8, 'FSCI');
		this.#fwi = inRange(options.fwi ?? 8, 0, 14, 'FWI');
		this.#sfgi = inRange(options.sfgi ?? 0, 0, 14, 'SFGI');
		this.#cidSupported = options.cidSupported ?? true;
		this.#bitRates = byte(options.bitRateCapability ?? 0x00, 'bit rate capability');
		this.#extendedAtqb = options.extendedAtqb ?? 'when-requested';
		this.#pupi = this.#drawPupi();
	}

	get state(): TypeBPiccState {
		return this.#state;
	}

	get pupi(): Uint8Array {
		return this.#pupi.slice();
	}

	/** FSC in bytes, from FSCI. */
	get fsc(): number {
		return frameSizeFromIndex(this.#fsci);
	}

	get fwi(): number {
		return this.#fwi;
	}

	/** The ISO-DEP engine while ACTIVE (for inspection in tests). */
	get isoDep(): IsoDepCardEngine | undefined {
		return this.#engine;
	}

	/** The answer to the last accepted ATTRIB (what a reader that activated the card could report). */
	get attribAnswer(): Uint8Array | undefined {
		return this.#attribAnswer?.slice();
	}

	/** The card enters an RF field: powered, IDLE. Nothing happens if it is already powered. */
	fieldOn(): void {
		if (this.#state !== TypeBPiccState.powerOff) return;
		this.#state = TypeBPiccState.idle;
		this.#pupi = this.#drawPupi();
	}

	/** The field goes off (or the card leaves it): everything volatile is lost, the application layer is reset. */
	fieldOff(): void {
		if (this.#state === TypeBPiccState.powerOff) return;
		this.#state = TypeBPiccState.powerOff;
		this.#engine = undefined;
		this.#attribAnswer = undefined;
		this.card.reset();
	}

	/** The next `count` frames the card sends go out with a wrong CRC_B (the reader sees a CRC error). */
	corruptNextCrc(count = 1): void {
		if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
		this.#corruptCrcs += count;
	}

	/** Before its next APDU answer the card sends `count` S(WTX) with this WTXM (kept until the card is ACTIVE). */
	requestWtx(count: number, wtxm: number): void {
		checkWtxRequest(count, wtxm);
		if (this.#engine) this.#engine.requestWtx(count, wtxm);
		else this.#wtx = count === 0 ? undefined : { count, wtxm };
	}

	/** One frame from the reader (CRC_B included); the card's frame (CRC_B included) or silence. */
	async transceive(frame: Uint8Array): Promise<TypeBPiccReply> {
		if (this.#state === TypeBPiccState.powerOff) return silent(TypeBSilence.noField);
		if (!hasValidCrcB(frame)) return silent(TypeBSilence.badCrc);
		const body = frame.subarray(0, frame.length - 2);
		const reply = await this.#handle(body);
		// Taken out of the field while it computed its answer: nothing goes on the air.
		if ((this.#state as TypeBPiccState) === TypeBPiccState.powerOff) return silent(TypeBSilence.noField);
		if (reply.type === 'silent') return reply;
		return { type: 'frame', frame: this.#onAir(reply.frame) };
	}

	async #handle(body: Uint8Array): Promise<TypeBPiccReply> {
		const command = body[0]!;
		if (command === TypeBCommand.hltb && body.length === 5) return this.#hltb(body);
		if (this.#state === TypeBPiccState.active && this.#engine) {
			const reply = await this.#engine.receive(body.slice());
			if (reply.type === 'silent') return reply;
			if (reply.deselected) this.#halt();
			return { type: 'frame', frame: reply.block };
		}
		if (command === TypeBCommand.reqb) return this.#reqb(body);
		if (command === TypeBCommand.attrib) return this.#attrib(body);
		return silent(TypeBSilence.unknownCommand);
	}

	#reqb(body: Uint8Array): TypeBPiccReply {
		if (body.length !== 3) return silent(TypeBSilence.malformed);
		const afi = body[1]!;
		const param = body[2]!;
		if ((param & 0x07) > 4) return silent(TypeBSilence.malformed);
		const wakeUp = (param & 0x08) !== 0;
		const accepted =
			this.#state === TypeBPiccState.idle || this.#state === TypeBPiccState.ready || (wakeUp && this.#state === TypeBPiccState.halt);
		if (!accepted) return silent(TypeBSilence.notInState);
		if (!this.#afiMatches(afi)) return silent(TypeBSilence.afiMismatch);
		this.#state = TypeBPiccState.ready;
		const extended = this.#extendedAtqb === 'always' || (this.#extendedAtqb === 'when-requested' && (param & 0x10) !== 0);
		return { type: 'frame', frame: this.atqb(extended) };
	}

	/** SENSB_RES bytes (without CRC). */
	atqb(extended: boolean): Uint8Array {
		const protocolInfo = [
			this.#bitRates,
			(this.#fsci << 4) | PROTOCOL_TYPE_ISO_DEP,
			(this.#fwi << 4) | (this.#cidSupported ? 0x01 : 0x00)
		];
		if (extended) protocolInfo.push(this.#sfgi << 4);
		return new Uint8Array([TypeBCommand.atqb, ...this.#pupi, ...this.#applicationData, ...protocolInfo]);
	}

	#afiMatches(afi: number): boolean {
		if (afi === 0x00 || afi === this.#afi) return true;
		// A family code with sub-family 0 reaches every sub-family of that family (ISO 14443-3 Table "AFI coding").
		return (afi & 0x0f) === 0 && (afi & 0xf0) === (this.#afi & 0xf0);
	}

	#attrib(body: Uint8Array): TypeBPiccReply {
		if (this.#state !== TypeBPiccState.ready) return silent(TypeBSilence.notInState);
		if (body.length < 9) return silent(TypeBSilence.malformed);
		if (!equalBytes(body.subarray(1, 5), this.#pupi)) return silent(TypeBSilence.otherPupi);
		const param2 = body[6]!;
		const param3 = body[7]!;
		const param4 = body[8]!;
		if ((param3 & 0x0f) !== PROTOCOL_TYPE_ISO_DEP) return silent(TypeBSilence.unsupportedParameter);
		if ((param2 & 0xf0) !== 0 && this.#bitRates === 0) return silent(TypeBSilence.unsupportedParameter);
		const cid = param4 & 0x0f;
		if (cid === 0x0f || (cid !== 0 && !this.#cidSupported)) return silent(TypeBSilence.unsupportedParameter);
		const fsd = frameSizeFromIndex(param2 & 0x0f);
		this.#engine = new IsoDepCardEngine({ card: this.card, fsc: this.fsc, fsd, cid, cidSupported: this.#cidSupported });
		if (this.#wtx) this.#engine.requestWtx(this.#wtx.count, this.#wtx.wtxm);
		this.#wtx = undefined;
		this.#state = TypeBPiccState.active;
		// MBLI 0: no information on the maximum buffer length; the higher-layer response is empty.
		this.#attribAnswer = new Uint8Array([this.#cidSupported ? cid : 0x00]);
		return { type: 'frame', frame: this.#attribAnswer.slice() };
	}

	#hltb(body: Uint8Array): TypeBPiccReply {
		if (this.#state !== TypeBPiccState.ready && this.#state !== TypeBPiccState.active) return silent(TypeBSilence.notInState);
		if (!equalBytes(body.subarray(1, 5), this.#pupi)) return silent(TypeBSilence.otherPupi);
		this.#halt();
		return { type: 'frame', frame: new Uint8Array([0x00]) };
	}

	#halt(): void {
		this.#state = TypeBPiccState.halt;
		this.#engine = undefined;
	}

	#onAir(body: Uint8Array): Uint8Array {
		const frame = appendCrcB(body);
		if (this.#corruptCrcs > 0) {
			this.#corruptCrcs--;
			frame[frame.length - 1]! ^= 0x5a;
		}
		return frame;
	}

	#drawPupi(): Uint8Array {
		const pupi = typeof this.#pupiSource === 'function' ? this.#pupiSource() : this.#pupiSource;
		if (pupi.length !== 4) throw new RangeError('PUPI is 4 bytes');
		return pupi.slice();
	}
}

function silent(reason: TypeBSilence): TypeBPiccReply {
	return { type: 'silent', reason };
}

function byte(value: number, name: string): number {
	return inRange(value, 0, 0xff, name);
}

function inRange(value: number, min: number, max: number, name: string): number {
	if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} is ${min}..${max}`);
	return value;
}
