import { toHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import type { CardChannel, ChannelCapabilities, TransmitOptions } from './channel';
import { carriesSecret, instructionName } from './instructions';

export const TraceDirection = { Command: 'command', Response: 'response' } as const;
export type TraceDirection = (typeof TraceDirection)[keyof typeof TraceDirection];

/** What stands in for hidden bytes; it says nothing about how many there were. */
export const TRACE_MASK = '** (masked)';

/** One side of one exchange, already redacted: it holds no raw bytes and is safe to keep and to export. */
export interface ApduTraceEntry {
	/** Numbers the exchange; a command and its response share it. */
	readonly exchange: number;
	readonly direction: TraceDirection;
	/** Upper-case hex, space separated, with hidden parts replaced by `TRACE_MASK`. Empty when transmit failed. */
	readonly hex: string;
	readonly masked: boolean;
	/** The INS byte of the command (also on its response). */
	readonly ins?: number;
	/** Milliseconds since the tracing channel was created. */
	readonly atMs: number;
	/** Response only: milliseconds the exchange took. */
	readonly durationMs?: number;
	/** Response only: the error kind when transmit threw. */
	readonly errorKind?: ErrorKind;
}

export interface TraceSink {
	record(entry: ApduTraceEntry): void;
}

function spacedHex(bytes: Uint8Array): string {
	return toHex(bytes, ' ').toUpperCase();
}

/** A command for the trace: VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER show only their header. */
export function redactCommandApdu(command: Uint8Array): { hex: string; masked: boolean } {
	if (command.length > 4 && carriesSecret(command[1]!)) {
		return { hex: `${spacedHex(command.subarray(0, 4))} ${TRACE_MASK}`, masked: true };
	}
	return { hex: spacedHex(command), masked: false };
}

/** A response for the trace, its data hidden when asked; SW1 SW2 always stay visible. */
export function redactResponseApdu(response: Uint8Array, maskData: boolean): { hex: string; masked: boolean } {
	if (!maskData || response.length <= 2) return { hex: spacedHex(response), masked: false };
	return { hex: `${TRACE_MASK} ${spacedHex(response.subarray(response.length - 2))}`, masked: true };
}

export interface TracingChannelOptions {
	/** Milliseconds from an arbitrary origin; defaults to `performance.now()`. */
	now?: () => number;
	/** Hide the response data of commands the card layer knows return personal data (SW stays visible). */
	maskResponse?: (command: Uint8Array) => boolean;
}

/** A CardChannel that passes everything through and records each exchange, redacted, in a sink. */
export class TracingChannel implements CardChannel {
	readonly #inner: CardChannel;
	readonly #sink: TraceSink;
	readonly #now: () => number;
	readonly #maskResponse: (command: Uint8Array) => boolean;
	readonly #origin: number;
	#exchange = 0;

	constructor(inner: CardChannel, sink: TraceSink, options: TracingChannelOptions = {}) {
		this.#inner = inner;
		this.#sink = sink;
		this.#now = options.now ?? (() => performance.now());
		this.#maskResponse = options.maskResponse ?? (() => false);
		this.#origin = this.#now();
	}

	get atr(): Uint8Array | undefined {
		return this.#inner.atr;
	}

	get capabilities(): ChannelCapabilities | undefined {
		return this.#inner.capabilities;
	}

	async transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array> {
		const exchange = ++this.#exchange;
		const ins = command.length >= 2 ? command[1] : undefined;
		// Decided before the inner channel runs: callers may wipe the command as soon as transmit settles.
		const maskResponse = this.#maskResponse(command);
		const started = this.#now();
		this.#record({ exchange, direction: TraceDirection.Command, ...redactCommandApdu(command), ins, atMs: started - this.#origin });
		try {
			const response = await this.#inner.transmit(command, options);
			const finished = this.#now();
			this.#record({
				exchange,
				direction: TraceDirection.Response,
				...redactResponseApdu(response, maskResponse),
				ins,
				atMs: finished - this.#origin,
				durationMs: finished - started
			});
			return response;
		} catch (error) {
			const finished = this.#now();
			this.#record({
				exchange,
				direction: TraceDirection.Response,
				hex: '',
				masked: false,
				ins,
				atMs: finished - this.#origin,
				durationMs: finished - started,
				errorKind: isMynaError(error) ? error.kind : ErrorKind.Internal
			});
			throw error;
		}
	}

	#record(entry: ApduTraceEntry): void {
		try {
			this.#sink.record(entry);
		} catch {
			// A broken trace sink must not break card I/O; the trace is diagnostics only.
		}
	}
}

/** Keeps the last `capacity` entries in memory (for a diagnostics report). */
export class MemoryTraceSink implements TraceSink {
	readonly #capacity: number;
	#entries: ApduTraceEntry[] = [];

	constructor(capacity = 1000) {
		this.#capacity = capacity;
	}

	record(entry: ApduTraceEntry): void {
		this.#entries.push(entry);
		if (this.#entries.length > this.#capacity) this.#entries.shift();
	}

	get entries(): readonly ApduTraceEntry[] {
		return this.#entries.slice();
	}

	clear(): void {
		this.#entries = [];
	}
}

function milliseconds(value: number): string {
	return `${value.toFixed(1)} ms`;
}

/** One line, e.g. `[   12.3 ms] #4 >> SELECT 00 A4 02 0C 02 00 18` or `[   15.0 ms] #4 << 90 00 (2.7 ms)`. */
export function formatTraceEntry(entry: ApduTraceEntry): string {
	const time = `[${milliseconds(entry.atMs).padStart(10)}]`;
	if (entry.direction === TraceDirection.Command) {
		const name = entry.ins === undefined ? undefined : instructionName(entry.ins);
		return `${time} #${entry.exchange} >> ${name ? `${name} ` : ''}${entry.hex}`;
	}
	const body = entry.errorKind === undefined ? entry.hex : `error: ${entry.errorKind}`;
	const duration = entry.durationMs === undefined ? '' : ` (${milliseconds(entry.durationMs)})`;
	return `${time} #${entry.exchange} << ${body}${duration}`;
}

export function formatTrace(entries: readonly ApduTraceEntry[]): string {
	return entries.map(formatTraceEntry).join('\n');
}
