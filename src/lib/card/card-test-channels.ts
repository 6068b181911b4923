import type { CardChannel, ChannelCapabilities, TransmitOptions } from '../apdu';
import { carriesSecret } from '../apdu';
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import type { ApduExchange } from './apdu-transcript';

/**
 * Channels for tests and benchmarks (not used by production code): a plain in-memory channel over an emulated card,
 * and wrappers that count, record, rewrite answers, or lose the card at the Nth APDU.
 */

/** What `emulatedChannel` needs from a card: the emulator's `ApduCard` shape. */
export interface ApduResponder {
	readonly atr?: Uint8Array;
	transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

export function emulatedChannel(card: ApduResponder, options: { extendedLength?: boolean; maxResponseData?: number } = {}): CardChannel {
	const extendedLength = options.extendedLength ?? false;
	const capabilities: ChannelCapabilities = { extendedLength, maxResponseData: options.maxResponseData ?? (extendedLength ? 65_536 : 256) };
	return {
		atr: card.atr,
		capabilities,
		transmit: async (apdu: Uint8Array, transmitOptions?: TransmitOptions) => {
			throwIfAborted(transmitOptions?.signal);
			return card.transmit(apdu);
		}
	};
}

abstract class ChannelWrapper implements CardChannel {
	protected readonly inner: CardChannel;

	constructor(inner: CardChannel) {
		this.inner = inner;
	}

	get atr(): Uint8Array | undefined {
		return this.inner.atr;
	}

	get capabilities(): ChannelCapabilities | undefined {
		return this.inner.capabilities;
	}

	abstract transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array>;
}

/** Counts APDUs and bytes in both directions; keeps the commands as hex, PIN data masked. */
export class CountingChannel extends ChannelWrapper {
	apdus = 0;
	bytesSent = 0;
	bytesReceived = 0;
	commands: string[] = [];

	async transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array> {
		this.apdus++;
		this.bytesSent += command.length;
		this.commands.push(maskedHex(command));
		const response = await this.inner.transmit(command, options);
		this.bytesReceived += response.length;
		return response;
	}

	/** Commands whose INS is `ins`. */
	count(ins: number): number {
		return this.commands.filter((c) => c.slice(2, 4) === ins.toString(16).padStart(2, '0').toUpperCase()).length;
	}

	clear(): void {
		this.apdus = 0;
		this.bytesSent = 0;
		this.bytesReceived = 0;
		this.commands = [];
	}
}

/** Records exchanges for a transcript; refuses to keep a command that carries a PIN. */
export class RecordingChannel extends ChannelWrapper {
	readonly exchanges: ApduExchange[] = [];

	async transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array> {
		if (command.length > 4 && carriesSecret(command[1]!)) throw new Error('RecordingChannel: not recording a PIN');
		const copy = command.slice();
		const response = await this.inner.transmit(command, options);
		this.exchanges.push({ command: copy, response: response.slice() });
		return response;
	}
}

/** The card goes away at the `removeAt`-th APDU (1-based): that one and every later one throw CardRemoved. */
export class RemovalChannel extends ChannelWrapper {
	#removeAt: number;
	sent = 0;

	constructor(inner: CardChannel, removeAt: number) {
		super(inner);
		this.#removeAt = removeAt;
	}

	/** The card is back (the caller power-cycles the emulated card, as a reader would). */
	reinsert(): void {
		this.#removeAt = Number.POSITIVE_INFINITY;
	}

	async transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array> {
		this.sent++;
		if (this.sent >= this.#removeAt) throw new MynaError(ErrorKind.CardRemoved, 'The card was removed');
		return this.inner.transmit(command, options);
	}
}

/** Lets a test answer chosen commands itself (return a response) or pass them on (return undefined). */
export class InterceptChannel extends ChannelWrapper {
	readonly #intercept: (command: Uint8Array) => Uint8Array | undefined;

	constructor(inner: CardChannel, intercept: (command: Uint8Array) => Uint8Array | undefined) {
		super(inner);
		this.#intercept = intercept;
	}

	async transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array> {
		return this.#intercept(command) ?? this.inner.transmit(command, options);
	}
}

function maskedHex(command: Uint8Array): string {
	const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
	return command.length > 4 && carriesSecret(command[1]!) ? `${hex(command.subarray(0, 4))}**` : hex(command);
}

/**
 * A bare card with one application holding the given EFs, for read-path tests and benchmarks that need file sizes
 * the emulated card does not have (e.g. a 2 KB certificate). SELECT by AID and EF, READ BINARY short or (when
 * `extendedLength`) extended; an extended APDU otherwise gets 6700, as on the emulated card.
 */
export class FileCard implements ApduResponder {
	readonly atr = Uint8Array.of(0x3b, 0x00);
	readonly #files: ReadonlyMap<number, Uint8Array>;
	readonly #extendedLength: boolean;
	#current: Uint8Array | undefined;

	constructor(files: ReadonlyMap<number, Uint8Array>, options: { extendedLength?: boolean } = {}) {
		this.#files = files;
		this.#extendedLength = options.extendedLength ?? false;
	}

	async transmit(apdu: Uint8Array): Promise<Uint8Array> {
		const sw = (value: number) => Uint8Array.of(value >>> 8, value & 0xff);
		const extended = apdu.length > 5 && apdu[4] === 0 && !(apdu[1] === 0xa4);
		if (extended && !this.#extendedLength) return sw(0x6700);
		if (apdu[1] === 0xa4) {
			if (apdu[2] === 0x04) return sw(0x9000);
			const file = this.#files.get((apdu[5]! << 8) | apdu[6]!);
			if (!file) return sw(0x6a82);
			this.#current = file;
			return sw(0x9000);
		}
		if (apdu[1] === 0xb0 && this.#current) {
			const offset = (apdu[2]! << 8) | apdu[3]!;
			const le = extended ? ((apdu[5]! << 8) | apdu[6]!) || 65_536 : apdu[4]! || 256;
			if (offset >= this.#current.length) return sw(0x6b00);
			const data = this.#current.subarray(offset, Math.min(offset + le, this.#current.length));
			const out = new Uint8Array(data.length + 2);
			out.set(data);
			out.set(sw(0x9000), data.length);
			return out;
		}
		return sw(0x6d00);
	}
}

/** A DER SEQUENCE of exactly `length` bytes (header included), filled with a pattern: a stand-in certificate. */
export function derSequenceOfLength(length: number): Uint8Array {
	const valueLength = length - 4;
	const out = new Uint8Array(length);
	out.set([0x30, 0x82, valueLength >>> 8, valueLength & 0xff]);
	for (let i = 4; i < length; i++) out[i] = i & 0xff;
	return out;
}
