import { concatBytes, readUint32LE } from '../../../bytes';
import { appendCrcB, hasValidCrcB } from '../contactless/crc-b';
import { encodeDataObject, parseDataObjects, parseEscapeApdu, type DataObject, type EscapeApdu } from './rcs300-escape';
import { scaledDelay } from './scaled-delay';
import type { SonyRfFrontEnd } from './sony-rf-front-end';

/**
 * What the RC-S300 does with an escape payload (facts/rcs300.md §1–§3): Sony's `FF 50 00 P2` transparent-session
 * commands, GET DATA `FF CA` and the firmware version `FF 56`.
 *
 * `FF 50` answers: a status object `C0 03 XX SW1 SW2` first, then the objects the command produced, then the
 * reader's SW. XX is 00 when all went well, else the 1-based number of the data object that failed, and the SW
 * says why (PC/SC Part 3 generic error status, as ACS and Identiv implement it): 6A81 object not supported,
 * 6700 unexpected length, 6A80 unexpected value, 6401 no response from the card, 6F00 failed (here: no session or
 * no protocol). Processing stops at the failing object. The outer SW is 90 00 (facts/rcs300.md §1.1); with
 * `errorSw: 'mirror-status'` it repeats the failing SW instead (which the facts cannot rule out).
 *
 * Modelling choices (UNSURE in the facts, chosen to be plausible and testable):
 * - `layer4Attrib`: after `8F 02 01 04` either the reader has done REQB + ATTRIB (`reader-sends`: the card is
 *   ISO-DEP active; FSDI and CID from the FF 6E objects, CID 0 by default; a `5F 51` PC/SC ATR follows C0) or it
 *   has not (`host-must-send`: the host sends REQB and ATTRIB through transceive at layer 3 or 4).
 * - Every protocol switch restarts the field (the card returns to IDLE and is reset) and restores the flags and
 *   bit framing of that protocol: Type B `90` = 0x001C (CRC on, no parity, no prologue).
 * - Transceive sends the frame with CRC_B unless flag 0x0001 is set, checks and strips the card's CRC unless flag
 *   0x0002 is set (a bad CRC fails the object with 6F00 and `96 02 01 00`), and answers `92 01 00`,
 *   `96 02 00 00`, `97 <BER length> <frame>`. A silent card fails the object with 6401 after the timer
 *   (`5F 46`, µs LE; 100 ms until one is given). A partial last byte (`91` ≠ 0) or another protocol does not reach
 *   the Type B card.
 * - GET DATA `FF CA 00 00` answers the PUPI, `FF CA 01 00` the ATTRIB answer, both from what the reader itself
 *   learned at layer-4 activation (a cache: it does not notice removal); without that, and for other P1, 6A81.
 * - `FF 56` answers four version bytes. Other INS 6D00, CLA other than FF 6E00, bad lengths 6700, FF 50 with P1 ≠ 0
 *   6A86 and unknown P2 6A81.
 */

export const Rcs300Tag = {
	status: 0xc0,
	startSession: 0x81,
	endSession: 0x82,
	rfOff: 0x83,
	rfOn: 0x84,
	switchProtocol: 0x8f,
	flags: 0x90,
	txBitFraming: 0x91,
	rxBitFraming: 0x92,
	transceive: 0x95,
	responseStatus: 0x96,
	responseData: 0x97,
	timer: 0x5f46,
	atr: 0x5f51,
	vendor: 0xff6e
} as const;

/** `8F` protocol byte. */
export const Rcs300Protocol = { iso14443a: 0x00, iso14443b: 0x01, iso15693: 0x02, felica: 0x03 } as const;

/** `90` flag bits: a set bit disables. */
export const Rcs300Flag = { appendCrc: 0x0001, discardCrc: 0x0002, insertParity: 0x0004, expectParity: 0x0008, appendPrologue: 0x0010 } as const;

export const Rcs300Sw = {
	ok: 0x9000,
	wrongLength: 0x6700,
	notSupported: 0x6a81,
	wrongValue: 0x6a80,
	wrongP1P2: 0x6a86,
	wrongP1P2GetData: 0x6b00,
	noResponse: 0x6401,
	failed: 0x6f00,
	insNotSupported: 0x6d00,
	claNotSupported: 0x6e00
} as const;

const DEFAULT_TIMER_US = 100_000;
const DEFAULT_FSDI = 8;
const DEFAULT_CID = 0;
const FLAG_PRESETS: Record<number, number> = {
	[Rcs300Protocol.iso14443a]: 0x0010,
	[Rcs300Protocol.iso14443b]: 0x001c,
	[Rcs300Protocol.iso15693]: 0x001c,
	[Rcs300Protocol.felica]: 0x001c
};

export interface Rcs300SessionOptions {
	readonly layer4Attrib: 'reader-sends' | 'host-must-send';
	readonly errorSw: 'always-9000' | 'mirror-status';
	readonly timeScale: number;
	readonly firmwareVersion: Uint8Array;
}

interface Activation {
	readonly pupi: Uint8Array;
	readonly atqb: Uint8Array;
	readonly attribAnswer: Uint8Array;
}

type ObjectOutcome = { readonly ok: true; readonly output?: Uint8Array[] } | { readonly ok: false; readonly sw: number; readonly output?: Uint8Array[] };

export class Rcs300SessionModel {
	readonly #rf: SonyRfFrontEnd;
	readonly #options: Rcs300SessionOptions;
	#inSession = false;
	#protocol: { type: number; layer: number } | undefined;
	#flags = 0;
	#txBits = 0;
	#timerUs = DEFAULT_TIMER_US;
	#fsdi = DEFAULT_FSDI;
	#cid = DEFAULT_CID;
	#activation: Activation | undefined;

	constructor(rf: SonyRfFrontEnd, options: Rcs300SessionOptions) {
		this.#rf = rf;
		this.#options = options;
	}

	get inSession(): boolean {
		return this.#inSession;
	}

	/** Power-up state: no session, field off, nothing cached. */
	reset(): void {
		this.#inSession = false;
		this.#protocol = undefined;
		this.#flags = 0;
		this.#txBits = 0;
		this.#timerUs = DEFAULT_TIMER_US;
		this.#fsdi = DEFAULT_FSDI;
		this.#cid = DEFAULT_CID;
		this.#activation = undefined;
		this.#rf.setField(false);
	}

	/** One escape payload in, the reader's answer (ending in SW1 SW2) out. */
	async handle(payload: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
		const parsed = parseEscapeApdu(payload);
		if (!parsed.ok) return sw(Rcs300Sw.wrongLength);
		const apdu = parsed.apdu;
		if (apdu.cla !== 0xff) return sw(Rcs300Sw.claNotSupported);
		switch (apdu.ins) {
			case 0x50:
				return this.#sessionCommand(apdu, signal);
			case 0xca:
				return this.#getData(apdu);
			case 0x56:
				return concatBytes(this.#options.firmwareVersion, sw(Rcs300Sw.ok));
			default:
				return sw(Rcs300Sw.insNotSupported);
		}
	}

	async #sessionCommand(apdu: EscapeApdu, signal: AbortSignal): Promise<Uint8Array> {
		if (apdu.p1 !== 0x00) return sw(Rcs300Sw.wrongP1P2);
		if (apdu.p2 > 0x02) return sw(Rcs300Sw.notSupported);
		const objects = parseDataObjects(apdu.data);
		if (!objects.ok) return this.#answer([], { index: objects.index, sw: Rcs300Sw.wrongLength });
		const outputs: Uint8Array[] = [];
		for (let i = 0; i < objects.objects.length; i++) {
			const object = objects.objects[i]!;
			const outcome =
				apdu.p2 === 0x00
					? this.#manage(object)
					: apdu.p2 === 0x01
						? await this.#exchange(object, signal)
						: await this.#switch(object);
			outputs.push(...(outcome.output ?? []));
			if (!outcome.ok) return this.#answer(outputs, { index: i + 1, sw: outcome.sw });
		}
		return this.#answer(outputs);
	}

	#answer(outputs: Uint8Array[], error?: { index: number; sw: number }): Uint8Array {
		const status = error ?? { index: 0, sw: Rcs300Sw.ok };
		const c0 = encodeDataObject(Rcs300Tag.status, new Uint8Array([status.index, status.sw >> 8, status.sw & 0xff]));
		const outer = error && this.#options.errorSw === 'mirror-status' ? error.sw : Rcs300Sw.ok;
		return concatBytes(c0, ...outputs, sw(outer));
	}

	#manage(object: DataObject): ObjectOutcome {
		switch (object.tag) {
			case Rcs300Tag.startSession:
			case Rcs300Tag.endSession:
			case Rcs300Tag.rfOff:
			case Rcs300Tag.rfOn:
				if (object.value.length !== 0) return fail(Rcs300Sw.wrongLength);
				return this.#manageAction(object.tag);
			case Rcs300Tag.timer:
				return this.#timer(object);
			case Rcs300Tag.vendor:
				return this.#vendor(object);
			default:
				return fail(Rcs300Sw.notSupported);
		}
	}

	#manageAction(tag: number): ObjectOutcome {
		if (tag === Rcs300Tag.startSession) {
			this.#inSession = true;
			return OK;
		}
		if (tag === Rcs300Tag.endSession) {
			// The reader goes back to polling on its own: the transparent state is gone.
			this.#inSession = false;
			this.#protocol = undefined;
			this.#activation = undefined;
			this.#rf.setField(false);
			return OK;
		}
		if (!this.#inSession) return fail(Rcs300Sw.failed);
		this.#activation = undefined;
		this.#rf.setField(tag === Rcs300Tag.rfOn);
		return OK;
	}

	#timer(object: DataObject): ObjectOutcome {
		if (object.value.length !== 4) return fail(Rcs300Sw.wrongLength);
		this.#timerUs = readUint32LE(object.value, 0);
		return OK;
	}

	/** `FF 6E` holds one level of sub-objects: 01 FSDI, 08 CID, 05 speed (only 106 kbit/s is modelled; ignored). */
	#vendor(object: DataObject): ObjectOutcome {
		const inner = parseDataObjects(object.value);
		if (!inner.ok) return fail(Rcs300Sw.wrongLength);
		for (const sub of inner.objects) {
			if (sub.value.length !== 1) return fail(Rcs300Sw.wrongLength);
			const value = sub.value[0]!;
			if (sub.tag === 0x01) {
				if (value > 8) return fail(Rcs300Sw.wrongValue);
				this.#fsdi = value;
			} else if (sub.tag === 0x08) {
				if (value > 14) return fail(Rcs300Sw.wrongValue);
				this.#cid = value;
			} else if (sub.tag !== 0x05) {
				return fail(Rcs300Sw.notSupported);
			}
		}
		return OK;
	}

	async #switch(object: DataObject): Promise<ObjectOutcome> {
		if (object.tag === Rcs300Tag.vendor) return this.#vendor(object);
		if (object.tag !== Rcs300Tag.switchProtocol) return fail(Rcs300Sw.notSupported);
		if (!this.#inSession) return fail(Rcs300Sw.failed);
		if (object.value.length !== 2) return fail(Rcs300Sw.wrongLength);
		const [type, layer] = [object.value[0]!, object.value[1]!];
		if (!validProtocol(type, layer)) return fail(Rcs300Sw.wrongValue);
		this.#protocol = { type, layer };
		this.#flags = FLAG_PRESETS[type]!;
		this.#txBits = 0;
		this.#activation = undefined;
		this.#rf.resetField();
		const readerActivates =
			(type === Rcs300Protocol.iso14443a && layer === 4) ||
			(type === Rcs300Protocol.felica && layer === 1) ||
			(type === Rcs300Protocol.iso14443b && layer === 4 && this.#options.layer4Attrib === 'reader-sends');
		if (!readerActivates) return OK;
		// Only a Type B card is modelled: Type A (RATS) and FeliCa polling never find one.
		if (type !== Rcs300Protocol.iso14443b) return fail(Rcs300Sw.noResponse);
		const activation = await this.#activateTypeB();
		if (!activation) return fail(Rcs300Sw.noResponse);
		this.#activation = activation;
		return { ok: true, output: [encodeDataObject(Rcs300Tag.atr, typeBAtr(activation))] };
	}

	async #activateTypeB(): Promise<Activation | undefined> {
		const atqbReply = await this.#rf.exchangeForReader(appendCrcB(new Uint8Array([0x05, 0x00, 0x00])));
		if (atqbReply.type !== 'frame' || !hasValidCrcB(atqbReply.frame)) return undefined;
		const atqb = atqbReply.frame.slice(0, -2);
		if (atqb.length < 12 || atqb[0] !== 0x50) return undefined;
		const pupi = atqb.slice(1, 5);
		const cidSupported = (atqb[11]! & 0x01) !== 0;
		const attrib = new Uint8Array([0x1d, ...pupi, 0x00, this.#fsdi, atqb[10]! & 0x0f, cidSupported ? this.#cid : 0]);
		const attribReply = await this.#rf.exchangeForReader(appendCrcB(attrib));
		if (attribReply.type !== 'frame' || !hasValidCrcB(attribReply.frame) || attribReply.frame.length < 3) return undefined;
		return { pupi, atqb, attribAnswer: attribReply.frame.slice(0, -2) };
	}

	async #exchange(object: DataObject, signal: AbortSignal): Promise<ObjectOutcome> {
		switch (object.tag) {
			case Rcs300Tag.flags:
				if (object.value.length !== 2) return fail(Rcs300Sw.wrongLength);
				this.#flags = (object.value[0]! << 8) | object.value[1]!;
				return OK;
			case Rcs300Tag.txBitFraming:
				if (object.value.length !== 1) return fail(Rcs300Sw.wrongLength);
				if (object.value[0]! > 7) return fail(Rcs300Sw.wrongValue);
				this.#txBits = object.value[0]!;
				return OK;
			case Rcs300Tag.timer:
				return this.#timer(object);
			case Rcs300Tag.transceive:
				return this.#transceive(object.value, signal);
			default:
				return fail(Rcs300Sw.notSupported);
		}
	}

	async #transceive(frame: Uint8Array, signal: AbortSignal): Promise<ObjectOutcome> {
		if (!this.#inSession || !this.#protocol) return fail(Rcs300Sw.failed);
		if (frame.length === 0) return fail(Rcs300Sw.wrongLength);
		const reachesCard = this.#protocol.type === Rcs300Protocol.iso14443b && this.#txBits === 0;
		const air = (this.#flags & Rcs300Flag.appendCrc) === 0 ? appendCrcB(frame) : frame;
		const result = reachesCard ? await this.#rf.exchange(air) : ({ type: 'silent' } as const);
		if (result.type === 'silent') {
			await scaledDelay(this.#timerUs / 1000, this.#options.timeScale, signal);
			return fail(Rcs300Sw.noResponse);
		}
		let data = result.frame;
		if ((this.#flags & Rcs300Flag.discardCrc) === 0) {
			if (!hasValidCrcB(data)) return { ok: false, sw: Rcs300Sw.failed, output: [encodeDataObject(Rcs300Tag.responseStatus, new Uint8Array([0x01, 0x00]))] };
			data = data.subarray(0, data.length - 2);
		}
		return {
			ok: true,
			output: [
				encodeDataObject(Rcs300Tag.rxBitFraming, new Uint8Array([0x00])),
				encodeDataObject(Rcs300Tag.responseStatus, new Uint8Array([0x00, 0x00])),
				encodeDataObject(Rcs300Tag.responseData, data)
			]
		};
	}

	#getData(apdu: EscapeApdu): Uint8Array {
		if (apdu.data.length > 0) return sw(Rcs300Sw.wrongLength);
		if (apdu.p2 !== 0x00) return sw(Rcs300Sw.wrongP1P2GetData);
		const activation = this.#activation;
		const value = apdu.p1 === 0x00 ? activation?.pupi : apdu.p1 === 0x01 ? activation?.attribAnswer : undefined;
		if (!value) return sw(Rcs300Sw.notSupported);
		if (apdu.ne !== undefined && apdu.ne < value.length) return sw(0x6c00 | value.length);
		return concatBytes(value, sw(Rcs300Sw.ok));
	}
}

const OK: ObjectOutcome = { ok: true };

function fail(code: number): ObjectOutcome {
	return { ok: false, sw: code };
}

function sw(code: number): Uint8Array {
	return new Uint8Array([code >> 8, code & 0xff]);
}

function validProtocol(type: number, layer: number): boolean {
	if (type === Rcs300Protocol.iso14443a || type === Rcs300Protocol.iso14443b) return layer >= 2 && layer <= 4;
	if (type === Rcs300Protocol.iso15693) return layer === 2 || layer === 3;
	if (type === Rcs300Protocol.felica) return layer === 0 || layer === 1;
	return false;
}

/**
 * The ATR a PC/SC reader builds for an ISO 14443-4 Type B card (PC/SC Part 3 §3.1.3.2.3.2; INFERENCE for the
 * RC-S300): 3B 88 80 01, historical bytes = ATQB application data (4), protocol info (3), MBLI << 4; then TCK.
 */
export function typeBAtr(activation: { atqb: Uint8Array; attribAnswer: Uint8Array }): Uint8Array {
	const historical = [...activation.atqb.subarray(5, 12), (activation.attribAnswer[0]! >> 4) << 4];
	const body = [0x88, 0x80, 0x01, ...historical];
	const tck = body.reduce((x, b) => x ^ b, 0);
	return new Uint8Array([0x3b, ...body, tck]);
}
