/**
 * Test support: the device side of a CCID reader driven by a script. Each step names the exact bytes the host
 * must send on bulk-OUT and the bytes the reader answers on bulk-IN (optionally after a delay). Interrupt
 * messages are pushed by the test. Runs behind the emulator's VirtualUsbDevice, so claims, protected classes
 * and unplugging behave as WebUSB specifies.
 */
import { toHex } from '../../../bytes';
import { STALL, type Stall, type UsbFunctionModel } from '../../../emulator/usb/usb-function-model';
import { encodeCcidResponse } from '../ccid-message';

export interface ScriptReply {
	bytes: Uint8Array;
	delayMs?: number;
}

export interface ScriptStep {
	/** Exact bulk-OUT message, as hex (spaces allowed). */
	expect: string;
	reply: ScriptReply[] | ((request: Uint8Array) => ScriptReply[]);
	/** Called with the request when it arrives (e.g. to remove the card). */
	then?: () => void;
}

const normalize = (hex: string) => hex.replace(/[\s:]/g, '').toLowerCase();

class ByteQueue {
	#items: Uint8Array[] = [];
	#waiters: ((bytes: Uint8Array) => void)[] = [];

	push(bytes: Uint8Array): void {
		const waiter = this.#waiters.shift();
		if (waiter) waiter(bytes);
		else this.#items.push(bytes);
	}

	take(signal: AbortSignal): Promise<Uint8Array> {
		const item = this.#items.shift();
		if (item) return Promise.resolve(item);
		return new Promise((resolve, reject) => {
			const waiter = (bytes: Uint8Array) => {
				signal.removeEventListener('abort', onAbort);
				resolve(bytes);
			};
			const onAbort = () => {
				this.#waiters = this.#waiters.filter((w) => w !== waiter);
				reject(new DOMException('aborted', 'AbortError'));
			};
			signal.addEventListener('abort', onAbort, { once: true });
			this.#waiters.push(waiter);
		});
	}
}

export class ScriptedCcidReader implements UsbFunctionModel {
	readonly sent: string[] = [];
	readonly mismatches: string[] = [];
	readonly #steps: ScriptStep[] = [];
	readonly #bulkOut: number;
	readonly #bulkIn: number;
	readonly #interruptIn: number | undefined;
	#bulk = new ByteQueue();
	#interrupt = new ByteQueue();

	constructor(endpoints: { bulkOut: number; bulkIn: number; interruptIn?: number } = { bulkOut: 2, bulkIn: 2, interruptIn: 3 }) {
		this.#bulkOut = endpoints.bulkOut;
		this.#bulkIn = endpoints.bulkIn;
		this.#interruptIn = endpoints.interruptIn;
	}

	/** Adds a step; replies are given as hex or bytes. */
	on(expect: string, ...replies: (string | Uint8Array | ScriptReply)[]): this {
		this.#steps.push({ expect, reply: replies.map(toReply) });
		return this;
	}

	onRequest(step: ScriptStep): this {
		this.#steps.push(step);
		return this;
	}

	/** An interrupt-IN message (NotifySlotChange, HardwareError). */
	notify(hex: string): void {
		this.#interrupt.push(hexBytes(hex));
	}

	/** Bulk-IN bytes nobody asked for (a late answer). */
	pushBulkIn(bytes: Uint8Array | string): void {
		this.#bulk.push(typeof bytes === 'string' ? hexBytes(bytes) : bytes);
	}

	get pendingSteps(): number {
		return this.#steps.length;
	}

	/** A message that does not match the script stalls the endpoint, so the test fails at once. */
	transferOut(endpointNumber: number, data: Uint8Array): Stall | undefined {
		if (endpointNumber !== this.#bulkOut) {
			this.mismatches.push(`OUT on endpoint ${endpointNumber}`);
			return STALL;
		}
		const hex = toHex(data);
		this.sent.push(hex);
		const step = this.#steps.shift();
		if (!step) {
			this.mismatches.push(`unexpected ${hex}`);
			return STALL;
		}
		if (normalize(step.expect) !== hex) {
			this.mismatches.push(`expected ${normalize(step.expect)} got ${hex}`);
			return STALL;
		}
		step.then?.();
		const replies = typeof step.reply === 'function' ? step.reply(data) : step.reply;
		for (const reply of replies) {
			if (reply.delayMs) setTimeout(() => this.#bulk.push(reply.bytes), reply.delayMs);
			else this.#bulk.push(reply.bytes);
		}
		return undefined;
	}

	transferIn(endpointNumber: number, _length: number, signal: AbortSignal): Promise<Uint8Array> {
		if (endpointNumber === this.#bulkIn) return this.#bulk.take(signal);
		if (endpointNumber === this.#interruptIn) return this.#interrupt.take(signal);
		return Promise.reject(new Error(`IN on endpoint ${endpointNumber}`));
	}

	closed(): void {
		this.#bulk = new ByteQueue();
		this.#interrupt = new ByteQueue();
	}
}

function hexBytes(hex: string): Uint8Array {
	const clean = normalize(hex);
	return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function toReply(reply: string | Uint8Array | ScriptReply): ScriptReply {
	if (typeof reply === 'string') return { bytes: hexBytes(reply) };
	if (reply instanceof Uint8Array) return { bytes: reply };
	return reply;
}

interface ResponseFields {
	slot?: number;
	status?: number;
	error?: number;
	parameter?: number;
}

function response(type: number, seq: number, data: string | Uint8Array, fields: ResponseFields): Uint8Array {
	return encodeCcidResponse({
		type,
		slot: fields.slot ?? 0,
		seq,
		status: fields.status ?? 0,
		error: fields.error ?? 0,
		parameter: fields.parameter ?? 0,
		data: typeof data === 'string' ? hexBytes(data) : data
	});
}

/** RDR_to_PC_DataBlock. */
export const dataBlock = (seq: number, data: string | Uint8Array = '', fields: ResponseFields = {}) => response(0x80, seq, data, fields);
/** RDR_to_PC_SlotStatus. */
export const slotStatus = (seq: number, fields: ResponseFields = {}) => response(0x81, seq, '', fields);
/** RDR_to_PC_Parameters. */
export const parameters = (seq: number, data: string, fields: ResponseFields = {}) => response(0x82, seq, data, fields);
/** RDR_to_PC_Escape. */
export const escapeResponse = (seq: number, data: string, fields: ResponseFields = {}) => response(0x83, seq, data, fields);
/** A failed command: bStatus 0x40 | ICC status, bError. */
export const failed = (type: number, seq: number, error: number, iccStatus = 0, slot = 0) => response(type, seq, '', { status: 0x40 | iccStatus, error, slot });
/** A time extension request: bStatus 0x80, bError the multiplier. */
export const timeExtension = (seq: number, multiplier: number, slot = 0) => response(0x80, seq, '', { status: 0x80, error: multiplier, slot });
