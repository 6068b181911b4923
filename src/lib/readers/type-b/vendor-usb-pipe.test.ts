import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import { RCS300_TEST_SPEC } from '../rcs300/test-rcs300-function';
import { claimVendorInterface, findVendorInterface, VendorUsbPipe } from './vendor-usb-pipe';
import { rejection } from './test-driver-kit';
import { TestUsbFunction } from './test-usb-function';

class EchoFunction extends TestUsbFunction {
	protected answer(data: Uint8Array): Uint8Array[] {
		return data[0] === 0 ? [] : [data.slice().reverse()];
	}
}

async function pipe() {
	const model = new EchoFunction();
	const device = new VirtualUsbDevice(RCS300_TEST_SPEC, model);
	const selection = findVendorInterface(device)!;
	await claimVendorInterface(device, selection);
	return { model, device, selection, pipe: new VendorUsbPipe(device, selection, 64) };
}


/** The device with one WebUSB call made to reject as Chrome does (a DOMException by name). */
function rejecting(device: USBDevice, call: 'open' | 'claimInterface' | 'transferIn' | 'transferOut', name: string): USBDevice {
	return new Proxy(device, {
		get(target, key) {
			if (key === call) return () => Promise.reject(new DOMException('refused', name));
			const value = Reflect.get(target, key, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		}
	});
}

describe('Chrome’s WebUSB errors (mapped as for the CCID readers, src/lib/usb/usb-errors.ts)', () => {
	const fresh = () => new VirtualUsbDevice(RCS300_TEST_SPEC, new EchoFunction()) as unknown as USBDevice;

	it('says the reader is busy when another tab or program holds it (NetworkError on open or claim)', async () => {
		for (const call of ['open', 'claimInterface'] as const) {
			const device = rejecting(fresh(), call, 'NetworkError');
			const error = await rejection(claimVendorInterface(device, findVendorInterface(device)!));
			expect(error.kind, call).toBe(ErrorKind.ReaderBusy);
			expect(error.message).toMatch(/another tab or program/);
			expect(error.details).toMatchObject({ vendorId: 0x054c, name: 'NetworkError' });
		}
	});

	it('says the system denied access (not a protected class) when open() is refused with SecurityError', async () => {
		const device = rejecting(fresh(), 'open', 'SecurityError');
		const error = await rejection(claimVendorInterface(device, findVendorInterface(device)!));
		expect(error.kind).toBe(ErrorKind.ReaderAccessDenied);
		expect(error.details).toMatchObject({ operation: 'open', name: 'SecurityError' });
	});

	it('treats NetworkError during a transfer as an unplug, and AbortError as a cancelled transfer', async () => {
		const { device, selection } = await pipe();
		const unplugged = new VendorUsbPipe(rejecting(device as unknown as USBDevice, 'transferOut', 'NetworkError'), selection, 64);
		expect((await rejection(unplugged.write(fromHex('01')))).kind).toBe(ErrorKind.ReaderUnplugged);
		expect(unplugged.dead?.kind).toBe(ErrorKind.ReaderUnplugged);
		const cancelled = new VendorUsbPipe(rejecting(device as unknown as USBDevice, 'transferIn', 'AbortError'), selection, 64);
		expect((await rejection(cancelled.read(100))).kind).toBe(ErrorKind.Aborted);
		expect(cancelled.dead).toBeUndefined();
	});
});

describe('findVendorInterface / claimVendorInterface', () => {
	it('takes the vendor-class interface and its bulk endpoints from the descriptors', async () => {
		const { selection } = await pipe();
		expect(selection).toEqual({ configurationValue: 1, interfaceNumber: 1, alternateSetting: 0, endpointIn: 2, endpointOut: 2 });
	});

	it('reports ProtectedInterface when a class 0x0B interface is claimed from a normal page', async () => {
		const device = new VirtualUsbDevice(RCS300_TEST_SPEC, new EchoFunction());
		const error = await rejection(claimVendorInterface(device, { configurationValue: 1, interfaceNumber: 0, alternateSetting: 0, endpointIn: 1, endpointOut: 1 }));
		expect(error.kind).toBe(ErrorKind.ProtectedInterface);
	});
});

describe('VendorUsbPipe', () => {
	it('counts transfers, and a read that timed out hands its data to the next read', async () => {
		const { model, pipe: p } = await pipe();
		expect(await p.read(5)).toBeUndefined();
		await p.write(fromHex('00 01'));
		await p.write(fromHex('01 02 03'));
		expect(toHex((await p.read(100))!)).toBe('030201');
		expect(p.transfers).toEqual({ out: 2, in: 1 });
		model.push(fromHex('aa'));
		expect(toHex((await p.read(100))!)).toBe('aa');
		expect(p.transfers).toEqual({ out: 2, in: 2 });
	});

	it('fails every call with ReaderUnplugged once the reader is gone', async () => {
		const { device, pipe: p } = await pipe();
		const pending = rejection(p.read(1000));
		device.unplug();
		expect((await pending).kind).toBe(ErrorKind.ReaderUnplugged);
		expect((await rejection(p.write(fromHex('01'))).then((e) => e.kind))).toBe(ErrorKind.ReaderUnplugged);
		expect(p.dead?.kind).toBe(ErrorKind.ReaderUnplugged);
	});

	it('reports a stalled endpoint as a Transport error', async () => {
		const { device, pipe: p } = await pipe();
		device.faults.add({ nth: 1, when: 'before', action: { type: 'stall' } });
		expect((await rejection(p.write(fromHex('01')))).kind).toBe(ErrorKind.Transport);
	});

	it('stops waiting on abort, and the reader’s late answer is still delivered to the next read', async () => {
		const { model, pipe: p } = await pipe();
		const controller = new AbortController();
		const waiting = rejection(p.read(1000, controller.signal));
		controller.abort();
		expect((await waiting).kind).toBe(ErrorKind.Aborted);
		model.push(fromHex('bb'));
		expect(toHex((await p.read(100))!)).toBe('bb');
	});
});
