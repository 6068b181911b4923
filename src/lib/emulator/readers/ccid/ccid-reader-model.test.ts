import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../bytes';
import { ErrorKind } from '../../../errors';
import { VirtualUsbDevice } from '../../usb/virtual-usb-device';
import { CcidCommandType } from './ccid-constants';
import { createCcidReaderModel, type CcidReaderModelOptions } from './ccid-reader-model';
import type { CcidReaderProfileId } from './ccid-reader-profiles';
import { openCcid, settledWithin } from './testing/ccid-test-host';
import { FakeApduCard, JPKI_ATR, deferred } from './testing/fake-apdu-card';

async function reader(id: CcidReaderProfileId, options: CcidReaderModelOptions = {}) {
	const model = createCcidReaderModel(id, options);
	const host = await openCcid(model.spec, model, model.profile.interfaces[0]!.endpoints);
	return { model, host };
}

/** The 10-byte header of a response as hex, then its data. */
const head = (bytes: Uint8Array) => toHex(bytes.subarray(0, 10));

describe('CcidReaderModel: slot status and power', () => {
	it('reports bmICCStatus 2 absent, 1 present inactive, 0 active in SlotStatus', async () => {
		const { model, host } = await reader('acr1252u');
		await host.send(CcidCommandType.GetSlotStatus, { seq: 0x10 });
		expect(toHex(await host.receiveRaw())).toBe('81000000000010020000');
		model.insertCard(new FakeApduCard());
		await host.send(CcidCommandType.GetSlotStatus, { seq: 0x11 });
		expect(toHex(await host.receiveRaw())).toBe('81000000000011010000');
		await host.exchange(CcidCommandType.IccPowerOn);
		await host.send(CcidCommandType.GetSlotStatus, { seq: 0x12 });
		expect(toHex(await host.receiveRaw())).toBe('81000000000012000000');
	});

	it('answers IccPowerOn with a DataBlock carrying the ATR, and resets the card', async () => {
		const { model, host } = await reader('acr1252u');
		const card = new FakeApduCard();
		model.insertCard(card);
		await host.send(CcidCommandType.IccPowerOn, { seq: 3 });
		expect(toHex(await host.receiveRaw())).toBe('80090000000003000000' + toHex(JPKI_ATR));
		expect(card.resets).toBe(1);
	});

	it('fails IccPowerOn without a card with bStatus 0x42, bError 0xFE', async () => {
		const { host } = await reader('acr1252u');
		await host.send(CcidCommandType.IccPowerOn, { seq: 4 });
		expect(toHex(await host.receiveRaw())).toBe('8000000000000442fe00');
	});

	it('allows automatic voltage (bPowerSelect 0) only when dwFeatures has auto voltage or activation', async () => {
		const acr39u = await reader('acr39u');
		acr39u.model.insertCard(new FakeApduCard());
		expect(await acr39u.host.exchange(CcidCommandType.IccPowerOn, { specific: [0, 0, 0] })).toMatchObject({ status: 0x41, error: 0x07 });
		expect(await acr39u.host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] })).toMatchObject({ status: 0x00, error: 0 });

		const scr3310 = await reader('scr3310');
		scr3310.model.insertCard(new FakeApduCard());
		// bVoltageSupport 0x01: 5 V only
		expect(await scr3310.host.exchange(CcidCommandType.IccPowerOn, { specific: [2, 0, 0] })).toMatchObject({ status: 0x41, error: 0x07 });
		expect(await scr3310.host.exchange(CcidCommandType.IccPowerOn, { specific: [4, 0, 0] })).toMatchObject({ status: 0x41, error: 0x07 });
		expect(await scr3310.host.exchange(CcidCommandType.IccPowerOn, { specific: [0, 0, 0] })).toMatchObject({ status: 0x00, error: 0 });
	});

	it('refuses a card whose ATR has a bad TCK (0xF7) or TS (0xF8)', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard({ atr: fromHex('3B E0 00 FF 81 31 FE 45 15') }));
		expect(await host.exchange(CcidCommandType.IccPowerOn)).toMatchObject({ status: 0x41, error: 0xf7 });
		model.insertCard(new FakeApduCard({ atr: fromHex('3C E0 00 FF 81 31 FE 45 14') }));
		expect(await host.exchange(CcidCommandType.IccPowerOn)).toMatchObject({ status: 0x41, error: 0xf8 });
	});

	it('powers the card down on IccPowerOff; an XfrBlock then fails with 0x41 0xFE', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn);
		await host.send(CcidCommandType.IccPowerOff, { seq: 9 });
		expect(toHex(await host.receiveRaw())).toBe('81000000000009010000');
		await host.send(CcidCommandType.XfrBlock, { seq: 10, data: fromHex('00B00000') });
		expect(toHex(await host.receiveRaw())).toBe('8000000000000a41fe00');
	});

	it('activates the card on insertion when dwFeatures has automatic activation (uTrust 3700 F)', async () => {
		const { model, host } = await reader('utrust-3700f');
		const card = new FakeApduCard();
		model.insertCard(card);
		expect(await host.exchange(CcidCommandType.GetSlotStatus)).toMatchObject({ status: 0x00 });
		expect(card.resets).toBe(1);
	});

	it('powers every slot down on a USB reset', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn);
		await host.device.reset();
		expect(await host.exchange(CcidCommandType.GetSlotStatus)).toMatchObject({ status: 0x01 });
	});
});

describe('CcidReaderModel: message errors', () => {
	it('answers an unknown message type with SlotStatus, bError 0x00 (command not supported), bSeq echoed', async () => {
		const { host } = await reader('acr1252u');
		await host.send(0x99, { seq: 0x21 });
		expect(toHex(await host.receiveRaw())).toBe('81000000000021420000');
	});

	it('answers a known command the reader lacks (Secure) with its own response type and bError 0x00', async () => {
		const { host } = await reader('acr1252u');
		await host.send(CcidCommandType.Secure, { seq: 0x22, data: fromHex('00') });
		expect(toHex(await host.receiveRaw())).toBe('80000000000022420000');
	});

	it('answers a wrong dwLength with bError 0x01 (offset of dwLength), whatever the message', async () => {
		const { host } = await reader('acr1252u');
		// dwLength 4 but no abData
		await host.sendRaw(fromHex('65 04000000 00 30 000000'));
		expect(toHex(await host.receiveRaw())).toBe('81000000000030420100');
		// GetSlotStatus with one byte of abData (consistent dwLength, but the message has none)
		await host.send(CcidCommandType.GetSlotStatus, { seq: 0x31, data: fromHex('00') });
		expect(toHex(await host.receiveRaw())).toBe('81000000000031420100');
		// XfrBlock longer than dwMaxCCIDMessageLength (522)
		await host.send(CcidCommandType.XfrBlock, { seq: 0x32, data: new Uint8Array(513) });
		expect(toHex(await host.receiveRaw())).toBe('80000000000032420100');
		// a header cut short: answered with what can be read of it
		await host.sendRaw(fromHex('62 00000000 00 33'));
		expect(toHex(await host.receiveRaw())).toBe('80000000000033420100');
	});

	it('answers a slot beyond bMaxSlotIndex with bStatus 0x42, bError 0x05', async () => {
		const { host } = await reader('acr1252u');
		await host.send(CcidCommandType.IccPowerOn, { slot: 1, seq: 0x40 });
		expect(toHex(await host.receiveRaw())).toBe('80000000000140420500');
	});

	it('answers a second command while the card works on the first with bError 0xE0 (slot busy), then the first', async () => {
		const { model, host } = await reader('acr1252u');
		const gate = deferred<Uint8Array>();
		model.insertCard(new FakeApduCard({ respond: () => gate.promise }));
		await host.exchange(CcidCommandType.IccPowerOn);
		await host.send(CcidCommandType.XfrBlock, { seq: 0x50, data: fromHex('00B00000') });
		await host.send(CcidCommandType.GetSlotStatus, { seq: 0x51 });
		expect(toHex(await host.receiveRaw())).toBe('8100000000005140e000');
		gate.resolve(fromHex('9000'));
		expect(toHex(await host.receiveRaw())).toBe('80020000000050000000' + '9000');
	});

	it('ends the command in progress with bError 0xFF on Abort, then answers the Abort with SlotStatus', async () => {
		const { model, host } = await reader('acr1252u');
		const gate = deferred<Uint8Array>();
		model.insertCard(new FakeApduCard({ respond: () => gate.promise }));
		await host.exchange(CcidCommandType.IccPowerOn);
		// CCID §5.3.1: the class request ABORT (wValue = bSeq << 8 | bSlot) goes first, then PC_to_RDR_Abort
		const abortRequest = { requestType: 'class', recipient: 'interface', request: 0x01, value: 0x60 << 8, index: 0 } as const;
		await expect(model.controlTransferOut(abortRequest, new Uint8Array(0))).resolves.toBeUndefined();
		await host.send(CcidCommandType.XfrBlock, { seq: 0x60, data: fromHex('00B00000') });
		await host.send(CcidCommandType.Abort, { seq: 0x60 });
		expect(toHex(await host.receiveRaw())).toBe('8000000000006040ff00');
		expect(toHex(await host.receiveRaw())).toBe('81000000000060000000');
		gate.resolve(fromHex('9000'));
		expect(await settledWithin(host.receiveRaw())).toBe('pending');
	});

	it('stalls class requests other than ABORT (GET_CLOCK_FREQUENCIES, GET_DATA_RATES) and ABORT to another interface', async () => {
		const { model, host } = await reader('acr1252u');
		const result = await host.device.controlTransferIn({ requestType: 'class', recipient: 'interface', request: 0x02, value: 0, index: 0 }, 256);
		expect(result.status).toBe('stall');
		const elsewhere = { requestType: 'class', recipient: 'interface', request: 0x01, value: 0, index: 1 } as const;
		await expect(model.controlTransferOut(elsewhere, new Uint8Array(0))).resolves.toBe('stall');
	});
});

describe('CcidReaderModel: parameters and escape', () => {
	it('derives the T=1 parameters from the ATR on power-on (TA1 absent → 11, TC1 FF, TB3 45, TA3 FE, LRC)', async () => {
		const { model, host } = await reader('acr39u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] });
		await host.send(CcidCommandType.GetParameters, { seq: 0x70 });
		expect(toHex(await host.receiveRaw())).toBe('82070000000070000001' + '1110ff4500fe00');
	});

	it('takes a valid T=1 SetParameters and echoes it; ResetParameters goes back to the ATR values', async () => {
		const { model, host } = await reader('acr39u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] });
		await host.send(CcidCommandType.SetParameters, { seq: 0x71, specific: [1, 0, 0], data: fromHex('11 10 00 4D 00 FE 00') });
		expect(toHex(await host.receiveRaw())).toBe('82070000000071000001' + '1110004d00fe00');
		expect(toHex((await host.exchange(CcidCommandType.GetParameters)).data)).toBe('1110004d00fe00');
		expect(toHex((await host.exchange(CcidCommandType.ResetParameters)).data)).toBe('1110ff4500fe00');
	});

	it('refuses SetParameters field by field: protocol 0x07, length 0x01, bmTCCKST1 11, BWI 13, bClockStop 14, bIFSC 15', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn);
		const set = (protocol: number, hex: string) => host.exchange(CcidCommandType.SetParameters, { specific: [protocol, 0, 0], data: fromHex(hex) });
		// ACR1252U's dwProtocols has T=1 only
		expect(await set(0, '11 00 00 0A 00')).toMatchObject({ messageType: 0x82, status: 0x40, error: 0x07 });
		expect(await set(1, '11 10 00 4D 00')).toMatchObject({ status: 0x40, error: 0x01 });
		expect(await set(1, '11 12 00 4D 00 FE 00')).toMatchObject({ status: 0x40, error: 11 });
		expect(await set(1, '11 10 00 AD 00 FE 00')).toMatchObject({ status: 0x40, error: 13 });
		expect(await set(1, '11 10 00 4D 04 FE 00')).toMatchObject({ status: 0x40, error: 14 });
		expect(await set(1, '11 10 00 4D 00 FF 00')).toMatchObject({ status: 0x40, error: 15 });
	});

	it('refuses T=0 for a card whose ATR offers only T=1 (0xF6) on a reader that has T=0', async () => {
		const { model, host } = await reader('acr39u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] });
		expect(await host.exchange(CcidCommandType.SetParameters, { specific: [0, 0, 0], data: fromHex('11 00 00 0A 00') })).toMatchObject({
			status: 0x40,
			error: 0xf6
		});
	});

	it('answers Escape with "command not supported" unless the reader has a handler', async () => {
		const plain = await reader('acr1252u');
		await plain.host.send(CcidCommandType.Escape, { seq: 0x80, data: fromHex('E000001800') });
		expect(toHex(await plain.host.receiveRaw())).toBe('83000000000080420000');
		const withEscape = await reader('acr1252u', { escape: { 0: (command) => (command[0] === 0xe0 ? fromHex('E100000002 3130') : undefined) } });
		await withEscape.host.send(CcidCommandType.Escape, { seq: 0x81, data: fromHex('E000001800') });
		expect(toHex(await withEscape.host.receiveRaw())).toBe('83070000000081020000' + 'e1000000023130');
		await withEscape.host.send(CcidCommandType.Escape, { seq: 0x82, data: fromHex('FF') });
		expect(toHex(await withEscape.host.receiveRaw())).toBe('83000000000082420000');
		const throwing = await reader('acr1252u', {
			escape: {
				0: () => {
					throw new RangeError('vendor bug');
				}
			}
		});
		expect(await throwing.host.exchange(CcidCommandType.Escape, { data: fromHex('00') })).toMatchObject({ messageType: 0x83, status: 0x42, error: 0 });
	});

	it('sends time extensions (bStatus 0x80, bError = multiplier) before the answer when armed', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn);
		model.timeExtensions(2, 5);
		await host.send(CcidCommandType.XfrBlock, { seq: 0x90, data: fromHex('00B00000') });
		expect(toHex(await host.receiveRaw())).toBe('80000000000090800500');
		expect(toHex(await host.receiveRaw())).toBe('80000000000090800500');
		expect(head(await host.receiveRaw())).toBe('80060000000090000000');
		await host.send(CcidCommandType.XfrBlock, { seq: 0x91, data: fromHex('00B00000') });
		expect(head(await host.receiveRaw())).toBe('80060000000091000000');
	});

	it('refuses T=1 faults on an APDU-level reader with kind Unsupported', async () => {
		const { model } = await reader('acr1252u');
		expect(() => model.wtxRequests(1, 2)).toThrow(expect.objectContaining({ kind: ErrorKind.Unsupported }));
		expect(() => model.corruptNextBlockLrc()).toThrow(expect.objectContaining({ kind: ErrorKind.Unsupported }));
	});
});

describe('CcidReaderModel: the USB side', () => {
	it('puts class 0x0B readers behind SecurityError in a normal page, while the NTT Com 0xFF readers are claimable', async () => {
		for (const [id, claimable] of [
			['acr1252u', false],
			['scr3310-nttcom', true],
			['scr331-di-nttcom', true]
		] as const) {
			const model = createCcidReaderModel(id);
			const device = new VirtualUsbDevice(model.spec, model);
			await device.open();
			await device.selectConfiguration(1);
			if (claimable) await expect(device.claimInterface(0)).resolves.toBeUndefined();
			else await expect(device.claimInterface(0)).rejects.toMatchObject({ name: 'SecurityError' });
		}
	});

	it('drops pending answers when the host closes the device, and babbles when the host asks for too few bytes', async () => {
		const { model, host } = await reader('acr1252u');
		model.insertCard(new FakeApduCard());
		await host.send(CcidCommandType.IccPowerOn);
		const short = await host.device.transferIn(2, 12);
		expect(short.status).toBe('babble');
		await host.send(CcidCommandType.GetSlotStatus);
		await host.device.close();
		await host.device.open();
		await host.device.claimInterface(0);
		expect(await settledWithin(host.receiveRaw())).toBe('pending');
	});
});
