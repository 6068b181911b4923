import { ErrorKind, MynaError, thrownName, type ErrorDetail } from '../errors';

/** Which WebUSB call failed; decides what a DOMException name means. */
export const UsbOperation = {
	Open: 'open',
	Close: 'close',
	SelectConfiguration: 'select-configuration',
	ClaimInterface: 'claim-interface',
	ReleaseInterface: 'release-interface',
	SelectAlternate: 'select-alternate',
	ControlIn: 'control-in',
	ControlOut: 'control-out',
	TransferIn: 'transfer-in',
	TransferOut: 'transfer-out',
	ClearHalt: 'clear-halt'
} as const;
export type UsbOperation = (typeof UsbOperation)[keyof typeof UsbOperation];

export interface UsbErrorContext {
	operation: UsbOperation;
	vendorId?: number;
	productId?: number;
	interfaceNumber?: number;
	endpointNumber?: number;
}

function contextDetails(context: UsbErrorContext, name: string | undefined): Record<string, ErrorDetail> {
	const details: Record<string, ErrorDetail> = { operation: context.operation };
	if (context.vendorId !== undefined) details.vendorId = context.vendorId;
	if (context.productId !== undefined) details.productId = context.productId;
	if (context.interfaceNumber !== undefined) details.interfaceNumber = context.interfaceNumber;
	if (context.endpointNumber !== undefined) details.endpointNumber = context.endpointNumber;
	if (name !== undefined) details.name = name;
	return details;
}

const TRANSFERS: ReadonlySet<UsbOperation> = new Set([
	UsbOperation.TransferIn,
	UsbOperation.TransferOut,
	UsbOperation.ControlIn,
	UsbOperation.ControlOut,
	UsbOperation.ClearHalt
]);

/**
 * A WebUSB rejection as a typed MynaError. MynaErrors pass through unchanged.
 * - NotFoundError anywhere, NetworkError on a transfer: the device is gone (WebUSB rejects pending and later
 *   transfers this way after a disconnect).
 * - NetworkError on open/claim: another tab or program (or an OS driver) holds the device.
 * - SecurityError on claim: a protected interface class without `usb-unrestricted`; on open: the operating system
 *   refused (Chrome's "Access denied": no udev permission on Linux, a driver WebUSB cannot use on Windows).
 * - AbortError: the transfer was cancelled by close()/releaseInterface().
 */
export function mapUsbError(error: unknown, context: UsbErrorContext): MynaError {
	if (error instanceof MynaError) return error;
	const name = thrownName(error);
	const details = contextDetails(context, name);
	const options = { cause: error };
	const claimOrOpen = context.operation === UsbOperation.ClaimInterface || context.operation === UsbOperation.Open;
	switch (name) {
		case 'NotFoundError':
			return new MynaError(ErrorKind.ReaderUnplugged, 'The card reader was unplugged.', details, options);
		case 'NetworkError':
			if (claimOrOpen) {
				return new MynaError(ErrorKind.ReaderBusy, 'The card reader is in use by another tab or program.', details, options);
			}
			if (TRANSFERS.has(context.operation)) {
				return new MynaError(ErrorKind.ReaderUnplugged, 'The card reader was unplugged.', details, options);
			}
			return new MynaError(ErrorKind.Transport, 'USB communication with the card reader failed.', details, options);
		case 'SecurityError':
			if (context.operation === UsbOperation.ClaimInterface) {
				return new MynaError(
					ErrorKind.ProtectedInterface,
					'This page may not use the smart-card interface of this reader (protected USB class).',
					details,
					options
				);
			}
			if (context.operation === UsbOperation.Open) {
				return new MynaError(ErrorKind.ReaderAccessDenied, 'The operating system denied access to the card reader.', details, options);
			}
			return new MynaError(ErrorKind.ProtectedInterface, 'The browser blocked this request to the card reader.', details, options);
		case 'AbortError':
			return new MynaError(ErrorKind.Aborted, 'The USB transfer was cancelled.', details, options);
		default:
			return new MynaError(ErrorKind.Transport, 'USB communication with the card reader failed.', details, options);
	}
}

/** A transfer that completed with a status other than 'ok' (stall, babble). */
export function transferStatusError(status: USBTransferStatus | undefined, context: UsbErrorContext): MynaError {
	const details = contextDetails(context, undefined);
	details.status = status ?? 'unknown';
	return new MynaError(ErrorKind.Transport, `USB transfer ended with status ${status ?? 'unknown'}.`, details);
}

/** Copies the bytes of an IN transfer result (the DataView may share a larger buffer). */
export function inTransferBytes(result: USBInTransferResult): Uint8Array {
	const view = result.data;
	if (!view) return new Uint8Array(0);
	const out = new Uint8Array(view.byteLength);
	out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
	return out;
}
