import type {
	SmartCardAccessMode,
	SmartCardConnectOptions,
	SmartCardConnectResult,
	SmartCardConnection,
	SmartCardConnectionStatus,
	SmartCardContext,
	SmartCardDisposition,
	SmartCardGetStatusChangeOptions,
	SmartCardReaderStateFlagsOut,
	SmartCardReaderStateIn,
	SmartCardReaderStateOut,
	SmartCardResourceManager,
	SmartCardTransactionOptions
} from '../../readers/smart-card/smart-card-api';
import { PNP_NOTIFICATION_READER } from '../../readers/smart-card/smart-card-api';
import { domException, EmulatedSmartCardError } from './emulated-smart-card-error';
import type { VirtualPcscReader } from './virtual-pcsc-reader';
import type { VirtualPcscService } from './virtual-pcsc-service';

/** Who holds a reader: an exclusive connection, the connection in a transaction, and who waits for it to end. */
interface ReaderHold {
	exclusive?: EmulatedSmartCardConnection;
	shared: Set<EmulatedSmartCardConnection>;
	transaction?: EmulatedSmartCardConnection;
	released: Array<() => void>;
}

/** One operation at a time on a context or a connection (the spec's [[operationInProgress]]). */
class OperationGuard {
	#busy = false;

	async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.#busy) throw domException('InvalidStateError', 'An operation is already in progress.');
		this.#busy = true;
		try {
			return await work();
		} finally {
			this.#busy = false;
		}
	}
}

function toBytes(source: BufferSource): Uint8Array {
	if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
	return new Uint8Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
	return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * The emulated `navigator.smartCard` over the lab's PC/SC service and the same virtual cards the USB readers hold:
 * contexts, `getStatusChange` (resolves on insert, removal, unplug, reader list change; honours timeout and
 * AbortSignal), connections with `transmit`, transactions and dispositions, and `SmartCardError`s with
 * `responseCode`s where PC/SC would give them.
 */
export class EmulatedSmartCardResourceManager implements SmartCardResourceManager {
	readonly service: VirtualPcscService;
	readonly holds = new WeakMap<VirtualPcscReader, ReaderHold>();

	constructor(service: VirtualPcscService) {
		this.service = service;
	}

	async establishContext(): Promise<SmartCardContext> {
		if (!this.service.running) throw new EmulatedSmartCardError('no-service');
		return new EmulatedSmartCardContext(this);
	}

	hold(reader: VirtualPcscReader): ReaderHold {
		let hold = this.holds.get(reader);
		if (!hold) this.holds.set(reader, (hold = { shared: new Set(), released: [] }));
		return hold;
	}
}

class EmulatedSmartCardContext implements SmartCardContext {
	#manager: EmulatedSmartCardResourceManager;
	#generation: number;
	#guard = new OperationGuard();

	constructor(manager: EmulatedSmartCardResourceManager) {
		this.#manager = manager;
		this.#generation = manager.service.generation;
	}

	#alive(): void {
		const service = this.#manager.service;
		if (!service.running || service.generation !== this.#generation) throw new EmulatedSmartCardError('no-service');
	}

	listReaders(): Promise<string[]> {
		return this.#guard.run(async () => {
			this.#alive();
			return this.#manager.service.readers.map((r) => r.name);
		});
	}

	getStatusChange(readerStates: SmartCardReaderStateIn[], options: SmartCardGetStatusChangeOptions = {}): Promise<SmartCardReaderStateOut[]> {
		return this.#guard.run(
			() =>
				new Promise<SmartCardReaderStateOut[]>((resolve, reject) => {
					const { signal, timeout } = options;
					let timer: ReturnType<typeof setTimeout> | undefined;
					let unsubscribe = () => {};
					const finish = (settle: () => void) => {
						clearTimeout(timer);
						unsubscribe();
						signal?.removeEventListener('abort', onAbort);
						settle();
					};
					const onAbort = () => finish(() => reject(domException('AbortError', 'getStatusChange was aborted.')));
					const check = () => {
						try {
							this.#alive();
						} catch (error) {
							finish(() => reject(error));
							return;
						}
						const states = readerStates.map((state) => this.#stateOut(state));
						if (states.some((s) => s.eventState.changed)) finish(() => resolve(states));
					};
					if (signal?.aborted) return onAbort();
					signal?.addEventListener('abort', onAbort, { once: true });
					if (timeout !== undefined) timer = setTimeout(() => finish(() => reject(domException('TimeoutError', 'getStatusChange timed out.'))), timeout);
					unsubscribe = this.#manager.service.onChange(check);
					check();
				})
		);
	}

	#stateOut(state: SmartCardReaderStateIn): SmartCardReaderStateOut {
		const service = this.#manager.service;
		const known = state.currentState.unaware !== true;
		if (state.readerName === PNP_NOTIFICATION_READER) {
			const changed = !known || state.currentCount !== service.pnpCount;
			return { readerName: state.readerName, eventState: changed ? { changed: true } : {}, eventCount: service.pnpCount };
		}
		const reader = service.reader(state.readerName);
		if (!reader) return { readerName: state.readerName, eventState: { unknown: true, changed: true }, eventCount: 0 };
		const present = reader.hasCard();
		const hold = this.#manager.holds.get(reader);
		const flags: SmartCardReaderStateFlagsOut = present ? { present: true } : { empty: true };
		if (present && hold?.exclusive) flags.exclusive = true;
		if (present && (hold?.exclusive || (hold?.shared.size ?? 0) > 0)) flags.inuse = true;
		const sameFlags = present ? state.currentState.present === true : state.currentState.empty === true;
		const sameCount = state.currentCount === undefined || state.currentCount === reader.eventCount;
		if (!known || !sameFlags || !sameCount) flags.changed = true;
		const out: SmartCardReaderStateOut = { readerName: reader.name, eventState: flags, eventCount: reader.eventCount };
		if (present && reader.card) out.answerToReset = toArrayBuffer(reader.card.atr);
		return out;
	}

	connect(readerName: string, accessMode: SmartCardAccessMode, options: SmartCardConnectOptions = {}): Promise<SmartCardConnectResult> {
		return this.#guard.run(async () => {
			this.#alive();
			const reader = this.#manager.service.reader(readerName);
			if (!reader) throw new EmulatedSmartCardError('unknown-reader');
			if (this.#manager.service.permission === 'denied') throw domException('NotAllowedError', 'The user did not allow access to the reader.');
			const protocols = options.preferredProtocols ?? [];
			if (accessMode !== 'direct') {
				if (!reader.hasCard()) throw new EmulatedSmartCardError('no-smartcard');
				if (protocols.length > 0 && !protocols.includes('t1')) throw new EmulatedSmartCardError('proto-mismatch');
			}
			const hold = this.#manager.hold(reader);
			if (hold.exclusive || (accessMode === 'exclusive' && hold.shared.size > 0)) throw new EmulatedSmartCardError('sharing-violation');
			const connection = new EmulatedSmartCardConnection(this.#manager, reader, accessMode);
			if (accessMode === 'exclusive') hold.exclusive = connection;
			else hold.shared.add(connection);
			return accessMode === 'direct' ? { connection } : { connection, activeProtocol: 't1' };
		});
	}
}

class EmulatedSmartCardConnection implements SmartCardConnection {
	#manager: EmulatedSmartCardResourceManager;
	#reader: VirtualPcscReader;
	#insertion: number;
	#guard = new OperationGuard();
	#connected = true;
	#inTransaction = false;

	constructor(manager: EmulatedSmartCardResourceManager, reader: VirtualPcscReader, _mode: SmartCardAccessMode) {
		this.#manager = manager;
		this.#reader = reader;
		this.#insertion = reader.insertion;
	}

	/** The card this connection was made to, or the PC/SC error for why it is gone. */
	#card() {
		if (!this.#connected) throw domException('InvalidStateError', 'The connection is closed.');
		if (!this.#reader.plugged) throw new EmulatedSmartCardError('reader-unavailable');
		const card = this.#reader.card;
		if (!card || this.#reader.insertion !== this.#insertion) throw new EmulatedSmartCardError('removed-card');
		return card;
	}

	transmit(sendBuffer: BufferSource): Promise<ArrayBuffer> {
		return this.#guard.run(async () => {
			const card = this.#card();
			const hold = this.#manager.hold(this.#reader);
			if (hold.transaction && hold.transaction !== this) throw new EmulatedSmartCardError('sharing-violation');
			const failure = this.#reader.nextTransmitFailure;
			if (failure) {
				this.#reader.nextTransmitFailure = undefined;
				throw new EmulatedSmartCardError(failure);
			}
			let response: Uint8Array;
			try {
				response = await card.transmit(toBytes(sendBuffer));
			} catch {
				this.#card(); // removed or unplugged meanwhile: that error
				throw new EmulatedSmartCardError('unresponsive-card');
			}
			this.#card();
			return toArrayBuffer(response);
		});
	}

	async startTransaction(transaction: () => Promise<SmartCardDisposition | undefined | void>, options: SmartCardTransactionOptions = {}): Promise<void> {
		const hold = this.#manager.hold(this.#reader);
		await this.#guard.run(async () => {
			if (this.#inTransaction) throw domException('InvalidStateError', 'A transaction is already active.');
			while (hold.transaction && hold.transaction !== this) {
				if (options.signal?.aborted) throw domException('AbortError', 'startTransaction was aborted.');
				await new Promise<void>((resolve) => hold.released.push(resolve));
			}
			this.#card();
			hold.transaction = this;
			this.#inTransaction = true;
		});
		let disposition: SmartCardDisposition = 'reset';
		let failure: { error: unknown } | undefined;
		try {
			disposition = (await transaction()) ?? 'reset';
		} catch (error) {
			failure = { error };
		}
		this.#inTransaction = false;
		if (hold.transaction === this) hold.transaction = undefined;
		for (const wake of hold.released.splice(0)) wake();
		if (failure) throw failure.error;
		this.#dispose(this.#card(), disposition);
	}

	async status(): Promise<SmartCardConnectionStatus> {
		return this.#guard.run(async () => {
			const card = this.#card();
			return { readerName: this.#reader.name, state: 't1', answerToReset: toArrayBuffer(card.atr) };
		});
	}

	disconnect(disposition: SmartCardDisposition = 'leave'): Promise<void> {
		return this.#guard.run(async () => {
			if (!this.#connected) throw domException('InvalidStateError', 'The connection is closed.');
			try {
				this.#dispose(this.#card(), disposition);
			} catch {
				// The card already left: nothing to dispose of.
			}
			this.#connected = false;
			const hold = this.#manager.hold(this.#reader);
			if (hold.exclusive === this) hold.exclusive = undefined;
			hold.shared.delete(this);
			if (hold.transaction === this) hold.transaction = undefined;
		});
	}

	#dispose(card: { reset(): void }, disposition: SmartCardDisposition): void {
		if (disposition === 'reset' || disposition === 'unpower') card.reset();
		if (disposition === 'eject') this.#reader.removeCard();
	}
}
