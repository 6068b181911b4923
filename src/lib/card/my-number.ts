import { ErrorKind, MynaError } from '../errors';

/** The text AP EF 0001 is read as exactly these many bytes (myna, TRET; facts/jpki.md §5). */
export const MY_NUMBER_EF_READ_LENGTH = 17;

/**
 * Whether 12 digits carry a valid check digit (個人番号の検査用数字, 番号法施行令第8条): P_n is the n-th of the first 11
 * digits counted from the right, Q_n = n + 1 for n ≤ 6 and n − 5 for n ≥ 7; r = Σ P_n·Q_n mod 11; the check digit
 * is 0 when r ≤ 1, else 11 − r.
 */
export function isValidMyNumber(value: string): boolean {
	if (!/^[0-9]{12}$/.test(value)) return false;
	let sum = 0;
	for (let n = 1; n <= 11; n++) sum += (value.charCodeAt(11 - n) - 0x30) * (n <= 6 ? n + 1 : n - 5);
	const r = sum % 11;
	return (r <= 1 ? 0 : 11 - r) === value.charCodeAt(11) - 0x30;
}

/**
 * The my number from text AP EF 0001: a 1- or 2-byte tag, the length `0C`, then 12 ASCII digits (the bytes after
 * them are ignored). The sources show `FF 10 0C …` (TRET drops the first byte and reads tag 10): a long-form tag for
 * number 16, which strict BER forbids, so the strict reader is not used here; the other reported form `10 01 0C …`
 * (one Swift document, UNSURE) also fits this rule. The digits must carry a valid check digit, so any other layout
 * fails instead of returning a wrong number. The message never contains the digits.
 */
export function parseMyNumberEf(bytes: Uint8Array): string {
	for (const lengthAt of [1, 2]) {
		if (bytes[lengthAt] !== 0x0c || bytes.length < lengthAt + 13) continue;
		let digits = '';
		for (const b of bytes.subarray(lengthAt + 1, lengthAt + 13)) digits += String.fromCharCode(b);
		if (isValidMyNumber(digits)) return digits;
	}
	throw new MynaError(ErrorKind.Malformed, 'The my number on the card is not 12 digits with a valid check digit');
}
