import { concatBytes, fromHex } from '../../../../bytes';
import type { ApduCard } from '../../../card/apdu-card';

/** The contact ATR OpenSC lists for the My Number Card (jpki.md §8): T=1, TA3 = FE (IFSC 254), TB3 = 45, LRC. */
export const JPKI_ATR = fromHex('3B E0 00 FF 81 31 FE 45 14');

/** A T=1 ATR with the given TA3 (IFSC), TB3 (BWI/CWI) and optional TC3 (EDC: bit 0 = CRC); TCK computed. */
export function t1Atr(ifsc: number, bwiCwi = 0x45, tc3?: number): Uint8Array {
	const body = tc3 === undefined ? [0x80, 0x81, 0x31, ifsc, bwiCwi] : [0x80, 0x81, 0x71, ifsc, bwiCwi, tc3];
	const tck = body.reduce((a, b) => a ^ b, 0);
	return new Uint8Array([0x3b, ...body, tck]);
}

export type FakeResponder = (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** `n` bytes 00 01 02 … then 90 00. */
export function patternResponse(n: number): Uint8Array {
	return concatBytes(Uint8Array.from({ length: n }, (_, i) => i & 0xff), new Uint8Array([0x90, 0x00]));
}

/**
 * A tiny ApduCard for reader tests: records what it receives and answers through `respond`. The default answer
 * is the command echoed with 90 00, except a command whose first byte is 0xB0 ("give me N bytes", N = P1 P2),
 * answered with `patternResponse(N)` — so 256-byte and longer responses are one command away.
 */
export class FakeApduCard implements ApduCard {
	readonly atr: Uint8Array;
	readonly received: Uint8Array[] = [];
	resets = 0;
	respond: FakeResponder;

	constructor(options: { atr?: Uint8Array; respond?: FakeResponder } = {}) {
		this.atr = options.atr ?? JPKI_ATR;
		this.respond = options.respond ?? defaultResponder;
	}

	async transmit(apdu: Uint8Array): Promise<Uint8Array> {
		this.received.push(apdu.slice());
		return this.respond(apdu);
	}

	reset(): void {
		this.resets++;
	}
}

function defaultResponder(apdu: Uint8Array): Uint8Array {
	if (apdu[0] === 0xb0 && apdu.length >= 4) return patternResponse((apdu[2]! << 8) | apdu[3]!);
	return concatBytes(apdu, new Uint8Array([0x90, 0x00]));
}

/** A command APDU of `length` bytes in extended case 3 form (length ≥ 8). */
export function extendedCase3(length: number): Uint8Array {
	const lc = length - 7;
	const out = new Uint8Array(length);
	out.set([0x80, 0x10, 0x00, 0x00, 0x00, lc >> 8, lc & 0xff]);
	for (let i = 7; i < length; i++) out[i] = (i * 7) & 0xff;
	return out;
}

/** "Give me n bytes" for the fake card's default responder, as a short case-1 header. */
export function askFor(n: number): Uint8Array {
	return new Uint8Array([0xb0, 0x00, n >> 8, n & 0xff]);
}

export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((r) => (resolve = r));
	return { promise, resolve };
}
