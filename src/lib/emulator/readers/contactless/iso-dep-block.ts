/**
 * ISO/IEC 14443-4 (ISO-DEP) blocks without their CRC: PCB, optional CID byte, optional NAD byte, INF.
 *
 * PCB coding (ISO 14443-4 §7.1.1.1):
 * - I-block `0 0 0 C c n 1 b`: C chaining (0x10), c CID follows (0x08), n NAD follows (0x04), b block number.
 * - R-block `1 0 1 K c 0 1 b`: K = 1 NAK, 0 ACK (0x10); no NAD, no INF.
 * - S-block `1 1 x x c 0 1 0`: xx = 00 DESELECT, 11 WTX; WTX carries one INF byte (power level, WTXM).
 * CID byte: b8–b7 power level indication, b6–b5 RFU (0), b4–b1 CID.
 * Anything else, including S(PARAMETERS) and RFU codings, is rejected: the parser never guesses.
 */

export type IsoDepBlockNumber = 0 | 1;

export type IsoDepBlock =
	| {
			readonly type: 'I';
			readonly blockNumber: IsoDepBlockNumber;
			readonly chaining: boolean;
			readonly cid?: number;
			readonly nad?: number;
			readonly inf: Uint8Array;
	  }
	| { readonly type: 'R'; readonly blockNumber: IsoDepBlockNumber; readonly nak: boolean; readonly cid?: number }
	| { readonly type: 'S'; readonly command: IsoDepSCommand; readonly cid?: number; readonly inf: Uint8Array };

export const IsoDepSCommand = { deselect: 'deselect', wtx: 'wtx' } as const;
export type IsoDepSCommand = (typeof IsoDepSCommand)[keyof typeof IsoDepSCommand];

export const IsoDepPcb = {
	iBlock: 0x02,
	rAck: 0xa2,
	rNak: 0xb2,
	sDeselect: 0xc2,
	sWtx: 0xf2,
	chaining: 0x10,
	cidFollows: 0x08,
	nadFollows: 0x04,
	blockNumber: 0x01
} as const;

export const IsoDepBlockError = {
	empty: 'empty block',
	invalidPcb: 'PCB is not a valid I-, R- or S-block coding',
	unsupportedSBlock: 'S-block other than DESELECT or WTX',
	truncated: 'CID or NAD byte announced but missing',
	cidRfuBits: 'CID byte has RFU bits set',
	unexpectedInf: 'R-block or S(DESELECT) with an INF field',
	wtxLength: 'S(WTX) INF is not exactly one byte'
} as const;
export type IsoDepBlockError = (typeof IsoDepBlockError)[keyof typeof IsoDepBlockError];

export type IsoDepBlockParseResult =
	| { readonly ok: true; readonly block: IsoDepBlock }
	| { readonly ok: false; readonly reason: IsoDepBlockError };

/** The WTXM field of an S(WTX) INF byte (b6–b1); ISO 14443-4 allows 1..59. */
export function wtxmOf(inf: Uint8Array): number {
	return (inf[0] ?? 0) & 0x3f;
}

export function parseIsoDepBlock(bytes: Uint8Array): IsoDepBlockParseResult {
	if (bytes.length === 0) return fail(IsoDepBlockError.empty);
	const pcb = bytes[0]!;
	let offset = 1;
	let cid: number | undefined;
	const readCid = (): IsoDepBlockError | undefined => {
		if ((pcb & IsoDepPcb.cidFollows) === 0) return undefined;
		if (offset >= bytes.length) return IsoDepBlockError.truncated;
		const byte = bytes[offset++]!;
		if ((byte & 0x30) !== 0) return IsoDepBlockError.cidRfuBits;
		cid = byte & 0x0f;
		return undefined;
	};

	if ((pcb & 0xe2) === 0x02) {
		const cidError = readCid();
		if (cidError) return fail(cidError);
		let nad: number | undefined;
		if (pcb & IsoDepPcb.nadFollows) {
			if (offset >= bytes.length) return fail(IsoDepBlockError.truncated);
			nad = bytes[offset++]!;
		}
		return {
			ok: true,
			block: {
				type: 'I',
				blockNumber: (pcb & 1) as IsoDepBlockNumber,
				chaining: (pcb & IsoDepPcb.chaining) !== 0,
				...(cid === undefined ? {} : { cid }),
				...(nad === undefined ? {} : { nad }),
				inf: bytes.slice(offset)
			}
		};
	}
	if ((pcb & 0xe6) === 0xa2) {
		const cidError = readCid();
		if (cidError) return fail(cidError);
		if (offset !== bytes.length) return fail(IsoDepBlockError.unexpectedInf);
		return {
			ok: true,
			block: { type: 'R', blockNumber: (pcb & 1) as IsoDepBlockNumber, nak: (pcb & 0x10) !== 0, ...(cid === undefined ? {} : { cid }) }
		};
	}
	if ((pcb & 0xc7) === 0xc2) {
		const kind = (pcb >> 4) & 0x03;
		if (kind !== 0 && kind !== 3) return fail(IsoDepBlockError.unsupportedSBlock);
		const cidError = readCid();
		if (cidError) return fail(cidError);
		const inf = bytes.slice(offset);
		if (kind === 0 && inf.length !== 0) return fail(IsoDepBlockError.unexpectedInf);
		if (kind === 3 && inf.length !== 1) return fail(IsoDepBlockError.wtxLength);
		return {
			ok: true,
			block: { type: 'S', command: kind === 0 ? IsoDepSCommand.deselect : IsoDepSCommand.wtx, ...(cid === undefined ? {} : { cid }), inf }
		};
	}
	return fail(IsoDepBlockError.invalidPcb);
}

export function encodeIsoDepBlock(block: IsoDepBlock): Uint8Array {
	const cidBytes = block.cid === undefined ? [] : [block.cid & 0x0f];
	const cidBit = block.cid === undefined ? 0 : IsoDepPcb.cidFollows;
	switch (block.type) {
		case 'I': {
			const nadBytes = block.nad === undefined ? [] : [block.nad & 0xff];
			const pcb =
				IsoDepPcb.iBlock | block.blockNumber | cidBit | (block.nad === undefined ? 0 : IsoDepPcb.nadFollows) | (block.chaining ? IsoDepPcb.chaining : 0);
			return withInf([pcb, ...cidBytes, ...nadBytes], block.inf);
		}
		case 'R':
			return new Uint8Array([(block.nak ? IsoDepPcb.rNak : IsoDepPcb.rAck) | block.blockNumber | cidBit, ...cidBytes]);
		case 'S':
			return withInf([(block.command === IsoDepSCommand.wtx ? IsoDepPcb.sWtx : IsoDepPcb.sDeselect) | cidBit, ...cidBytes], block.inf);
	}
}

function withInf(prologue: number[], inf: Uint8Array): Uint8Array {
	const out = new Uint8Array(prologue.length + inf.length);
	out.set(prologue);
	out.set(inf, prologue.length);
	return out;
}

function fail(reason: IsoDepBlockError): IsoDepBlockParseResult {
	return { ok: false, reason };
}
