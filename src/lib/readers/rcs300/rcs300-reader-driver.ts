import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { ReaderRoute, type OpenReaderOptions, type ReaderDriver, type ReaderInfo } from '../reader-connection';
import { TypeBReaderConnection, type TypeBConnectionOptions } from '../type-b/type-b-reader-connection';
import { claimVendorInterface, findVendorInterface, releaseVendorInterface, VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import { Rcs300Session, type Rcs300Timing } from './rcs300-session';
import { Rcs300TypeBLink } from './rcs300-type-b-link';

export const SONY_VENDOR_ID = 0x054c;

/** RC-S300 models (readers.md §4.1). */
export const Rcs300Models: Readonly<Record<number, string>> = {
	0x0dc8: 'Sony PaSoRi RC-S300/S',
	0x0dc9: 'Sony PaSoRi RC-S300/P'
};

/** Interface 1 is the vendor interface; interface 0 (CCID, class 0x0B) is protected in Chrome. */
const VENDOR_INTERFACE = 1;
/** The largest answer asked for in one transferIn: the reader will not split one (rcs300.md §4, Android note). */
const READ_LENGTH = 1024;

export interface Rcs300OpenOptions extends OpenReaderOptions, TypeBConnectionOptions {
	timing?: Partial<Rcs300Timing>;
}

/**
 * Sony PaSoRi RC-S300 over WebUSB: vendor interface 1 (class 0xFF), CCID Escape messages with Sony's transparent
 * session commands, Type B activation and ISO-DEP on the host. `open()` claims the interface, ends any stale session
 * and starts ours (field off); the session is kept alive with `FF 56 00 00` while idle and ended on `close()`.
 */
export class Rcs300ReaderDriver implements ReaderDriver {
	readonly id = 'rcs300';
	readonly route = ReaderRoute.Rcs300;

	async open(device: USBDevice, options: Rcs300OpenOptions = {}): Promise<TypeBReaderConnection> {
		throwIfAborted(options.signal);
		const name = device.vendorId === SONY_VENDOR_ID ? Rcs300Models[device.productId] : undefined;
		if (!name) throw new MynaError(ErrorKind.Unsupported, 'This device is not a Sony RC-S300.');
		const selection = findVendorInterface(device, VENDOR_INTERFACE);
		if (!selection) throw new MynaError(ErrorKind.Unsupported, 'The RC-S300’s vendor interface was not found.');
		await claimVendorInterface(device, selection);
		const pipe = new VendorUsbPipe(device, selection, READ_LENGTH);
		const session = new Rcs300Session(pipe, options.timing);
		try {
			throwIfAborted(options.signal);
			await session.open();
			await session.firmwareVersion();
		} catch (error) {
			// A session another program holds is left alone.
			if (!(error instanceof MynaError && error.kind === ErrorKind.ReaderBusy)) await session.close();
			await releaseVendorInterface(device, selection.interfaceNumber);
			throw error;
		}
		const info: ReaderInfo = {
			vendorId: device.vendorId,
			productId: device.productId,
			name,
			route: ReaderRoute.Rcs300,
			interfaceNumber: selection.interfaceNumber,
			medium: 'contactless',
			extendedApdu: false
		};
		return new TypeBReaderConnection(new Rcs300TypeBLink(device, selection.interfaceNumber, pipe, session, info), options);
	}
}

export const rcs300ReaderDriver = new Rcs300ReaderDriver();
