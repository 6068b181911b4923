import { fromHex, toHex } from '../bytes';
import { throwIfAborted } from '../errors';
import type { CardChannel, ChannelCapabilities, TransmitOptions } from './channel';

/** One expected exchange, as hex (spaces allowed). */
export interface ScriptedExchange {
	readonly command: string;
	readonly response: string;
}

export interface ScriptedChannelOptions {
	atr?: Uint8Array;
	capabilities?: ChannelCapabilities;
}

function normalizeHex(hex: string): string {
	return toHex(fromHex(hex)).toUpperCase();
}

/**
 * A test channel that replays a transcript: each command must equal the next scripted one, byte for byte, and gets
 * its scripted response. Anything unexpected throws a plain Error naming both APDUs (use only with test PINs).
 * `sent` keeps copies taken at transmit time; `remaining` tells whether the script was used up.
 */
export class ScriptedChannel implements CardChannel {
	readonly atr?: Uint8Array;
	readonly capabilities?: ChannelCapabilities;
	readonly sent: Uint8Array[] = [];
	readonly #script: readonly ScriptedExchange[];
	#next = 0;

	constructor(script: readonly ScriptedExchange[], options: ScriptedChannelOptions = {}) {
		this.#script = script;
		this.atr = options.atr;
		this.capabilities = options.capabilities;
	}

	get remaining(): number {
		return this.#script.length - this.#next;
	}

	async transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array> {
		throwIfAborted(options?.signal);
		this.sent.push(command.slice());
		const got = toHex(command).toUpperCase();
		const expected = this.#script[this.#next];
		if (expected === undefined) throw new Error(`Unexpected APDU #${this.#next + 1} after the script ended: ${got}`);
		if (got !== normalizeHex(expected.command)) {
			throw new Error(`APDU #${this.#next + 1}: expected ${normalizeHex(expected.command)}, got ${got}`);
		}
		this.#next++;
		return fromHex(expected.response);
	}
}
