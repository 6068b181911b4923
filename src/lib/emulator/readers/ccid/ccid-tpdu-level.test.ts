import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../bytes';
import { CcidCommandType } from './ccid-constants';
import { decodeNotifySlotChange } from './ccid-message';
import { createCcidReaderModel } from './ccid-reader-model';
import type { CcidReaderProfileId } from './ccid-reader-profiles';
import { T1Edc, T1SBlockType, decodeT1Block, encodeT1Block, iBlock, rBlock, sBlock, type T1Block } from './t1-block';
import { CcidTestHost, openCcid, settledWithin } from './testing/ccid-test-host';
import { FakeApduCard, askFor, deferred, extendedCase3, patternResponse } from './testing/fake-apdu-card';

const block = (b: T1Block) => encodeT1Block(b, T1Edc.Lrc);

async function tpduReader(id: CcidReaderProfileId, { usbUnrestricted = true } = {}) {
	const model = createCcidReaderModel(id, { muteTimeoutMs: 150 });
	const host = await openCcid(model.spec, model, model.profile.interfaces[0]!.endpoints, { usbUnrestricted });
	return { model, host };
}

async function powerOn(host: CcidTestHost, slot = 0) {
	const answer = await host.exchange(CcidCommandType.IccPowerOn, { slot, specific: [0, 0, 0] });
	expect(answer.status).toBe(0);
	return answer.data;
}

/** One T=1 block through XfrBlock: the DataBlock's abData, decoded. */
async function exchangeBlock(host: CcidTestHost, bytes: Uint8Array, slot = 0): Promise<T1Block> {
	const answer = await host.exchange(CcidCommandType.XfrBlock, { slot, data: bytes });
	expect(answer).toMatchObject({ messageType: 0x80, status: 0, error: 0 });
	return decodeT1Block(answer.data, T1Edc.Lrc);
}

/** A minimal host T=1 (no error recovery): chain the command in IFSC parts, fetch the chained response. */
class MiniT1Host {
	ns = 0;
	constructor(
		readonly host: CcidTestHost,
		readonly ifsc: number,
		readonly slot = 0
	) {}

	async transmit(apdu: Uint8Array): Promise<{ response: Uint8Array; blocks: number }> {
		let offset = 0;
		let blocks = 0;
		let answer: T1Block;
		for (;;) {
			const part = apdu.subarray(offset, offset + this.ifsc);
			offset += part.length;
			const more = offset < apdu.length;
			answer = await exchangeBlock(this.host, block(iBlock(this.ns, more, part)), this.slot);
			blocks++;
			this.ns ^= 1;
			if (!more) break;
			expect(answer.pcb).toBe(0x80 | (this.ns << 4));
		}
		const parts = [answer.inf];
		let nr = answer.pcb & 0x40 ? 0 : 1;
		while (answer.pcb & 0x20) {
			answer = await exchangeBlock(this.host, block(rBlock(nr)), this.slot);
			parts.push(answer.inf);
			nr ^= 1;
		}
		return { response: concatBytes(...parts), blocks };
	}
}

describe('TPDU level: the reader passes T=1 blocks between host and card verbatim', () => {
	it('returns the card ATR on IccPowerOn and the card block for the host block (ACR39U)', async () => {
		const { model, host } = await tpduReader('acr39u');
		model.insertCard(new FakeApduCard());
		expect(toHex(await host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] }).then((r) => r.data))).toBe('3be000ff8131fe4514');
		await host.send(CcidCommandType.XfrBlock, { seq: 0x40, data: block(iBlock(0, false, fromHex('00B00000'))) });
		expect(toHex(await host.receiveRaw())).toBe('800a0000000040000000' + toHex(block(iBlock(0, false, fromHex('00B000009000')))));
	});

	it('negotiates IFSD, then chains a 300-byte command (IFSC 254 from TA3) and a 600-byte response (IFSD 247)', async () => {
		const { model, host } = await tpduReader('acr39u');
		const card = new FakeApduCard({ respond: () => patternResponse(598) });
		model.insertCard(card);
		await host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] });
		// dwFeatures lacks auto IFSD (0x400): the host sends S(IFS request) with dwMaxIFSD 247 first
		const ifs = await exchangeBlock(host, block(sBlock(T1SBlockType.Ifs, false, new Uint8Array([247]))));
		expect(ifs.pcb).toBe(0xe1);
		expect(ifs.inf[0]).toBe(247);
		const t1 = new MiniT1Host(host, 254);
		const command = extendedCase3(300);
		const { response, blocks } = await t1.transmit(command);
		expect(blocks).toBe(2);
		expect(toHex(card.received[0]!)).toBe(toHex(command));
		expect(toHex(response)).toBe(toHex(patternResponse(598)));
	});

	it('passes S(WTX request) through when armed, and the answer after S(WTX response)', async () => {
		const { model, host } = await tpduReader('scr3310');
		model.insertCard(new FakeApduCard());
		await powerOn(host);
		model.wtxRequests(1, 4);
		const wtx = await exchangeBlock(host, block(iBlock(0, false, fromHex('00B00000'))));
		expect(toHex(encodeT1Block(wtx, T1Edc.Lrc))).toBe('00c30104c6');
		const answer = await exchangeBlock(host, block(sBlock(T1SBlockType.Wtx, true, new Uint8Array([4]))));
		expect(toHex(answer.inf)).toBe('00b000009000');
	});

	it('carries a corrupted LRC from the card; the host R(EDC error) gets the block again, intact', async () => {
		const { model, host } = await tpduReader('scr3310');
		model.insertCard(new FakeApduCard());
		await powerOn(host);
		model.corruptNextBlockLrc();
		const bad = await host.exchange(CcidCommandType.XfrBlock, { data: block(iBlock(0, false, fromHex('00B00000'))) });
		expect(() => decodeT1Block(bad.data, T1Edc.Lrc)).toThrow();
		const good = await exchangeBlock(host, block(rBlock(0, 0x01)));
		expect(toHex(good.inf)).toBe('00b000009000');
	});

	it('answers a host block with a bad LRC by the card R(0, EDC error), and RESYNCH resets the numbering', async () => {
		const { model, host } = await tpduReader('scr3310');
		model.insertCard(new FakeApduCard());
		await powerOn(host);
		const bad = block(iBlock(0, false, fromHex('00B00000')));
		bad[bad.length - 1]! ^= 1;
		expect((await exchangeBlock(host, bad)).pcb).toBe(0x81);
		await exchangeBlock(host, block(iBlock(0, false, fromHex('00B00000'))));
		expect((await exchangeBlock(host, block(sBlock(T1SBlockType.Resynch, false)))).pcb).toBe(0xe0);
		expect((await exchangeBlock(host, block(iBlock(0, false, fromHex('00B00000'))))).pcb).toBe(0x00);
	});

	it('does no PPS for the host and lets the card refuse a late one (the reader did PPS: auto PPS in dwFeatures)', async () => {
		const { model, host } = await tpduReader('acr39u');
		model.insertCard(new FakeApduCard());
		await host.exchange(CcidCommandType.IccPowerOn, { specific: [1, 0, 0] });
		expect((await exchangeBlock(host, fromHex('FF 11 11 FF'))).pcb).toBe(0x82);
	});

	it('answers bError 0xFE after the reader timeout when the card stays silent (empty block)', async () => {
		const { model, host } = await tpduReader('scr3310');
		model.insertCard(new FakeApduCard());
		await powerOn(host);
		const pending = host.exchange(CcidCommandType.XfrBlock, { data: new Uint8Array(0) });
		expect(await settledWithin(pending, 5)).toBe('pending');
		expect(await pending).toMatchObject({ status: 0x40, error: 0xfe });
	});

	it('is claimable from a normal page on the NTT Com reader (class 0xFF) and runs T=1 there', async () => {
		const { model, host } = await tpduReader('scr3310-nttcom', { usbUnrestricted: false });
		model.insertCard(new FakeApduCard());
		await powerOn(host);
		const t1 = new MiniT1Host(host, 254);
		expect(toHex((await t1.transmit(askFor(40))).response)).toBe(toHex(patternResponse(40)));
	});
});

describe('SCR331-DI-NTTCom: two slots on one interface', () => {
	it('keeps a card, power and T=1 state per slot, and reports both in NotifySlotChange', async () => {
		const { model, host } = await tpduReader('scr331-di-nttcom', { usbUnrestricted: false });
		const contact = new FakeApduCard();
		const contactless = new FakeApduCard({ respond: () => fromHex('6A82') });
		model.insertCard(contact, 0);
		model.insertCard(contactless, 1);
		expect(decodeNotifySlotChange(await host.interrupt(), 2)).toEqual([
			{ present: true, changed: true },
			{ present: true, changed: true }
		]);
		await powerOn(host, 1);
		expect(await host.exchange(CcidCommandType.GetSlotStatus, { slot: 0 })).toMatchObject({ slot: 0, status: 0x01 });
		expect(await host.exchange(CcidCommandType.GetSlotStatus, { slot: 1 })).toMatchObject({ slot: 1, status: 0x00 });
		const answer = await exchangeBlock(host, block(iBlock(0, false, fromHex('00B00000'))), 1);
		expect(toHex(answer.inf)).toBe('6a82');
		expect(contact.received).toHaveLength(0);
		await powerOn(host, 0);
		// slot 0 starts its own numbering at N(S) 0
		expect((await exchangeBlock(host, block(iBlock(0, false, fromHex('00B00000'))), 0)).pcb).toBe(0x00);
		expect(await host.exchange(CcidCommandType.GetSlotStatus, { slot: 2 })).toMatchObject({ slot: 2, status: 0x42, error: 0x05 });
		model.removeCard(0);
		expect(toHex(await host.interrupt())).toBe('5006');
	});

	it('allows one busy slot at a time (bMaxCCIDBusySlots 1): the other slot gets 0xE0 meanwhile', async () => {
		const { model, host } = await tpduReader('scr331-di-nttcom');
		const gate = deferred<Uint8Array>();
		model.insertCard(new FakeApduCard({ respond: () => gate.promise }), 0);
		model.insertCard(new FakeApduCard(), 1);
		await powerOn(host, 0);
		await powerOn(host, 1);
		await host.send(CcidCommandType.XfrBlock, { slot: 0, seq: 1, data: block(iBlock(0, false, fromHex('00B00000'))) });
		await host.send(CcidCommandType.XfrBlock, { slot: 1, seq: 2, data: block(iBlock(0, false, fromHex('00B00000'))) });
		expect(await host.receive()).toMatchObject({ slot: 1, seq: 2, status: 0x40, error: 0xe0 });
		gate.resolve(fromHex('9000'));
		expect(await host.receive()).toMatchObject({ slot: 0, seq: 1, status: 0x00 });
	});
});
