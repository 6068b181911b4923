import { ErrorKind, MynaError } from '../../errors';

const PPSS = 0xff;
const PPS1_PRESENT = 0x10;
const PPS2_PRESENT = 0x20;
const PPS3_PRESENT = 0x40;
const MAX_PPS_LENGTH = 6;

/** PPS request (ISO/IEC 7816-3 §9.2): FF PPS0 [PPS1] PCK, PPS0 = protocol | PPS1 presence. */
export function buildPpsRequest(protocol: number, pps1?: number): Uint8Array<ArrayBuffer> {
	if (!Number.isInteger(protocol) || protocol < 0 || protocol > 15) throw new RangeError('protocol out of range');
	const body = pps1 === undefined ? [PPSS, protocol] : [PPSS, PPS1_PRESENT | protocol, pps1 & 0xff];
	const pck = body.reduce((x, b) => x ^ b, 0);
	return new Uint8Array([...body, pck]);
}

export interface PpsOutcome {
	/** The Fi/Di pair now in effect: the echoed PPS1, else the default 0x11. */
	fiDi: number;
}

function ppsLength(bytes: Uint8Array): number {
	const pps0 = bytes[1]!;
	return 3 + (pps0 & PPS1_PRESENT ? 1 : 0) + (pps0 & PPS2_PRESENT ? 1 : 0) + (pps0 & PPS3_PRESENT ? 1 : 0);
}

/**
 * Checks the card's PPS response against the request (ISO/IEC 7816-3 §9.3; LudovicRousseau/CCID:src/towitoko/pps.c
 * PPS_Match): same PPSS and protocol, valid PCK, no byte the request did not have, PPS1 either echoed or
 * absent (then the default Fi/Di applies). Anything else is a failed PPS exchange.
 */
export function checkPpsResponse(request: Uint8Array, response: Uint8Array): PpsOutcome {
	const fail = (reason: string) => new MynaError(ErrorKind.Protocol, `The card rejected the PPS request: ${reason}.`);
	if (response.length < 3 || response.length > MAX_PPS_LENGTH) throw fail('bad length');
	if (response[0] !== PPSS) throw fail('bad PPSS');
	if (ppsLength(response) !== response.length) throw fail('length does not match PPS0');
	if (response.reduce((x, b) => x ^ b, 0) !== 0) throw fail('PCK mismatch');
	if ((response[1]! & 0x0f) !== (request[1]! & 0x0f)) throw fail('other protocol');
	if (response[1]! & ~request[1]! & 0x70) throw fail('unrequested parameters');
	const echoed = (response[1]! & PPS1_PRESENT) !== 0;
	if (echoed && response[2] !== request[2]) throw fail('other Fi/Di');
	return { fiDi: echoed ? response[2]! : 0x11 };
}
