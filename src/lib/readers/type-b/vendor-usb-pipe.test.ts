import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import { RCS300_TEST_SPEC } from '../rcs300/test-rcs300-function';
import { claimVendorInterface, findVendorInterface, mapUsbError, VendorUsbPipe } from './vendor-usb-pipe';
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

async function rejection(promise: Promise<unknown>): Promise<MynaError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	throw new Error('expected a rejection');
}

describe('mapUsbError', () => {
	it('maps Chrome’s DOMExceptions by name and phase', () => {
		const cases: [string, 'open' | 'claim' | 'transfer', string][] = [
			['NetworkError', 'claim', ErrorKind.ReaderBusy],
			['NetworkError', 'open', ErrorKind.ReaderBusy],
			['NetworkError', 'transfer', ErrorKind.ReaderUnplugged],
			['NotFoundError', 'transfer', ErrorKind.ReaderUnplugged],
			['NotFoundError', 'claim', ErrorKind.ReaderUnplugged],
			['SecurityError', 'claim', ErrorKind.ProtectedInterface],
			['InvalidStateError', 'transfer', ErrorKind.Transport]
		];
		for (const [name, phase, kind] of cases) expect(mapUsbError(new DOMException('x', name), phase).kind, `${name} ${phase}`).toBe(kind);
		expect(mapUsbError({ name: 'NetworkError', message: 'bridged' }, 'claim').kind).toBe(ErrorKind.ReaderBusy);
		expect(mapUsbError(new DOMException('x', 'NetworkError'), 'claim').message).toMatch(/another tab or program/);
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
