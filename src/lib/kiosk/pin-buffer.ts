/**
 * The kiosk PIN pad's only store of digits: a fixed byte buffer, never a string until `take()` hands the PIN to the
 * card worker and zeroes the buffer in the same call. Nothing else can read the digits back (no getter), so they
 * cannot reach the DOM, a log or storage by accident. `clear()` zeroes too (cancel, wipe, idle).
 */
export class KioskPinBuffer {
	readonly #digits: Uint8Array;
	#length = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1 || capacity > 16) throw new RangeError('PIN buffer capacity 1–16');
		this.#digits = new Uint8Array(capacity);
	}

	get length(): number {
		return this.#length;
	}

	get full(): boolean {
		return this.#length === this.capacity;
	}

	/** Adds one digit 0–9; refused (false) when full or not a digit. */
	push(digit: number): boolean {
		if (!Number.isInteger(digit) || digit < 0 || digit > 9 || this.full) return false;
		this.#digits[this.#length++] = digit;
		return true;
	}

	pop(): void {
		if (this.#length === 0) return;
		this.#digits[--this.#length] = 0;
	}

	clear(): void {
		this.#digits.fill(0);
		this.#length = 0;
	}

	/** The digits as the worker takes them; the buffer is zeroed before this returns. */
	take(): string {
		let pin = '';
		for (let i = 0; i < this.#length; i++) pin += String.fromCharCode(0x30 + this.#digits[i]!);
		this.clear();
		return pin;
	}

	/** For tests: whether every byte is zero (the buffer holds nothing). */
	isZeroed(): boolean {
		return this.#length === 0 && this.#digits.every((b) => b === 0);
	}
}

export const PIN_PAD_DIGITS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0] as const;

/** The ten digits in a random order (Fisher–Yates with the injected `random`, e.g. crypto-backed). */
export function shuffledDigits(random: () => number): number[] {
	const digits: number[] = [...PIN_PAD_DIGITS];
	for (let i = digits.length - 1; i > 0; i--) {
		const j = Math.min(i, Math.floor(random() * (i + 1)));
		[digits[i], digits[j]] = [digits[j]!, digits[i]!];
	}
	return digits;
}
