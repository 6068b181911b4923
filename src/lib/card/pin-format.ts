import { asciiBytes } from '../bytes';
import { ErrorKind, MynaError } from '../errors';
import { isValidMyNumber } from './my-number';
import { PinRule, PinSpecs, type PinKind } from './pin-specs';

const Patterns = {
	'four-digits': /^[0-9]{4}$/,
	'sign-password': /^[A-Z0-9]{6,16}$/,
	'my-number': /^[0-9]{12}$/,
	/** 16 (YYYYMMDD + YYYY + code, jpki-rs) or 14 (YYMMDD + YYYY + code): both readings exist (facts/jpki.md §6). */
	'collation-b': /^(?:[0-9]{14}|[0-9]{16})$/
} as const satisfies Record<PinRule, RegExp>;

const RuleText = {
	'four-digits': '4 digits',
	'sign-password': '6 to 16 letters A–Z and digits',
	'my-number': 'the 12-digit my number',
	'collation-b': '14 or 16 digits'
} as const satisfies Record<PinRule, string>;

/**
 * The bytes VERIFY / CHANGE REFERENCE DATA send for `pin`, after the format check of design §5: nothing reaches the
 * card unless it has the format the card requires. The sign password is upper-cased first (the card stores upper
 * case; facts/jpki.md §9.3). A my number must also carry a valid check digit. The caller wipes the result.
 * The error names the rule, never the value.
 */
export function encodePin(kind: PinKind, pin: string): Uint8Array {
	const spec = PinSpecs[kind];
	const value = typeof pin !== 'string' ? '' : spec.rule === PinRule.SignPassword && /^[A-Za-z0-9]*$/.test(pin) ? pin.toUpperCase() : pin;
	const valid = Patterns[spec.rule].test(value) && (spec.rule !== PinRule.MyNumber || isValidMyNumber(value));
	if (!valid) {
		throw new MynaError(ErrorKind.PinFormat, `The ${spec.en} must be ${RuleText[spec.rule]}`, { pin: kind, rule: spec.rule });
	}
	return asciiBytes(value);
}
