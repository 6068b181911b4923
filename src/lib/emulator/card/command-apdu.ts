/**
 * Strict ISO 7816-4 (§5.1) / ISO 7816-3 (§12.1.3) command APDU parser, as the virtual card sees one.
 *
 * Accepted encodings, and nothing else:
 * - case 1:  CLA INS P1 P2
 * - case 2S: CLA INS P1 P2 Le                      (Le = 00 means Ne = 256)
 * - case 3S: CLA INS P1 P2 Lc data                 (Lc = 01..FF)
 * - case 4S: CLA INS P1 P2 Lc data Le
 * - case 2E: CLA INS P1 P2 00 Le1 Le2              (Le = 0000 means Ne = 65536)
 * - case 3E: CLA INS P1 P2 00 Lc1 Lc2 data         (Lc = 0001..FFFF)
 * - case 4E: CLA INS P1 P2 00 Lc1 Lc2 data Le1 Le2
 * Every other length is malformed. The parser reads only inside the given bytes and copies the data field,
 * so the caller's buffer is never kept or changed.
 */

export const CommandApduCase = { case1: 1, case2: 2, case3: 3, case4: 4 } as const;
export type CommandApduCaseValue = (typeof CommandApduCase)[keyof typeof CommandApduCase];

export interface CommandApdu {
	readonly cla: number;
	readonly ins: number;
	readonly p1: number;
	readonly p2: number;
	/** The command data field (a copy; empty for cases 1 and 2). */
	readonly data: Uint8Array;
	/** Ne, the maximum number of response bytes expected: 0 when Le is absent (cases 1 and 3). */
	readonly ne: number;
	readonly apduCase: CommandApduCaseValue;
	/** Lc and/or Le were in the extended (3-byte / 2-byte) form. */
	readonly extended: boolean;
}

export type CommandApduParseResult =
	| { readonly ok: true; readonly apdu: CommandApdu }
	| { readonly ok: false; readonly reason: CommandApduMalformedReason };

export const CommandApduMalformedReason = {
	tooShort: 'shorter than the 4-byte header',
	shortLcZero: 'short Lc of 00 followed by data',
	lengthMismatch: 'length does not match Lc/Le',
	extendedLcZero: 'extended Lc of 0000'
} as const;
export type CommandApduMalformedReason = (typeof CommandApduMalformedReason)[keyof typeof CommandApduMalformedReason];

const HEADER_LENGTH = 4;

export function parseCommandApdu(bytes: Uint8Array): CommandApduParseResult {
	const length = bytes.length;
	if (length < HEADER_LENGTH) return malformed(CommandApduMalformedReason.tooShort);
	const cla = bytes[0]!;
	const ins = bytes[1]!;
	const p1 = bytes[2]!;
	const p2 = bytes[3]!;
	const make = (data: Uint8Array, ne: number, apduCase: CommandApduCaseValue, extended: boolean): CommandApduParseResult => ({
		ok: true,
		apdu: { cla, ins, p1, p2, data, ne, apduCase, extended }
	});
	const empty = new Uint8Array(0);

	if (length === HEADER_LENGTH) return make(empty, 0, CommandApduCase.case1, false);

	const b4 = bytes[4]!;
	if (length === 5) return make(empty, b4 === 0 ? 256 : b4, CommandApduCase.case2, false);

	if (b4 !== 0) {
		// Short Lc.
		const lc = b4;
		if (length === 5 + lc) return make(bytes.slice(5, 5 + lc), 0, CommandApduCase.case3, false);
		if (length === 6 + lc) {
			const le = bytes[5 + lc]!;
			return make(bytes.slice(5, 5 + lc), le === 0 ? 256 : le, CommandApduCase.case4, false);
		}
		return malformed(CommandApduMalformedReason.lengthMismatch);
	}

	// b4 = 00 and more than 5 bytes: extended form.
	if (length < 7) return malformed(CommandApduMalformedReason.shortLcZero);
	const word = (bytes[5]! << 8) | bytes[6]!;
	if (length === 7) return make(empty, word === 0 ? 65536 : word, CommandApduCase.case2, true);
	const lc = word;
	if (lc === 0) return malformed(CommandApduMalformedReason.extendedLcZero);
	if (length === 7 + lc) return make(bytes.slice(7, 7 + lc), 0, CommandApduCase.case3, true);
	if (length === 9 + lc) {
		const le = (bytes[7 + lc]! << 8) | bytes[8 + lc]!;
		return make(bytes.slice(7, 7 + lc), le === 0 ? 65536 : le, CommandApduCase.case4, true);
	}
	return malformed(CommandApduMalformedReason.lengthMismatch);
}

function malformed(reason: CommandApduMalformedReason): CommandApduParseResult {
	return { ok: false, reason };
}
