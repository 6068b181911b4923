import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { CcidExchangeLevel } from '../../usb/ccid-class-descriptor';
import { interfaceAccess, protectedInterfaceError } from '../../usb/protected-interface';
import { ReaderDriverId, readerCandidates, type ReaderMatch } from '../../usb/reader-registry';
import { ReaderRoute, type OpenReaderOptions, type ReaderDriver, type ReaderInfo } from '../reader-connection';
import { acquireCcidSlot } from './ccid-device-pool';
import { CcidReaderConnection } from './ccid-reader-connection';
import type { CcidExchangeObserver } from './ccid-transport';

export interface CcidReaderDriverOptions {
	/**
	 * Whether this page may claim protected interfaces (`usb-unrestricted`), from the composition root. When
	 * false, a class 0x0B interface fails with ProtectedInterface before any USB call; when unknown
	 * (undefined) the claim is tried and its SecurityError mapped to the same error.
	 */
	usbUnrestricted?: boolean;
	/** Use this interface instead of the registry's or the first CCID one. */
	interfaceNumber?: number;
	/** Sees every CCID message (PIN data masked), for the diagnostics page. */
	onExchange?: CcidExchangeObserver;
	/** Ceiling on one CCID command including time extensions (default 120 s). */
	maxCommandMs?: number;
}

/** The registry's CCID entry for this device: the requested interface, else the best claimable one. */
function pickCandidate(device: USBDevice, usbUnrestricted: boolean | undefined, interfaceNumber: number | undefined): ReaderMatch | undefined {
	const ccid = readerCandidates(device, { usbUnrestricted: usbUnrestricted ?? true }).filter((c) => c.driverId === ReaderDriverId.Ccid);
	if (interfaceNumber !== undefined) return ccid.find((c) => c.interfaceNumber === interfaceNumber);
	return ccid.find((c) => c.claimable) ?? ccid[0];
}

function fallbackName(device: USBDevice): string {
	return device.productName?.trim() || 'USB smart card reader';
}

/**
 * The 'ccid' driver: CCID readers over WebUSB, APDU level (short/extended) or TPDU level with host T=1.
 * `open(device, { slot })` gives one slot; connections to the slots of one device share a transport.
 */
export class CcidReaderDriver implements ReaderDriver {
	readonly id = ReaderDriverId.Ccid;
	readonly route = ReaderRoute.CcidApdu;
	readonly #options: CcidReaderDriverOptions;

	constructor(options: CcidReaderDriverOptions = {}) {
		this.#options = options;
	}

	async open(device: USBDevice, options: OpenReaderOptions = {}): Promise<CcidReaderConnection> {
		throwIfAborted(options.signal);
		const match = pickCandidate(device, this.#options.usbUnrestricted, this.#options.interfaceNumber);
		const interfaceNumber = this.#options.interfaceNumber ?? match?.interfaceNumber;
		if (interfaceNumber !== undefined && this.#options.usbUnrestricted === false) {
			const access = interfaceAccess(device, interfaceNumber, { usbUnrestricted: false });
			if (access.exists && !access.claimable) throw protectedInterfaceError(device, interfaceNumber);
		}
		const transportOptions = {
			...(this.#options.onExchange ? { onExchange: this.#options.onExchange } : {}),
			...(this.#options.maxCommandMs !== undefined ? { maxCommandMs: this.#options.maxCommandMs } : {})
		};
		const lease = await acquireCcidSlot(device, {
			slot: options.slot ?? 0,
			transport: transportOptions,
			...(interfaceNumber !== undefined ? { interfaceNumber } : {}),
			...(options.signal ? { signal: options.signal } : {})
		});
		const { descriptor } = lease.transport;
		if (descriptor.exchangeLevel === CcidExchangeLevel.Character) {
			await lease.release();
			throw new MynaError(ErrorKind.Unsupported, 'Character-level CCID readers are not supported.', {
				vendorId: device.vendorId,
				productId: device.productId
			});
		}
		const sameInterface = match?.interfaceNumber === lease.ccidInterface.interfaceNumber;
		const media = sameInterface ? match.quirks.slotMedia : undefined;
		const info: ReaderInfo = {
			vendorId: device.vendorId,
			productId: device.productId,
			name: sameInterface ? match.name : fallbackName(device),
			route: descriptor.exchangeLevel === CcidExchangeLevel.Tpdu ? ReaderRoute.CcidTpdu : ReaderRoute.CcidApdu,
			interfaceNumber: lease.ccidInterface.interfaceNumber,
			slot: lease.slot,
			slotCount: descriptor.slotCount,
			medium: media?.[lease.slot] ?? media?.[0] ?? 'contact',
			extendedApdu: descriptor.exchangeLevel !== CcidExchangeLevel.ShortApdu
		};
		return new CcidReaderConnection(lease, info);
	}
}

/** The driver with defaults: tries the claim and maps a protected-class refusal to ProtectedInterface. */
export const ccidReaderDriver = new CcidReaderDriver();
