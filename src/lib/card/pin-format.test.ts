import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorKind, isMynaError, type MynaError } from '../errors';
import { encodePin } from './pin-format';
import { pinRecoveryHint } from './pin-recovery';
import { ALL_PIN_KINDS } from './pin-specs';

const decode = (bytes: Uint8Array) => String.fromCharCode(...bytes);

function formatErrorOf(kind: string): unknown {
	try {
		encodePin(kind as never, '');
	} catch (error) {
		return (error as MynaError).toData();
	}
	throw new Error('the empty PIN was accepted');
}

describe('encodePin', () => {
	it('upper-cases the signing password and nothing else', () => {
		expect(decode(encodePin('sign', 'abcDEF12'))).toBe('ABCDEF12');
		expect(decode(encodePin('auth', '0123'))).toBe('0123');
		expect(decode(encodePin('visual-b', '1985061520355678'))).toBe('1985061520355678');
		expect(decode(encodePin('visual-b', '85061520355678'))).toBe('85061520355678');
	});

	it('accepts exactly the documented formats', () => {
		const rules: Record<string, RegExp> = {
			auth: /^[0-9]{4}$/,
			text: /^[0-9]{4}$/,
			sign: /^[A-Za-z0-9]{6,16}$/,
			'text-b': /^([0-9]{14}|[0-9]{16})$/,
			'visual-b': /^([0-9]{14}|[0-9]{16})$/
		};
		const candidate = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[0-9A-Za-z]{0,18}$/), fc.stringMatching(/^[0-9]{3,17}$/));
		fc.assert(
			fc.property(fc.constantFrom(...Object.keys(rules)), candidate, (kind, pin) => {
				let accepted: boolean;
				try {
					encodePin(kind as never, pin);
					accepted = true;
				} catch (error) {
					expect(isMynaError(error, ErrorKind.PinFormat)).toBe(true);
					// The error depends on the rule only, never on what was typed.
					expect((error as MynaError).toData()).toEqual(formatErrorOf(kind));
					accepted = false;
				}				expect(accepted).toBe(rules[kind]!.test(pin));
			})
		);
	});
});

describe('pinRecoveryHint', () => {
	it('sends every PIN but auth/sign to the office; auth/sign to the kiosk only while the other one works', () => {
		for (const pin of ALL_PIN_KINDS) {
			const hint = pinRecoveryHint(pin);
			expect(hint.ja.length).toBeGreaterThan(10);
			expect(hint.en.length).toBeGreaterThan(10);
			expect(hint.places).toContain('municipal-office');
			expect(hint.places.includes('convenience-store')).toBe(pin === 'auth' || pin === 'sign');
		}
		expect(pinRecoveryHint('sign').convenienceStoreNeeds).toBe('auth');
		expect(pinRecoveryHint('sign', { otherPinBlocked: true }).places).toEqual(['municipal-office']);
		expect(pinRecoveryHint('text').ja).toContain('市区町村の窓口でのみ');
	});
});
