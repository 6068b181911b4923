import { MemoryTraceSink, TracingChannel, type ApduTraceEntry } from '../apdu';
import { asResult, ErrorKind, MynaError, type Result } from '../errors';
import { openReader, type CardPresence, type OpenAnyReaderOptions, type ReaderConnection, type ReaderInfo } from '../readers';
import { BridgedUsbDevice, type UsbDeviceOps, type UsbDeviceSnapshot } from '../usb/device-bridge';
import { workerHello, type WorkerHello } from '../worker-hello';
import { MynaCard } from './myna-card';
import type { CardDetection, CertificateKind } from './jpki-session';
import type { PinStatus } from './pin-guard';

/** READ BINARY and GET RESPONSE answers may hold personal data or certificates: the trace keeps only their SW. */
const PERSONAL_READS = new Set([0xb0, 0xb1, 0xc0]);

interface AttachedReader {
	deviceKey: string;
	connection?: ReaderConnection;
	card?: MynaCard;
	stopPresence?: () => void;
}

export interface CardWorkerDependencies {
	openReader: (device: USBDevice, options: OpenAnyReaderOptions) => Promise<ReaderConnection>;
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

	function card(key: string): MynaCard {
		const entry = reader(key);
		if (!entry.card) throw new MynaError(ErrorKind.CardAbsent, 'No card has been connected in this reader.');
		return entry.card;
	}

	async function closeEntry(entry: AttachedReader): Promise<void> {
		entry.stopPresence?.();
		entry.card?.endSession();
		entry.card = undefined;
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
		 * Opens one slot of an attached device (`readerKey` names the pair) with the driver the registry picks;
		 * `onPresence` (a comlink proxy) hears card insert/remove. Slots of one device share its transport.
		 */
		async open(
			readerKey: string,
			deviceKey: string,
			options: { usbUnrestricted: boolean; slot?: number; interfaceNumber?: number },
			onPresence?: (presence: CardPresence) => void
		): Promise<Result<{ info: ReaderInfo }>> {
			return asResult(async () => {
				const device = devices.get(deviceKey);
				if (!device) throw new MynaError(ErrorKind.NoReader, 'The reader is no longer connected.');
				const previous = readers.get(readerKey);
				if (previous) await closeEntry(previous);
				const entry: AttachedReader = { deviceKey };
				readers.set(readerKey, entry);
				const connection = await deps.openReader(device, options);
				entry.connection = connection;
				entry.stopPresence = connection.onPresence(({ presence }) => {
					if (presence === 'absent') {
						entry.card?.endSession();
						entry.card = undefined;
					}
					onPresence?.(presence);
				});
				return { info: connection.info };
			});
		},

		/** Powers on / activates the card and tells what it is (never by the ATR). */
		async connectCard(key: string): Promise<Result<{ atr?: Uint8Array; detection: CardDetection }>> {
			return asResult(async () => {
				const entry = reader(key);
				if (!entry.connection) throw new MynaError(ErrorKind.NoReader, 'The reader is not open.');
				const { atr } = await entry.connection.connectCard();
				const channel = new TracingChannel(entry.connection.channel, trace, { maskResponse: (c) => PERSONAL_READS.has(c[1] ?? 0) });
				entry.card = new MynaCard(channel);
				const detection = await entry.card.detect();
				return atr ? { atr, detection } : { detection };
			});
		},

		async readCertificate(key: string, kind: Exclude<CertificateKind, 'sign'>): Promise<Result<{ der: Uint8Array }>> {
			return asResult(async () => ({ der: (await card(key).readCertificate(kind)).der }));
		},

		async pinStatuses(key: string): Promise<Result<{ statuses: PinStatus[] }>> {
			return asResult(async () => ({ statuses: await card(key).pinStatuses() }));
		},

		/** Closes every slot of a device and forgets it (unplug, or the user removed it). */
		async detach(deviceKey: string): Promise<void> {
			await closeDevice(deviceKey);
		},

		async trace(): Promise<ApduTraceEntry[]> {
			return [...trace.entries];
		}
	};
}

export type CardWorkerApi = ReturnType<typeof createCardWorkerApi>;
