import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../../errors';
import { createVirtualCard, createVirtualReader, type VirtualReader } from '../../emulator';
import type { Rcs380Model } from '../../emulator/readers/sony';
import type { CardPresence } from '../reader-connection';
import { closeAfterEach, hex, JpkiTestApdu, rejection, signWithAuthKey, waitFor } from '../type-b/test-driver-kit';
import { rcs380ReaderDriver } from './rcs380-reader-driver';

/** Integration: the production RC-S380 driver against the emulated RC-S380 (Port-100) and the virtual My Number Card. */

const { SelectJpki: SELECT_JPKI, SelectAuthCert: SELECT_AUTH_CERT, Read256: READ_256, Sign: SIGN } = JpkiTestApdu;
const open = closeAfterEach();


async function setUp() {
	const reader = createVirtualReader('rcs380', { timeScale: 0 }) as VirtualReader<Rcs380Model>;
	reader.insertCard(createVirtualCard());
	const connection = await rcs380ReaderDriver.open(reader.device, {
		timing: { ackMs: 100, commandMs: 500, rfMarginMs: 500, drainMs: 5 },
		pollIntervalMs: 5
	});
	open.push(connection);
	return { reader, connection };
}




describe('RC-S380 driver × emulated RC-S380 and My Number Card', () => {
	it('activates the card, reads 256 certificate bytes and gets a 256-byte signature + SW through chaining', async () => {
		const { connection } = await setUp();
		const { atr } = await connection.connectCard();
		expect(hex(atr!.subarray(0, 4))).toBe('3b 88 80 01');
		const before = connection.transfers;
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
		const after = connection.transfers;
		expect({ out: after.out - before.out, in: after.in - before.in }).toEqual({ out: 1, in: 2 });
		expect(hex(await connection.channel.transmit(SELECT_AUTH_CERT))).toBe('90 00');
		const certificate = await connection.channel.transmit(READ_256);
		expect(certificate.length).toBe(258);
		expect(certificate[0]).toBe(0x30);
		expect(hex(certificate.subarray(256))).toBe('90 00');
		const signature = await signWithAuthKey(connection);
		expect(signature.length).toBe(258);
		expect(hex(signature.subarray(256))).toBe('90 00');
		expect(hex(await connection.channel.transmit(SIGN))).toBe(hex(signature));
	});

	it('answers a storm of S(WTX) and recovers from CRC errors', async () => {
		const { reader, connection } = await setUp();
		await connection.connectCard();
		const reference = await signWithAuthKey(connection);
		reader.model.injectFault({ type: 'wtx-storm', count: 5, wtxm: 3 });
		expect(hex(await connection.channel.transmit(SIGN))).toBe(hex(reference));
		reader.model.injectFault({ type: 'crc-error', count: 2 });
		expect(hex(await connection.channel.transmit(SIGN))).toBe(hex(reference));
	});

	it('rejects a damaged Port-100 frame with a Protocol error; reconnecting works', async () => {
		const { reader, connection } = await setUp();
		await connection.connectCard();
		reader.model.injectFault({ type: 'corrupt-frame' });
		const error = await rejection(connection.channel.transmit(SELECT_JPKI));
		expect(error.kind).toBe(ErrorKind.Protocol);
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('resends a command the busy chip swallowed', async () => {
		const { reader, connection } = await setUp();
		await connection.connectCard();
		reader.model.injectFault({ type: 'busy', count: 1 });
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports CardRemoved when the card leaves between blocks; the next tap is seen and works', async () => {
		const { reader, connection } = await setUp();
		await connection.connectCard();
		await connection.channel.transmit(SELECT_JPKI);
		await connection.channel.transmit(SELECT_AUTH_CERT);
		const events: CardPresence[] = [];
		connection.onPresence((event) => events.push(event.presence));
		await waitFor(() => events.includes('present'));
		reader.model.injectFault({ type: 'remove-card', afterExchanges: 1 });
		expect((await rejection(connection.channel.transmit(READ_256))).kind).toBe(ErrorKind.CardRemoved);
		await waitFor(() => events.at(-1) === 'absent');
		reader.removeCard();
		reader.insertCard(createVirtualCard());
		await waitFor(() => events.at(-1) === 'present');
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports ReaderUnplugged when the reader goes mid-exchange; close() resolves', async () => {
		const { reader, connection } = await setUp();
		await connection.connectCard();
		reader.unplugAtTransfer(2);
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.ReaderUnplugged);
		await expect(connection.close()).resolves.toBeUndefined();
	});

	it('fails with CardAbsent on an empty reader and with ReaderBusy when the reader is claimed elsewhere', async () => {
		const reader = createVirtualReader('rcs380', { timeScale: 0 });
		const connection = await rcs380ReaderDriver.open(reader.device, { timing: { drainMs: 5 } });
		open.push(connection);
		expect((await rejection(connection.connectCard())).kind).toBe(ErrorKind.CardAbsent);
		const busy = createVirtualReader('rcs380p', { timeScale: 0, claimedElsewhere: true });
		expect((await rejection(rcs380ReaderDriver.open(busy.device))).kind).toBe(ErrorKind.ReaderBusy);
	});
});
