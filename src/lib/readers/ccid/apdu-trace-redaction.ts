import { TRACE_MASK_BYTE } from '../t1/t1-protocol';

/**
 * Instructions whose data field carries reference data (PINs, passwords): VERIFY 20/21, CHANGE REFERENCE
 * DATA 24/25, DISABLE/ENABLE VERIFICATION REQUIREMENT 26/28, RESET RETRY COUNTER 2C/2D (ISO/IEC 7816-4 §11.5).
 */
const SECRET_INS: ReadonlySet<number> = new Set([0x20, 0x21, 0x24, 0x25, 0x26, 0x28, 0x2c, 0x2d]);

/**
 * [start, end) of the bytes to hide, or undefined when the APDU carries no secret. A data field whose length
 * does not match the APDU is not guessed at: everything after the header is hidden.
 */
function secretRange(apdu: Uint8Array): [number, number] | undefined {
	if (apdu.length <= 5 || !SECRET_INS.has(apdu[1]!)) return undefined;
	const all: [number, number] = [4, apdu.length];
	const shortLc = apdu[4]!;
	if (shortLc !== 0) {
		const end = 5 + shortLc;
		return end > apdu.length || apdu.length > end + 1 ? all : [5, end];
	}
	if (apdu.length === 7) return undefined; // case 2E: 00 Le Le
	if (apdu.length < 7) return all;
	const lc = (apdu[5]! << 8) | apdu[6]!;
	const end = 7 + lc;
	return lc === 0 || end > apdu.length || apdu.length > end + 2 ? all : [7, end];
}

/**
 * A copy of the command APDU for traces, its data field masked when it holds a PIN (design §5: "VERIFY data
 * shown as **"). Undefined when there is nothing to mask, e.g. the empty VERIFY `00 20 00 80`.
 */
export function redactApduForTrace(apdu: Uint8Array): Uint8Array | undefined {
	const range = secretRange(apdu);
	if (!range) return undefined;
	const copy = apdu.slice();
	copy.fill(TRACE_MASK_BYTE, range[0], range[1]);
	return copy;
}
