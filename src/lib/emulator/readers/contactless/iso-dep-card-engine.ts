import type { ApduCard } from '../../card/apdu-card';
import { concatBytes } from '../../../bytes';
import { encodeIsoDepBlock, parseIsoDepBlock, wtxmOf, type IsoDepBlock, type IsoDepBlockNumber } from './iso-dep-block';

/**
 * The card side of ISO/IEC 14443-4 (ISO-DEP) after ATTRIB, in front of an APDU-level card. It keeps the rules a
 * real card keeps (ISO 14443-4 §7.5):
 * - The card's block number starts at 1 (rule C). An I-block whose block number equals the card's current one is
 *   the host repeating itself: the card re-sends its last block instead of running the APDU again.
 * - R(ACK) or R(NAK) with the card's current block number: re-send the last block (rule 11). R(NAK) with the other
 *   number: answer R(ACK) (rule 12; this is the presence check). R(ACK) with the other number while the card is
 *   chaining: send the next block (rule 13); outside chaining it is a protocol error.
 * - Response chaining never sends a frame longer than FSD (PCB, CID, INF and the 2 CRC bytes); a host frame longer
 *   than FSC is not received at all.
 * - S(WTX) before an answer when asked to (`requestWtx`): the host must echo the WTXM in an S(WTX) response. Any
 *   other block then is a protocol error: the answer is dropped and the card stays silent, as real cards do.
 * - CID: the one assigned in ATTRIB. Blocks carrying another CID, or none while a CID ≠ 0 is assigned, are ignored;
 *   answers carry the CID byte exactly when the block they answer did. NAD is not supported (ignored blocks).
 * - S(DESELECT) is answered and ends the engine (the PICC goes to HALT).
 * A block the card does not answer comes back as `silent` with the reason, so tests can tell why.
 */

export interface IsoDepCardEngineOptions {
	readonly card: ApduCard;
	/** Largest frame the card receives (from FSCI in its ATQB), CRC included. */
	readonly fsc: number;
	/** Largest frame the host receives (from FSDI in ATTRIB), CRC included. */
	readonly fsd: number;
	/** CID assigned in ATTRIB (0..14). */
	readonly cid: number;
	/** The card said in its ATQB that it supports CID (FO_CID). */
	readonly cidSupported: boolean;
}

export const IsoDepSilence = {
	deselected: 'the card is deselected',
	frameTooLong: 'frame longer than FSC',
	invalidBlock: 'not a valid ISO-DEP block',
	cidNotSupported: 'block carries a CID but the card does not support CID',
	otherCid: 'block addressed to another CID',
	cidMissing: 'block without CID while a CID other than 0 is assigned',
	nadNotSupported: 'block carries a NAD',
	nothingToResend: 'repeat requested but the card has sent nothing yet',
	unexpectedAck: 'R(ACK) with a new block number outside chaining',
	unexpectedWtxResponse: 'S(WTX) response without a pending S(WTX) request',
	expectedWtxResponse: 'S(WTX) request answered with another block: the answer is lost',
	wrongWtxm: 'S(WTX) response with another WTXM: the answer is lost',
	iBlockDuringChaining: 'I-block while the card is chaining its answer: the answer is dropped',
	commandTooLong: 'chained command longer than any APDU'
} as const;
export type IsoDepSilence = (typeof IsoDepSilence)[keyof typeof IsoDepSilence];

export type IsoDepCardReply =
	| { readonly type: 'block'; readonly block: Uint8Array; readonly deselected: boolean }
	| { readonly type: 'silent'; readonly reason: IsoDepSilence };

export const IsoDepCardPhase = {
	ready: 'ready',
	receivingChain: 'receiving-chain',
	sendingChain: 'sending-chain',
	awaitingWtx: 'awaiting-wtx',
	deselected: 'deselected'
} as const;
export type IsoDepCardPhase = (typeof IsoDepCardPhase)[keyof typeof IsoDepCardPhase];

const CRC_LENGTH = 2;
/** Extended case 4: header 4, Lc 3, data 65535, Le 2. */
const MAX_COMMAND_LENGTH = 4 + 3 + 65535 + 2;
const MAX_WTX_COUNT = 1000;
const SW_NO_PRECISE_DIAGNOSIS = new Uint8Array([0x6f, 0x00]);

export class IsoDepCardEngine {
	readonly #card: ApduCard;
	readonly #fsc: number;
	readonly #fsd: number;
	readonly #cid: number;
	readonly #cidSupported: boolean;
	#current: IsoDepBlockNumber = 1;
	#last: Uint8Array | undefined;
	#phase: IsoDepCardPhase = IsoDepCardPhase.ready;
	#command: Uint8Array[] = [];
	#commandLength = 0;
	#answer: Uint8Array = new Uint8Array(0);
	#answerOffset = 0;
	#wtxArmed: { count: number; wtxm: number } | undefined;
	#wtxLeft = 0;
	#wtxm = 0;

	constructor(options: IsoDepCardEngineOptions) {
		if (!(options.fsc >= 16) || !(options.fsd >= 16)) throw new RangeError('FSC and FSD are at least 16');
		if (!Number.isInteger(options.cid) || options.cid < 0 || options.cid > 14) throw new RangeError('CID is 0..14');
		this.#card = options.card;
		this.#fsc = options.fsc;
		this.#fsd = options.fsd;
		this.#cid = options.cid;
		this.#cidSupported = options.cidSupported;
	}

	get phase(): IsoDepCardPhase {
		return this.#phase;
	}

	/** The card's current block number (1 right after activation). */
	get blockNumber(): IsoDepBlockNumber {
		return this.#current;
	}

	/** Before its next answer, the card sends `count` S(WTX) requests with this WTXM (1..59), one at a time. */
	requestWtx(count: number, wtxm: number): void {
		checkWtxRequest(count, wtxm);
		this.#wtxArmed = count === 0 ? undefined : { count, wtxm };
	}

	/** One block from the host (without CRC); the card's answer block, or silence. */
	async receive(raw: Uint8Array): Promise<IsoDepCardReply> {
		if (this.#phase === IsoDepCardPhase.deselected) return silent(IsoDepSilence.deselected);
		if (raw.length + CRC_LENGTH > this.#fsc) return silent(IsoDepSilence.frameTooLong);
		const parsed = parseIsoDepBlock(raw);
		if (!parsed.ok) return silent(IsoDepSilence.invalidBlock);
		const block = parsed.block;
		if (block.cid !== undefined) {
			if (!this.#cidSupported) return silent(IsoDepSilence.cidNotSupported);
			if (block.cid !== this.#cid) return silent(IsoDepSilence.otherCid);
		} else if (this.#cid !== 0) {
			return silent(IsoDepSilence.cidMissing);
		}
		const cid = block.cid;
		switch (block.type) {
			case 'S':
				return block.command === 'deselect' ? this.#deselect(cid) : this.#wtxResponse(wtxmOf(block.inf), cid);
			case 'R':
				return block.nak ? this.#nak(block.blockNumber, cid) : this.#ack(block.blockNumber, cid);
			case 'I':
				if (block.nad !== undefined) return silent(IsoDepSilence.nadNotSupported);
				return this.#iBlock(block, cid);
		}
	}

	#deselect(cid: number | undefined): IsoDepCardReply {
		this.#phase = IsoDepCardPhase.deselected;
		this.#dropAnswer();
		this.#dropCommand();
		return { type: 'block', block: encodeIsoDepBlock({ type: 'S', command: 'deselect', cid, inf: new Uint8Array(0) }), deselected: true };
	}

	#wtxResponse(wtxm: number, cid: number | undefined): IsoDepCardReply {
		if (this.#phase !== IsoDepCardPhase.awaitingWtx) return silent(IsoDepSilence.unexpectedWtxResponse);
		if (wtxm !== this.#wtxm) return this.#protocolError(IsoDepSilence.wrongWtxm);
		this.#wtxLeft--;
		if (this.#wtxLeft > 0) return this.#sendWtx(cid);
		return this.#sendNextChunk(cid);
	}

	#nak(blockNumber: IsoDepBlockNumber, cid: number | undefined): IsoDepCardReply {
		if (blockNumber === this.#current) return this.#resend();
		return this.#send({ type: 'R', blockNumber: this.#current, nak: false, cid }, false);
	}

	#ack(blockNumber: IsoDepBlockNumber, cid: number | undefined): IsoDepCardReply {
		if (this.#phase === IsoDepCardPhase.awaitingWtx) return this.#protocolError(IsoDepSilence.expectedWtxResponse);
		if (blockNumber === this.#current) return this.#resend();
		if (this.#phase !== IsoDepCardPhase.sendingChain) return silent(IsoDepSilence.unexpectedAck);
		this.#current = blockNumber;
		return this.#sendNextChunk(cid);
	}

	async #iBlock(block: Extract<IsoDepBlock, { type: 'I' }>, cid: number | undefined): Promise<IsoDepCardReply> {
		if (block.blockNumber === this.#current) return this.#resend();
		if (this.#phase === IsoDepCardPhase.awaitingWtx) return this.#protocolError(IsoDepSilence.expectedWtxResponse);
		if (this.#phase === IsoDepCardPhase.sendingChain) return this.#protocolError(IsoDepSilence.iBlockDuringChaining);
		this.#current = block.blockNumber;
		if (this.#commandLength + block.inf.length > MAX_COMMAND_LENGTH) {
			this.#dropCommand();
			this.#phase = IsoDepCardPhase.ready;
			return silent(IsoDepSilence.commandTooLong);
		}
		this.#command.push(block.inf);
		this.#commandLength += block.inf.length;
		if (block.chaining) {
			this.#phase = IsoDepCardPhase.receivingChain;
			return this.#send({ type: 'R', blockNumber: this.#current, nak: false, cid }, true);
		}
		const apdu = concatBytes(...this.#command);
		this.#dropCommand();
		// An empty I-block is the ISO 14443-4 presence check: answered with an empty I-block, the card is not asked.
		this.#answer = apdu.length === 0 ? new Uint8Array(0) : await this.#transmit(apdu);
		this.#answerOffset = 0;
		if (this.#wtxArmed) {
			this.#wtxLeft = this.#wtxArmed.count;
			this.#wtxm = this.#wtxArmed.wtxm;
			this.#wtxArmed = undefined;
			return this.#sendWtx(cid);
		}
		return this.#sendNextChunk(cid);
	}

	async #transmit(apdu: Uint8Array): Promise<Uint8Array> {
		try {
			return await this.#card.transmit(apdu);
		} catch {
			// A card that fails internally answers "no precise diagnosis" rather than going mute.
			return SW_NO_PRECISE_DIAGNOSIS.slice();
		}
	}

	#sendWtx(cid: number | undefined): IsoDepCardReply {
		this.#phase = IsoDepCardPhase.awaitingWtx;
		return this.#send({ type: 'S', command: 'wtx', cid, inf: new Uint8Array([this.#wtxm]) }, true);
	}

	#sendNextChunk(cid: number | undefined): IsoDepCardReply {
		const room = this.#fsd - CRC_LENGTH - 1 - (cid === undefined ? 0 : 1);
		const end = Math.min(this.#answer.length, this.#answerOffset + room);
		const inf = this.#answer.slice(this.#answerOffset, end);
		this.#answerOffset = end;
		const more = end < this.#answer.length;
		this.#phase = more ? IsoDepCardPhase.sendingChain : IsoDepCardPhase.ready;
		if (!more) this.#dropAnswer();
		return this.#send({ type: 'I', blockNumber: this.#current, chaining: more, cid, inf }, true);
	}

	#resend(): IsoDepCardReply {
		if (!this.#last) return silent(IsoDepSilence.nothingToResend);
		return { type: 'block', block: this.#last.slice(), deselected: false };
	}

	#send(block: IsoDepBlock, remember: boolean): IsoDepCardReply {
		const bytes = encodeIsoDepBlock(block);
		if (remember) this.#last = bytes;
		return { type: 'block', block: bytes.slice(), deselected: false };
	}

	#protocolError(reason: IsoDepSilence): IsoDepCardReply {
		this.#dropAnswer();
		this.#dropCommand();
		this.#last = undefined;
		this.#phase = IsoDepCardPhase.ready;
		return silent(reason);
	}

	#dropAnswer(): void {
		this.#answer = new Uint8Array(0);
		this.#answerOffset = 0;
		this.#wtxLeft = 0;
	}

	#dropCommand(): void {
		this.#command = [];
		this.#commandLength = 0;
	}
}

/** Throws RangeError unless `count` is 0..1000 and `wtxm` 1..59 (ISO 14443-4 WTXM range). */
export function checkWtxRequest(count: number, wtxm: number): void {
	if (!Number.isInteger(count) || count < 0 || count > MAX_WTX_COUNT) throw new RangeError(`WTX count is 0..${MAX_WTX_COUNT}`);
	if (!Number.isInteger(wtxm) || wtxm < 1 || wtxm > 59) throw new RangeError('WTXM is 1..59');
}

function silent(reason: IsoDepSilence): IsoDepCardReply {
	return { type: 'silent', reason };
}
