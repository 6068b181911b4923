import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromHex, ownBuffer, toHex } from '../../../bytes';
import { VirtualReader } from '../../virtual-reader';
import { CcidCommandType } from './ccid-constants';
import { encodeCcidCommand } from './ccid-message';
import { T1Edc, encodeT1Block, iBlock } from './t1-block';
import { createCcidReaderModel, type CcidReaderModelOptions } from './ccid-reader-model';
import type { CcidReaderProfileId } from './ccid-reader-profiles';
import { openCcid, settledWithin } from './testing/ccid-test-host';
import { FakeApduCard, deferred } from './testing/fake-apdu-card';

async function reader(id: CcidReaderProfileId, options: CcidReaderModelOptions = {}) {
	const model = createCcidReaderModel(id, options);
	const host = await openCcid(model.spec, model, model.profile.interfaces[0]!.endpoints);
	return { model, host };
}

afterEach(() => {
	vi.useRealTimers();
});

describe('interrupt endpoint: RDR_to_PC_NotifySlotChange', () => {
	it('waits until a card comes or goes, then reports present + changed (50 03, 50 02)', async () => {
		const { model, host } = await reader('acr1252u');
		const pending = host.interrupt();
		expect(await settledWithin(pending)).toBe('pending');
		model.insertCard(new FakeApduCard());
		expect(toHex(await pending)).toBe('5003');
		model.removeCard();
		expect(toHex(await host.interrupt())).toBe('5002');
	});

	it('reports changes the host has not read yet in one message: insert then remove gives 50 02', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		model.removeCard();
		expect(toHex(await host.interrupt())).toBe('5002');
		expect(await settledWithin(host.interrupt())).toBe('pending');
	});

	it('ends a waiting interrupt transfer when the host closes the device (the host bounds the wait)', async () => {
		const { host } = await reader('acr1252u');
		const pending = host.interrupt();
		expect(await settledWithin(pending, 5)).toBe('pending');
		await host.device.close();
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
	});

	it('reports the ICC interface of the ACR1251 Dual on its own interrupt endpoint', async () => {
		const model = createCcidReaderModel('acr1251-dual');
		const host = await openCcid(model.spec, model, model.profile.interfaces[1]!.endpoints, { interfaceNumber: 1 });
		model.insertCard(new FakeApduCard(), 1);
		expect(toHex(await host.interrupt())).toBe('5003');
	});
});

describe('card removal during an exchange', () => {
	it('fails the exchange at once with bStatus 0x42, bError 0xFE, and fires NotifySlotChange', async () => {
		const { model, host } = await reader('acr1252u');
		const gate = deferred<Uint8Array>();
		model.insertCard(new FakeApduCard({ respond: () => gate.promise }));
		await host.interrupt();
		await host.exchange(CcidCommandType.IccPowerOn);
		await host.send(CcidCommandType.XfrBlock, { seq: 0x31, data: fromHex('00B00000') });
		model.removeCard();
		expect(toHex(await host.receiveRaw())).toBe('8000000000003142fe00');
		expect(toHex(await host.interrupt())).toBe('5002');
		gate.resolve(fromHex('9000'));
		await new Promise((resolve) => setTimeout(resolve, 5));
		// the card's late answer was dropped: the next message read is the SlotStatus
		expect(await host.exchange(CcidCommandType.GetSlotStatus)).toMatchObject({ messageType: 0x81, status: 0x02, error: 0 });
	});

	it('works with the VirtualReader transfer faults: card pulled before the response is read', async () => {
		const model = createCcidReaderModel('scr3310-nttcom');
		const virtual = new VirtualReader('scr3310-nttcom', model);
		const gate = deferred<Uint8Array>();
		virtual.insertCard(new FakeApduCard({ respond: () => gate.promise }));
		const device = virtual.device;
		await device.open();
		await device.selectConfiguration(1);
		await device.claimInterface(0);
		await device.transferOut(2, ownBuffer(fromHex('62 00000000 00 01 00 0000')));
		await device.transferIn(2, 300);
		virtual.removeCardAtTransfer(2, 'before');
		const block = encodeT1Block(iBlock(0, false, fromHex('00B00000')), T1Edc.Lrc);
		await device.transferOut(2, ownBuffer(encodeCcidCommand({ messageType: 0x6f, slot: 0, seq: 2, specific: [0, 0, 0], data: block })));
		const answer = await device.transferIn(2, 300);
		expect(toHex(new Uint8Array(answer.data!.buffer, answer.data!.byteOffset, answer.data!.byteLength))).toBe('8000000000000242fe00');
	});
});

describe('mute card and hardware error', () => {
	it('answers 0x40 0xFE after the block waiting time (BWI 4 at 4 MHz ≈ 1429.5 ms), longer with bBWI', async () => {
		vi.useFakeTimers();
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn);
		expect(model.interfaces[0]!.readerTimeoutMs()).toBe(1430);
		model.muteCard();
		let answer: unknown = 'pending';
		void host.exchange(CcidCommandType.XfrBlock, { data: fromHex('00B00000') }).then((r) => (answer = r));
		await vi.advanceTimersByTimeAsync(1429);
		expect(answer).toBe('pending');
		await vi.advanceTimersByTimeAsync(1);
		expect(answer).toMatchObject({ status: 0x40, error: 0xfe });
		answer = 'pending';
		void host.exchange(CcidCommandType.XfrBlock, { specific: [2, 0, 0], data: fromHex('00B00000') }).then((r) => (answer = r));
		await vi.advanceTimersByTimeAsync(2859);
		expect(answer).toBe('pending');
		await vi.advanceTimersByTimeAsync(1);
		expect(answer).toMatchObject({ status: 0x40, error: 0xfe });
		vi.useRealTimers();
		// a reset brings the card back
		await host.exchange(CcidCommandType.IccPowerOn);
		expect(await host.exchange(CcidCommandType.XfrBlock, { data: fromHex('00B00000') })).toMatchObject({ status: 0, error: 0 });
	});

	it('ends a mute wait at once when the card is pulled out', async () => {
		const { model, host } = await reader('acr1252u', { muteTimeoutMs: 60_000 });
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn);
		model.muteCard();
		const pending = host.exchange(CcidCommandType.XfrBlock, { data: fromHex('00B00000') });
		expect(await settledWithin(pending)).toBe('pending');
		model.removeCard();
		expect(await pending).toMatchObject({ status: 0x42, error: 0xfe });
	});

	it('bounds the wait for a virtual card that never answers (cardTimeoutMs)', async () => {
		const { model, host } = await reader('acr1252u', { cardTimeoutMs: 20 });
		model.insertCard(new FakeApduCard({ respond: () => new Promise<Uint8Array>(() => {}) }));
		await host.exchange(CcidCommandType.IccPowerOn);
		expect(await host.exchange(CcidCommandType.XfrBlock, { data: fromHex('00B00000') })).toMatchObject({ status: 0x40, error: 0xfe });
	});

	it('signals HardwareError (51 bSlot bSeq 01) on the interrupt endpoint and fails the next command with 0xFB', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.interrupt();
		await host.exchange(CcidCommandType.IccPowerOn, { seq: 0x44 });
		model.hardwareError();
		expect(toHex(await host.interrupt())).toBe('51004401');
		await host.send(CcidCommandType.GetSlotStatus, { seq: 0x45 });
		expect(toHex(await host.receiveRaw())).toBe('8100000000004541fb00');
		expect(await host.exchange(CcidCommandType.GetSlotStatus)).toMatchObject({ status: 0x01, error: 0 });
	});

	it('fails the exchange in progress with 0xFB when the hardware error strikes during it', async () => {
		const { model, host } = await reader('acr1252u');
		const gate = deferred<Uint8Array>();
		model.insertCard(new FakeApduCard({ respond: () => gate.promise }));
		await host.exchange(CcidCommandType.IccPowerOn);
		await host.send(CcidCommandType.XfrBlock, { seq: 0x46, data: fromHex('00B00000') });
		model.hardwareError();
		expect(toHex(await host.receiveRaw())).toBe('8000000000004641fb00');
		gate.resolve(fromHex('9000'));
		expect(await host.exchange(CcidCommandType.GetSlotStatus)).toMatchObject({ status: 0x01, error: 0 });
	});
});
