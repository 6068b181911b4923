import { concatBytes, wipe } from '../../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import type { T1Edc } from './atr';
import { T1_MAX_INF, T1RError, T1SType, decodeT1Block, edcLength, encodeT1Block, isEdcError, type T1Block } from './t1-block';

/** The reader reported a garbled block (parity error): answered like a wrong EDC. */
export const T1_RECEIVE_ERROR = 'receive-error' as const;

/** Byte that replaces secret bytes in traces. */
export const TRACE_MASK_BYTE = 0x2a;

export interface T1ExchangeOptions {
	/** How long to wait for the card's block, WTX already applied. */
	timeoutMs: number;
	/** The WTX multiplier this block answers (0 = none); CCID carries it as bBWI. */
	waitingTimeExtension: number;
	signal?: AbortSignal;
	/** The block with secret bytes masked (and their EDC), for traces; absent when the block holds none. */
	traceView?: Uint8Array;
}

/** Sends one block to the card and returns the card's block. */
export type T1BlockExchange = (block: Uint8Array, options: T1ExchangeOptions) => Promise<Uint8Array | typeof T1_RECEIVE_ERROR>;

export interface T1Settings {
	/** Largest INF the card accepts (TA3, default 32). */
	ifsc: number;
	/** Largest INF the host accepts; announced with S(IFS request). */
	ifsd: number;
	edc: T1Edc;
	/** Wait for one block (from BWI/CWI, see t1BlockTimeoutMs). */
	blockTimeoutMs: number;
	/** A transport limit on the INF the host may send, below IFSC (CCID dwMaxCCIDMessageLength). */
	maxSendInf?: number;
}

export interface T1TransceiveOptions {
	signal?: AbortSignal;
	/** The APDU with its secret bytes masked, same length, for traces of the I-blocks carrying it. */
	traceApdu?: Uint8Array;
}

/** ISO 7816-3 §11.6.3.2 rule 7: a block is repeated at most this many times before S(RESYNCH). */
export const T1_MAX_RETRIES = 3;
/** Rule 6.4: resynchronisation attempts before the card must be reset. */
export const T1_MAX_RESYNCHS = 3;
/** Consecutive S(WTX)/S(IFS) requests accepted for one command before giving up. */
export const T1_MAX_S_REQUESTS = 64;
/** Data + SW of the longest extended response. */
const MAX_RESPONSE_LENGTH = 65_538;
/** A bound on blocks per command: every progress step moves at least one byte, errors and S-requests are capped. */
const MAX_STEPS = 2 * MAX_RESPONSE_LENGTH;

function protocolError(message: string, details: Record<string, number | string> = {}): MynaError {
	return new MynaError(ErrorKind.Protocol, message, details);
}

type Phase = 'sending' | 'receiving' | 'resynch';

/**
 * ISO/IEC 7816-3 T=1 (§11) over a block exchange function, so it runs over CCID TPDU readers and over a script
 * in tests. One command at a time; the caller serialises. The state machine follows libccid's t1_transceive
 * (LudovicRousseau/CCID:src/openct/proto-t1.c) with every loop bounded.
 */
export class T1Protocol {
	readonly #exchange: T1BlockExchange;
	readonly #edc: T1Edc;
	readonly #blockTimeoutMs: number;
	readonly #maxSendInf: number;
	#ifsc: number;
	#ifsd: number;
	#ns: 0 | 1 = 0;
	#nr: 0 | 1 = 0;
	#needsResynch = false;
	#dead = false;

	constructor(exchange: T1BlockExchange, settings: T1Settings) {
		const inRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= T1_MAX_INF;
		if (!inRange(settings.ifsc) || !inRange(settings.ifsd)) throw new RangeError('IFSC/IFSD must be 1..254');
		this.#exchange = exchange;
		this.#edc = settings.edc;
		this.#blockTimeoutMs = settings.blockTimeoutMs;
		this.#ifsc = settings.ifsc;
		this.#ifsd = settings.ifsd;
		this.#maxSendInf = Math.max(1, Math.min(settings.maxSendInf ?? T1_MAX_INF, T1_MAX_INF));
	}

	get ifsc(): number {
		return this.#ifsc;
	}

	get ifsd(): number {
		return this.#ifsd;
	}

	/** After a failure the card's sequence state is unknown: the next command starts with S(RESYNCH). */
	get needsResynch(): boolean {
		return this.#needsResynch;
	}

	/**
	 * S(IFS request) with our IFSD as the first exchange after the ATR (ISO 7816-3 §11.4.2; libccid
	 * t1_negotiate_ifsd): the card must echo it in S(IFS response). Repeated up to T1_MAX_RETRIES times.
	 */
	async negotiateIfsd(ifsd: number, options: { signal?: AbortSignal } = {}): Promise<void> {
		if (!Number.isInteger(ifsd) || ifsd < 1 || ifsd > T1_MAX_INF) throw new RangeError('IFSD must be 1..254');
		const request = encodeT1Block({ kind: 'S', nad: 0, type: T1SType.Ifs, response: false, inf: Uint8Array.of(ifsd) }, this.#edc);
		for (let attempt = 0; attempt < T1_MAX_RETRIES; attempt++) {
			throwIfAborted(options.signal);
			const rx = await this.#send(request, 0, options.signal, undefined);
			const block = this.#decode(rx);
			if (typeof block !== 'number' && block.kind === 'S' && block.response && block.type === T1SType.Ifs && block.inf.length === 1 && block.inf[0] === ifsd) {
				this.#ifsd = ifsd;
				return;
			}
		}
		throw protocolError('The card did not accept the IFSD negotiation.', { ifsd });
	}

	/** Back to N(S) = N(R) = 0 (after a power-on). */
	reset(): void {
		this.#ns = 0;
		this.#nr = 0;
		this.#needsResynch = false;
		this.#dead = false;
	}

	/** One APDU in, the response APDU (data + SW) out. */
	async transceive(apdu: Uint8Array, options: T1TransceiveOptions = {}): Promise<Uint8Array> {
		if (apdu.length === 0) throw new RangeError('empty APDU');
		if (options.traceApdu && options.traceApdu.length !== apdu.length) throw new RangeError('trace APDU length differs');
		if (this.#dead) throw protocolError('T=1 communication with the card was lost; reconnect the card.');
		try {
			return await this.#run(apdu, options);
		} catch (error) {
			if (!this.#dead) this.#needsResynch = true;
			throw error;
		}
	}

	async #send(block: Uint8Array, wtx: number, signal: AbortSignal | undefined, traceView: Uint8Array | undefined) {
		const timeoutMs = this.#blockTimeoutMs * Math.max(1, wtx);
		const options: T1ExchangeOptions = traceView ? { timeoutMs, waitingTimeExtension: wtx, signal, traceView } : { timeoutMs, waitingTimeExtension: wtx, signal };
		return this.#exchange(block, options);
	}

	/** The card's block, or the R-block error code to answer a block that could not be read. */
	#decode(rx: Uint8Array | typeof T1_RECEIVE_ERROR): T1Block | T1RError {
		if (rx === T1_RECEIVE_ERROR) return T1RError.Edc;
		try {
			const block = decodeT1Block(rx, this.#edc);
			return block.nad === 0 ? block : T1RError.Other;
		} catch (error) {
			return isEdcError(error) ? T1RError.Edc : T1RError.Other;
		}
	}

	async #run(apdu: Uint8Array, options: T1TransceiveOptions): Promise<Uint8Array> {
		const edc = this.#edc;
		const sendLimit = () => Math.min(this.#ifsc, this.#maxSendInf);
		let phase = 'sending' as Phase;
		let offset = 0;
		let chunk = 0;
		let more = false;
		let errors = 0;
		let resynchs = 0;
		let sRequests = 0;
		let wtx = 0;
		let abortedByCard = false;
		const response: Uint8Array[] = [];
		let responseLength = 0;
		let toSend: Uint8Array;
		let traceView: Uint8Array | undefined;

		const iBlock = (): Uint8Array => {
			chunk = Math.min(apdu.length - offset, sendLimit());
			more = offset + chunk < apdu.length;
			const block = encodeT1Block({ kind: 'I', nad: 0, ns: this.#ns, more, inf: apdu.subarray(offset, offset + chunk) }, edc);
			traceView = undefined;
			const masked = options.traceApdu?.subarray(offset, offset + chunk);
			if (masked && masked.some((b, i) => b !== apdu[offset + i])) {
				const view = encodeT1Block({ kind: 'I', nad: 0, ns: this.#ns, more, inf: masked }, edc);
				view.fill(TRACE_MASK_BYTE, view.length - edcLength(edc));
				traceView = view;
			}
			return block;
		};
		const rBlock = (error: T1RError): Uint8Array => {
			traceView = undefined;
			return encodeT1Block({ kind: 'R', nad: 0, nr: this.#nr, error }, edc);
		};
		const sBlock = (type: number, response: boolean, inf: Uint8Array): Uint8Array => {
			traceView = undefined;
			return encodeT1Block({ kind: 'S', nad: 0, type, response, inf }, edc);
		};
		const resynch = (): Uint8Array => {
			resynchs++;
			if (resynchs > T1_MAX_RESYNCHS) {
				this.#dead = true;
				throw protocolError('T=1 communication with the card was lost; reconnect the card.');
			}
			this.#ns = 0;
			this.#nr = 0;
			phase = 'resynch';
			more = false;
			errors = T1_MAX_RETRIES;
			return sBlock(T1SType.Resynch, false, new Uint8Array(0));
		};
		let lastSentR = false;
		/** Rules 7.1–7.4: ask again (or repeat our R-block), at most T1_MAX_RETRIES times, then resynchronise. */
		const recover = (error: T1RError): Uint8Array => {
			errors++;
			if (errors > T1_MAX_RETRIES) return resynch();
			if (lastSentR) return toSend;
			return rBlock(error);
		};

		if (this.#needsResynch) {
			this.#needsResynch = false;
			toSend = resynch();
		} else {
			toSend = iBlock();
		}

		for (let step = 0; step < MAX_STEPS; step++) {
			throwIfAborted(options.signal);
			const sentI = (toSend[1]! & 0x80) === 0;
			lastSentR = (toSend[1]! & 0xc0) === 0x80;
			let rx: Uint8Array | typeof T1_RECEIVE_ERROR;
			try {
				rx = await this.#send(toSend, wtx, options.signal, traceView);
			} finally {
				// an I-block may carry a PIN; it is rebuilt from the APDU if it must be sent again
				if (sentI) wipe(toSend);
			}
			wtx = 0;
			if (abortedByCard) throw protocolError('The card aborted the command.');
			const block = this.#decode(rx);
			if (typeof block === 'number') {
				toSend = recover(block);
				continue;
			}
			if (phase === 'resynch') {
				if (block.kind === 'S' && block.response && block.type === T1SType.Resynch && block.inf.length === 0) {
					phase = 'sending';
					offset = 0;
					response.length = 0;
					responseLength = 0;
					errors = 0;
					toSend = iBlock();
				} else {
					toSend = recover(T1RError.Other);
				}
				continue;
			}
			if (block.kind === 'R') {
				if (phase === 'receiving') {
					// The card did not get our acknowledgement: repeat it.
					errors++;
					toSend = errors > T1_MAX_RETRIES ? resynch() : rBlock(T1RError.None);
					continue;
				}
				if (block.nr !== this.#ns) {
					if (!more) {
						toSend = recover(T1RError.Other);
						continue;
					}
					offset += chunk;
					this.#ns ^= 1;
					errors = 0;
					sRequests = 0;
					toSend = iBlock();
				} else {
					// The card asks for our last I-block again.
					errors++;
					toSend = errors > T1_MAX_RETRIES ? resynch() : iBlock();
				}
				continue;
			}
			if (block.kind === 'I') {
				if (phase === 'sending') {
					if (more) {
						toSend = recover(T1RError.Other);
						continue;
					}
					offset += chunk;
					this.#ns ^= 1;
					phase = 'receiving';
				}
				if (block.ns !== this.#nr) {
					toSend = recover(T1RError.Other);
					continue;
				}
				this.#nr ^= 1;
				responseLength += block.inf.length;
				if (responseLength > MAX_RESPONSE_LENGTH) throw protocolError('The card sent a response longer than 65538 bytes.');
				response.push(block.inf);
				errors = 0;
				sRequests = 0;
				if (!block.more) return concatBytes(...response);
				toSend = rBlock(T1RError.None);
				continue;
			}
			// S-block
			if (block.response) {
				toSend = recover(T1RError.Other);
				continue;
			}
			sRequests++;
			if (sRequests > T1_MAX_S_REQUESTS) throw protocolError('The card kept the command waiting too long.', { requests: sRequests });
			switch (block.type) {
				case T1SType.Ifs: {
					const value = block.inf[0];
					if (block.inf.length !== 1 || value === undefined || value === 0 || value > T1_MAX_INF) {
						toSend = recover(T1RError.Other);
						break;
					}
					this.#ifsc = value;
					errors = 0;
					toSend = sBlock(T1SType.Ifs, true, block.inf);
					break;
				}
				case T1SType.Wtx: {
					const value = block.inf[0];
					if (block.inf.length !== 1 || value === undefined || value === 0) {
						toSend = recover(T1RError.Other);
						break;
					}
					wtx = value;
					errors = 0;
					toSend = sBlock(T1SType.Wtx, true, block.inf);
					break;
				}
				case T1SType.Abort:
					if (block.inf.length !== 0) {
						toSend = recover(T1RError.Other);
						break;
					}
					abortedByCard = true;
					toSend = sBlock(T1SType.Abort, true, new Uint8Array(0));
					break;
				default:
					// S(RESYNCH request) from the card is not allowed; unknown types likewise.
					toSend = resynch();
			}
		}
		throw protocolError('T=1 exchange did not finish.');
	}
}
