import { ErrorKind, MynaError } from '../../errors';
import type { T1Edc } from './atr';

/** S-block types (ISO/IEC 7816-3 §11.3.2.2; LudovicRousseau/CCID:src/openct/proto-t1.c T1_S_*). */
export const T1SType = { Resynch: 0x00, Ifs: 0x01, Abort: 0x02, Wtx: 0x03 } as const;

/** R-block error codes in the low bits of the PCB. */
export const T1RError = { None: 0, Edc: 1, Other: 2 } as const;
export type T1RError = (typeof T1RError)[keyof typeof T1RError];

/** The largest INF field: LEN 0xFF is reserved. */
export const T1_MAX_INF = 254;
const PROLOGUE = 3;

export type T1Block =
	| { kind: 'I'; nad: number; ns: 0 | 1; more: boolean; inf: Uint8Array }
	| { kind: 'R'; nad: number; nr: 0 | 1; error: T1RError }
	| { kind: 'S'; nad: number; type: number; response: boolean; inf: Uint8Array };

export function edcLength(edc: T1Edc): number {
	return edc === 'crc' ? 2 : 1;
}

export function lrc(bytes: Uint8Array): number {
	let x = 0;
	for (const b of bytes) x ^= b;
	return x;
}

/**
 * The T=1 CRC as libccid computes it (LudovicRousseau/CCID:src/openct/checksum.c csum_crc_compute): reflected
 * CCITT polynomial 0x8408, initial value 0xFFFF, no final XOR, high byte sent first.
 */
export function crc16(bytes: Uint8Array): number {
	let v = 0xffff;
	for (const b of bytes) {
		v ^= b;
		for (let i = 0; i < 8; i++) v = v & 1 ? (v >>> 1) ^ 0x8408 : v >>> 1;
	}
	return v;
}

function writeEdc(block: Uint8Array, length: number, edc: T1Edc): void {
	const covered = block.subarray(0, length);
	if (edc === 'lrc') {
		block[length] = lrc(covered);
	} else {
		const v = crc16(covered);
		block[length] = v >>> 8;
		block[length + 1] = v & 0xff;
	}
}

export function pcbOf(block: T1Block): number {
	switch (block.kind) {
		case 'I':
			return (block.ns << 6) | (block.more ? 0x20 : 0);
		case 'R':
			return 0x80 | (block.nr << 4) | block.error;
		case 'S':
			return 0xc0 | (block.response ? 0x20 : 0) | block.type;
	}
}

function invalid(reason: string, details: Record<string, number> = {}): MynaError {
	return new MynaError(ErrorKind.Protocol, `Invalid T=1 block: ${reason}.`, { ...details });
}

/** NAD PCB LEN INF EDC. */
export function encodeT1Block(block: T1Block, edc: T1Edc): Uint8Array<ArrayBuffer> {
	const inf = block.kind === 'R' ? new Uint8Array(0) : block.inf;
	if (inf.length > T1_MAX_INF) throw new RangeError('T=1 INF longer than 254 bytes');
	if (block.kind === 'S' && (block.type < 0 || block.type > 0x1f)) throw new RangeError('S-block type out of range');
	const out = new Uint8Array(PROLOGUE + inf.length + edcLength(edc));
	out[0] = block.nad;
	out[1] = pcbOf(block);
	out[2] = inf.length;
	out.set(inf, PROLOGUE);
	writeEdc(out, PROLOGUE + inf.length, edc);
	return out;
}

/**
 * Decodes one block received from the card. Strict: the length must be exactly prologue + LEN + EDC, LEN ≤ 254,
 * the EDC must match, reserved PCB bits must be clear. Any failure is a MynaError kind Protocol with
 * `details.edc = true` when only the check value was wrong (the protocol answers R-block EDC error then).
 */
export function decodeT1Block(bytes: Uint8Array, edc: T1Edc): T1Block {
	const tail = edcLength(edc);
	if (bytes.length < PROLOGUE + tail) throw invalid('too short', { length: bytes.length });
	const length = bytes[2]!;
	if (length > T1_MAX_INF) throw invalid('LEN 0xFF');
	if (bytes.length !== PROLOGUE + length + tail) throw invalid('length mismatch', { length: bytes.length, len: length });
	const check = new Uint8Array(tail);
	check.set(bytes.subarray(PROLOGUE + length));
	const expected = new Uint8Array(PROLOGUE + length + tail);
	expected.set(bytes.subarray(0, PROLOGUE + length));
	writeEdc(expected, PROLOGUE + length, edc);
	for (let i = 0; i < tail; i++) {
		if (expected[PROLOGUE + length + i] !== check[i]) throw new MynaError(ErrorKind.Protocol, 'Invalid T=1 block: EDC mismatch.', { edc: true });
	}
	const nad = bytes[0]!;
	const pcb = bytes[1]!;
	const inf = bytes.slice(PROLOGUE, PROLOGUE + length);
	if ((pcb & 0x80) === 0) {
		if (pcb & 0x1f) throw invalid('reserved I-block PCB bits', { pcb });
		return { kind: 'I', nad, ns: ((pcb >> 6) & 1) as 0 | 1, more: (pcb & 0x20) !== 0, inf };
	}
	if ((pcb & 0x40) === 0) {
		const error = pcb & 0x0f;
		if (pcb & 0x20 || error > T1RError.Other) throw invalid('reserved R-block PCB bits', { pcb });
		if (length !== 0) throw invalid('R-block with INF', { len: length });
		return { kind: 'R', nad, nr: ((pcb >> 4) & 1) as 0 | 1, error: error as T1RError };
	}
	return { kind: 'S', nad, type: pcb & 0x1f, response: (pcb & 0x20) !== 0, inf };
}

/** True when the decode error was only a wrong check value (R-block "EDC error" rather than "other error"). */
export function isEdcError(error: unknown): boolean {
	return error instanceof MynaError && error.details.edc === true;
}
