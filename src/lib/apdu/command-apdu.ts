import { ErrorKind, MynaError } from '../errors';

/**
 * A command APDU as named fields (ISO 7816-4 §5.1). `le` is the number of bytes expected, not its encoding:
 * 1..256 fits the short form (256 is sent as `00`), up to 65536 needs the extended form (65536 is sent as `00 00`).
 * Absent `data` (or empty data) and absent `le` give case 1: exactly the four header bytes.
 */
export interface CommandApdu {
	readonly cla: number;
	readonly ins: number;
	readonly p1: number;
	readonly p2: number;
	readonly data?: Uint8Array;
	readonly le?: number;
}

export const ApduForm = { Short: 'short', Extended: 'extended' } as const;
export type ApduForm = (typeof ApduForm)[keyof typeof ApduForm];

export const ApduLimit = {
	ShortLc: 255,
	ShortLe: 256,
	ExtendedLc: 65_535,
	ExtendedLe: 65_536
} as const;

export const ApduCase = { NoData: 1, ExpectsData: 2, SendsData: 3, SendsAndExpectsData: 4 } as const;
export type ApduCase = (typeof ApduCase)[keyof typeof ApduCase];

export interface EncodeCommandApduOptions {
	/** Force a form; by default the short form is used whenever it fits. Case 1 is four bytes in either form. */
	form?: ApduForm;
}

export interface ParsedCommandApdu {
	readonly command: CommandApdu;
	readonly form: ApduForm;
	readonly apduCase: ApduCase;
}

function malformed(message: string, details: Record<string, number | string> = {}): MynaError {
	return new MynaError(ErrorKind.Malformed, `Command APDU: ${message}`, details);
}

function checkByte(field: string, value: number): void {
	if (!Number.isInteger(value) || value < 0 || value > 0xff) throw malformed(`${field} is not a byte`, { field });
}

function caseOf(hasData: boolean, hasLe: boolean): ApduCase {
	if (hasData) return hasLe ? ApduCase.SendsAndExpectsData : ApduCase.SendsData;
	return hasLe ? ApduCase.ExpectsData : ApduCase.NoData;
}

/** Validates every field and says which form `encodeCommandApdu` would use, without building the bytes. */
export function commandApduForm(command: CommandApdu, options: EncodeCommandApduOptions = {}): ApduForm {
	checkByte('cla', command.cla);
	checkByte('ins', command.ins);
	checkByte('p1', command.p1);
	checkByte('p2', command.p2);
	const lc = command.data?.length ?? 0;
	const le = command.le;
	if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > ApduLimit.ExtendedLe)) {
		throw malformed('Le out of range 1..65536', { field: 'le', le });
	}
	if (lc > ApduLimit.ExtendedLc) throw malformed('data longer than 65535 bytes', { field: 'data', lc });
	if (lc === 0 && le === undefined) return ApduForm.Short;
	const fitsShort = lc <= ApduLimit.ShortLc && (le === undefined || le <= ApduLimit.ShortLe);
	if (options.form === ApduForm.Short && !fitsShort) {
		throw malformed('does not fit the short form', { field: lc > ApduLimit.ShortLc ? 'data' : 'le' });
	}
	if (options.form !== undefined) return options.form;
	return fitsShort ? ApduForm.Short : ApduForm.Extended;
}

export function encodeCommandApdu(command: CommandApdu, options: EncodeCommandApduOptions = {}): Uint8Array {
	const form = commandApduForm(command, options);
	const data = command.data ?? new Uint8Array(0);
	const lc = data.length;
	const le = command.le;
	const extended = form === ApduForm.Extended;
	const lcLength = lc === 0 ? 0 : extended ? 3 : 1;
	const leLength = le === undefined ? 0 : extended ? (lc === 0 ? 3 : 2) : 1;
	const out = new Uint8Array(4 + lcLength + lc + leLength);
	out[0] = command.cla;
	out[1] = command.ins;
	out[2] = command.p1;
	out[3] = command.p2;
	let offset = 4;
	if (lc > 0) {
		if (extended) {
			out[offset++] = 0;
			out[offset++] = lc >>> 8;
		}
		out[offset++] = lc & 0xff;
		out.set(data, offset);
		offset += lc;
	}
	if (le !== undefined) {
		if (extended) {
			if (lc === 0) out[offset++] = 0;
			out[offset++] = (le >>> 8) & 0xff;
		}
		out[offset] = le & 0xff;
	}
	return out;
}

/**
 * Strict inverse of `encodeCommandApdu` (ISO 7816-3 §12.1.3): every byte string it accepts re-encodes to the same
 * bytes in the reported form. Anything else is a Malformed error. The returned data is a copy.
 */
export function parseCommandApdu(bytes: Uint8Array): ParsedCommandApdu {
	const n = bytes.length;
	if (n < 4) throw malformed('shorter than the 4-byte header', { length: n });
	const header = { cla: bytes[0]!, ins: bytes[1]!, p1: bytes[2]!, p2: bytes[3]! };
	if (n === 4) return { command: header, form: ApduForm.Short, apduCase: ApduCase.NoData };
	const b4 = bytes[4]!;
	if (n === 5) return { command: { ...header, le: b4 || 256 }, form: ApduForm.Short, apduCase: ApduCase.ExpectsData };
	if (b4 !== 0) {
		const data = bytes.slice(5, 5 + b4);
		if (n === 5 + b4) return { command: { ...header, data }, form: ApduForm.Short, apduCase: ApduCase.SendsData };
		if (n === 6 + b4) {
			const le = bytes[n - 1]! || 256;
			return { command: { ...header, data, le }, form: ApduForm.Short, apduCase: ApduCase.SendsAndExpectsData };
		}
		throw malformed('length does not match short Lc', { length: n, lc: b4 });
	}
	if (n === 6) throw malformed('a zero byte followed by one byte is neither short nor extended', { length: n });
	const word = (bytes[5]! << 8) | bytes[6]!;
	if (n === 7) return { command: { ...header, le: word || 65_536 }, form: ApduForm.Extended, apduCase: ApduCase.ExpectsData };
	if (word === 0) throw malformed('extended Lc of zero', { length: n });
	const data = bytes.slice(7, 7 + word);
	if (n === 7 + word) return { command: { ...header, data }, form: ApduForm.Extended, apduCase: ApduCase.SendsData };
	if (n === 9 + word) {
		const le = ((bytes[n - 2]! << 8) | bytes[n - 1]!) || 65_536;
		return { command: { ...header, data, le }, form: ApduForm.Extended, apduCase: ApduCase.SendsAndExpectsData };
	}
	throw malformed('length does not match extended Lc', { length: n, lc: word });
}

export function decodeCommandApdu(bytes: Uint8Array): CommandApdu {
	return parseCommandApdu(bytes).command;
}

/** The ISO case of a command value (1–4). */
export function commandApduCase(command: CommandApdu): ApduCase {
	return caseOf((command.data?.length ?? 0) > 0, command.le !== undefined);
}
