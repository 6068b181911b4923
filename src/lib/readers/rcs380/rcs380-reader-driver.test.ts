import { describe, expect, it } from 'vitest';
import { fromHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import type { CardPresence } from '../reader-connection';
import { closeAfterEach, hex, rejection, waitFor } from '../type-b/test-driver-kit';
import { TestTypeBCard } from '../type-b/test-type-b-card';
import { rcs380ReaderDriver } from './rcs380-reader-driver';
import { createTestRcs380 } from './test-rcs380-function';

const ACK = '00 00 ff 00 ff 00';
const SWITCH_RF_OFF = '00 00 ff ff ff 03 00 fd d6 06 00 24 00';
const SELECT_JPKI = fromHex('00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01');
/** FWT(FWI 4) + ΔFWT = 8.46 ms → 85 units of 0.1 ms. */
const T = '55 00';


const open = closeAfterEach();

async function setUp(card: TestTypeBCard | undefined = new TestTypeBCard()) {
	const { model, device } = createTestRcs380();
	model.card = card;
	const connection = await rcs380ReaderDriver.open(device, {
		timing: { ackMs: 200, commandMs: 200, rfMarginMs: 200, drainMs: 5 },
		pollIntervalMs: 5
	});
	open.push(connection);
	return { model, device, connection };
}



describe('Rcs380ReaderDriver: open and activation', () => {
	it('claims vendor interface 0, initialises the chip and reports the reader', async () => {
		const { model, device, connection } = await setUp();
		expect(device.configuration?.interfaces[0]?.claimed).toBe(true);
		expect(model.sent).toEqual([
			ACK,
			'00 00 ff ff ff 03 00 fd d6 2a 01 ff 00',
			'00 00 ff ff ff 02 00 fe d6 20 0a 00',
			'00 00 ff ff ff 02 00 fe d6 22 08 00',
			SWITCH_RF_OFF
		]);
		expect(connection.info).toEqual({
			vendorId: 0x054c,
			productId: 0x06c1,
			name: 'Sony PaSoRi RC-S380/S',
			route: 'rcs380',
			interfaceNumber: 0,
			medium: 'contactless',
			extendedApdu: false
		});
		expect(connection.channel.capabilities).toEqual({ extendedLength: false, maxResponseData: 256 });
	});

	it('activates the card: RF reset, 106B and Type B settings once, WUPB, ATTRIB with FSDI 8 and CID 0; ATR per PC/SC Part 3', async () => {
		const { model, connection } = await setUp();
		const before = model.sent.length;
		const { atr } = await connection.connectCard();
		expect(model.sent.slice(before)).toEqual([
			SWITCH_RF_OFF,
			'00 00 ff ff ff 06 00 fa d6 00 03 07 0f 07 0a 00',
			'00 00 ff ff ff 28 00 d8 d6 02 00 18 01 01 02 01 03 00 04 00 05 00 06 00 07 08 08 00 09 00 0a 00 0b 00 0c 00 0e 04 0f 00 10 00 11 00 12 00 13 06 4b 00',
			'00 00 ff ff ff 0c 00 f4 d6 02 0b 01 09 01 0c 01 0a 01 00 14 e6 00',
			'00 00 ff ff ff 07 00 f9 d6 04 2c 01 05 00 08 ec 00',
			'00 00 ff ff ff 0d 00 f3 d6 04 55 00 1d 11 22 33 44 00 08 01 00 01 00'
		]);
		expect(hex(atr!)).toBe('3b 88 80 01 00 00 00 00 00 81 40 00 c8');
		expect(hex(connection.channel.atr!)).toBe(hex(atr!));
	});

	it('fails with CardAbsent when no card answers, and a later tap still connects', async () => {
		const card = new TestTypeBCard();
		card.present = false;
		const { model, connection } = await setUp(card);
		expect((await rejection(connection.connectCard())).kind).toBe(ErrorKind.CardAbsent);
		expect(model.commRf).toEqual(['2c 01 05 00 08']);
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.CardAbsent);
		card.present = true;
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('fails with ReaderBusy when another tab or program holds the reader', async () => {
		const { device } = createTestRcs380({ claimedElsewhere: true });
		expect((await rejection(rcs380ReaderDriver.open(device))).kind).toBe(ErrorKind.ReaderBusy);
	});

	it('refuses a device that is not an RC-S380', async () => {
		const { device } = createTestRcs380();
		Object.defineProperty(device, 'productId', { value: 0x0dc8 });
		expect((await rejection(rcs380ReaderDriver.open(device))).kind).toBe(ErrorKind.Unsupported);
	});
});

describe('Rcs380ReaderDriver: APDUs over ISO-DEP', () => {
	it('carries a single-block APDU as one InCommRF frame out, then ACK and answer in: 3 transfers', async () => {
		const { model, connection } = await setUp();
		await connection.connectCard();
		const sentBefore = model.sent.length;
		const before = connection.transfers;
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
		const after = connection.transfers;
		expect({ out: after.out - before.out, in: after.in - before.in }).toEqual({ out: 1, in: 2 });
		expect(model.sent.slice(sentBefore)).toEqual(['00 00 ff ff ff 14 00 ec d6 04 55 00 02 00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01 94 00']);
		expect(model.wire.slice(-2)).toEqual(['< ' + ACK, '< 00 00 ff ff ff 0a 00 f6 d7 05 00 00 00 00 00 02 90 00 92 00']);
	});

	it('sends no RF or protocol settings between APDUs, and toggles the block number', async () => {
		const { model, connection } = await setUp();
		await connection.connectCard();
		const from = model.commRf.length;
		const sentFrom = model.sent.length;
		for (let i = 0; i < 3; i++) await connection.channel.transmit(fromHex('00 b0 00 00 04'));
		expect(model.commRf.slice(from)).toEqual([`${T} 02 00 b0 00 00 04`, `${T} 03 00 b0 00 00 04`, `${T} 02 00 b0 00 00 04`]);
		expect(model.sent.slice(sentFrom).every((frame) => frame.startsWith('00 00 ff ff ff') && frame.slice(24, 29) === 'd6 04')).toBe(true);
	});

	it('chains a long command into FSC-sized blocks and a 256-byte signature + SW back, 3 transfers per block', async () => {
		const signature = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
		const card = new TestTypeBCard({ fsci: 2, respond: () => new Uint8Array([...signature, 0x90, 0x00]) });
		const { model, connection } = await setUp(card);
		await connection.connectCard();
		const command = new Uint8Array([0x80, 0x2a, 0x00, 0x80, 0x33, ...new Uint8Array(0x33).fill(0xab), 0x00]);
		const from = model.commRf.length;
		const before = connection.transfers;
		expect(hex(await connection.channel.transmit(command))).toBe(hex(new Uint8Array([...signature, 0x90, 0x00])));
		const frames = model.commRf.slice(from).map((line) => line.slice(6, 8));
		// FSC 32: 29 INF bytes per block → 57 bytes in 2 blocks; FSD 256: 253 + 5 bytes back.
		expect(frames).toEqual(['12', '03', 'a2']);
		expect(card.executed.map(hex)).toEqual([hex(command)]);
		const after = connection.transfers;
		expect({ out: after.out - before.out, in: after.in - before.in }).toEqual({ out: 3, in: 6 });
	});

	it('answers the card’s S(WTX) with S(WTX) and the same WTXM, waiting WTXM × FWT', async () => {
		const card = new TestTypeBCard({ wtx: { count: 2, wtxm: 5 } });
		const { model, connection } = await setUp(card);
		await connection.connectCard();
		const from = model.commRf.length;
		expect(hex(await connection.channel.transmit(fromHex('00 2a 9e 9a 00')))).toBe('90 00');
		// 5 × 4.83 ms + 3.62 ms = 27.8 ms → 278 = 0x0116 units.
		expect(model.commRf.slice(from)).toEqual([`${T} 02 00 2a 9e 9a 00`, '16 01 f2 05', '16 01 f2 05']);
	});

	it('recovers a lost answer with R(NAK) and a lost block by re-sending it', async () => {
		const card = new TestTypeBCard();
		const { model, connection } = await setUp(card);
		await connection.connectCard();
		card.faults.push('drop-response');
		let from = model.commRf.length;
		expect(hex(await connection.channel.transmit(fromHex('00 b0 00 00 01')))).toBe('90 00');
		expect(model.commRf.slice(from)).toEqual([`${T} 02 00 b0 00 00 01`, `${T} b2`]);
		card.faults.push('drop-request');
		from = model.commRf.length;
		expect(hex(await connection.channel.transmit(fromHex('00 b0 00 00 02')))).toBe('90 00');
		expect(model.commRf.slice(from)).toEqual([`${T} 03 00 b0 00 00 02`, `${T} b3`, `${T} 03 00 b0 00 00 02`]);
		expect(card.executed).toHaveLength(2);
	});

	it('rejects a damaged Port-100 answer with a Protocol error, and works again after reconnecting', async () => {
		const { model, connection } = await setUp();
		await connection.connectCard();
		model.corruptNextAnswer = true;
		const error = await rejection(connection.channel.transmit(SELECT_JPKI));
		expect(error.kind).toBe(ErrorKind.Protocol);
		expect(error.details['port100']).toBe('data checksum');
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports CardRemoved when the card leaves between blocks, after FWT-bounded retries, and the next tap works', async () => {
		const card = new TestTypeBCard({ respond: () => new Uint8Array(258).fill(7) });
		const { model, connection } = await setUp(card);
		const events: CardPresence[] = [];
		await connection.connectCard();
		model.onCommRf = (frame) => {
			if (hex(frame) === 'a3') card.present = false;
		};
		const from = model.commRf.length;
		const started = Date.now();
		expect((await rejection(connection.channel.transmit(fromHex('00 b0 00 00 00')))).kind).toBe(ErrorKind.CardRemoved);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(model.commRf.slice(from)).toEqual([`${T} 02 00 b0 00 00 00`, `${T} a3`, `${T} a3`, `${T} a3`]);
		connection.onPresence((event) => events.push(event.presence));
		await waitFor(() => events.includes('absent'));
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.CardAbsent);
		model.onCommRf = undefined;
		card.present = true;
		card.respond = () => fromHex('90 00');
		await waitFor(() => events.at(-1) === 'present');
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports ReaderUnplugged when the reader goes mid-exchange, and close() still resolves', async () => {
		const { device, connection } = await setUp();
		await connection.connectCard();
		device.faults.add({ nth: 2, when: 'before', action: { type: 'unplug' } });
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.ReaderUnplugged);
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.ReaderUnplugged);
		expect((await rejection(connection.connectCard())).kind).toBe(ErrorKind.ReaderUnplugged);
		await expect(connection.close()).resolves.toBeUndefined();
	});

	it('rejects at once when aborted mid-APDU, lets the card finish in the background, and stays in step', async () => {
		const { model, device, connection } = await setUp();
		await connection.connectCard();
		const from = model.commRf.length;
		device.faults.add({ nth: 1, when: 'before', action: { type: 'delay', ms: 300 } });
		const controller = new AbortController();
		const first = connection.channel.transmit(fromHex('00 b0 00 00 01'), { signal: controller.signal });
		setTimeout(() => controller.abort(), 10);
		const started = Date.now();
		expect((await rejection(first)).kind).toBe(ErrorKind.Aborted);
		expect(Date.now() - started).toBeLessThan(250);
		expect(hex(await connection.channel.transmit(fromHex('00 b0 00 00 02')))).toBe('90 00');
		expect(model.commRf.slice(from)).toEqual([`${T} 02 00 b0 00 00 01`, `${T} 03 00 b0 00 00 02`]);
	});

	it('sends nothing for an APDU aborted before it starts, and refuses extended APDUs', async () => {
		const { model, connection } = await setUp();
		await connection.connectCard();
		const from = model.sent.length;
		const controller = new AbortController();
		controller.abort();
		expect((await rejection(connection.channel.transmit(SELECT_JPKI, { signal: controller.signal }))).kind).toBe(ErrorKind.Aborted);
		expect((await rejection(connection.channel.transmit(new Uint8Array(262)))).kind).toBe(ErrorKind.Unsupported);
		expect(model.sent.length).toBe(from);
	});
});

describe('Rcs380ReaderDriver: presence and close', () => {
	it('polls with WUPB while no card is active and with R(NAK) while one is, only while someone listens', async () => {
		const card = new TestTypeBCard();
		card.present = false;
		const { model, connection } = await setUp(card);
		const events: CardPresence[] = [];
		const stop = connection.onPresence((event) => events.push(event.presence));
		await waitFor(() => events.length === 1);
		expect(events).toEqual(['absent']);
		card.present = true;
		await waitFor(() => events.length === 2);
		expect(events).toEqual(['absent', 'present']);
		await connection.connectCard();
		const from = model.commRf.length;
		await waitFor(() => model.commRf.length > from);
		expect(model.commRf[from]).toBe(`${T} b2`);
		card.present = false;
		await waitFor(() => events.length === 3);
		expect(events).toEqual(['absent', 'present', 'absent']);
		stop();
		await new Promise((resolve) => setTimeout(resolve, 30));
		const quiet = model.wire.length;
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(model.wire.length).toBe(quiet);
	});

	it('closes with S(DESELECT), RF off and ACK, then releases the interface and closes the device', async () => {
		const { model, device, connection } = await setUp();
		await connection.connectCard();
		const from = model.sent.length;
		await connection.close();
		expect(model.sent.slice(from)).toEqual(['00 00 ff ff ff 05 00 fb d6 04 55 00 c2 0f 00', SWITCH_RF_OFF, ACK]);
		expect(device.opened).toBe(false);
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.Transport);
		await expect(connection.close()).resolves.toBeUndefined();
	});
});
