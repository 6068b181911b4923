import type { ApduCard } from '../../card/apdu-card';
import { UsbClass, type DeviceSpec } from '../../usb/usb-descriptors';
import { STALL, type Stall } from '../../usb/usb-function-model';
import type { TypeBPicc, TypeBPiccOptions } from '../contactless/type-b-picc';
import type { ReaderModel } from '../virtual-reader-model';
import { PORT100_MAX_COMMAND_DATA, Port100ChipsetModel } from './port100-chipset';
import { PORT100_ACK, PORT100_ERROR_FRAME, encodePort100Frame, parsePort100Frame } from './port100-frame';
import { checkTimeScale } from './scaled-delay';
import { checkFaultCount, type SonyReaderFault } from './sony-reader-faults';
import { SonyRfFrontEnd } from './sony-rf-front-end';
import { UsbInQueue } from './usb-in-queue';

/**
 * Sony PaSoRi RC-S380 (NFC Port-100 chipset) on USB: 054C:06C1 (/S) or 054C:06C3 (/P), one vendor-specific
 * interface 0 with bulk OUT EP 2 and bulk IN EP 1 (facts/readers.md §5.1). Every command frame is answered by an
 * ACK frame and then the response frame, each its own IN transfer; an ACK from the host cancels the command in
 * progress (no response follows). The host runs Type B activation and ISO-DEP itself through InCommRF.
 * A frame with a bad checksum or length gets the error frame `00 00 FF FF FF` and no ACK (or nothing at all with
 * `onMalformedFrame: 'silence'`; which one the chip does is UNSURE).
 */

export interface Rcs380ModelOptions {
	/** 0x06C1 (default) or 0x06C3. */
	readonly productId?: 0x06c1 | 0x06c3;
	readonly productName?: string;
	readonly serialNumber?: string;
	/** Multiplies device waits (RF timeouts); 0 in tests means no real waiting. Default 1. */
	readonly timeScale?: number;
	/** The card's Type B parameters (PUPI, FSCI, FWI, …). */
	readonly card?: TypeBPiccOptions;
	/** [major, minor], default [1, 0x11] ("NFC Port-100 v1.11"). */
	readonly firmwareVersion?: readonly [number, number];
	readonly onMalformedFrame?: 'error-frame' | 'silence';
	readonly faults?: readonly SonyReaderFault[];
}

export interface Rcs380Counters {
	/** Bulk OUT transfers (frames) received, well-formed or not. */
	readonly framesIn: number;
	/** IN messages produced: ACKs, responses, error frames. */
	readonly framesOut: number;
	/** InCommRF exchanges that reached the air. */
	readonly rfExchanges: number;
}

export interface Rcs380Model extends ReaderModel {
	readonly counters: Rcs380Counters;
	/** The card on the reader, as the antenna sees it. */
	readonly picc: TypeBPicc | undefined;
	readonly rfFieldOn: boolean;
	injectFault(fault: SonyReaderFault): void;
}

export const Rcs380Endpoint = { bulkOut: 2, bulkIn: 1 } as const;

export function rcs380DeviceSpec(options: Pick<Rcs380ModelOptions, 'productId' | 'productName' | 'serialNumber'> = {}): DeviceSpec {
	return {
		vendorId: 0x054c,
		productId: options.productId ?? 0x06c1,
		manufacturerName: 'SONY',
		productName: options.productName ?? 'RC-S380/P',
		...(options.serialNumber ? { serialNumber: options.serialNumber } : {}),
		configurations: [
			{
				configurationValue: 1,
				interfaces: [
					{
						interfaceNumber: 0,
						alternates: [
							{
								alternateSetting: 0,
								interfaceClass: UsbClass.VendorSpecific,
								interfaceSubclass: 0,
								interfaceProtocol: 0,
								endpoints: [
									{ endpointNumber: Rcs380Endpoint.bulkOut, direction: 'out', type: 'bulk', packetSize: 64 },
									{ endpointNumber: Rcs380Endpoint.bulkIn, direction: 'in', type: 'bulk', packetSize: 64 }
								]
							}
						]
					}
				]
			}
		]
	};
}

export function createRcs380Model(options: Rcs380ModelOptions = {}): Rcs380Model {
	return new Rcs380ReaderModel(options);
}

class Rcs380ReaderModel implements Rcs380Model {
	readonly spec: DeviceSpec;
	readonly #rf: SonyRfFrontEnd;
	readonly #chipset: Port100ChipsetModel;
	readonly #in = new UsbInQueue();
	readonly #silentOnMalformed: boolean;
	#work: Promise<void> = Promise.resolve();
	#cancel = new AbortController();
	#framesIn = 0;
	#framesOut = 0;
	#busy = 0;
	#corrupt = 0;

	constructor(options: Rcs380ModelOptions) {
		this.spec = rcs380DeviceSpec(options);
		this.#rf = new SonyRfFrontEnd(options.card);
		this.#chipset = new Port100ChipsetModel(this.#rf, {
			timeScale: checkTimeScale(options.timeScale ?? 1),
			firmwareVersion: options.firmwareVersion ?? [0x01, 0x11]
		});
		this.#silentOnMalformed = options.onMalformedFrame === 'silence';
		for (const fault of options.faults ?? []) this.injectFault(fault);
	}

	get counters(): Rcs380Counters {
		return { framesIn: this.#framesIn, framesOut: this.#framesOut, rfExchanges: this.#rf.exchanges };
	}

	get picc(): TypeBPicc | undefined {
		return this.#rf.picc;
	}

	get rfFieldOn(): boolean {
		return this.#rf.fieldOn;
	}

	insertCard(card: ApduCard, slot = 0): void {
		checkSlot(slot);
		this.#rf.insertCard(card);
	}

	removeCard(slot = 0): void {
		checkSlot(slot);
		this.#rf.removeCard();
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

	transferOut(endpointNumber: number, data: Uint8Array): void | Stall {
		if (endpointNumber !== Rcs380Endpoint.bulkOut) return STALL;
		this.#framesIn++;
		const parsed = parsePort100Frame(data, PORT100_MAX_COMMAND_DATA);
		if (!parsed.ok) {
			if (!this.#silentOnMalformed) this.#send(PORT100_ERROR_FRAME);
			return;
		}
		const frame = parsed.frame;
		if (frame.type === 'ack') {
			this.#cancel.abort();
			this.#cancel = new AbortController();
			return;
		}
		if (frame.type === 'error') return;
		if (this.#busy > 0) {
			this.#busy--;
			return;
		}
		this.#send(PORT100_ACK);
		const signal = this.#cancel.signal;
		this.#work = this.#work.then(() => this.#run(frame.data, signal));
	}

	async transferIn(endpointNumber: number, _length: number, signal: AbortSignal): Promise<Uint8Array | Stall> {
		if (endpointNumber !== Rcs380Endpoint.bulkIn) return STALL;
		return this.#in.take(signal);
	}

	/** Closing (or unplugging) powers the model down: pending work is cancelled, unread data and chip state lost. */
	closed(): void {
		this.#powerCycle();
	}

	deviceReset(): void {
		this.#powerCycle();
	}

	#powerCycle(): void {
		this.#cancel.abort();
		this.#cancel = new AbortController();
		this.#in.clear();
		this.#chipset.reset();
	}

	async #run(data: Uint8Array, signal: AbortSignal): Promise<void> {
		if (signal.aborted) return;
		let response: Uint8Array | undefined;
		try {
			response = await this.#chipset.execute(data, signal);
		} catch {
			response = undefined;
		}
		if (signal.aborted) return;
		if (!response) {
			this.#send(PORT100_ERROR_FRAME);
			return;
		}
		const frame = encodePort100Frame(response);
		if (this.#corrupt > 0) {
			this.#corrupt--;
			frame[frame.length - 2]! ^= 0xff;
		}
		this.#send(frame);
	}

	#send(message: Uint8Array): void {
		this.#framesOut++;
		this.#in.push(message.slice());
	}
}

function checkSlot(slot: number): void {
	if (slot !== 0) throw new RangeError('the RC-S380 has one field (slot 0)');
}
