import { equalBytes, concatBytes } from '../../../bytes';
import { ErrorKind, MynaError, isMynaError } from '../../../errors';
import type { ApduCard } from '../../card/apdu-card';
import { parseAtrT1Parameters, type AtrT1Parameters } from './atr-t1-parameters';
import {
	T1BlockFault,
	T1Pcb,
	T1SBlockType,
	decodeT1Block,
	encodeT1Block,
	iBlock,
	rBlock,
	sBlock,
	t1BlockKind,
	type T1Block,
	type T1Edc
} from './t1-block';

/** Longest APDU the card takes through chaining: extended case 4 with 65535 data bytes. */
const MAX_COMMAND_APDU = 4 + 3 + 0xffff + 2;
/** IFSD before the host's first S(IFS request) (ISO 7816-3 §11.4.2). */
const DEFAULT_IFSD = 32;

export interface T1CardEngineOptions {
	/**
	 * A PPS request may be the first exchange after reset. False when the reader did PPS itself (dwFeatures auto
	 * PPS or auto parameter negotiation): a late PPS is then an invalid block. Default true.
	 */
	acceptPps?: boolean;
}

/**
 * The card side of ISO 7816-3 T=1 (§11) in front of an APDU-level card: what a TPDU-level reader passes blocks
 * to. One `receive(block)` per block from the host; it returns the card's block, or `undefined` when the card
 * stays silent (an empty or refused PPS, as ISO 7816-3 §9.3 wants).
 *
 * Rules kept: IFSC from the ATR's TA3 (the card refuses longer INF), IFSD 32 until S(IFS request), chaining both
 * ways with R-blocks, S(RESYNCH)/S(IFS)/S(ABORT) responses, S(WTX request) on demand before the answer, an
 * R-block with the EDC bit for a bad LRC/CRC and the "other error" bit for any other bad block, and
 * retransmission of the card's last block when the host asks again (an R-block that does not acknowledge a
 * chained block, or the host's last I-block repeated verbatim).
 */
export class T1CardEngine {
	readonly #card: ApduCard;
	readonly #parameters: AtrT1Parameters;
	readonly #acceptPps: boolean;
	#cardNs = 0;
	#hostNs = 0;
	#ifsd = DEFAULT_IFSD;
	#ppsWindow = true;
	#lastSent: Uint8Array | undefined;
	#lastHostIBlock: Uint8Array | undefined;
	#command: Uint8Array[] = [];
	#commandLength = 0;
	#response: { data: Uint8Array; offset: number } | undefined;
	#pendingApdu: Uint8Array | undefined;
	#awaitingWtxResponse = false;
	#wtxToSend = 0;
	#wtxMultiplier = 1;
	#corruptNext = false;

	/** Throws MynaError kind Malformed when the card's ATR cannot be parsed. */
	constructor(card: ApduCard, options: T1CardEngineOptions = {}) {
		this.#card = card;
		this.#parameters = parseAtrT1Parameters(card.atr);
		this.#acceptPps = options.acceptPps ?? true;
		this.#ppsWindow = this.#acceptPps;
	}

	get parameters(): AtrT1Parameters {
		return this.#parameters;
	}

	/** Largest INF the card accepts (TA3, else 32). */
	get ifsc(): number {
		return this.#parameters.ifsc;
	}

	/** Largest INF the card sends (32 until the host's S(IFS request)). */
	get ifsd(): number {
		return this.#ifsd;
	}

	get edc(): T1Edc {
		return this.#parameters.edc;
	}

	/** Power-on or warm reset: sequence numbers 0, IFSD 32, no chains, PPS allowed again. Armed faults stay. */
	reset(): void {
		this.#cardNs = 0;
		this.#hostNs = 0;
		this.#ifsd = DEFAULT_IFSD;
		this.#ppsWindow = this.#acceptPps;
		this.#lastSent = undefined;
		this.#clearExchange();
	}

	/** Fault: the next `count` complete commands are each preceded by S(WTX request) with this multiplier. */
	requestWtx(count: number, multiplier: number): void {
		if (!Number.isInteger(count) || count < 0 || !Number.isInteger(multiplier) || multiplier < 1 || multiplier > 255) {
			throw new MynaError(ErrorKind.Internal, 'WTX count must be ≥ 0 and multiplier 1..255', { count, multiplier });
		}
		this.#wtxToSend = count;
		this.#wtxMultiplier = multiplier;
	}

	/** Fault: the next block the card sends has its EDC inverted; a retransmission of it is correct. */
	corruptNextEdc(): void {
		this.#corruptNext = true;
	}

	async receive(bytes: Uint8Array): Promise<Uint8Array | undefined> {
		if (bytes.length === 0) return undefined;
		if (this.#ppsWindow) {
			this.#ppsWindow = false;
			if (bytes[0] === 0xff) return this.#answerPps(bytes);
		}
		let block: T1Block;
		try {
			block = decodeT1Block(bytes, this.edc);
		} catch (error) {
			if (!isMynaError(error, ErrorKind.Protocol)) throw error;
			return this.#sendError(error.details.fault === T1BlockFault.Edc ? T1Pcb.RBlockEdcError : T1Pcb.RBlockOtherError);
		}
		if (block.nad !== 0) return this.#sendError(T1Pcb.RBlockOtherError);
		switch (t1BlockKind(block.pcb)) {
			case 'i':
				return this.#onIBlock(block, bytes);
			case 'r':
				return this.#onRBlock(block);
			default:
				return this.#onSBlock(block);
		}
	}

	async #onIBlock(block: T1Block, bytes: Uint8Array): Promise<Uint8Array | undefined> {
		const ns = block.pcb & T1Pcb.IBlockSeq ? 1 : 0;
		if (ns !== this.#hostNs) {
			if (this.#lastHostIBlock && this.#lastSent && equalBytes(bytes, this.#lastHostIBlock)) return this.#emit(this.#lastSent);
			return this.#sendError(T1Pcb.RBlockOtherError);
		}
		if (this.#response || this.#awaitingWtxResponse) return this.#sendError(T1Pcb.RBlockOtherError);
		if (block.inf.length > this.ifsc || this.#commandLength + block.inf.length > MAX_COMMAND_APDU) {
			this.#clearExchange();
			return this.#sendError(T1Pcb.RBlockOtherError);
		}
		this.#hostNs ^= 1;
		this.#lastHostIBlock = bytes.slice();
		this.#command.push(block.inf);
		this.#commandLength += block.inf.length;
		if (block.pcb & T1Pcb.IBlockMore) return this.#send(rBlock(this.#hostNs));
		const apdu = concatBytes(...this.#command);
		this.#command = [];
		this.#commandLength = 0;
		if (this.#wtxToSend > 0) {
			this.#pendingApdu = apdu;
			return this.#sendWtxRequest();
		}
		return this.#answer(apdu);
	}

	#onRBlock(block: T1Block): Uint8Array {
		const nr = block.pcb & T1Pcb.RBlockSeq ? 1 : 0;
		const error = block.pcb & 0x03;
		if (this.#response && error === 0 && nr === this.#cardNs) return this.#sendNextChunk();
		if (this.#lastSent) return this.#emit(this.#lastSent);
		return this.#send(rBlock(this.#hostNs));
	}

	async #onSBlock(block: T1Block): Promise<Uint8Array | undefined> {
		const type = block.pcb & 0x1f;
		const response = (block.pcb & T1Pcb.SBlockResponse) !== 0;
		if (!response) {
			switch (type) {
				case T1SBlockType.Resynch:
					this.#cardNs = 0;
					this.#hostNs = 0;
					this.#clearExchange();
					return this.#send(sBlock(T1SBlockType.Resynch, true));
				case T1SBlockType.Ifs: {
					const ifsd = block.inf[0]!;
					if (ifsd < 1 || ifsd > 254) return this.#sendError(T1Pcb.RBlockOtherError);
					this.#ifsd = ifsd;
					return this.#send(sBlock(T1SBlockType.Ifs, true, block.inf));
				}
				case T1SBlockType.Abort:
					this.#clearExchange();
					return this.#send(sBlock(T1SBlockType.Abort, true));
				default:
					return this.#sendError(T1Pcb.RBlockOtherError);
			}
		}
		if (type === T1SBlockType.Wtx && this.#awaitingWtxResponse && block.inf[0] === this.#wtxMultiplier) {
			this.#awaitingWtxResponse = false;
			if (this.#wtxToSend > 0) return this.#sendWtxRequest();
			const apdu = this.#pendingApdu!;
			this.#pendingApdu = undefined;
			return this.#answer(apdu);
		}
		return this.#sendError(T1Pcb.RBlockOtherError);
	}

	async #answer(apdu: Uint8Array): Promise<Uint8Array | undefined> {
		const data = await this.#card.transmit(apdu);
		this.#response = { data, offset: 0 };
		return this.#sendNextChunk();
	}

	#sendNextChunk(): Uint8Array {
		const response = this.#response!;
		const end = Math.min(response.offset + this.#ifsd, response.data.length);
		const more = end < response.data.length;
		const block = iBlock(this.#cardNs, more, response.data.subarray(response.offset, end));
		this.#cardNs ^= 1;
		if (more) response.offset = end;
		else this.#response = undefined;
		return this.#send(block);
	}

	#sendWtxRequest(): Uint8Array {
		this.#wtxToSend--;
		this.#awaitingWtxResponse = true;
		return this.#send(sBlock(T1SBlockType.Wtx, false, new Uint8Array([this.#wtxMultiplier])));
	}

	/** ISO 7816-3 §11.6.3: an R-block naming the I-block expected from the host, with the error bit. */
	#sendError(error: typeof T1Pcb.RBlockEdcError | typeof T1Pcb.RBlockOtherError): Uint8Array {
		return this.#send(rBlock(this.#hostNs, error));
	}

	#send(block: T1Block): Uint8Array {
		this.#lastSent = encodeT1Block(block, this.edc);
		return this.#emit(this.#lastSent);
	}

	#emit(bytes: Uint8Array): Uint8Array {
		if (!this.#corruptNext) return bytes.slice();
		this.#corruptNext = false;
		const corrupted = bytes.slice();
		corrupted[corrupted.length - 1]! ^= 0xff;
		return corrupted;
	}

	#clearExchange(): void {
		this.#command = [];
		this.#commandLength = 0;
		this.#response = undefined;
		this.#pendingApdu = undefined;
		this.#awaitingWtxResponse = false;
		this.#lastHostIBlock = undefined;
	}

	/**
	 * PPS (ISO 7816-3 §9): PPSS FF, PPS0 (b5–b7 announce PPS1–PPS3, b1–b4 the protocol), PPS1–3, PCK (XOR of all
	 * bytes is 0). The card echoes a request it accepts; PPS1 beyond its TA1 is answered without PPS1 (keep Fd/Dd);
	 * an invalid request gets no answer.
	 */
	#answerPps(bytes: Uint8Array): Uint8Array | undefined {
		if (bytes.length < 3) return undefined;
		const pps0 = bytes[1]!;
		const optional = [0x10, 0x20, 0x40].filter((bit) => pps0 & bit).length;
		if (bytes.length !== 3 + optional || (pps0 & 0x80) !== 0) return undefined;
		let check = 0;
		for (const byte of bytes) check ^= byte;
		if (check !== 0 || !this.#parameters.protocols.includes(pps0 & 0x0f)) return undefined;
		const pps1 = pps0 & 0x10 ? bytes[2]! : undefined;
		if (pps1 === undefined || pps1 === this.#parameters.fiDi || pps1 === 0x11) return bytes.slice();
		const reply = new Uint8Array([0xff, pps0 & 0x0f, 0]);
		reply[2] = reply[0]! ^ reply[1]!;
		return reply;
	}
}
