import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { chooseCcidInterface, type CcidInterface } from '../../usb/ccid-interface';
import { readConfigurationDescriptor, type ConfigurationDescriptor } from '../../usb/configuration-descriptor';
import { UsbOperation, mapUsbError } from '../../usb/usb-errors';
import { CcidTransport, type CcidTransportOptions } from './ccid-transport';

/*
 * Sharing a device between slot connections.
 *
 * CCID is half duplex per interface, and WebUSB lets an interface be claimed once. So every connection to a
 * slot of one interface shares one CcidTransport (one bSeq counter, one mutex, one interrupt loop), and every
 * interface of one device shares the device's open/close. Both are reference counted: the last release of an
 * interface stops its transport and releases the interface; the last release on the device closes it.
 * A slot is held by one connection at a time. Entries whose transport was unplugged are dropped, so a
 * re-plugged device starts afresh; a device being closed is reopened only after its close completed.
 */

interface InterfaceEntry {
	transport: Promise<CcidTransport>;
	refs: number;
	slots: Set<number>;
}

interface DeviceEntry {
	configuration: Promise<ConfigurationDescriptor>;
	interfaces: Map<number, InterfaceEntry>;
	refs: number;
	stale: boolean;
}

const devices = new WeakMap<USBDevice, DeviceEntry>();
const closing = new WeakMap<USBDevice, Promise<void>>();

export interface CcidSlotLease {
	readonly transport: CcidTransport;
	readonly ccidInterface: CcidInterface;
	readonly slot: number;
	/** Gives the slot back; the last lease on an interface/device releases/closes it. Never throws. */
	release(): Promise<void>;
}

export interface AcquireOptions {
	/** Default: the first CCID interface in the configuration descriptor. */
	interfaceNumber?: number;
	slot?: number;
	signal?: AbortSignal;
	transport?: CcidTransportOptions;
}

async function prepare(device: USBDevice): Promise<ConfigurationDescriptor> {
	const context = { vendorId: device.vendorId, productId: device.productId };
	await closing.get(device);
	if (!device.opened) {
		try {
			await device.open();
		} catch (error) {
			throw mapUsbError(error, { ...context, operation: UsbOperation.Open });
		}
	}
	let index = device.configuration ? device.configurations.findIndex((c) => c.configurationValue === device.configuration!.configurationValue) : 0;
	if (!device.configuration) {
		const first = device.configurations[0];
		if (!first) throw new MynaError(ErrorKind.Unsupported, 'The USB device has no configuration.', context);
		try {
			await device.selectConfiguration(first.configurationValue);
		} catch (error) {
			throw mapUsbError(error, { ...context, operation: UsbOperation.SelectConfiguration });
		}
		index = 0;
	}
	return readConfigurationDescriptor(device, { index: Math.max(0, index) });
}

function entryFor(device: USBDevice): DeviceEntry {
	const existing = devices.get(device);
	if (existing && !existing.stale) return existing;
	const entry: DeviceEntry = { configuration: prepare(device), interfaces: new Map(), refs: 0, stale: false };
	entry.configuration.catch(() => undefined);
	devices.set(device, entry);
	return entry;
}

async function closeDevice(device: USBDevice, entry: DeviceEntry): Promise<void> {
	if (devices.get(device) === entry) devices.delete(device);
	if (entry.stale || !device.opened) return;
	const done = device.close().catch(() => undefined);
	closing.set(device, done);
	await done;
	if (closing.get(device) === done) closing.delete(device);
}

function interfaceEntry(device: USBDevice, entry: DeviceEntry, itf: CcidInterface, options: CcidTransportOptions | undefined): InterfaceEntry {
	const existing = entry.interfaces.get(itf.interfaceNumber);
	if (existing) return existing;
	const created: InterfaceEntry = { transport: CcidTransport.claim(device, itf, options), refs: 0, slots: new Set() };
	created.transport.then(
		(transport) => transport.onUnplugged(() => (entry.stale = true)),
		() => undefined
	);
	entry.interfaces.set(itf.interfaceNumber, created);
	return created;
}

/** A slot of a CCID interface, sharing the interface's transport with the other slots' connections. */
export async function acquireCcidSlot(device: USBDevice, options: AcquireOptions = {}): Promise<CcidSlotLease> {
	const slot = options.slot ?? 0;
	if (!Number.isInteger(slot) || slot < 0 || slot > 0xff) throw new RangeError('slot must be 0..255');
	const entry = entryFor(device);
	entry.refs++;
	let held: InterfaceEntry | undefined;
	try {
		const configuration = await entry.configuration;
		throwIfAborted(options.signal);
		const itf = chooseCcidInterface(configuration, options.interfaceNumber);
		if (slot > itf.descriptor.maxSlotIndex) {
			throw new MynaError(ErrorKind.Unsupported, 'This card reader has no such slot.', { slot, slotCount: itf.descriptor.slotCount });
		}
		let itfEntry = interfaceEntry(device, entry, itf, options.transport);
		let transport = await itfEntry.transport.catch((error: unknown) => {
			if (entry.interfaces.get(itf.interfaceNumber) === itfEntry && itfEntry.refs === 0) entry.interfaces.delete(itf.interfaceNumber);
			throw error;
		});
		if (transport.state !== 'open' && itfEntry.refs === 0) {
			entry.interfaces.delete(itf.interfaceNumber);
			itfEntry = interfaceEntry(device, entry, itf, options.transport);
			transport = await itfEntry.transport;
		}
		if (transport.state === 'unplugged') throw new MynaError(ErrorKind.ReaderUnplugged, 'The card reader was unplugged.');
		if (itfEntry.slots.has(slot)) throw new MynaError(ErrorKind.ReaderBusy, 'This card reader slot is already in use by this app.', { slot });
		itfEntry.refs++;
		itfEntry.slots.add(slot);
		held = itfEntry;
		throwIfAborted(options.signal);
		const lease = itfEntry;
		let released = false;
		return {
			transport,
			ccidInterface: itf,
			slot,
			release: async () => {
				if (released) return;
				released = true;
				await releaseSlot(device, entry, lease, slot);
			}
		};
	} catch (error) {
		if (held) {
			await releaseSlot(device, entry, held, slot);
		} else {
			entry.refs--;
			if (entry.refs === 0 && entry.interfaces.size === 0) await closeDevice(device, entry);
		}
		throw error;
	}
}

async function releaseSlot(device: USBDevice, entry: DeviceEntry, itfEntry: InterfaceEntry, slot: number): Promise<void> {
	itfEntry.slots.delete(slot);
	itfEntry.refs--;
	if (itfEntry.refs === 0) {
		for (const [n, e] of entry.interfaces) if (e === itfEntry) entry.interfaces.delete(n);
		const transport = await itfEntry.transport.catch(() => undefined);
		await transport?.close();
	}
	entry.refs--;
	if (entry.refs === 0) await closeDevice(device, entry);
}
