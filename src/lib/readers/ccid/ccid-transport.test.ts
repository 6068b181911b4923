import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import { chooseCcidInterface } from '../../usb/ccid-interface';
import { readConfigurationDescriptor } from '../../usb/configuration-descriptor';
import { libccidDeviceSpec, libccidReader } from '../../usb/testing/libccid-reader-fixtures';
import { CcidPowerSelect } from './ccid-message';
import { CcidTransport, type CcidExchangeEvent, type CcidTransportOptions } from './ccid-transport';
import { ScriptedCcidReader, dataBlock, escapeResponse, failed, parameters, slotStatus, timeExtension } from './testing/scripted-ccid-reader';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface SetupOptions {
	file?: string;
	usbUnrestricted?: boolean;
	claimedElsewhere?: boolean;
	transport?: CcidTransportOptions;
}

async function setup(options: SetupOptions = {}) {
	const reader = new ScriptedCcidReader();
	const device = new VirtualUsbDevice(libccidDeviceSpec(libccidReader(options.file ?? 'SONY_FeliCa_RC-S300_S')), reader, {
		context: { usbUnrestricted: options.usbUnrestricted ?? true },
		claimedElsewhere: options.claimedElsewhere ?? false
	});
	await device.open();
	await device.selectConfiguration(1);
	const itf = chooseCcidInterface(await readConfigurationDescriptor(device));
	const transport = await CcidTransport.claim(device, itf, options.transport);
	cleanups.push(async () => {
		await transport.close();
		if (device.connected && device.opened) await device.close();
	});
	return { reader, device, transport };
}

const T = { timeoutMs: 1000 };
const ATR = '3B E0 00 FF 81 31 FE 45 14';

describe('CcidTransport: messages on the wire', () => {
	it('sends each command with its bSeq and reads its answer', async () => {
		const { reader, transport } = await setup();
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on('65 00000000 00 01 00 0000', slotStatus(1, { status: 0x00 }))
			.on('6F 04000000 00 02 00 0000 00 20 00 80', dataBlock(2, '63 C3'))
			.on('61 07000000 00 03 01 0000 11 10 FF 45 00 FE 00', parameters(3, '11 10 FF 45 00 FE 00', { parameter: 1 }))
			.on('6B 04000000 00 04 00 0000 FF 56 00 00', escapeResponse(4, '01 02 90 00'))
			.on('6F 00000000 00 05 03 1000', dataBlock(5, ''))
			.on('63 00000000 00 06 00 0000', slotStatus(6, { status: 0x01 }));
		expect(toHex(await transport.iccPowerOn(0, CcidPowerSelect.Automatic, T))).toBe('3be000ff8131fe4514');
		expect(await transport.getSlotStatus(0, T)).toBe(0);
		expect(await transport.xfrBlock(0, fromHex('00 20 00 80'), T)).toEqual({ data: fromHex('63 C3'), chainParameter: 0 });
		await transport.setParameters(0, 1, fromHex('11 10 FF 45 00 FE 00'), T);
		expect(toHex(await transport.escape(0, fromHex('FF 56 00 00'), T))).toBe('01029000');
		await transport.xfrBlock(0, new Uint8Array(0), { ...T, bwi: 3, levelParameter: 0x10 });
		expect(await transport.iccPowerOff(0, T)).toBe(1);
		expect(reader.mismatches).toEqual([]);
		expect(reader.pendingSteps).toBe(0);
	});

	it('wraps bSeq after 255', async () => {
		const { reader, transport } = await setup();
		for (let seq = 0; seq < 257; seq++) reader.on(`65 00000000 00 ${(seq & 0xff).toString(16).padStart(2, '0')} 00 0000`, slotStatus(seq & 0xff));
		for (let i = 0; i < 257; i++) await transport.getSlotStatus(0, T);
		expect(reader.sent[255]).toBe('650000000000ff000000');
		expect(reader.sent[256]).toBe('65000000000000000000');
		expect(reader.mismatches).toEqual([]);
	});

	it('sizes bulk-IN reads to dwMaxCCIDMessageLength, never below a whole T=1 block, in whole packets', async () => {
		for (const [file, expected] of [
			['SONY_FeliCa_RC-S300_S', 576],
			['SCR3310_2', 320],
			['Identiv_uTrust_3700_F_CL_Reader', 1088]
		] as const) {
			const { reader, device, transport } = await setup({ file });
			const spy = vi.spyOn(device, 'transferIn');
			reader.on('65 00000000 00 00 00 0000', slotStatus(0));
			await transport.getSlotStatus(0, T);
			expect(spy.mock.calls.find(([ep]) => ep === 2)?.[1]).toBe(expected);
		}
	});

	it('zeroes the message buffer once WebUSB has taken it', async () => {
		const { reader, device, transport } = await setup();
		const spy = vi.spyOn(device, 'transferOut');
		reader.on('6F 05000000 00 00 00 0000 00 20 00 80 00', dataBlock(0, '90 00'));
		await transport.xfrBlock(0, fromHex('00 20 00 80 00'), T);
		const sent = spy.mock.calls[0]![1] as Uint8Array;
		expect([...sent].every((b) => b === 0)).toBe(true);
	});
});

describe('CcidTransport: matching answers', () => {
	it('discards answers with another bSeq', async () => {
		const { reader, transport } = await setup();
		reader.on('65 00000000 00 00 00 0000', slotStatus(0x7f), slotStatus(0xff), slotStatus(0, { status: 0x02 }));
		expect(await transport.getSlotStatus(0, T)).toBe(2);
	});

	it('gives up after ten stale answers', async () => {
		const { reader, transport } = await setup();
		reader.on('65 00000000 00 00 00 0000', ...Array.from({ length: 11 }, () => slotStatus(9)));
		await expect(transport.getSlotStatus(0, T)).rejects.toMatchObject({ kind: ErrorKind.Protocol, details: { stale: 11 } });
	});

	it('serves the next command from the transfer a timeout left behind, dropping the late answer', async () => {
		const { reader, device, transport } = await setup();
		const spy = vi.spyOn(device, 'transferIn');
		reader.on('65 00000000 00 00 00 0000', { bytes: slotStatus(0), delayMs: 120 });
		reader.on('65 00000000 00 01 00 0000', { bytes: slotStatus(1, { status: 2 }), delayMs: 150 });
		await expect(transport.getSlotStatus(0, { timeoutMs: 40 })).rejects.toMatchObject({ kind: ErrorKind.Timeout, details: { command: 0x65 } });
		expect(await transport.getSlotStatus(0, { timeoutMs: 1000 })).toBe(2);
		expect(spy.mock.calls.filter(([ep]) => ep === 2)).toHaveLength(2);
	});

	it('rejects an answer for another slot, of another type, or with a wrong dwLength', async () => {
		const { reader, transport } = await setup();
		reader.on('65 00000000 00 00 00 0000', slotStatus(0, { slot: 1 }));
		await expect(transport.getSlotStatus(0, T)).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		reader.on('65 00000000 00 01 00 0000', dataBlock(1));
		await expect(transport.getSlotStatus(0, T)).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		reader.on('65 00000000 00 02 00 0000', '81 01000000 00 02 00 00 00');
		await expect(transport.getSlotStatus(0, T)).rejects.toMatchObject({ kind: ErrorKind.Protocol });
	});
});

describe('CcidTransport: time extension (bStatus 0x80)', () => {
	it('keeps waiting, the wait multiplied by bError', async () => {
		const { reader, transport } = await setup();
		reader.on('6F 01000000 00 00 00 0000 00', { bytes: timeExtension(0, 4), delayMs: 20 }, { bytes: dataBlock(0, '90 00'), delayMs: 250 });
		const started = Date.now();
		expect((await transport.xfrBlock(0, fromHex('00'), { timeoutMs: 100 })).data).toEqual(fromHex('90 00'));
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
	});

	it('restarts the wait once per extension when bError is 0', async () => {
		const { reader, transport } = await setup();
		reader.on('6F 01000000 00 00 00 0000 00', { bytes: timeExtension(0, 0), delayMs: 20 }, { bytes: dataBlock(0, '90 00'), delayMs: 400 });
		await expect(transport.xfrBlock(0, fromHex('00'), { timeoutMs: 100 })).rejects.toMatchObject({ kind: ErrorKind.Timeout });
	});

	it('stops at the ceiling however often the reader extends', async () => {
		const { reader, transport } = await setup({ transport: { maxCommandMs: 150 } });
		reader.on('6F 01000000 00 00 00 0000 00', ...Array.from({ length: 40 }, (_, i) => ({ bytes: timeExtension(0, 1), delayMs: 20 * (i + 1) })));
		const started = Date.now();
		await expect(transport.xfrBlock(0, fromHex('00'), { timeoutMs: 50 })).rejects.toMatchObject({ kind: ErrorKind.Timeout });
		expect(Date.now() - started).toBeLessThan(1500);
	});
});

describe('CcidTransport: failed commands', () => {
	it('maps bStatus/bError to typed errors', async () => {
		const { reader, transport } = await setup();
		reader
			.on('62 00000000 00 00 00 0000', failed(0x80, 0, 0xfe, 2))
			.on('62 00000000 00 01 00 0000', failed(0x80, 1, 0xfe, 1))
			.on('6F 01000000 00 02 00 0000 00', failed(0x80, 2, 0xe0))
			.on('6F 01000000 00 03 00 0000 00', failed(0x80, 3, 0xfb));
		await expect(transport.iccPowerOn(0, 0, T)).rejects.toMatchObject({ kind: ErrorKind.CardAbsent, details: { command: 0x62, ccidError: 0xfe } });
		await expect(transport.iccPowerOn(0, 0, T)).rejects.toMatchObject({ kind: ErrorKind.CardMute });
		await expect(transport.xfrBlock(0, fromHex('00'), T)).rejects.toMatchObject({ kind: ErrorKind.ReaderBusy, details: { ccidError: 0xe0 } });
		await expect(transport.xfrBlock(0, fromHex('00'), T)).rejects.toMatchObject({ kind: ErrorKind.ReaderHardware });
	});

	it('takes SetParameters bError 1..127 ("not changeable") as success, bError 0 as failure', async () => {
		const { reader, transport } = await setup();
		reader.on('61 05000000 00 00 00 0000 11 00 00 0A 00', failed(0x82, 0, 0x03)).on('61 05000000 00 01 00 0000 11 00 00 0A 00', failed(0x82, 1, 0x00));
		await expect(transport.setParameters(0, 0, fromHex('11 00 00 0A 00'), T)).resolves.toBeUndefined();
		await expect(transport.setParameters(0, 0, fromHex('11 00 00 0A 00'), T)).rejects.toMatchObject({ kind: ErrorKind.Protocol, details: { ccidError: 0 } });
	});
});

describe('CcidTransport: unplug, abort, close', () => {
	it('rejects the pending and the queued command promptly with ReaderUnplugged, and every later one', async () => {
		const { reader, device, transport } = await setup();
		const unplugged = vi.fn();
		transport.onUnplugged(unplugged);
		reader.on('6F 01000000 00 00 00 0000 00');
		const pending = transport.xfrBlock(0, fromHex('00'), { timeoutMs: 10_000 });
		const queued = transport.getSlotStatus(0, { timeoutMs: 10_000 });
		const started = Date.now();
		setTimeout(() => device.unplug(), 20);
		await expect(pending).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(queued).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(transport.state).toBe('unplugged');
		expect(unplugged).toHaveBeenCalledTimes(1);
		await expect(transport.getSlotStatus(0, T)).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(transport.close()).resolves.toBeUndefined();
	});

	it('stops waiting on abort; the next command still works', async () => {
		const { reader, transport } = await setup();
		reader.on('6F 01000000 00 00 00 0000 00', { bytes: dataBlock(0, '90 00'), delayMs: 80 });
		reader.on('65 00000000 00 01 00 0000', slotStatus(1));
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 20);
		await expect(transport.xfrBlock(0, fromHex('00'), { timeoutMs: 5000, signal: controller.signal })).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(await transport.getSlotStatus(0, T)).toBe(0);
	});

	it('close() rejects what waits, releases the interface, and refuses later commands', async () => {
		const { reader, device, transport } = await setup();
		reader.on('6F 01000000 00 00 00 0000 00');
		const pending = transport.xfrBlock(0, fromHex('00'), { timeoutMs: 10_000 });
		await new Promise((r) => setTimeout(r, 10));
		await transport.close();
		await expect(pending).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(device.configuration!.interfaces[0]!.claimed).toBe(false);
		await expect(transport.getSlotStatus(0, T)).rejects.toMatchObject({ kind: ErrorKind.Aborted });
	});
});

describe('CcidTransport: claim', () => {
	it('maps a reader held by another tab or program to ReaderBusy', async () => {
		await expect(setup({ claimedElsewhere: true })).rejects.toMatchObject({ kind: ErrorKind.ReaderBusy, details: { operation: 'claim-interface', interfaceNumber: 0 } });
	});

	it('maps a protected class in a normal page to ProtectedInterface', async () => {
		await expect(setup({ usbUnrestricted: false })).rejects.toMatchObject({
			kind: ErrorKind.ProtectedInterface,
			details: { vendorId: 0x054c, productId: 0x0dc8, interfaceNumber: 0 }
		});
	});

	it('claims a vendor-class CCID interface in a normal page', async () => {
		const { transport } = await setup({ file: 'SCR3310-NTTCom', usbUnrestricted: false });
		expect(transport.state).toBe('open');
	});
});

describe('CcidTransport: interrupt endpoint', () => {
	it('reports slot changes from NotifySlotChange and stops on close', async () => {
		const { reader, transport } = await setup();
		const changes: unknown[] = [];
		transport.onSlotChange((c) => changes.push(c));
		reader.notify('50 03');
		reader.notify('50 02');
		reader.notify('50 00');
		await vi.waitFor(() => expect(changes).toHaveLength(2));
		expect(changes).toEqual([
			{ slot: 0, present: true, changed: true },
			{ slot: 0, present: false, changed: true }
		]);
		await transport.close();
		reader.notify('50 03');
		await new Promise((r) => setTimeout(r, 20));
		expect(changes).toHaveLength(2);
	});

	it('reports each slot of a two-slot reader apart', async () => {
		const { reader, transport } = await setup({ file: 'SCR331-DI-NTTCom' });
		const changes: unknown[] = [];
		transport.onSlotChange((c) => changes.push(c));
		reader.notify('50 0C'); // slot 0 absent (no change), slot 1 inserted
		reader.notify('50 07'); // slot 0 inserted, slot 1 still present
		await vi.waitFor(() => expect(changes).toHaveLength(2));
		expect(changes).toEqual([
			{ slot: 1, present: true, changed: true },
			{ slot: 0, present: true, changed: true }
		]);
	});

	it('ends the transport as unplugged when the interrupt transfer finds the device gone', async () => {
		const { device, transport } = await setup();
		const unplugged = vi.fn();
		transport.onUnplugged(unplugged);
		device.unplug();
		await vi.waitFor(() => expect(unplugged).toHaveBeenCalledTimes(1));
		expect(transport.state).toBe('unplugged');
	});
});

describe('CcidTransport: trace', () => {
	it('shows observers every message, with the abData they are given for secrets', async () => {
		const events: CcidExchangeEvent[] = [];
		const { reader, transport } = await setup({ transport: { onExchange: (e) => events.push(e) } });
		transport.observe(() => {
			throw new Error('a broken observer');
		});
		reader.on('6F 09000000 00 00 00 0000 00 20 00 81 04 31 32 33 34', dataBlock(0, '90 00'));
		await transport.xfrBlock(0, fromHex('00 20 00 81 04 31 32 33 34'), { ...T, traceData: fromHex('00 20 00 81 04 2A 2A 2A 2A') });
		expect(events.map((e) => [e.direction, toHex(e.bytes), e.redacted])).toEqual([
			['out', '6f09000000000000000000200081042a2a2a2a', true],
			['in', '80020000000000000000' + '9000', undefined]
		]);
		expect(typeof events[0]!.at).toBe('number');
	});
});
