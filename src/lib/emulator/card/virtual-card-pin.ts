import { wipe } from '../../bytes';

/**
 * One PIN object (reference data + retry counter) of the virtual card. The reference bytes live only here; the
 * candidate bytes are compared and then zeroed by the caller. Nothing in this file ever formats a PIN into a
 * string, a log line or an error message.
 */

/** Every PIN the card holds, with the EF that selects it (facts/jpki.md §3). */
export const VirtualCardPinId = {
	/** JPKI-AP EF 0018: 利用者証明用電子証明書の暗証番号, 4 digits, 3 tries. */
	auth: 'auth',
	/** JPKI-AP EF 001B: 署名用電子証明書の暗証番号, 6–16 of A–Z 0–9, 5 tries. */
	sign: 'sign',
	/** Text AP EF 0011: 券面事項入力補助用の暗証番号, 4 digits, 3 tries. */
	text: 'text',
	/** Text AP EF 0014: 暗証番号A (here: the 12-digit my number; UNSURE). */
	textA: 'text-a',
	/** Text AP EF 0015: 暗証番号B (here: the same value as 照合番号B; UNSURE). */
	textB: 'text-b',
	/** Visual AP EF 0013: 照合番号A = the 12-digit my number. */
	visualA: 'visual-a',
	/** Visual AP EF 0012: 照合番号B (birth date + expiry year + security code; format UNSURE). */
	visualB: 'visual-b',
	/** 住基AP EF 001C: 住民基本台帳用の暗証番号, 4 digits, 3 tries (AID/EF placement UNSURE). */
	juki: 'juki'
} as const;
export type VirtualCardPinId = (typeof VirtualCardPinId)[keyof typeof VirtualCardPinId];

export const ALL_PIN_IDS: readonly VirtualCardPinId[] = Object.values(VirtualCardPinId);

/** What bytes a PIN may consist of, as the card checks a new value in CHANGE REFERENCE DATA. */
export interface PinFormat {
	readonly minLength: number;
	readonly maxLength: number;
	/** Allowed byte ranges, inclusive. */
	readonly ranges: readonly (readonly [number, number])[];
}

const DIGITS = [0x30, 0x39] as const;
const UPPER = [0x41, 0x5a] as const;

export const PinFormats = {
	fourDigits: { minLength: 4, maxLength: 4, ranges: [DIGITS] },
	signPassword: { minLength: 6, maxLength: 16, ranges: [DIGITS, UPPER] },
	myNumber: { minLength: 12, maxLength: 12, ranges: [DIGITS] },
	/** jpki-rs form: birth date YYYYMMDD + expiry year YYYY + security code (16). UNSURE. */
	collationB16: { minLength: 16, maxLength: 16, ranges: [DIGITS] },
	/** The other reading: birth date YYMMDD + expiry year YYYY + security code (14). UNSURE. */
	collationB14: { minLength: 14, maxLength: 14, ranges: [DIGITS] }
} as const satisfies Record<string, PinFormat>;

export function matchesPinFormat(value: Uint8Array, format: PinFormat): boolean {
	if (value.length < format.minLength || value.length > format.maxLength) return false;
	for (const byte of value) {
		if (!format.ranges.some(([low, high]) => byte >= low && byte <= high)) return false;
	}
	return true;
}

export interface VirtualCardPinSpec {
	readonly maxTries: number;
	readonly format: PinFormat;
	/** CHANGE REFERENCE DATA allowed (after VERIFY). The my-number based values cannot be changed. */
	readonly changeable: boolean;
}

export const VerifyOutcome = { verified: 'verified', wrong: 'wrong', blocked: 'blocked' } as const;
export type VerifyOutcome = (typeof VerifyOutcome)[keyof typeof VerifyOutcome];

export class VirtualCardPin {
	readonly id: VirtualCardPinId;
	readonly spec: VirtualCardPinSpec;
	#reference: Uint8Array;
	#triesLeft: number;

	/** `reference` is taken over (not copied): the caller must not keep or reuse it. */
	constructor(id: VirtualCardPinId, spec: VirtualCardPinSpec, reference: Uint8Array, triesLeft: number) {
		if (!matchesPinFormat(reference, spec.format)) throw new TypeError(`PIN "${id}" does not have the format the card requires`);
		this.id = id;
		this.spec = spec;
		this.#reference = reference;
		this.#triesLeft = VirtualCardPin.#checkTries(id, spec, triesLeft);
	}

	get triesLeft(): number {
		return this.#triesLeft;
	}

	get blocked(): boolean {
		return this.#triesLeft === 0;
	}

	/** Test control: set the retry counter (0 blocks the PIN). */
	setTriesLeft(value: number): void {
		this.#triesLeft = VirtualCardPin.#checkTries(this.id, this.spec, value);
	}

	/** Compares without early exit. Correct resets the counter to max; wrong spends one try; blocked touches nothing. */
	verify(candidate: Uint8Array): VerifyOutcome {
		if (this.blocked) return VerifyOutcome.blocked;
		if (equalConstantTime(this.#reference, candidate)) {
			this.#triesLeft = this.spec.maxTries;
			return VerifyOutcome.verified;
		}
		this.#triesLeft -= 1;
		return VerifyOutcome.wrong;
	}

	/** Replaces the reference data with a copy of `next` (format already checked by the caller). */
	change(next: Uint8Array): void {
		wipe(this.#reference);
		this.#reference = next.slice();
		this.#triesLeft = this.spec.maxTries;
	}

	static #checkTries(id: VirtualCardPinId, spec: VirtualCardPinSpec, value: number): number {
		if (!Number.isInteger(value) || value < 0 || value > spec.maxTries) {
			throw new RangeError(`tries left for PIN "${id}" must be an integer from 0 to ${spec.maxTries}`);
		}
		return value;
	}
}

function equalConstantTime(reference: Uint8Array, candidate: Uint8Array): boolean {
	let diff = reference.length ^ candidate.length;
	const n = Math.max(reference.length, candidate.length);
	for (let i = 0; i < n; i++) diff |= (reference[i] ?? 0) ^ (candidate[i] ?? 0);
	return diff === 0;
}
