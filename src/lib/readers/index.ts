/**
 * design §3 seam: `openReader(device, options?) → ReaderConnection` for any WebUSB device (real, emulated, or
 * bridged into the card worker). The registry (src/lib/usb) picks the driver and interface from VID:PID and the
 * descriptors; a reader whose only route is a protected interface fails with ProtectedInterface before any claim.
 */
import { ErrorKind, MynaError } from '../errors';
import { lookupReader, protectedInterfaceError, readerCandidates, type ReaderMatch } from '../usb';
import { CcidReaderDriver, type CcidExchangeObserver } from './ccid';
import type { OpenReaderOptions, ReaderConnection, ReaderDriver } from './reader-connection';
import { rcs300ReaderDriver } from './rcs300';
import { rcs380ReaderDriver } from './rcs380';

export * from './reader-connection';
export { detectRoutes, currentRoutePlatform, type RouteReport, type RoutePlatform } from './routes';

export interface OpenAnyReaderOptions extends OpenReaderOptions {
	/** The page may claim protected interfaces (`usb-unrestricted`, Isolated Web Apps): from the composition root. */
	usbUnrestricted?: boolean;
	/** Open this interface (one function of a multi-function reader) instead of the registry's first choice. */
	interfaceNumber?: number;
	/** CCID-level exchange observer for the diagnostics trace (masked). */
	onCcidExchange?: CcidExchangeObserver;
}

/** Which driver and interface this device would use here, without opening it (for the UI's explanations). */
export function planReader(device: USBDevice, usbUnrestricted = false, interfaceNumber?: number): ReaderMatch | undefined {
	if (interfaceNumber === undefined) return lookupReader(device, { usbUnrestricted });
	return readerCandidates(device, { usbUnrestricted }).find((c) => c.interfaceNumber === interfaceNumber);
}

function driverFor(match: ReaderMatch, options: OpenAnyReaderOptions): ReaderDriver {
	switch (match.driverId) {
		case 'rcs300':
			return rcs300ReaderDriver;
		case 'rcs380':
			return rcs380ReaderDriver;
		case 'ccid':
			return new CcidReaderDriver({
				usbUnrestricted: options.usbUnrestricted ?? false,
				...(match.interfaceNumber !== undefined ? { interfaceNumber: match.interfaceNumber } : {}),
				...(options.onCcidExchange ? { onExchange: options.onCcidExchange } : {})
			});
	}
}

export async function openReader(device: USBDevice, options: OpenAnyReaderOptions = {}): Promise<ReaderConnection> {
	const match = planReader(device, options.usbUnrestricted ?? false, options.interfaceNumber);
	if (!match) {
		throw new MynaError(ErrorKind.Unsupported, 'This USB device is not a card reader this app can drive.', {
			vendorId: device.vendorId,
			productId: device.productId
		});
	}
	if (!match.claimable && match.interfaceNumber !== undefined) throw protectedInterfaceError(device, match.interfaceNumber);
	const { usbUnrestricted: _u, onCcidExchange: _o, interfaceNumber: _i, ...driverOptions } = options;
	return driverFor(match, options).open(device, driverOptions);
}
