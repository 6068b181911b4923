import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { ReaderRoute, type OpenReaderOptions, type ReaderDriver, type ReaderInfo } from '../reader-connection';
import { TypeBReaderConnection, type TypeBConnectionOptions } from '../type-b/type-b-reader-connection';
import { claimVendorInterface, findVendorInterface, releaseVendorInterface, VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import { Port100Chipset, type Port100Timing } from './port100-chipset';
import { Rcs380TypeBLink } from './rcs380-type-b-link';

export const SONY_VENDOR_ID = 0x054c;

/** RC-S380 models (readers.md §5.1). */
export const Rcs380Models: Readonly<Record<number, string>> = {
	0x06c1: 'Sony PaSoRi RC-S380/S',
	0x06c3: 'Sony PaSoRi RC-S380/P'
};

/** Enough for the largest Port-100 frame (290 data bytes + 10). */
const READ_LENGTH = 512;

export interface Rcs380OpenOptions extends OpenReaderOptions, TypeBConnectionOptions {
	timing?: Partial<Port100Timing>;
}

/**
 * Sony PaSoRi RC-S380 over WebUSB: vendor interface 0 (class 0xFF), Port-100 frames on its bulk endpoints, Type B
 * activation and ISO-DEP on the host. `open()` claims the interface and initialises the chip (field off).
 */
export class Rcs380ReaderDriver implements ReaderDriver {
	readonly id = 'rcs380';
	readonly route = ReaderRoute.Rcs380;

	async open(device: USBDevice, options: Rcs380OpenOptions = {}): Promise<TypeBReaderConnection> {
		throwIfAborted(options.signal);
		const name = device.vendorId === SONY_VENDOR_ID ? Rcs380Models[device.productId] : undefined;
		if (!name) throw new MynaError(ErrorKind.Unsupported, 'This device is not a Sony RC-S380.');
		const selection = findVendorInterface(device, 0);
		if (!selection) throw new MynaError(ErrorKind.Unsupported, 'The RC-S380’s vendor interface was not found.');
		await claimVendorInterface(device, selection);
		const pipe = new VendorUsbPipe(device, selection, READ_LENGTH);
		const chipset = new Port100Chipset(pipe, options.timing);
		try {
			throwIfAborted(options.signal);
			await chipset.initialize();
		} catch (error) {
			await releaseVendorInterface(device, selection.interfaceNumber);
			throw error;
		}
		const info: ReaderInfo = {
			vendorId: device.vendorId,
			productId: device.productId,
			name,
			route: ReaderRoute.Rcs380,
			interfaceNumber: selection.interfaceNumber,
			medium: 'contactless',
			extendedApdu: false
		};
		return new TypeBReaderConnection(new Rcs380TypeBLink(device, selection.interfaceNumber, pipe, chipset, info), options);
	}
}

export const rcs380ReaderDriver = new Rcs380ReaderDriver();
