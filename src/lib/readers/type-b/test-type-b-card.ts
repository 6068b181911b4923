import { concatBytes, equalBytes } from '../../bytes';
import { decodeIsoDepBlock, encodeIsoDepBlock, type BlockNumber, type IsoDepBlock } from '../iso-dep/iso-dep-block';
import { frameSizeFromIndex } from '../iso-dep/iso-dep-parameters';

/**
 * Test double for the card side of the RF link: a Type B PICC (ISO/IEC 14443-3 WUPB/REQB, ATTRIB, HLTB) with the
 * ISO-DEP PICC rules 9–13 in front of an APDU handler. Used by the unit tests of this folder's readers; the product
 * emulator lives in src/lib/emulator. Faults act per received frame.
 */
export type RfReply = Uint8Array | 'timeout' | 'garbled';

export type RfFault = 'none' | 'drop-request' | 'drop-response' | 'garble-response';

export interface TestTypeBCardOptions {
	respond?: (apdu: Uint8Array) => Uint8Array;
	pupi?: Uint8Array;
	applicationData?: Uint8Array;
	fsci?: number;
	fwi?: number;
	cidSupported?: boolean;
	mbli?: number;
	/** S(WTX) requests sent before each response, and their WTXM. */
	wtx?: { count: number; wtxm: number };
}

type State = 'idle' | 'ready' | 'active' | 'halt';

export class TestTypeBCard {
	#present = true;
	readonly faults: RfFault[] = [];
	/** Every frame that reached the card. */
	readonly received: Uint8Array[] = [];
	/** Every APDU the card executed. */
	readonly executed: Uint8Array[] = [];
	state: State = 'idle';
	respond: (apdu: Uint8Array) => Uint8Array;
	/** Runs before each frame is looked at (to take the card away at a chosen moment). */
	onReceive: ((frame: Uint8Array) => void) | undefined;
	wtx: { count: number; wtxm: number } | undefined;
	readonly pupi: Uint8Array;
	readonly applicationData: Uint8Array;
	readonly fsci: number;
	readonly fwi: number;
	readonly cidSupported: boolean;
	readonly mbli: number;
	cid = 0;
	fsd = 256;
	#bn: BlockNumber = 1;
	#last: Uint8Array | undefined;
	#command: Uint8Array[] = [];
	#chunks: Uint8Array[] = [];
	#wtxLeft = 0;

	constructor(options: TestTypeBCardOptions = {}) {
		this.respond = options.respond ?? (() => Uint8Array.of(0x90, 0x00));
		this.pupi = options.pupi ?? Uint8Array.of(0x11, 0x22, 0x33, 0x44);
		this.applicationData = options.applicationData ?? Uint8Array.of(0, 0, 0, 0);
		this.fsci = options.fsci ?? 8;
		this.fwi = options.fwi ?? 4;
		this.cidSupported = options.cidSupported ?? false;
		this.mbli = options.mbli ?? 0;
		this.wtx = options.wtx;
	}

	get protocolInfo(): Uint8Array {
		return Uint8Array.of(0x00, (this.fsci << 4) | 0x01, (this.fwi << 4) | (this.cidSupported ? 0x01 : 0));
	}

	get sensbRes(): Uint8Array {
		return concatBytes(Uint8Array.of(0x50), this.pupi, this.applicationData, this.protocolInfo);
	}

	/** In the field; taking it out powers it off. */
	get present(): boolean {
		return this.#present;
	}

	set present(value: boolean) {
		this.#present = value;
		if (!value) this.powerOff();
	}

	get blockNumber(): BlockNumber {
		return this.#bn;
	}

	/** The field went off: the card loses its state. */
	powerOff(): void {
		this.state = 'idle';
	}

	receive(frame: Uint8Array): RfReply {
		this.onReceive?.(frame);
		if (!this.present) return 'timeout';
		const fault = this.faults.shift();
		if (fault === 'drop-request') return 'timeout';
		this.received.push(frame.slice());
		const reply = this.#handle(frame);
		if (reply === undefined || fault === 'drop-response') return 'timeout';
		return fault === 'garble-response' ? 'garbled' : reply;
	}

	#handle(frame: Uint8Array): Uint8Array | undefined {
		if (frame[0] === 0x05 && frame.length === 3) {
			const wakeUp = (frame[2]! & 0x08) !== 0;
			if (this.state === 'active' || (this.state === 'halt' && !wakeUp)) return undefined;
			this.state = 'ready';
			return this.sensbRes;
		}
		if (this.state === 'ready' && frame[0] === 0x1d && frame.length >= 9 && equalBytes(frame.subarray(1, 5), this.pupi)) {
			this.state = 'active';
			this.fsd = frameSizeFromIndex(frame[6]! & 0x0f);
			this.cid = this.cidSupported ? frame[8]! & 0x0f : 0;
			this.#bn = 1;
			this.#last = undefined;
			this.#command = [];
			this.#chunks = [];
			return Uint8Array.of((this.mbli << 4) | this.cid);
		}
		if ((this.state === 'ready' || this.state === 'active') && frame[0] === 0x50 && frame.length === 5 && equalBytes(frame.subarray(1), this.pupi)) {
			this.state = 'halt';
			return Uint8Array.of(0x00);
		}
		if (this.state !== 'active') return undefined;
		let block: IsoDepBlock;
		try {
			block = decodeIsoDepBlock(frame);
		} catch {
			return undefined;
		}
		if (block.cid !== undefined && (!this.cidSupported || block.cid !== this.cid)) return undefined;
		if (block.cid === undefined && this.cid !== 0) return undefined;
		const withCid = block.cid === undefined ? {} : { cid: block.cid };
		const send = (out: IsoDepBlock) => (this.#last = encodeIsoDepBlock({ ...out, ...withCid }));

		switch (block.type) {
			case 'I': {
				if (block.blockNumber === this.#bn) return this.#last;
				this.#bn = block.blockNumber;
				this.#command.push(block.inf);
				if (block.chaining) return send({ type: 'R', ack: true, blockNumber: this.#bn });
				const apdu = concatBytes(...this.#command);
				this.#command = [];
				this.executed.push(apdu);
				const response = this.respond(apdu);
				const size = this.fsd - 3 - (block.cid === undefined ? 0 : 1);
				this.#chunks = [];
				for (let at = 0; at < response.length || at === 0; at += size) this.#chunks.push(response.subarray(at, at + size));
				this.#wtxLeft = this.wtx?.count ?? 0;
				return this.#wtxLeft > 0 ? send({ type: 'S', command: 'wtx', wtxm: this.wtx!.wtxm, powerLevel: 0 }) : this.#nextChunk(send);
			}
			case 'R':
				if (block.blockNumber === this.#bn) return this.#last;
				if (!block.ack) return send({ type: 'R', ack: true, blockNumber: this.#bn });
				if (this.#chunks.length === 0) return undefined;
				this.#bn = block.blockNumber;
				return this.#nextChunk(send);
			case 'S':
				if (block.command === 'deselect') {
					this.state = 'halt';
					return send({ type: 'S', command: 'deselect' });
				}
				if (this.#wtxLeft === 0 || block.wtxm !== this.wtx?.wtxm || block.powerLevel !== 0) return undefined;
				this.#wtxLeft--;
				return this.#wtxLeft > 0 ? send({ type: 'S', command: 'wtx', wtxm: this.wtx.wtxm, powerLevel: 0 }) : this.#nextChunk(send);
		}
	}

	#nextChunk(send: (out: IsoDepBlock) => Uint8Array): Uint8Array {
		const inf = this.#chunks.shift()!;
		return send({ type: 'I', blockNumber: this.#bn, chaining: this.#chunks.length > 0, inf });
	}
}
