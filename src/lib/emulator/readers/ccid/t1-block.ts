import { ErrorKind, MynaError } from '../../../errors';

/**
 * ISO 7816-3 §11.3 T=1 blocks: prologue NAD PCB LEN, INF (0..254 bytes), epilogue LRC (1 byte) or CRC (2 bytes).
 * PCB coding as libccid's openct proto-t1.c defines it.
 */

export const T1Edc = { Lrc: 'lrc', Crc: 'crc' } as const;
export type T1Edc = (typeof T1Edc)[keyof typeof T1Edc];

export const T1Pcb = {
	/** I-block: b8 = 0, N(S) = b7, M (more) = b6. */
	IBlockSeq: 0x40,
	IBlockMore: 0x20,
	/** R-block: 10 0 N(R) error. */
	RBlock: 0x80,
	RBlockSeq: 0x10,
	RBlockEdcError: 0x01,
	RBlockOtherError: 0x02,
	/** S-block: 11 response type. */
	SBlock: 0xc0,
	SBlockResponse: 0x20
} as const;

export const T1SBlockType = {
	Resynch: 0x00,
	Ifs: 0x01,
	Abort: 0x02,
	Wtx: 0x03,
	VppError: 0x04
} as const;
export type T1SBlockType = (typeof T1SBlockType)[keyof typeof T1SBlockType];

export const T1_MAX_INF = 254;

export interface T1Block {
	readonly nad: number;
	readonly pcb: number;
	readonly inf: Uint8Array;
}

export type T1BlockKind = 'i' | 'r' | 's';

export function t1BlockKind(pcb: number): T1BlockKind {
	if ((pcb & 0x80) === 0) return 'i';
	return (pcb & 0xc0) === 0x80 ? 'r' : 's';
}

/** Why a received block was refused: `edc` maps to the R-block EDC error bit, the others to "other error". */
export const T1BlockFault = {
	Edc: 'edc',
	Length: 'length',
	Pcb: 'pcb'
} as const;
export type T1BlockFault = (typeof T1BlockFault)[keyof typeof T1BlockFault];

function blockError(fault: T1BlockFault): MynaError {
	return new MynaError(ErrorKind.Protocol, `T=1 block refused: ${fault}`, { fault });
}

export function lrc(bytes: Uint8Array): number {
	let value = 0;
	for (const byte of bytes) value ^= byte;
	return value;
}

/**
 * CRC of ISO 3309 as libccid computes it (src/openct/checksum.c csum_crc_compute): reflected polynomial 0x8408,
 * initial value 0xFFFF, no final XOR, high byte sent first.
 */
export function crc16(bytes: Uint8Array): number {
	let value = 0xffff;
	for (const byte of bytes) {
		value ^= byte;
		for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ 0x8408 : value >>> 1;
	}
	return value;
}

export function edcLength(edc: T1Edc): number {
	return edc === T1Edc.Lrc ? 1 : 2;
}

function writeEdc(out: Uint8Array, bodyLength: number, edc: T1Edc): void {
	const body = out.subarray(0, bodyLength);
	if (edc === T1Edc.Lrc) out[bodyLength] = lrc(body);
	else {
		const crc = crc16(body);
		out[bodyLength] = crc >>> 8;
		out[bodyLength + 1] = crc & 0xff;
	}
}

export function encodeT1Block(block: T1Block, edc: T1Edc): Uint8Array {
	if (block.inf.length > T1_MAX_INF) throw new MynaError(ErrorKind.Internal, 'T=1 INF longer than 254 bytes', { length: block.inf.length });
	const out = new Uint8Array(3 + block.inf.length + edcLength(edc));
	out[0] = block.nad;
	out[1] = block.pcb;
	out[2] = block.inf.length;
	out.set(block.inf, 3);
	writeEdc(out, 3 + block.inf.length, edc);
	return out;
}

/** INF length each S-block type carries. */
const S_BLOCK_INF: Readonly<Record<number, number>> = {
	[T1SBlockType.Resynch]: 0,
	[T1SBlockType.Ifs]: 1,
	[T1SBlockType.Abort]: 0,
	[T1SBlockType.Wtx]: 1,
	[T1SBlockType.VppError]: 0
};

/**
 * Strict parser: LEN ≠ 0xFF and the byte count equal to 3 + LEN + EDC, the EDC right, a defined PCB (RFU bits
 * zero) and the INF length its type requires. Fails with MynaError kind Protocol, details.fault a T1BlockFault.
 */
export function decodeT1Block(bytes: Uint8Array, edc: T1Edc): T1Block {
	const epilogue = edcLength(edc);
	if (bytes.length < 3 + epilogue) throw blockError(T1BlockFault.Length);
	const len = bytes[2]!;
	if (len === 0xff || bytes.length !== 3 + len + epilogue) throw blockError(T1BlockFault.Length);
	const body = bytes.subarray(0, 3 + len);
	const ok =
		edc === T1Edc.Lrc
			? lrc(body) === bytes[3 + len]
			: crc16(body) === ((bytes[3 + len]! << 8) | bytes[4 + len]!);
	if (!ok) throw blockError(T1BlockFault.Edc);
	const pcb = bytes[1]!;
	switch (t1BlockKind(pcb)) {
		case 'i':
			if ((pcb & 0x1f) !== 0) throw blockError(T1BlockFault.Pcb);
			break;
		case 'r':
			if ((pcb & 0x2c) !== 0 || (pcb & 0x03) === 0x03 || len !== 0) throw blockError(T1BlockFault.Pcb);
			break;
		case 's': {
			const expected = S_BLOCK_INF[pcb & 0x1f];
			if (expected === undefined || expected !== len) throw blockError(T1BlockFault.Pcb);
			break;
		}
	}
	return { nad: bytes[0]!, pcb, inf: bytes.slice(3, 3 + len) };
}

export function iBlock(ns: number, more: boolean, inf: Uint8Array, nad = 0): T1Block {
	return { nad, pcb: (ns ? T1Pcb.IBlockSeq : 0) | (more ? T1Pcb.IBlockMore : 0), inf };
}

export function rBlock(nr: number, error: 0 | typeof T1Pcb.RBlockEdcError | typeof T1Pcb.RBlockOtherError = 0, nad = 0): T1Block {
	return { nad, pcb: T1Pcb.RBlock | (nr ? T1Pcb.RBlockSeq : 0) | error, inf: new Uint8Array(0) };
}

export function sBlock(type: T1SBlockType, response: boolean, inf: Uint8Array = new Uint8Array(0), nad = 0): T1Block {
	return { nad, pcb: T1Pcb.SBlock | (response ? T1Pcb.SBlockResponse : 0) | type, inf };
}
