import type { ApduCard } from '../../card/apdu-card';
import { checkWtxRequest } from '../contactless/iso-dep-card-engine';
import { TypeBPicc, type TypeBPiccOptions } from '../contactless/type-b-picc';
import { checkFaultCount, type SonyReaderFault } from './sony-reader-faults';

export type RfExchangeResult = { readonly type: 'frame'; readonly frame: Uint8Array } | { readonly type: 'silent' };

/**
 * The antenna side shared by the Sony models: the RF field, the card placed on the reader (as a Type B PICC) and
 * the card-level faults. Frames are exchanged as on air (CRC_B included); a missing card is silence.
 */
export class SonyRfFrontEnd {
	readonly #piccOptions: TypeBPiccOptions;
	#picc: TypeBPicc | undefined;
	#fieldOn = false;
	#exchanges = 0;
	#removeAfter: number | undefined;
	#wtx: { count: number; wtxm: number } | undefined;
	#crcErrors = 0;

	constructor(piccOptions: TypeBPiccOptions = {}) {
		this.#piccOptions = piccOptions;
	}

	get picc(): TypeBPicc | undefined {
		return this.#picc;
	}

	get fieldOn(): boolean {
		return this.#fieldOn;
	}

	/** RF exchanges the host asked for (InCommRF, transceive); the reader's own activation frames are not counted. */
	get exchanges(): number {
		return this.#exchanges;
	}

	insertCard(card: ApduCard): void {
		this.removeCard();
		const picc = new TypeBPicc(card, this.#piccOptions);
		this.#picc = picc;
		if (this.#fieldOn) picc.fieldOn();
		if (this.#wtx) picc.requestWtx(this.#wtx.count, this.#wtx.wtxm);
		if (this.#crcErrors > 0) picc.corruptNextCrc(this.#crcErrors);
		this.#wtx = undefined;
		this.#crcErrors = 0;
	}

	removeCard(): void {
		this.#picc?.fieldOff();
		this.#picc = undefined;
	}

	setField(on: boolean): void {
		this.#fieldOn = on;
		if (on) this.#picc?.fieldOn();
		else this.#picc?.fieldOff();
	}

	/** Field off and on again: the card restarts in IDLE. */
	resetField(): void {
		this.setField(false);
		this.setField(true);
	}

	/** Takes the faults that act on the card; returns false for the ones the USB side handles. */
	applyFault(fault: SonyReaderFault): boolean {
		switch (fault.type) {
			case 'remove-card':
				checkFaultCount(fault.afterExchanges, 'afterExchanges');
				if (fault.afterExchanges === 0) this.removeCard();
				else this.#removeAfter = fault.afterExchanges;
				return true;
			case 'wtx-storm': {
				const wtxm = fault.wtxm ?? 1;
				checkWtxRequest(fault.count, wtxm);
				if (this.#picc) this.#picc.requestWtx(fault.count, wtxm);
				else this.#wtx = { count: fault.count, wtxm };
				return true;
			}
			case 'crc-error': {
				const count = checkFaultCount(fault.count ?? 1, 'count');
				if (this.#picc) this.#picc.corruptNextCrc(count);
				else this.#crcErrors += count;
				return true;
			}
			default:
				return false;
		}
	}

	/** One frame the host asked to send; counts towards `remove-card`. */
	async exchange(frame: Uint8Array): Promise<RfExchangeResult> {
		this.#exchanges++;
		const result = await this.exchangeForReader(frame);
		if (this.#removeAfter !== undefined && --this.#removeAfter <= 0) {
			this.#removeAfter = undefined;
			this.removeCard();
		}
		return result;
	}

	/** A frame the reader sends on its own (activation at layer 4); not counted. */
	async exchangeForReader(frame: Uint8Array): Promise<RfExchangeResult> {
		if (!this.#fieldOn || !this.#picc) return { type: 'silent' };
		const reply = await this.#picc.transceive(frame);
		return reply.type === 'frame' ? { type: 'frame', frame: reply.frame } : { type: 'silent' };
	}
}
