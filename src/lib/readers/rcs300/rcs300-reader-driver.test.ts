import { describe, expect, it } from 'vitest';
import { fromHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import type { CardPresence } from '../reader-connection';
import { closeAfterEach, hex, rejection, waitFor } from '../type-b/test-driver-kit';
import { TestTypeBCard } from '../type-b/test-type-b-card';
import type { TypeBConnectionOptions } from '../type-b/type-b-reader-connection';
import { rcs300ReaderDriver } from './rcs300-reader-driver';
import { createTestRcs300, type Rcs300AttribBehaviour } from './test-rcs300-function';

const SELECT_JPKI = fromHex('00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01');
/** FWT(FWI 4) + ΔFWT = 8.458 ms. */
const US = '8458us';
const RF_OFF = 'ff 50 00 00 02 83 00 00';
const RF_ON = 'ff 50 00 00 02 84 00 00';
const SWITCH_4 = 'ff 50 00 02 10 ff 6e 03 01 01 08 ff 6e 03 08 01 00 8f 02 01 04 00';
const SWITCH_3 = 'ff 50 00 02 04 8f 02 01 03 00';
const GET_ATTRIB = 'ff ca 01 00';
const WUPB = 'ff 50 00 01 00 00 12 90 02 00 1c 5f 46 04 30 75 00 00 95 82 00 03 05 00 08 00 00 00';
const ATTRIB = 'ff 50 00 01 00 00 18 90 02 00 1c 5f 46 04 0a 21 00 00 95 82 00 09 1d 11 22 33 44 00 08 01 00 00 00 00';


const open = closeAfterEach();

async function setUp(options: { card?: TestTypeBCard; behaviour?: Rcs300AttribBehaviour; connection?: TypeBConnectionOptions } = {}) {
	const { model, device } = createTestRcs300();
	model.card = options.card ?? new TestTypeBCard();
	model.attribBehaviour = options.behaviour ?? 'host-sends-attrib';
	const connection = await rcs300ReaderDriver.open(device, {
		timing: { rfOffMs: 1, rfOnMs: 1, switchMs: 1, busyRetryMs: 1, answerMs: 200, rfMarginMs: 200 },
		pollIntervalMs: 5,
		keepAliveIntervalMs: 60_000,
		...options.connection
	});
	open.push(connection);
	return { model, device, connection };
}



describe('Rcs300ReaderDriver: open', () => {
	it('claims interface 1 only, ends a stale session, starts one, switches the field off, reads the firmware version', async () => {
		const { model, device, connection } = await setUp();
		expect(device.configuration?.interfaces.map((i) => i.claimed)).toEqual([false, true]);
		expect(model.sent).toEqual([
			'6b 08 00 00 00 00 00 00 00 00 ff 50 00 00 02 82 00 00',
			'6b 08 00 00 00 00 01 00 00 00 ff 50 00 00 02 81 00 00',
			'6b 08 00 00 00 00 02 00 00 00 ff 50 00 00 02 83 00 00',
			'6b 04 00 00 00 00 03 00 00 00 ff 56 00 00'
		]);
		expect(model.wire[1]).toBe('< 83 07 00 00 00 00 00 00 00 00 c0 03 01 6a 81 90 00');
		expect(connection.info).toMatchObject({ productId: 0x0dc8, name: 'Sony PaSoRi RC-S300/S', route: 'rcs300', interfaceNumber: 1 });
	});

	it('fails with ReaderBusy when another tab or program holds the interface', async () => {
		const { device } = createTestRcs300({ claimedElsewhere: true });
		expect((await rejection(rcs300ReaderDriver.open(device))).kind).toBe(ErrorKind.ReaderBusy);
	});

	it('asks a busy slot again (bError E0) and reports ReaderBusy when it stays busy', async () => {
		const { model, device } = createTestRcs300();
		model.busy = 2;
		const connection = await rcs300ReaderDriver.open(device, { timing: { busyRetryMs: 1 } });
		open.push(connection);
		expect(model.payloads.filter((p) => p === 'ff 50 00 00 02 82 00 00')).toHaveLength(3);
		const second = createTestRcs300();
		second.model.busy = 100;
		expect((await rejection(rcs300ReaderDriver.open(second.device, { timing: { busyRetryMs: 1 } }))).kind).toBe(ErrorKind.ReaderBusy);
		expect(second.device.opened).toBe(false);
	});

	it('waits out CCID time extensions and skips an answer with a stale bSeq', async () => {
		const { model, connection } = await setUp();
		await connection.connectCard();
		model.timeExtensions = 2;
		model.staleAnswer = true;
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});
});

describe('Rcs300ReaderDriver: activation, both ATTRIB behaviours', () => {
	it('when the reader does not activate the card: layer 4, GET DATA says no, then field reset, layer 3, WUPB, ATTRIB with CID 0', async () => {
		const { model, connection } = await setUp({ behaviour: 'host-sends-attrib' });
		const from = model.payloads.length;
		const { atr } = await connection.connectCard();
		expect(model.payloads.slice(from)).toEqual([RF_OFF, RF_ON, SWITCH_4, GET_ATTRIB, RF_OFF, RF_ON, SWITCH_3, WUPB, ATTRIB]);
		expect(hex(atr!)).toBe('3b 88 80 01 00 00 00 00 00 81 40 00 c8');
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
		const again = model.payloads.length;
		await connection.connectCard();
		expect(model.payloads.slice(again)).toEqual([RF_OFF, RF_ON, SWITCH_3, WUPB, ATTRIB]);
	});

	it('when the reader sends ATTRIB itself: layer 4, GET DATA gives the ATTRIB answer, an R(NAK) probe confirms; no REQB or ATTRIB from the host', async () => {
		const card = new TestTypeBCard({ applicationData: fromHex('1c 2d 94 11') });
		const { model, connection } = await setUp({ card, behaviour: 'reader-sends-attrib' });
		const from = model.payloads.length;
		const rfFrom = model.rf.length;
		const { atr } = await connection.connectCard();
		expect(model.payloads.slice(from, from + 4)).toEqual([RF_OFF, RF_ON, SWITCH_4, GET_ATTRIB]);
		expect(model.rf.slice(rfFrom)).toEqual([`${US} b2`]);
		expect(hex(atr!)).toBe('3b 88 80 01 1c 2d 94 11 00 81 40 00 7c');
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
		expect(model.rf.at(-1)).toBe(`${US} 02 ${hex(SELECT_JPKI)}`);
		expect(card.executed.map(hex)).toEqual([hex(SELECT_JPKI)]);
	});

	it('carries the CID the reader gave a card that supports CID, in every block', async () => {
		const card = new TestTypeBCard({ cidSupported: true });
		const { model, connection } = await setUp({ card, behaviour: 'reader-sends-attrib' });
		// A reader that ignores the CID it was told and uses its own default, 2 (rcs300.md §2).
		model.readerCid = 2;
		await connection.connectCard();
		expect(model.rf.at(-1)).toBe(`${US} ba 02`);
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
		expect(model.rf.at(-1)).toBe(`${US} 0a 02 ${hex(SELECT_JPKI)}`);
	});

	it('fails with CardAbsent when no card answers either way', async () => {
		const card = new TestTypeBCard();
		card.present = false;
		const { connection } = await setUp({ card, behaviour: 'reader-sends-attrib' });
		expect((await rejection(connection.connectCard())).kind).toBe(ErrorKind.CardAbsent);
	});
});

describe('Rcs300ReaderDriver: APDUs', () => {
	it('sends one ISO-DEP block as one transparent exchange: 1 transfer out, 1 in', async () => {
		const { model, connection } = await setUp();
		await connection.connectCard();
		const sentFrom = model.sent.length;
		const before = connection.transfers;
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
		const after = connection.transfers;
		expect({ out: after.out - before.out, in: after.in - before.in }).toEqual({ out: 1, in: 1 });
		expect(model.sent.slice(sentFrom).map((m) => m.slice(30))).toEqual([
			'ff 50 00 01 00 00 1f 90 02 00 1c 5f 46 04 0a 21 00 00 95 82 00 10 02 00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01 00 00 00'
		]);
	});

	it('chains both ways, answers WTX and recovers a lost answer with R(NAK)', async () => {
		const response = Uint8Array.from({ length: 258 }, (_, i) => i & 0xff);
		const card = new TestTypeBCard({ fsci: 2, respond: () => response, wtx: { count: 1, wtxm: 3 } });
		const { model, connection } = await setUp({ card });
		await connection.connectCard();
		const command = new Uint8Array([0x80, 0x2a, 0x00, 0x80, 0x33, ...new Uint8Array(0x33).fill(0x11), 0x00]);
		card.faults.push('none', 'none', 'drop-response');
		const from = model.rf.length;
		expect(hex(await connection.channel.transmit(command))).toBe(hex(response));
		expect(model.rf.slice(from).map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
			`${US} 12 80`,
			`${US} 03 11`,
			'18124us f2 03',
			`${US} b3`,
			`${US} a2`
		]);
		expect(card.executed).toHaveLength(1);
	});

	it('reports CardRemoved when the card leaves mid-APDU, and the next tap works without reopening', async () => {
		const card = new TestTypeBCard({ respond: () => new Uint8Array(258) });
		const { model, connection } = await setUp({ card });
		await connection.connectCard();
		card.onReceive = (frame) => {
			if (hex(frame) === 'a3') card.present = false;
		};
		const from = model.rf.length;
		expect((await rejection(connection.channel.transmit(fromHex('00 b0 00 00 00')))).kind).toBe(ErrorKind.CardRemoved);
		expect(model.rf.slice(from)).toEqual([`${US} 02 00 b0 00 00 00`, `${US} a3`, `${US} a3`, `${US} a3`]);
		card.onReceive = undefined;
		card.present = true;
		card.respond = () => fromHex('90 00');
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports ReaderUnplugged when the reader goes mid-exchange, and close() still resolves', async () => {
		const { device, connection } = await setUp();
		await connection.connectCard();
		device.faults.add({ nth: 2, when: 'before', action: { type: 'unplug' } });
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.ReaderUnplugged);
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.ReaderUnplugged);
		await expect(connection.close()).resolves.toBeUndefined();
	});

	it('times out a hung reader with a typed error, and works again after reconnecting', async () => {
		const { model, connection } = await setUp({ connection: {} });
		await connection.connectCard();
		model.silent = true;
		const hung = rejection(connection.channel.transmit(SELECT_JPKI));
		await waitFor(() => model.payloads.length > 0 && model.payloads.at(-1)!.startsWith('ff 50 00 01'));
		expect((await hung).kind).toBe(ErrorKind.Timeout);
		model.silent = false;
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});
});

describe('Rcs300ReaderDriver: presence, keep-alive, close', () => {
	it('polls with WUPB at layer 3 while no card is active, and with R(NAK) while one is', async () => {
		const card = new TestTypeBCard();
		card.present = false;
		const { model, connection } = await setUp({ card });
		const events: CardPresence[] = [];
		connection.onPresence((event) => events.push(event.presence));
		await waitFor(() => events.length === 1);
		expect(model.payloads.slice(4, 7)).toEqual([RF_OFF, RF_ON, SWITCH_3]);
		card.present = true;
		await waitFor(() => events.length === 2);
		await connection.connectCard();
		const from = model.rf.length;
		await waitFor(() => model.rf.length > from);
		expect(model.rf[from]).toBe(`${US} b2`);
		card.present = false;
		await waitFor(() => events.length === 3);
		expect(events).toEqual(['absent', 'present', 'absent']);
	});

	it('keeps the session alive with FF 56 00 00 while idle, never between the blocks of an APDU', async () => {
		const card = new TestTypeBCard({ respond: () => new Uint8Array(258) });
		const { model, device, connection } = await setUp({ card, connection: { keepAliveIntervalMs: 15 } });
		await connection.connectCard();
		const idleFrom = model.payloads.length;
		await waitFor(() => model.payloads.slice(idleFrom).includes('ff 56 00 00'));
		for (let n = 1; n <= 4; n++) device.faults.add({ nth: n, when: 'before', action: { type: 'delay', ms: 20 } });
		const from = model.payloads.length;
		await connection.channel.transmit(fromHex('00 b0 00 00 00'));
		const during = model.payloads.slice(from);
		const first = during.findIndex((p) => p.startsWith('ff 50 00 01'));
		expect(during.slice(first, first + 2).every((p) => p.startsWith('ff 50 00 01'))).toBe(true);
	});

	it('closes with S(DESELECT), RF off and end of session, then releases interface 1', async () => {
		const { model, device, connection } = await setUp();
		await connection.connectCard();
		const from = model.payloads.length;
		await connection.close();
		expect(model.payloads.slice(from)).toEqual([
			'ff 50 00 01 00 00 10 90 02 00 1c 5f 46 04 0a 21 00 00 95 82 00 01 c2 00 00 00',
			RF_OFF,
			'ff 50 00 00 02 82 00 00'
		]);
		expect(model.sessionOpen).toBe(false);
		expect(device.opened).toBe(false);
	});
});
