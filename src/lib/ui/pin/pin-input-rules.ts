import { isValidMyNumber } from '$lib/card/my-number';
import { PinRule, PinSpecs, type PinKind } from '$lib/card/pin-specs';

/**
 * What the PIN field needs to know about each kind of secret, as typed (the card layer checks again before
 * anything is sent: src/lib/card/pin-format.ts). Plain data and pure functions, so they can be unit-tested.
 */
export const PinInputShape = {
	'four-digits': { digitsOnly: true, maxLength: 4, upperCase: false },
	'sign-password': { digitsOnly: false, maxLength: 16, upperCase: true },
	'my-number': { digitsOnly: true, maxLength: 12, upperCase: false },
	'collation-b': { digitsOnly: true, maxLength: 16, upperCase: false }
} as const satisfies Record<PinRule, { digitsOnly: boolean; maxLength: number; upperCase: boolean }>;

/** Why an entry is not (yet) in the right format. `chars` is shown as typed; the others once the field was left. */
export const PinInputProblem = {
	Empty: 'empty',
	/** A character the PIN cannot contain (a letter in a digits-only PIN, a symbol in the signing password). */
	Chars: 'chars',
	/** Too short or too long. */
	Length: 'length',
	/** 12 digits whose check digit is wrong (a my number). */
	CheckDigit: 'check-digit'
} as const;
export type PinInputProblem = (typeof PinInputProblem)[keyof typeof PinInputProblem];

const LENGTH = {
	'four-digits': /^.{4}$/u,
	'sign-password': /^.{6,16}$/u,
	'my-number': /^.{12}$/u,
	'collation-b': /^(?:.{14}|.{16})$/u
} as const satisfies Record<PinRule, RegExp>;

export function pinRule(kind: PinKind): PinRule {
	return PinSpecs[kind].rule;
}

export function pinInputShape(kind: PinKind): (typeof PinInputShape)[PinRule] {
	return PinInputShape[pinRule(kind)];
}

/**
 * The entry as the field keeps it: full-width digits and letters (typed with a Japanese IME) become ASCII, and the
 * signing password is upper-cased (the card stores upper case; facts/jpki.md §3).
 */
export function normalizePinInput(kind: PinKind, raw: string): string {
	const ascii = raw.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
	return pinInputShape(kind).upperCase ? ascii.toUpperCase() : ascii;
}

/** The first problem of an entry, or undefined when it has the format the card needs. */
export function pinInputProblem(kind: PinKind, value: string): PinInputProblem | undefined {
	const rule = pinRule(kind);
	if (value.length === 0) return PinInputProblem.Empty;
	const chars = PinInputShape[rule].digitsOnly ? /^[0-9]*$/ : /^[A-Z0-9]*$/;
	if (!chars.test(value)) return PinInputProblem.Chars;
	if (!LENGTH[rule].test(value)) return PinInputProblem.Length;
	if (rule === PinRule.MyNumber && !isValidMyNumber(value)) return PinInputProblem.CheckDigit;
	return undefined;
}
