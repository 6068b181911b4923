import type { ApduCard } from '../../card/apdu-card';
import { toHex } from '../../../bytes';

/**
 * A tiny ApduCard answering from a table of exact commands (for reader-model tests and benchmarks; the real
 * virtual My Number Card lives in `emulator/card`). Unknown commands get `fallback` (default 6D00). It records what
 * it received and how often it was reset.
 */
export class FixedResponseCard implements ApduCard {
	readonly atr = new Uint8Array([0x3b, 0x80, 0x80, 0x01, 0x01]);
	readonly received: Uint8Array[] = [];
	resets = 0;
	readonly #answers: Map<string, Uint8Array>;
	readonly #fallback: Uint8Array;

	constructor(answers: Iterable<readonly [command: Uint8Array, response: Uint8Array]> = [], fallback = new Uint8Array([0x6d, 0x00])) {
		this.#answers = new Map([...answers].map(([command, response]) => [toHex(command), response.slice()]));
		this.#fallback = fallback.slice();
	}

	async transmit(apdu: Uint8Array): Promise<Uint8Array> {
		this.received.push(apdu.slice());
		return (this.#answers.get(toHex(apdu)) ?? this.#fallback).slice();
	}

	reset(): void {
		this.resets++;
	}
}
