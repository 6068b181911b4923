import type { ApduCard } from '../../card/apdu-card';
import type { DeviceSpec } from '../../usb/usb-descriptors';
import { STALL, type Stall } from '../../usb/usb-function-model';
import type { TypeBPicc, TypeBPiccOptions } from '../contactless/type-b-picc';
import type { ReaderModel } from '../virtual-reader-model';
import {
	CCID_HEADER_LENGTH,
	CcidCommandStatus,
	CcidMessageError,
	CcidMessageType,
	CcidSlotError,
	encodeCcidInMessage,
	parseCcidOutMessage,
	type CcidInMessage
} from './rcs300-ccid-message';
import { RCS300_MAX_CCID_MESSAGE_LENGTH, Rcs300Endpoint, rcs300DeviceSpec } from './rcs300-descriptors';
import { Rcs300SessionModel } from './rcs300-session';
import { checkTimeScale } from './scaled-delay';
import { checkFaultCount, type SonyReaderFault } from './sony-reader-faults';
import { SonyRfFrontEnd } from './sony-rf-front-end';
import { UsbInQueue } from './usb-in-queue';

/**
 * Sony PaSoRi RC-S300 (/S 054C:0DC8, /P 054C:0DC9) on USB. Interface 1 (vendor class, bulk OUT 0x02 / IN 0x82)
 * carries PC_to_RDR_Escape → RDR_to_PC_Escape messages, bSeq echoed, whose payloads the transparent-session
 * model answers (see rcs300-session.ts). Interface 0 is the CCID interface (class 0x0B, which a normal page
 * cannot claim); its endpoints go to `ccidInterface`, by default a stub that stalls both bulk endpoints and never
 * sends a slot-change interrupt, until the CCID reader model is wired in.
 * Malformed CCID messages: under 10 bytes are dropped; a dwLength that does not match or is too long, or a slot
 * other than 0, gets a failed RDR_to_PC_Escape (bError 01 / 05); other message types a failed SlotStatus
 * (bError 00, command not supported).
 */

/** The device side of interface 0, to be provided by the CCID reader model. */
export interface Rcs300CcidInterface {
	transferOut(endpointNumber: number, data: Uint8Array): Promise<void | Stall> | void | Stall;
	transferIn(endpointNumber: number, length: number, signal: AbortSignal): Promise<Uint8Array | Stall>;
	/** The card placed on the reader (undefined: taken away); both interfaces share the one antenna. */
	cardChanged?(card: ApduCard | undefined): void;
	closed?(): void;
}

/** Interface 0 until the CCID model is wired in: bulk transfers stall, the interrupt endpoint stays quiet. */
export function createRcs300CcidStub(): Rcs300CcidInterface {
	return {
		transferOut: () => STALL,
		transferIn: (endpointNumber, _length, signal) =>
			endpointNumber === Rcs300Endpoint.ccidInterruptIn
				? new Promise<Uint8Array>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
				: Promise.resolve(STALL)
	};
}

export interface Rcs300ModelOptions {
	/** 'S' → 054C:0DC8 (default), 'P' → 054C:0DC9. */
	readonly variant?: 'S' | 'P';
	readonly serialNumber?: string;
	/** What the reader does after a switch to Type B layer 4 (UNSURE in the facts). Default 'reader-sends'. */
	readonly layer4Attrib?: 'reader-sends' | 'host-must-send';
	/** Outer SW of an FF 50 answer whose C0 reports an error. Default 'always-9000'. */
	readonly errorSw?: 'always-9000' | 'mirror-status';
	/** Multiplies device waits (RF timeouts); 0 in tests means no real waiting. Default 1. */
	readonly timeScale?: number;
	readonly card?: TypeBPiccOptions;
	/** `FF 56 00 00` answer (4 bytes before the SW); default 01 00 00 00. */
	readonly firmwareVersion?: Uint8Array;
	/** Largest CCID message on interface 1; not in the facts, default 522 as on interface 0. */
	readonly maxMessageLength?: number;
	readonly ccidInterface?: Rcs300CcidInterface;
	readonly faults?: readonly SonyReaderFault[];
}

export interface Rcs300Counters {
	/** Bulk OUT transfers on interface 1. */
	readonly framesIn: number;
	/** IN messages produced on interface 1. */
	readonly framesOut: number;
	/** Transceive exchanges that reached the air. */
	readonly rfExchanges: number;
}

export interface Rcs300Model extends ReaderModel {
	readonly counters: Rcs300Counters;
	readonly picc: TypeBPicc | undefined;
	readonly rfFieldOn: boolean;
	readonly inSession: boolean;
	injectFault(fault: SonyReaderFault): void;
}

export function createRcs300Model(options: Rcs300ModelOptions = {}): Rcs300Model {
	return new Rcs300ReaderModel(options);
}

class Rcs300ReaderModel implements Rcs300Model {
	readonly spec: DeviceSpec;
	readonly #rf: SonyRfFrontEnd;
	readonly #session: Rcs300SessionModel;
	readonly #ccid: Rcs300CcidInterface;
	readonly #in = new UsbInQueue();
	readonly #maxPayload: number;
	#work: Promise<void> = Promise.resolve();
	#cancel = new AbortController();
	#framesIn = 0;
	#framesOut = 0;
	#busy = 0;
	#corrupt = 0;

	constructor(options: Rcs300ModelOptions) {
		this.spec = rcs300DeviceSpec({ variant: options.variant, serialNumber: options.serialNumber });
		this.#rf = new SonyRfFrontEnd(options.card);
		this.#session = new Rcs300SessionModel(this.#rf, {
			layer4Attrib: options.layer4Attrib ?? 'reader-sends',
			errorSw: options.errorSw ?? 'always-9000',
			timeScale: checkTimeScale(options.timeScale ?? 1),
			firmwareVersion: (options.firmwareVersion ?? new Uint8Array([0x01, 0x00, 0x00, 0x00])).slice()
		});
		const maxMessage = options.maxMessageLength ?? RCS300_MAX_CCID_MESSAGE_LENGTH;
		if (!Number.isInteger(maxMessage) || maxMessage < CCID_HEADER_LENGTH + 4) throw new RangeError('maxMessageLength is too small');
		this.#maxPayload = maxMessage - CCID_HEADER_LENGTH;
		this.#ccid = options.ccidInterface ?? createRcs300CcidStub();
		for (const fault of options.faults ?? []) this.injectFault(fault);
	}

	get counters(): Rcs300Counters {
		return { framesIn: this.#framesIn, framesOut: this.#framesOut, rfExchanges: this.#rf.exchanges };
	}

	get picc(): TypeBPicc | undefined {
		return this.#rf.picc;
	}

	get rfFieldOn(): boolean {
		return this.#rf.fieldOn;
	}

	get inSession(): boolean {
		return this.#session.inSession;
	}

	insertCard(card: ApduCard, slot = 0): void {
		checkSlot(slot);
		this.#rf.insertCard(card);
		this.#ccid.cardChanged?.(card);
	}

	removeCard(slot = 0): void {
		checkSlot(slot);
		this.#rf.removeCard();
		this.#ccid.cardChanged?.(undefined);
	}

	hasCard(slot = 0): boolean {
		checkSlot(slot);
		return this.#rf.picc !== undefined;
	}

	injectFault(fault: SonyReaderFault): void {
		if (this.#rf.applyFault(fault)) return;
		if (fault.type === 'busy') this.#busy += checkFaultCount(fault.count, 'count');
		else if (fault.type === 'corrupt-frame') this.#corrupt++;
	}

	transferOut(endpointNumber: number, data: Uint8Array): Promise<void | Stall> | void | Stall {
		if (endpointNumber === Rcs300Endpoint.ccidBulkOut) return this.#ccid.transferOut(endpointNumber, data);
		if (endpointNumber !== Rcs300Endpoint.vendorBulkOut) return STALL;
		this.#framesIn++;
		const parsed = parseCcidOutMessage(data, this.#maxPayload);
		if (!parsed.ok) {
			if (parsed.reason === CcidMessageError.tooShort || !parsed.header) return;
			const header = parsed.header;
			const type = header.type === CcidMessageType.pcToRdrEscape ? CcidMessageType.rdrToPcEscape : CcidMessageType.rdrToPcSlotStatus;
			this.#reply({ type, slot: header.slot, seq: header.seq, status: CcidCommandStatus.failed, error: CcidSlotError.wrongLength });
			return;
		}
		const message = parsed.message;
		const failed = (type: number, error: number) =>
			this.#reply({ type, slot: message.slot, seq: message.seq, status: CcidCommandStatus.failed, error });
		if (message.type !== CcidMessageType.pcToRdrEscape) return failed(CcidMessageType.rdrToPcSlotStatus, CcidSlotError.commandNotSupported);
		if (message.slot !== 0) return failed(CcidMessageType.rdrToPcEscape, CcidSlotError.invalidSlot);
		if (this.#busy > 0) {
			this.#busy--;
			return failed(CcidMessageType.rdrToPcEscape, CcidSlotError.slotBusy);
		}
		const signal = this.#cancel.signal;
		this.#work = this.#work.then(() => this.#run(message.seq, message.payload, signal));
	}

	transferIn(endpointNumber: number, length: number, signal: AbortSignal): Promise<Uint8Array | Stall> {
		if (endpointNumber === Rcs300Endpoint.ccidBulkIn || endpointNumber === Rcs300Endpoint.ccidInterruptIn) {
			return this.#ccid.transferIn(endpointNumber, length, signal);
		}
		if (endpointNumber !== Rcs300Endpoint.vendorBulkIn) return Promise.resolve(STALL);
		return this.#in.take(signal);
	}

	/** Closing (or unplugging) powers the model down: pending work is cancelled, unread data and session lost. */
	closed(): void {
		this.#powerCycle();
		this.#ccid.closed?.();
	}

	deviceReset(): void {
		this.#powerCycle();
	}

	#powerCycle(): void {
		this.#cancel.abort();
		this.#cancel = new AbortController();
		this.#in.clear();
		this.#session.reset();
	}

	async #run(seq: number, payload: Uint8Array, signal: AbortSignal): Promise<void> {
		if (signal.aborted) return;
		let answer: Uint8Array | undefined;
		try {
			answer = await this.#session.handle(payload, signal);
		} catch {
			answer = undefined;
		}
		if (signal.aborted) return;
		if (!answer) {
			this.#reply({ type: CcidMessageType.rdrToPcEscape, slot: 0, seq, status: CcidCommandStatus.failed, error: CcidSlotError.hardwareError });
			return;
		}
		this.#reply({ type: CcidMessageType.rdrToPcEscape, slot: 0, seq, status: CcidCommandStatus.ok, error: 0, payload: answer });
	}

	#reply(message: CcidInMessage): void {
		const bytes = encodeCcidInMessage(message);
		if (this.#corrupt > 0) {
			this.#corrupt--;
			bytes[1] = (bytes[1]! + 1) & 0xff;
		}
		this.#framesOut++;
		this.#in.push(bytes);
	}
}

function checkSlot(slot: number): void {
	if (slot !== 0) throw new RangeError('the RC-S300 has one field (slot 0)');
}
