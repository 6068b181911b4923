import { wipe } from '../../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { CCID_HEADER_LENGTH, type CcidClassDescriptor } from '../../usb/ccid-class-descriptor';
import type { CcidInterface } from '../../usb/ccid-interface';
import { UsbOperation, inTransferBytes, mapUsbError, transferStatusError, type UsbErrorContext } from '../../usb/usb-errors';
import { AsyncMutex } from './async-mutex';
import {
	CCID_RESPONSE_TYPE,
	CcidCommandStatus,
	encodeCcidRequest,
	escapeRequest,
	getSlotStatusRequest,
	iccPowerOffRequest,
	iccPowerOnRequest,
	parseCcidInterrupt,
	parseCcidResponse,
	setParametersRequest,
	xfrBlockRequest,
	type CcidIccStatus,
	type CcidPowerSelect,
	type CcidRequest,
	type CcidResponse,
	type CcidSlotChange
} from './ccid-message';
import { ccidCommandFailure } from './ccid-slot-error';

export interface CcidExchangeEvent {
	direction: 'out' | 'in';
	/** The whole CCID message, header included, with secret bytes masked. A copy: observers may keep it. */
	bytes: Uint8Array;
	/** Date.now() when the message was sent or received. */
	at: number;
	/** Some abData bytes were masked (PIN data of VERIFY / CHANGE REFERENCE DATA). */
	redacted?: true;
}

export type CcidExchangeObserver = (event: CcidExchangeEvent) => void;

export interface CcidTransportOptions {
	onExchange?: CcidExchangeObserver;
	/** Responses with another bSeq discarded per command before giving up (libccid ReadUSB: 10). */
	maxStaleResponses?: number;
	/** Ceiling on one command, time extensions included. */
	maxCommandMs?: number;
}

export interface CcidCommandOptions {
	/** Wait for the answer; a time extension (bStatus 0x80) restarts it, multiplied by bError when > 0. */
	timeoutMs: number;
	signal?: AbortSignal;
}

export interface CcidXfrBlockOptions extends CcidCommandOptions {
	/** Block waiting time extension (T=1 WTX multiplier). */
	bwi?: number;
	levelParameter?: number;
	/** abData as observers see it (same length, secrets masked). */
	traceData?: Uint8Array;
}

export type CcidTransportState = 'open' | 'closed' | 'unplugged';

const DEFAULT_MAX_STALE = 10;
const DEFAULT_MAX_COMMAND_MS = 120_000;
/**
 * Bulk-IN reads are sized to dwMaxCCIDMessageLength but never below a whole T=1 block or short response
 * (10 + 3 + 254 + 2): some SCM firmware declares 263 and still sends longer messages (libccid
 * BOGUS_SCM_FIRMWARE_FOR_dwMaxCCIDMessageLength). A larger read is harmless; a shorter one babbles.
 */
const MIN_IN_LENGTH = CCID_HEADER_LENGTH + 3 + 254 + 2;
/** Interrupt loop: consecutive unusable messages before it stops (a misbehaving device must not spin it). */
const MAX_BAD_INTERRUPTS = 8;

function closedError(): MynaError {
	return new MynaError(ErrorKind.Aborted, 'The card reader connection is closed.');
}

function abortedError(): MynaError {
	return new MynaError(ErrorKind.Aborted, 'The operation was cancelled.');
}

function protocolError(message: string, details: Record<string, number> = {}): MynaError {
	return new MynaError(ErrorKind.Protocol, message, details);
}

/**
 * Waits for `work`, a timeout, the caller's signal, or the transport's end, whichever comes first. The work
 * itself goes on (WebUSB transfers cannot be cancelled); the caller decides what happens to its result.
 */
function waitFor<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined, lifetime: AbortSignal, onTimeout: () => MynaError): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		if (lifetime.aborted) return reject(lifetime.reason);
		if (signal?.aborted) return reject(abortedError());
		let done = false;
		const finish = (action: () => void) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			lifetime.removeEventListener('abort', onEnd);
			action();
		};
		const onAbort = () => finish(() => reject(abortedError()));
		const onEnd = () => finish(() => reject(lifetime.reason));
		const timer = setTimeout(() => finish(() => reject(onTimeout())), Math.max(0, timeoutMs));
		signal?.addEventListener('abort', onAbort, { once: true });
		lifetime.addEventListener('abort', onEnd, { once: true });
		work.then(
			(value) => finish(() => resolve(value)),
			(error: unknown) => finish(() => reject(error))
		);
	});
}

/**
 * CCID over one claimed interface (CCID rev 1.1 §6). Strictly half duplex: one command at a time (a mutex),
 * the answer matched by bSeq, stale answers discarded (bounded), time extensions honoured (bounded), failures
 * decoded into typed errors. At most one bulk-IN transfer is outstanding: one abandoned by a timeout or an
 * abort stays pending and serves the next read, whose bSeq check drops the late answer. The interrupt
 * endpoint is read in a loop that reports slot changes until close or unplug.
 */
export class CcidTransport {
	readonly device: USBDevice;
	readonly ccidInterface: CcidInterface;
	readonly #inLength: number;
	readonly #maxStale: number;
	readonly #maxCommandMs: number;
	readonly #mutex = new AsyncMutex();
	readonly #lifetime = new AbortController();
	readonly #observers = new Set<CcidExchangeObserver>();
	readonly #slotListeners = new Set<(change: CcidSlotChange) => void>();
	readonly #unplugListeners = new Set<(error: MynaError) => void>();
	readonly #presence = new Map<number, boolean>();
	#state: CcidTransportState = 'open';
	#seq = 0;
	#pendingIn: Promise<Uint8Array> | undefined;

	/** Claims the interface (and its alternate setting) of an opened device and starts the interrupt loop. */
	static async claim(device: USBDevice, ccidInterface: CcidInterface, options: CcidTransportOptions = {}): Promise<CcidTransport> {
		const context = { vendorId: device.vendorId, productId: device.productId, interfaceNumber: ccidInterface.interfaceNumber };
		try {
			await device.claimInterface(ccidInterface.interfaceNumber);
		} catch (error) {
			throw mapUsbError(error, { ...context, operation: UsbOperation.ClaimInterface });
		}
		if (ccidInterface.alternateSetting !== 0) {
			try {
				await device.selectAlternateInterface(ccidInterface.interfaceNumber, ccidInterface.alternateSetting);
			} catch (error) {
				await device.releaseInterface(ccidInterface.interfaceNumber).catch(() => undefined);
				throw mapUsbError(error, { ...context, operation: UsbOperation.SelectAlternate });
			}
		}
		return new CcidTransport(device, ccidInterface, options);
	}

	constructor(device: USBDevice, ccidInterface: CcidInterface, options: CcidTransportOptions = {}) {
		this.device = device;
		this.ccidInterface = ccidInterface;
		const packet = Math.max(1, ccidInterface.bulkIn.maxPacketSize);
		const wanted = Math.max(ccidInterface.descriptor.maxMessageLength, MIN_IN_LENGTH);
		this.#inLength = Math.ceil(wanted / packet) * packet;
		this.#maxStale = options.maxStaleResponses ?? DEFAULT_MAX_STALE;
		this.#maxCommandMs = options.maxCommandMs ?? DEFAULT_MAX_COMMAND_MS;
		if (options.onExchange) this.#observers.add(options.onExchange);
		if (ccidInterface.interruptIn) void this.#interruptLoop(ccidInterface.interruptIn.endpointNumber, ccidInterface.interruptIn.maxPacketSize);
	}

	get descriptor(): CcidClassDescriptor {
		return this.ccidInterface.descriptor;
	}

	get state(): CcidTransportState {
		return this.#state;
	}

	/** Someone watches the traffic (callers build masked trace copies only then). */
	get tracing(): boolean {
		return this.#observers.size > 0;
	}

	observe(observer: CcidExchangeObserver): () => void {
		this.#observers.add(observer);
		return () => this.#observers.delete(observer);
	}

	/** Card inserted/removed in any slot (from NotifySlotChange). */
	onSlotChange(listener: (change: CcidSlotChange) => void): () => void {
		this.#slotListeners.add(listener);
		return () => this.#slotListeners.delete(listener);
	}

	onUnplugged(listener: (error: MynaError) => void): () => void {
		this.#unplugListeners.add(listener);
		return () => this.#unplugListeners.delete(listener);
	}

	/** PC_to_RDR_IccPowerOn; returns the ATR. */
	async iccPowerOn(slot: number, powerSelect: CcidPowerSelect, options: CcidCommandOptions): Promise<Uint8Array> {
		const response = await this.#command((seq) => iccPowerOnRequest(slot, seq, powerSelect), options);
		return response.data;
	}

	async iccPowerOff(slot: number, options: CcidCommandOptions): Promise<CcidIccStatus> {
		const response = await this.#command((seq) => iccPowerOffRequest(slot, seq), options);
		return response.iccStatus as CcidIccStatus;
	}

	async getSlotStatus(slot: number, options: CcidCommandOptions): Promise<CcidIccStatus> {
		const response = await this.#command((seq) => getSlotStatusRequest(slot, seq), options);
		return response.iccStatus as CcidIccStatus;
	}

	/** PC_to_RDR_XfrBlock; returns abData and bChainParameter of the DataBlock. */
	async xfrBlock(slot: number, data: Uint8Array, options: CcidXfrBlockOptions): Promise<{ data: Uint8Array; chainParameter: number }> {
		const response = await this.#command(
			(seq) => xfrBlockRequest(slot, seq, data, { bwi: options.bwi ?? 0, levelParameter: options.levelParameter ?? 0 }),
			options,
			options.traceData
		);
		return { data: response.data, chainParameter: response.parameter };
	}

	/**
	 * PC_to_RDR_SetParameters. bError 1..127 means "this parameter is not changeable" and counts as success
	 * (libccid SetParameters); bError 0 (not supported) fails.
	 */
	async setParameters(slot: number, protocol: 0 | 1, data: Uint8Array, options: CcidCommandOptions): Promise<void> {
		await this.#command((seq) => setParametersRequest(slot, seq, protocol, data), options, undefined, (r) => r.error >= 0x01 && r.error <= 0x7f);
	}

	async escape(slot: number, data: Uint8Array, options: CcidCommandOptions): Promise<Uint8Array> {
		const response = await this.#command((seq) => escapeRequest(slot, seq, data), options);
		return response.data;
	}

	/** Stops the interrupt loop, rejects waiting calls and releases the interface. Never throws. */
	async close(): Promise<void> {
		if (this.#state !== 'open') return;
		this.#state = 'closed';
		this.#lifetime.abort(closedError());
		await this.device.releaseInterface(this.ccidInterface.interfaceNumber).catch(() => undefined);
	}

	#context(operation: UsbOperation, endpointNumber?: number): UsbErrorContext {
		const context: UsbErrorContext = {
			operation,
			vendorId: this.device.vendorId,
			productId: this.device.productId,
			interfaceNumber: this.ccidInterface.interfaceNumber
		};
		if (endpointNumber !== undefined) context.endpointNumber = endpointNumber;
		return context;
	}

	#checkOpen(): void {
		if (this.#state === 'open') return;
		throw this.#state === 'unplugged' ? (this.#lifetime.signal.reason as MynaError) : closedError();
	}

	#unplugged(error: MynaError): void {
		if (this.#state !== 'open') return;
		this.#state = 'unplugged';
		this.#lifetime.abort(error);
		for (const listener of [...this.#unplugListeners]) {
			try {
				listener(error);
			} catch {
				// a listener's failure must not keep the others from hearing of the unplug
			}
		}
	}

	/** A WebUSB rejection as a MynaError; an unplug ends the transport for everyone. */
	#usbFailure(error: unknown, operation: UsbOperation, endpointNumber: number): MynaError {
		if (this.#state === 'closed') return closedError();
		const mapped = mapUsbError(error, this.#context(operation, endpointNumber));
		if (mapped.kind === ErrorKind.ReaderUnplugged) this.#unplugged(mapped);
		return mapped;
	}

	#emit(direction: 'out' | 'in', message: Uint8Array, traceData?: Uint8Array): void {
		if (this.#observers.size === 0) return;
		const bytes = message.slice();
		let redacted = false;
		if (traceData && traceData.length === message.length - CCID_HEADER_LENGTH) {
			bytes.set(traceData, CCID_HEADER_LENGTH);
			redacted = true;
		}
		const event: CcidExchangeEvent = redacted ? { direction, bytes, at: Date.now(), redacted: true } : { direction, bytes, at: Date.now() };
		for (const observer of [...this.#observers]) {
			try {
				observer(event);
			} catch {
				// diagnostics must never break the exchange
			}
		}
	}

	async #command(
		build: (seq: number) => CcidRequest,
		options: CcidCommandOptions,
		traceData?: Uint8Array,
		acceptFailure?: (response: CcidResponse) => boolean
	): Promise<CcidResponse> {
		return this.#mutex.run(async () => {
			this.#checkOpen();
			throwIfAborted(options.signal);
			const seq = this.#seq;
			this.#seq = (seq + 1) & 0xff;
			const request = build(seq);
			const message = encodeCcidRequest(request);
			this.#emit('out', message, traceData);
			const endpoint = this.ccidInterface.bulkOut.endpointNumber;
			const timeout = () => new MynaError(ErrorKind.Timeout, 'The card reader did not take the command.', { command: request.type, slot: request.slot });
			const sent = this.device.transferOut(endpoint, message).then(
				(result) => {
					if (result.status !== 'ok') throw transferStatusError(result.status, this.#context(UsbOperation.TransferOut, endpoint));
					if (result.bytesWritten !== message.length) throw protocolError('The card reader took only part of the command.');
				},
				(error: unknown) => {
					throw this.#usbFailure(error, UsbOperation.TransferOut, endpoint);
				}
			);
			sent.catch(() => undefined);
			try {
				await waitFor(sent, options.timeoutMs, options.signal, this.#lifetime.signal, timeout);
			} finally {
				// the message may hold PIN bytes; WebUSB copied it when the transfer started
				wipe(message);
			}
			return this.#awaitResponse(request, options, acceptFailure);
		});
	}

	async #awaitResponse(request: CcidRequest, options: CcidCommandOptions, acceptFailure?: (response: CcidResponse) => boolean): Promise<CcidResponse> {
		const expectedType = CCID_RESPONSE_TYPE[request.type];
		const started = Date.now();
		const hardDeadline = started + Math.max(options.timeoutMs, this.#maxCommandMs);
		let deadline = started + options.timeoutMs;
		let stale = 0;
		const timeout = () =>
			new MynaError(ErrorKind.Timeout, 'The card reader did not answer in time.', { command: request.type, slot: request.slot, timeoutMs: options.timeoutMs });
		for (;;) {
			const bytes = await waitFor(this.#nextIn(), Math.min(deadline, hardDeadline) - Date.now(), options.signal, this.#lifetime.signal, timeout);
			this.#emit('in', bytes);
			const response = parseCcidResponse(bytes);
			if (response.seq !== request.seq) {
				stale++;
				if (stale > this.#maxStale) throw protocolError('The card reader kept answering other commands.', { stale });
				continue;
			}
			if (response.slot !== request.slot) throw protocolError('The card reader answered for another slot.', { slot: response.slot, expected: request.slot });
			if (response.commandStatus === CcidCommandStatus.TimeExtension) {
				deadline = Date.now() + options.timeoutMs * Math.max(1, response.error);
				continue;
			}
			if (response.commandStatus === CcidCommandStatus.Failed) {
				if (acceptFailure?.(response)) return response;
				throw ccidCommandFailure(response, { command: request.type });
			}
			if (response.commandStatus !== CcidCommandStatus.Processed) throw protocolError('Reserved bmCommandStatus.', { status: response.status });
			if (response.type !== expectedType) throw protocolError('The card reader answered with another message type.', { type: response.type });
			return response;
		}
	}

	/** The single outstanding bulk-IN transfer, started if there is none. */
	#nextIn(): Promise<Uint8Array> {
		if (this.#pendingIn) return this.#pendingIn;
		const endpoint = this.ccidInterface.bulkIn.endpointNumber;
		const pending = this.device.transferIn(endpoint, this.#inLength).then(
			async (result) => {
				if (result.status === 'ok') return inTransferBytes(result);
				if (result.status === 'stall') await this.device.clearHalt('in', endpoint).catch(() => undefined);
				throw transferStatusError(result.status, this.#context(UsbOperation.TransferIn, endpoint));
			},
			(error: unknown) => {
				throw this.#usbFailure(error, UsbOperation.TransferIn, endpoint);
			}
		);
		const settle = () => {
			if (this.#pendingIn === pending) this.#pendingIn = undefined;
		};
		pending.then(settle, settle);
		this.#pendingIn = pending;
		return pending;
	}

	async #interruptLoop(endpoint: number, packetSize: number): Promise<void> {
		const slotCount = this.descriptor.slotCount;
		const length = Math.max(packetSize, 1 + Math.ceil(slotCount / 4));
		let bad = 0;
		while (this.#state === 'open' && bad < MAX_BAD_INTERRUPTS) {
			let result: USBInTransferResult;
			try {
				result = await this.device.transferIn(endpoint, length);
			} catch (error) {
				if (this.#state === 'open') this.#usbFailure(error, UsbOperation.TransferIn, endpoint);
				return;
			}
			if (this.#state !== 'open') return;
			if (result.status !== 'ok') {
				bad++;
				if (result.status === 'stall') await this.device.clearHalt('in', endpoint).catch(() => undefined);
				continue;
			}
			let message;
			try {
				message = parseCcidInterrupt(inTransferBytes(result), slotCount);
			} catch {
				bad++;
				continue;
			}
			bad = 0;
			if (message.type !== 'slot-change') continue;
			for (const change of message.slots) {
				const known = this.#presence.get(change.slot);
				this.#presence.set(change.slot, change.present);
				if (!change.changed && (known === undefined || known === change.present)) continue;
				for (const listener of [...this.#slotListeners]) {
					try {
						listener({ ...change, changed: true });
					} catch {
						// one listener's failure must not hide the change from the others
					}
				}
			}
		}
	}
}
