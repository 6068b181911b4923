import { MemoryTraceSink, TracingChannel, type ApduTraceEntry } from '../apdu';
import { asResult, ErrorKind, MynaError, toErrorData, type Result } from '../errors';
import { openReader, type CardPresence, type OpenAnyReaderOptions, type ReaderConnection, type ReaderInfo } from '../readers';
import { SmartCardReaderConnection, type SmartCardConnectionOps } from '../readers/smart-card';
import { BridgedUsbDevice, type UsbDeviceOps, type UsbDeviceSnapshot } from '../usb/device-bridge';
import { workerHello, type WorkerHello } from '../worker-hello';
import { CardService } from './card-service';
import type { CardDetection } from './jpki-session';

/**
 * READ BINARY and GET RESPONSE answers may hold personal data or certificates: the trace keeps only their SW, whatever
 * EF is selected (a mask that follows SELECTs could show more, but one it misjudges would leak; diagnostics need the
 * status words, not the data).
 */
const PERSONAL_READS = new Set([0xb0, 0xb1, 0xc0]);

interface AttachedReader {
	deviceKey: string;
	connection?: ReaderConnection;
	/** The card in this reader, as a service of plain-data calls; detached on removal. */
	readonly service: CardService;
	stopPresence?: () => void;
	/** Runs one card operation so no other application's APDUs come between ours (Web Smart Card API: a PC/SC transaction). */
	exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface CardWorkerDependencies {
	openReader: (device: USBDevice, options: OpenAnyReaderOptions) => Promise<ReaderConnection>;
}

/** The card operations a page may call on the card in a reader (everything but the worker's own attach/detach). */
export type CardOperations = Omit<CardService, 'attach' | 'detach'>;
export type CardOperation = keyof CardOperations;

const WORKER_ONLY: readonly string[] = ['attach', 'detach', 'constructor'];

export interface OpenReaderRequest {
	usbUnrestricted: boolean;
	slot?: number;
	interfaceNumber?: number;
}

/**
 * The card worker's API (drivers + card layer), design §4: the page owns the USBDevice and lends it through
 * `UsbDeviceOps`; everything returned is plain data, failures are `{ ok: false, error: { kind, message } }`.
 */
export function createCardWorkerApi(startedAt: number, deps: CardWorkerDependencies = { openReader }) {
	const devices = new Map<string, USBDevice>();
	const readers = new Map<string, AttachedReader>();
	const trace = new MemoryTraceSink(400);

	function reader(key: string): AttachedReader {
		const entry = readers.get(key);
		if (!entry) throw new MynaError(ErrorKind.NoReader, 'The reader is no longer connected.');
		return entry;
	}

	async function closeEntry(entry: AttachedReader): Promise<void> {
		entry.stopPresence?.();
		entry.service.detach();
		const connection = entry.connection;
		entry.connection = undefined;
		await connection?.close();
	}

	async function closeDevice(deviceKey: string): Promise<void> {
		for (const [key, entry] of [...readers]) {
			if (entry.deviceKey !== deviceKey) continue;
			readers.delete(key);
			await closeEntry(entry);
		}
		devices.delete(deviceKey);
	}

	return {
		async hello(): Promise<WorkerHello> {
			return workerHello('card', startedAt);
		},

		/** Lends a page-owned device to the worker (`ops` must be a comlink proxy, or the object itself in tests). */
		async attach(deviceKey: string, snapshot: UsbDeviceSnapshot, ops: UsbDeviceOps): Promise<Result<object>> {
			return asResult(async () => {
				await closeDevice(deviceKey);
				devices.set(deviceKey, new BridgedUsbDevice(snapshot, ops));
				return {};
			});
		},

		/**
		 * Opens one reader function/slot of an attached device (`readerKey` names it) with the driver the registry
		 * picks; `onPresence` (a comlink proxy) hears card insert/remove. Slots of one device share its transport.
		 */
		async open(readerKey: string, deviceKey: string, request: OpenReaderRequest, onPresence?: (presence: CardPresence) => void): Promise<Result<{ info: ReaderInfo }>> {
			return asResult(async () => {
				const device = devices.get(deviceKey);
				if (!device) throw new MynaError(ErrorKind.NoReader, 'The reader is no longer connected.');
				const previous = readers.get(readerKey);
				if (previous) await closeEntry(previous);
				const entry: AttachedReader = { deviceKey, service: new CardService() };
				readers.set(readerKey, entry);
				const connection = await deps.openReader(device, request);
				entry.connection = connection;
				entry.stopPresence = connection.onPresence(({ presence }) => {
					// A removed card takes its session (verified PINs, cached keys) with it.
					if (presence === 'absent') entry.service.detach();
					onPresence?.(presence);
				});
				return { info: connection.info };
			});
		},

		/** Powers on / activates the card and tells what it is (never by the ATR). */
		async connectCard(readerKey: string): Promise<Result<{ atr?: Uint8Array; detection: CardDetection }>> {
			return asResult(async () => {
				const entry = reader(readerKey);
				if (!entry.connection) throw new MynaError(ErrorKind.NoReader, 'The reader is not open.');
				entry.service.detach();
				const { atr } = await entry.connection.connectCard();
				entry.service.attach(new TracingChannel(entry.connection.channel, trace, { maskResponse: (c) => PERSONAL_READS.has(c[1] ?? 0) }));
				const detect = () => entry.service.detect();
				const detected = await (entry.exclusive ? entry.exclusive(detect) : detect());
				if (!detected.ok) throw new MynaError(detected.error.kind, detected.error.message, detected.error.details ?? {});
				return atr ? { atr, detection: detected.detection } : { detection: detected.detection };
			});
		},

		/**
		 * One operation on the card in a reader (certificates, PIN counters, VERIFY, CHANGE, sign, 4 info, card face):
		 * `call(readerKey, 'readCertificate', 'auth')`. No remote objects are handed out: a comlink proxy that the page
		 * lets go of mid-call is finalized and closes its port, and the answer is lost.
		 */
		async call<K extends CardOperation>(
			readerKey: string,
			operation: K,
			...args: Parameters<CardOperations[K]>
		): Promise<Awaited<ReturnType<CardOperations[K]>>> {
			const entry = readers.get(readerKey);
			const service = entry?.service;
			if (!service || !(operation in CardService.prototype) || WORKER_ONLY.includes(operation)) {
				return { ok: false, error: { kind: ErrorKind.NoReader, message: 'The reader is no longer connected.' } } as Awaited<ReturnType<CardOperations[K]>>;
			}
			const method = service[operation] as (...a: Parameters<CardOperations[K]>) => ReturnType<CardOperations[K]>;
			type Answer = Awaited<ReturnType<CardOperations[K]>>;
			const run = async (): Promise<Answer> => await method.apply(service, args);
			// `cancel` must reach the operation it cancels, not wait for that operation's transaction to end.
			if (!entry.exclusive || operation === 'cancel') return await run();
			return await entry.exclusive(run).catch((error: unknown) => ({ ok: false, error: toErrorData(error) }) as Answer);
		},

		/**
		 * Web Smart Card API route: the page owns `navigator.smartCard` (the permission prompt comes at connect) and
		 * lends one reader's connection as `ops` (a comlink proxy, or the object itself in tests). Afterwards
		 * `connectCard(readerKey)` and `call(readerKey, …)` work as for a USB reader; each card operation runs in a
		 * PC/SC transaction. `detach(readerKey)` closes it (disconnect with reset).
		 */
		async openSmartCard(readerKey: string, ops: SmartCardConnectionOps, info: ReaderInfo): Promise<Result<{ info: ReaderInfo }>> {
			return asResult(async () => {
				const previous = readers.get(readerKey);
				if (previous) await closeEntry(previous);
				const connection = new SmartCardReaderConnection(ops, info);
				const entry: AttachedReader = { deviceKey: readerKey, service: new CardService(), connection, exclusive: (work) => connection.transaction(work) };
				entry.stopPresence = connection.onPresence(({ presence }) => {
					if (presence === 'absent') entry.service.detach();
				});
				readers.set(readerKey, entry);
				return { info };
			});
		},

		/** Web Smart Card API route: the page's watcher saw the card go (the session goes with it) or come. */
		async smartCardPresence(readerKey: string, presence: CardPresence): Promise<void> {
			const connection = readers.get(readerKey)?.connection;
			if (connection instanceof SmartCardReaderConnection) connection.notifyPresence(presence);
		},

		/** Closes every slot of a device and forgets it (unplug, or the user removed it). */
		async detach(deviceKey: string): Promise<void> {
			await closeDevice(deviceKey);
		},

		/** The redacted APDU trace (PIN data masked, read data hidden) for the diagnostics page. */
		async trace(): Promise<ApduTraceEntry[]> {
			return [...trace.entries];
		}
	};
}

export type CardWorkerApi = ReturnType<typeof createCardWorkerApi>;
