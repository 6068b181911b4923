import type { SmartCardConnection, SmartCardContext, SmartCardDisposition, SmartCardProtocol, SmartCardResourceManager } from './smart-card-api';

/**
 * What the card worker may do with one PC/SC reader, lent by the page (which owns `navigator.smartCard`: the
 * permission prompt comes at `connect`). Plain data in and out; failures reject with a plain
 * `{ name, message, responseCode? }` that `smartCardError` maps on the worker side. Same pattern as UsbDeviceOps.
 */
export interface SmartCardConnectionOps {
	/**
	 * Connects to the card in the reader (exclusive, T=1 or T=0), replacing an earlier connection, which is dropped with
	 * a card reset; returns the ATR.
	 */
	connect(): Promise<{ atr?: Uint8Array; protocol?: SmartCardProtocol }>;
	transmit(command: Uint8Array): Promise<Uint8Array>;
	/** Starts a PC/SC transaction: no other application's APDUs reach the card until `endTransaction`. */
	beginTransaction(): Promise<void>;
	/** Ends it, leaving the card as it is (our verified PINs stay for our next operation: signing is VERIFY, then SIGN). */
	endTransaction(): Promise<void>;
	disconnect(disposition: SmartCardDisposition): Promise<void>;
}

export interface PlainSmartCardFailure {
	name: string;
	message: string;
	responseCode?: string;
}

/** Errors cross the thread boundary as plain data (comlink keeps neither DOMException subclasses nor `responseCode`). */
async function plainFailures<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		const { name, message, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as Partial<PlainSmartCardFailure>;
		const failure: PlainSmartCardFailure = { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : 'Web Smart Card API call failed' };
		if (typeof responseCode === 'string') failure.responseCode = responseCode;
		throw failure;
	}
}

const noCard = (): PlainSmartCardFailure => ({ name: 'SmartCardError', message: 'Not connected to a card.', responseCode: 'no-smartcard' });

/**
 * Page side: one reader's connection, lent to the card worker through comlink (`proxy(new SmartCardConnectionLender(...))`).
 * It uses a context of its own (the watcher's context is busy waiting for changes: one operation per context).
 *
 * The connection is exclusive: a PIN verified by us stays verified on the card between our operations (VERIFY, then
 * SIGN or READ BINARY), and in shared mode any other PC/SC client on the machine could use that state in the gaps,
 * e.g. read the 4 info without the PIN. Exclusive keeps every other client out while we hold the card (another
 * program that holds it first gets `sharing-violation`, shown as "reader busy"), and every drop of our connection
 * resets the card, so the verified state ends with it. Transactions still bracket each operation.
 */
export class SmartCardConnectionLender implements SmartCardConnectionOps {
	#manager: SmartCardResourceManager;
	#readerName: string;
	#context: SmartCardContext | undefined;
	#connection: SmartCardConnection | undefined;
	#transaction: { end: (disposition: SmartCardDisposition) => void; done: Promise<void> } | undefined;

	constructor(manager: SmartCardResourceManager, readerName: string) {
		this.#manager = manager;
		this.#readerName = readerName;
	}

	connect(): Promise<{ atr?: Uint8Array; protocol?: SmartCardProtocol }> {
		return plainFailures(async () => {
			await this.#drop('reset');
			try {
				this.#context ??= await this.#manager.establishContext();
				const { connection, activeProtocol } = await this.#context.connect(this.#readerName, 'exclusive', { preferredProtocols: ['t1', 't0'] });
				this.#connection = connection;
				const status = await connection.status();
				const atr = status.answerToReset ? new Uint8Array(status.answerToReset.slice(0)) : undefined;
				return { ...(atr ? { atr } : {}), ...(activeProtocol ? { protocol: activeProtocol } : {}) };
			} catch (error) {
				// A stopped service invalidates the context: the next connect establishes a new one.
				if ((error as { responseCode?: string }).responseCode === 'no-service') this.#context = undefined;
				throw error;
			}
		});
	}

	transmit(command: Uint8Array): Promise<Uint8Array> {
		return plainFailures(async () => {
			const connection = this.#connection;
			if (!connection) throw noCard();
			return new Uint8Array(await connection.transmit(new Uint8Array(command)));
		});
	}

	beginTransaction(): Promise<void> {
		return plainFailures(async () => {
			const connection = this.#connection;
			if (!connection) throw noCard();
			if (this.#transaction) throw { name: 'InvalidStateError', message: 'A transaction is already open.' } satisfies PlainSmartCardFailure;
			await new Promise<void>((started, failed) => {
				let end: (disposition: SmartCardDisposition) => void = () => undefined;
				const ended = new Promise<SmartCardDisposition>((resolve) => (end = resolve));
				const done = connection.startTransaction(() => {
					started();
					return ended;
				});
				this.#transaction = { end, done: done.catch(() => undefined) };
				done.catch((error: unknown) => {
					this.#transaction = undefined;
					failed(error);
				});
			});
		});
	}

	async endTransaction(): Promise<void> {
		const transaction = this.#transaction;
		this.#transaction = undefined;
		if (!transaction) return;
		transaction.end('leave');
		// Ending fails when the card left meanwhile; the operation inside has already reported that.
		await transaction.done;
	}

	disconnect(disposition: SmartCardDisposition): Promise<void> {
		return this.#drop(disposition);
	}

	async #drop(disposition: SmartCardDisposition): Promise<void> {
		await this.endTransaction();
		const connection = this.#connection;
		this.#connection = undefined;
		try {
			await connection?.disconnect(disposition);
		} catch {
			// Already gone with the card or the reader.
		}
	}
}
