import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { raceAbort } from './abortable-wait';
import { decodeIsoDepBlock, encodeIsoDepBlock, type BlockNumber, type IsoDepBlock } from './iso-dep-block';
import { IsoDepTiming } from './iso-dep-parameters';
import { RfFailure, rfFailureOf } from './rf-link-error';
import { SerialQueue } from './serial-queue';

/**
 * One frame to the card and its answer, without EDC (the chip adds and checks CRC_B). A link reports RF failures
 * with `rfTimeoutError()` / `rfTransmissionError()`; anything else it throws ends the exchange.
 */
export type IsoDepFrameExchange = (frame: Uint8Array, timeoutMs: number, signal?: AbortSignal) => Promise<Uint8Array>;

export interface IsoDepOptions {
	/** FSC: the largest frame the card accepts, PCB to EDC, already clamped to what the reader can send. */
	fsc: number;
	/** FSD: the largest frame the reader receives, PCB to EDC, as announced in ATTRIB. */
	fsd: number;
	/** FWT from the card's FWI. Every wait is FWT + ΔFWT, or WTXM × FWT (at most FWT for FWI 14) + ΔFWT. */
	fwtMs: number;
	/** The CID to carry in every block; leave out when the card does not support CID or its CID is 0. */
	cid?: number;
	/** Retransmissions (R(NAK), R(ACK), I-block) per block before giving up; ISO/IEC 14443-4 leaves the count to the reader. */
	maxRetries?: number;
	/** S(WTX) requests answered for one block before giving up. */
	maxWaitingTimeExtensions?: number;
	/** Longest command accepted: a short APDU (4 + 1 + 255 + 1). */
	maxCommandLength?: number;
	/** Longest response accepted: 256 data bytes + SW1 SW2. */
	maxResponseLength?: number;
}

export const IsoDepDefaults = {
	maxRetries: 2,
	maxWaitingTimeExtensions: 60,
	maxCommandLength: 261,
	maxResponseLength: 258
} as const;

export type IsoDepPresence = 'present' | 'absent';

type Outcome = { block: IsoDepBlock } | { failure: RfFailure | 'invalid' };

function interrupted(): MynaError {
	return new MynaError(ErrorKind.Protocol, 'The exchange with the card was interrupted; activate the card again.');
}

/**
 * The ISO/IEC 14443-4 half-duplex block protocol, reader side (PCD rules 1–8 of §7.5.4, error recovery of §7.5.5),
 * over an injected frame exchange. One instance per activated card: block numbers start at 0.
 *
 * Commands run one at a time. An abort before the first block goes out leaves the card untouched; an abort after
 * that rejects at once, while the exchange finishes in the background (bounded by the waits above) so the card
 * never sees half a command and the next one finds the block numbers in step.
 */
export class IsoDepProtocol {
	readonly #exchange: IsoDepFrameExchange;
	readonly #fsc: number;
	readonly #fsd: number;
	readonly #fwtMs: number;
	readonly #cid: number | undefined;
	readonly #maxRetries: number;
	readonly #maxWtx: number;
	readonly #maxCommand: number;
	readonly #maxResponse: number;
	readonly #queue = new SerialQueue();
	#blockNumber: BlockNumber = 0;
	#broken: MynaError | undefined;

	constructor(exchange: IsoDepFrameExchange, options: IsoDepOptions) {
		const cidBytes = options.cid === undefined ? 0 : 1;
		if (!Number.isInteger(options.fsc) || options.fsc < 16 || options.fsc > 4096) {
			throw new MynaError(ErrorKind.Internal, 'FSC out of range', { fsc: options.fsc });
		}
		if (!Number.isInteger(options.fsd) || options.fsd < 16 || options.fsd > 4096) {
			throw new MynaError(ErrorKind.Internal, 'FSD out of range', { fsd: options.fsd });
		}
		if (!(options.fwtMs > 0)) throw new MynaError(ErrorKind.Internal, 'FWT must be positive', { fwtMs: options.fwtMs });
		if (options.cid !== undefined && (!Number.isInteger(options.cid) || options.cid < 0 || options.cid > 14)) {
			throw new MynaError(ErrorKind.Internal, 'CID out of range', { cid: options.cid });
		}
		this.#exchange = exchange;
		this.#fsc = options.fsc - cidBytes;
		this.#fsd = options.fsd;
		this.#fwtMs = options.fwtMs;
		this.#cid = options.cid;
		this.#maxRetries = options.maxRetries ?? IsoDepDefaults.maxRetries;
		this.#maxWtx = options.maxWaitingTimeExtensions ?? IsoDepDefaults.maxWaitingTimeExtensions;
		this.#maxCommand = options.maxCommandLength ?? IsoDepDefaults.maxCommandLength;
		this.#maxResponse = options.maxResponseLength ?? IsoDepDefaults.maxResponseLength;
	}

	/** The reader's current block number (the one its next I-block carries). */
	get blockNumber(): BlockNumber {
		return this.#blockNumber;
	}

	/** Set once the card is gone, deselected, or an exchange broke off mid-command; no further command is sent. */
	get broken(): boolean {
		return this.#broken !== undefined;
	}

	/** The wait for an ordinary answer: FWT + ΔFWT. */
	get waitMs(): number {
		return this.#fwtMs + IsoDepTiming.deltaFwtMs;
	}

	/** Sends one command APDU (chained into I-blocks as FSC requires) and returns the whole response APDU. */
	async transceive(command: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
		const { signal } = options;
		throwIfAborted(signal);
		if (command.length > this.#maxCommand) {
			throw new MynaError(ErrorKind.Unsupported, 'The command is longer than a short APDU; this reader route carries short APDUs only.', {
				length: command.length
			});
		}
		const work = this.#queue.run(async () => {
			throwIfAborted(signal);
			if (this.#broken) throw interrupted();
			try {
				return await this.#transceive(command);
			} catch (error) {
				this.#broken = error instanceof MynaError ? error : interrupted();
				throw error;
			}
		});
		return raceAbort(work, signal);
	}

	/**
	 * Asks the card whether it is still there without disturbing it: R(NAK) with the current block number, which an
	 * active card answers with R(ACK) (PICC rule 12). 'absent' only when every attempt went unanswered.
	 */
	presenceCheck(options: { signal?: AbortSignal } = {}): Promise<IsoDepPresence> {
		const { signal } = options;
		return this.#queue.run(async () => {
			throwIfAborted(signal);
			const probe = encodeIsoDepBlock({ type: 'R', ack: false, blockNumber: this.#blockNumber, ...this.#cidField() });
			let answered = false;
			for (let attempt = 0; attempt <= this.#maxRetries; attempt++) {
				throwIfAborted(signal);
				try {
					const raw = await this.#exchange(probe, this.waitMs, signal);
					if (this.#accept(raw)) return 'present';
					answered = true;
				} catch (error) {
					const failure = rfFailureOf(error);
					if (failure === undefined) throw error;
					if (failure === RfFailure.Transmission) answered = true;
				}
			}
			return answered ? 'present' : 'absent';
		});
	}

	/**
	 * S(DESELECT): the card goes to HALT and answers only a wake-up again. Sent at most twice (PCD rule 8). Resolves
	 * whether the card confirmed; after it, the instance sends nothing more.
	 */
	deselect(options: { signal?: AbortSignal } = {}): Promise<boolean> {
		const { signal } = options;
		return this.#queue.run(async () => {
			const request = encodeIsoDepBlock({ type: 'S', command: 'deselect', ...this.#cidField() });
			const waitMs = Math.max(this.#fwtMs, IsoDepTiming.deselectMinMs) + IsoDepTiming.deltaFwtMs;
			this.#broken ??= new MynaError(ErrorKind.CardAbsent, 'The card was deselected.');
			for (let attempt = 0; attempt < 2; attempt++) {
				throwIfAborted(signal);
				try {
					const block = this.#accept(await this.#exchange(request, waitMs, signal));
					if (block?.type === 'S' && block.command === 'deselect') return true;
				} catch (error) {
					if (rfFailureOf(error) === undefined) throw error;
				}
			}
			return false;
		});
	}

	#cidField(): { cid?: number } {
		return this.#cid === undefined ? {} : { cid: this.#cid };
	}

	#toggle(): void {
		this.#blockNumber = (this.#blockNumber ^ 1) as BlockNumber;
	}

	/** A block the reader may act on: well-formed, within FSD, and addressed with our CID (or none). */
	#accept(raw: Uint8Array): IsoDepBlock | undefined {
		if (raw.length > this.#fsd - 2) return undefined;
		let block: IsoDepBlock;
		try {
			block = decodeIsoDepBlock(raw);
		} catch {
			return undefined;
		}
		if (block.cid !== this.#cid) return undefined;
		if (block.type === 'I' && block.nad !== undefined) return undefined;
		return block;
	}

	async #transceive(command: Uint8Array): Promise<Uint8Array> {
		const maxInf = this.#fsc - 3;
		let offset = 0;
		let answer: IsoDepBlock & { type: 'I' };
		for (;;) {
			const chunk = command.subarray(offset, offset + maxInf);
			const more = offset + chunk.length < command.length;
			const iBlock = encodeIsoDepBlock({ type: 'I', blockNumber: this.#blockNumber, chaining: more, ...this.#cidField(), inf: chunk });
			const reply = await this.#sendIBlock(iBlock, more);
			this.#toggle();
			if (reply.type === 'I') {
				answer = reply;
				break;
			}
			offset += chunk.length;
		}
		const parts: Uint8Array[] = [answer.inf];
		let length = answer.inf.length;
		while (answer.chaining) {
			answer = await this.#receiveNextBlock();
			this.#toggle();
			parts.push(answer.inf);
			length += answer.inf.length;
			if (length > this.#maxResponse) {
				throw new MynaError(ErrorKind.Protocol, 'The card’s response is longer than a short APDU allows.', { length });
			}
		}
		if (length > this.#maxResponse) {
			throw new MynaError(ErrorKind.Protocol, 'The card’s response is longer than a short APDU allows.', { length });
		}
		const response = new Uint8Array(length);
		let at = 0;
		for (const part of parts) {
			response.set(part, at);
			at += part.length;
		}
		return response;
	}

	/**
	 * Sends an I-block until the card acknowledges it: R(ACK) with our block number while we chain (PCD rule 7), the
	 * first I-block of the response otherwise. R(ACK) with the other number means the card missed the block: send it
	 * again (rule 6). A timeout or an invalid block is answered with R(NAK) (rule 4). Both counts are bounded by
	 * `maxRetries`; a card's R(ACK) is an answer, so it restarts the count of silent or damaged ones.
	 */
	async #sendIBlock(iBlock: Uint8Array, chaining: boolean): Promise<IsoDepBlock & { type: 'R' | 'I' }> {
		let frame = iBlock;
		let failures = 0;
		let resends = 0;
		for (;;) {
			let outcome = await this.#exchangeAnsweringWtx(frame);
			if ('block' in outcome) {
				const block = outcome.block;
				if (block.type === 'R' && block.ack && block.blockNumber !== this.#blockNumber) {
					if (++resends > this.#maxRetries) {
						throw new MynaError(ErrorKind.Protocol, 'The card kept asking for the same block again.', { retries: this.#maxRetries });
					}
					failures = 0;
					frame = iBlock;
					continue;
				}
				if (chaining && block.type === 'R' && block.ack && block.blockNumber === this.#blockNumber) return block;
				if (!chaining && block.type === 'I' && block.blockNumber === this.#blockNumber) return block;
				outcome = { failure: 'invalid' };
			}
			if (++failures > this.#maxRetries) throw this.#giveUp(outcome.failure);
			frame = encodeIsoDepBlock({ type: 'R', ack: false, blockNumber: this.#blockNumber, ...this.#cidField() });
		}
	}

	/** Card chaining: R(ACK) asks for the next I-block, and is sent again on a timeout or an invalid block (PCD rule 5). */
	async #receiveNextBlock(): Promise<IsoDepBlock & { type: 'I' }> {
		const ack = encodeIsoDepBlock({ type: 'R', ack: true, blockNumber: this.#blockNumber, ...this.#cidField() });
		let failures = 0;
		for (;;) {
			let outcome = await this.#exchangeAnsweringWtx(ack);
			if ('block' in outcome) {
				const block = outcome.block;
				if (block.type === 'I' && block.blockNumber === this.#blockNumber) return block;
				outcome = { failure: 'invalid' };
			}
			if (++failures > this.#maxRetries) throw this.#giveUp(outcome.failure);
		}
	}

	/** One exchange; S(WTX) requests are answered with S(WTX) carrying the same WTXM, and the next wait is WTXM × FWT. */
	async #exchangeAnsweringWtx(first: Uint8Array): Promise<Outcome> {
		let frame = first;
		let waitMs = this.waitMs;
		let extensions = 0;
		for (;;) {
			let raw: Uint8Array;
			try {
				raw = await this.#exchange(frame, waitMs);
			} catch (error) {
				const failure = rfFailureOf(error);
				if (failure === undefined) throw error;
				return { failure };
			}
			const block = this.#accept(raw);
			if (!block) return { failure: 'invalid' };
			if (block.type !== 'S') return { block };
			if (block.command !== 'wtx') return { failure: 'invalid' };
			if (++extensions > this.#maxWtx) {
				throw new MynaError(ErrorKind.Timeout, 'The card kept asking for more time.', { extensions: this.#maxWtx });
			}
			frame = encodeIsoDepBlock({ type: 'S', command: 'wtx', wtxm: block.wtxm, powerLevel: 0, ...this.#cidField() });
			waitMs = Math.min(this.#fwtMs * block.wtxm, IsoDepTiming.fwtMaxMs) + IsoDepTiming.deltaFwtMs;
		}
	}

	#giveUp(failure: RfFailure | 'invalid'): MynaError {
		if (failure === RfFailure.Timeout) {
			return new MynaError(ErrorKind.CardRemoved, 'The card stopped answering; it was probably taken off the reader.', {
				retries: this.#maxRetries
			});
		}
		return new MynaError(ErrorKind.Protocol, 'The card’s answers kept arriving damaged or out of order.', {
			retries: this.#maxRetries,
			failure
		});
	}
}
