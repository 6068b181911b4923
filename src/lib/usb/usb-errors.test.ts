import { describe, expect, it } from 'vitest';
import { ErrorKind, MynaError, thrownName } from '../errors';
import { UsbOperation, inTransferBytes, mapUsbError, transferStatusError } from './usb-errors';

const dom = (name: string) => new DOMException('browser text', name);

describe('mapUsbError', () => {
	it.each([
		['NotFoundError', UsbOperation.TransferIn, ErrorKind.ReaderUnplugged],
		['NotFoundError', UsbOperation.ClaimInterface, ErrorKind.ReaderUnplugged],
		['NetworkError', UsbOperation.TransferIn, ErrorKind.ReaderUnplugged],
		['NetworkError', UsbOperation.TransferOut, ErrorKind.ReaderUnplugged],
		['NetworkError', UsbOperation.ControlIn, ErrorKind.ReaderUnplugged],
		['NetworkError', UsbOperation.ClaimInterface, ErrorKind.ReaderBusy],
		['NetworkError', UsbOperation.Open, ErrorKind.ReaderBusy],
		['NetworkError', UsbOperation.ReleaseInterface, ErrorKind.Transport],
		['SecurityError', UsbOperation.ClaimInterface, ErrorKind.ProtectedInterface],
		['SecurityError', UsbOperation.ControlOut, ErrorKind.ProtectedInterface],
		['SecurityError', UsbOperation.Open, ErrorKind.ReaderAccessDenied],
		['AbortError', UsbOperation.TransferIn, ErrorKind.Aborted],
		['InvalidStateError', UsbOperation.TransferIn, ErrorKind.Transport],
		['TypeError', UsbOperation.TransferOut, ErrorKind.Transport]
	])('%s on %s → %s', (name, operation, kind) => {
		const mapped = mapUsbError(dom(name), { operation, vendorId: 0x04e6, productId: 0x511a, interfaceNumber: 0, endpointNumber: 2 });
		expect(mapped.kind).toBe(kind);
		expect(mapped.details).toEqual({ operation, vendorId: 0x04e6, productId: 0x511a, interfaceNumber: 0, endpointNumber: 2, name });
		expect(mapped.message).not.toContain('browser text');
	});

	it('says "in use by another tab or program" for a busy claim', () => {
		expect(mapUsbError(dom('NetworkError'), { operation: UsbOperation.ClaimInterface }).message).toMatch(/another tab or program/);
	});

	it('reads the name of bridged errors that are plain objects, and passes MynaErrors through', () => {
		expect(thrownName({ name: 'NetworkError', message: 'x' })).toBe('NetworkError');
		expect(mapUsbError({ name: 'NotFoundError' }, { operation: UsbOperation.TransferOut }).kind).toBe(ErrorKind.ReaderUnplugged);
		const own = new MynaError(ErrorKind.CardAbsent, 'no card');
		expect(mapUsbError(own, { operation: UsbOperation.TransferIn })).toBe(own);
		expect(mapUsbError('weird', { operation: UsbOperation.TransferIn }).kind).toBe(ErrorKind.Transport);
	});

	it('reports a stalled or babbling transfer as Transport', () => {
		expect(transferStatusError('stall', { operation: UsbOperation.TransferIn })).toMatchObject({ kind: ErrorKind.Transport, details: { status: 'stall' } });
	});

	it('copies only the view of an IN result', () => {
		const buffer = Uint8Array.of(9, 1, 2, 3, 9).buffer;
		const bytes = inTransferBytes({ status: 'ok', data: new DataView(buffer, 1, 3) } as USBInTransferResult);
		expect([...bytes]).toEqual([1, 2, 3]);
		expect(bytes.buffer).not.toBe(buffer);
		expect(inTransferBytes({ status: 'ok' } as USBInTransferResult)).toHaveLength(0);
	});
});
