import { ErrorKind, MynaError } from '../../errors';

/** PCB bits (ISO/IEC 14443-4 §7.1.1; readers.md §5.4). */
export const IsoDepPcb = {
	IBlock: 0x02,
	RBlock: 0xa2,
	SBlock: 0xc2,
	/** I-block: more blocks of this message follow. */
	Chaining: 0x10,
	/** R-block: NAK rather than ACK. */
	Nak: 0x10,
	CidFollowing: 0x08,
	/** I-block only. */
	NadFollowing: 0x04,
	BlockNumber: 0x01,
	/** S-block b6–b5. */
	SDeselect: 0x00,
	SWtx: 0x30
} as const;

export const WTXM_MIN = 1;
/** WTXM 60–63 are RFU. */
export const WTXM_MAX = 59;

export type BlockNumber = 0 | 1;

export type IsoDepBlock =
	| { type: 'I'; blockNumber: BlockNumber; chaining: boolean; cid?: number; nad?: number; inf: Uint8Array }
	| { type: 'R'; ack: boolean; blockNumber: BlockNumber; cid?: number }
	| { type: 'S'; command: 'deselect'; cid?: number }
	/** `powerLevel` is the card's power level indication (INF b8–b7); the reader's answer carries 0. */
	| { type: 'S'; command: 'wtx'; wtxm: number; powerLevel: number; cid?: number };

function malformed(reason: string): MynaError {
	return new MynaError(ErrorKind.Protocol, 'Malformed ISO-DEP block', { reason });
}

function checkField(name: string, value: number, max: number, min = 0): void {
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new MynaError(ErrorKind.Internal, `ISO-DEP ${name} out of range`, { [name]: value });
	}
}

export function encodeIsoDepBlock(block: IsoDepBlock): Uint8Array {
	const out: number[] = [0];
	let pcb: number;
	if (block.cid !== undefined) {
		checkField('cid', block.cid, 15);
		out.push(block.cid);
	}
	const cidBit = block.cid === undefined ? 0 : IsoDepPcb.CidFollowing;
	switch (block.type) {
		case 'I': {
			checkField('blockNumber', block.blockNumber, 1);
			pcb = IsoDepPcb.IBlock | cidBit | block.blockNumber | (block.chaining ? IsoDepPcb.Chaining : 0);
			if (block.nad !== undefined) {
				checkField('nad', block.nad, 0xff);
				pcb |= IsoDepPcb.NadFollowing;
				out.push(block.nad);
			}
			out.push(...block.inf);
			break;
		}
		case 'R':
			checkField('blockNumber', block.blockNumber, 1);
			pcb = IsoDepPcb.RBlock | cidBit | block.blockNumber | (block.ack ? 0 : IsoDepPcb.Nak);
			break;
		case 'S':
			if (block.command === 'deselect') {
				pcb = IsoDepPcb.SBlock | cidBit | IsoDepPcb.SDeselect;
			} else {
				checkField('wtxm', block.wtxm, WTXM_MAX, WTXM_MIN);
				checkField('powerLevel', block.powerLevel, 3);
				pcb = IsoDepPcb.SBlock | cidBit | IsoDepPcb.SWtx;
				out.push((block.powerLevel << 6) | block.wtxm);
			}
			break;
	}
	out[0] = pcb;
	return Uint8Array.from(out);
}

/**
 * Decodes one block as the chip delivers it (EDC already checked and removed). Strict: reserved bits, lengths and
 * WTXM are checked; the CID byte's power level bits (b8–b7, set by some cards) are ignored.
 */
export function decodeIsoDepBlock(frame: Uint8Array): IsoDepBlock {
	if (frame.length === 0) throw malformed('empty frame');
	const pcb = frame[0]!;
	let offset = 1;
	const cidFollows = (pcb & IsoDepPcb.CidFollowing) !== 0;
	let cid: number | undefined;
	if (cidFollows) {
		if (frame.length < 2) throw malformed('CID byte missing');
		const cidByte = frame[1]!;
		if ((cidByte & 0x30) !== 0) throw malformed('CID byte RFU bits set');
		cid = cidByte & 0x0f;
		offset = 2;
	}
	const withCid = cid === undefined ? {} : { cid };
	const blockNumber = (pcb & IsoDepPcb.BlockNumber) as BlockNumber;

	if ((pcb & 0xe2) === IsoDepPcb.IBlock) {
		let nad: number | undefined;
		if ((pcb & IsoDepPcb.NadFollowing) !== 0) {
			if (frame.length <= offset) throw malformed('NAD byte missing');
			nad = frame[offset++]!;
		}
		return {
			type: 'I',
			blockNumber,
			chaining: (pcb & IsoDepPcb.Chaining) !== 0,
			...withCid,
			...(nad === undefined ? {} : { nad }),
			inf: frame.slice(offset)
		};
	}
	if ((pcb & 0xe6) === IsoDepPcb.RBlock) {
		if (frame.length !== offset) throw malformed('R-block with INF');
		return { type: 'R', ack: (pcb & IsoDepPcb.Nak) === 0, blockNumber, ...withCid };
	}
	if ((pcb & 0xc7) === IsoDepPcb.SBlock) {
		const command = pcb & 0x30;
		if (command === IsoDepPcb.SDeselect) {
			if (frame.length !== offset) throw malformed('S(DESELECT) with INF');
			return { type: 'S', command: 'deselect', ...withCid };
		}
		if (command === IsoDepPcb.SWtx) {
			if (frame.length !== offset + 1) throw malformed('S(WTX) INF is not one byte');
			const inf = frame[offset]!;
			const wtxm = inf & 0x3f;
			if (wtxm < WTXM_MIN || wtxm > WTXM_MAX) throw malformed('WTXM out of range');
			return { type: 'S', command: 'wtx', wtxm, powerLevel: inf >> 6, ...withCid };
		}
		throw malformed('unknown S-block');
	}
	throw malformed('unknown PCB');
}
