/**
 * The production CCID driver against the emulated readers (src/lib/emulator/readers/ccid), which model the libccid
 * descriptor dumps of facts/readers.md §6.1 and a virtual My Number Card behind them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import { createVirtualCard } from '../../emulator/card';
import { createVirtualReader, type VirtualReaderModelId } from '../../emulator/catalog';
import type { CardChannel } from '../../apdu/channel';
import type { CardPresenceEvent, ReaderConnection } from '../reader-connection';
import { CcidReaderDriver, ccidReaderDriver } from './ccid-reader-driver';
import type { CcidExchangeEvent } from './ccid-transport';

const open: ReaderConnection[] = [];
afterEach(async () => {
	for (const connection of open.splice(0)) await connection.close();
});

const SELECT_JPKI = fromHex('00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01');
const SELECT_AUTH_PIN = fromHex('00 A4 02 0C 02 00 18');
const SELECT_AUTH_CERT = fromHex('00 A4 02 0C 02 00 0A');
const sw = (response: Uint8Array) => toHex(response.subarray(-2));

function rig(model: VirtualReaderModelId, usbUnrestricted = true) {
	const virtual = createVirtualReader(model, { context: { usbUnrestricted }, timeScale: 0 });
	const card = createVirtualCard({ extendedLength: true });
	return { virtual, card };
}

async function connect(device: USBDevice, driver = ccidReaderDriver, slot = 0) {
	const connection = await driver.open(device, { slot });
	open.push(connection);
	return connection;
}

/** The whole authentication certificate, in one extended READ BINARY or in 256-byte short ones. */
async function readAuthCertificate(channel: CardChannel): Promise<Uint8Array> {
	expect(sw(await channel.transmit(SELECT_AUTH_CERT))).toBe('9000');
	if (channel.capabilities?.extendedLength) {
		const response = await channel.transmit(fromHex('00 B0 00 00 00 00 00'));
		expect(sw(response)).toBe('9000');
		return response.subarray(0, -2);
	}
	const parts: Uint8Array[] = [];
	for (let offset = 0; ; offset += 256) {
		const response = await channel.transmit(Uint8Array.of(0x00, 0xb0, offset >> 8, offset & 0xff, 0x00));
		if (sw(response) === '6b00') break;
		expect(sw(response)).toBe('9000');
		parts.push(response.subarray(0, -2));
		if (response.length - 2 < 256) break;
	}
	return concatBytes(...parts);
}

function derLength(der: Uint8Array): number {
	expect(der[0]).toBe(0x30);
	expect(der[1]).toBe(0x82);
	return 4 + ((der[2]! << 8) | der[3]!);
}

describe('ccid driver × emulated readers: a JPKI session', () => {
	it.each<[VirtualReaderModelId, string, 'ccid-apdu' | 'ccid-tpdu']>([
		['acr1252u', 'ACS ACR1252U', 'ccid-apdu'],
		['acr1251-dual', 'ACS ACR1251 Dual Reader (contactless)', 'ccid-apdu'],
		['acr39u', 'ACS ACR39U', 'ccid-tpdu'],
		['scr3310', 'SCM SCR3310', 'ccid-tpdu'],
		['scr3310-nttcom', 'NTT Com SCR3310-NTTCom', 'ccid-tpdu'],
		['scr331-di-nttcom', 'NTT Com SCR331-DI-NTTCom', 'ccid-tpdu'],
		['utrust-3700f', 'Identiv uTrust 3700 F', 'ccid-apdu'],
		['rcs300', 'Sony PaSoRi RC-S300/S', 'ccid-apdu']
	])('%s: connect, SELECT, PIN status without a try, VERIFY, read the certificate', async (model, name, route) => {
		const { virtual, card } = rig(model);
		virtual.insertCard(card);
		const connection = await connect(virtual.device);
		expect(connection.info).toMatchObject({ name, route, slot: 0 });
		const { atr } = await connection.connectCard();
		expect(atr!.length).toBeGreaterThan(1);
		const { channel } = connection;
		expect(sw(await channel.transmit(SELECT_JPKI))).toBe('9000');
		expect(sw(await channel.transmit(SELECT_AUTH_PIN))).toBe('9000');
		expect(sw(await channel.transmit(fromHex('00 20 00 80')))).toBe('63c3');
		expect(sw(await channel.transmit(fromHex('00 20 00 80 04 31 32 33 34')))).toBe('9000');
		const certificate = await readAuthCertificate(channel);
		expect(certificate.length).toBe(derLength(certificate));
		expect(certificate.length).toBeGreaterThan(256);
	});

	it('acr1251-dual SAM interface (contact), on request: short APDUs only', async () => {
		const { virtual, card } = rig('acr1251-dual');
		virtual.insertCard(card, 1);
		const connection = await connect(virtual.device, new CcidReaderDriver({ interfaceNumber: 1 }));
		expect(connection.info).toMatchObject({ name: 'ACS ACR1251 Dual Reader (SAM)', medium: 'contact', extendedApdu: false });
		await connection.connectCard();
		expect(sw(await connection.channel.transmit(SELECT_JPKI))).toBe('9000');
		const certificate = await readAuthCertificate(connection.channel);
		expect(certificate.length).toBe(derLength(certificate));
	});

	it('scr331-di-nttcom: the second slot beside the first, on one device', async () => {
		const { virtual, card } = rig('scr331-di-nttcom');
		virtual.insertCard(card, 1);
		const first = await connect(virtual.device, ccidReaderDriver, 0);
		const second = await connect(virtual.device, ccidReaderDriver, 1);
		await expect(first.connectCard()).rejects.toMatchObject({ kind: ErrorKind.CardAbsent });
		await second.connectCard();
		expect(sw(await second.channel.transmit(SELECT_JPKI))).toBe('9000');
	});
});

describe('ccid driver × emulated readers: what the user meets', () => {
	it('a class 0x0B reader in a normal page: ProtectedInterface; the NTT Com reader works there', async () => {
		const acr = rig('acr39u', false);
		await expect(ccidReaderDriver.open(acr.virtual.device)).rejects.toMatchObject({ kind: ErrorKind.ProtectedInterface, details: { interfaceNumber: 0 } });
		const ntt = rig('scr3310-nttcom', false);
		ntt.virtual.insertCard(ntt.card);
		const connection = await connect(ntt.virtual.device);
		await connection.connectCard();
		expect(sw(await connection.channel.transmit(SELECT_JPKI))).toBe('9000');
	});

	it('a reader held elsewhere: ReaderBusy', async () => {
		const virtual = createVirtualReader('scr3310-nttcom', { claimedElsewhere: true });
		await expect(ccidReaderDriver.open(virtual.device)).rejects.toMatchObject({ kind: ErrorKind.ReaderBusy });
	});

	it.each<VirtualReaderModelId>(['acr1252u', 'acr39u'])('%s: the card pulled mid-exchange gives CardRemoved; re-inserted, it works again', async (model) => {
		const { virtual, card } = rig(model);
		virtual.insertCard(card);
		const connection = await connect(virtual.device);
		const events: CardPresenceEvent[] = [];
		connection.onPresence((e) => events.push(e));
		await connection.connectCard();
		expect(sw(await connection.channel.transmit(SELECT_JPKI))).toBe('9000');
		virtual.removeCardAtTransfer(1, 'after');
		await expect(connection.channel.transmit(SELECT_JPKI)).rejects.toMatchObject({ kind: ErrorKind.CardRemoved });
		await vi.waitFor(() => expect(events.at(-1)).toEqual({ presence: 'absent' }));
		await expect(connection.connectCard()).rejects.toMatchObject({ kind: ErrorKind.CardAbsent });
		virtual.insertCard(card);
		await vi.waitFor(() => expect(events.at(-1)).toEqual({ presence: 'present' }));
		await connection.connectCard();
		expect(sw(await connection.channel.transmit(SELECT_JPKI))).toBe('9000');
	});

	it('the reader unplugged: ReaderUnplugged everywhere, and close() still resolves', async () => {
		const { virtual, card } = rig('acr39u');
		virtual.insertCard(card);
		const connection = await connect(virtual.device);
		await connection.connectCard();
		virtual.unplugAtTransfer(1, 'after');
		await expect(connection.channel.transmit(SELECT_JPKI)).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(connection.channel.transmit(SELECT_JPKI)).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(connection.connectCard()).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(connection.close()).resolves.toBeUndefined();
	});

	it('the PIN never reaches the trace, at APDU level or in T=1 blocks', async () => {
		for (const model of ['acr1252u', 'acr39u'] as const) {
			const events: CcidExchangeEvent[] = [];
			const { virtual, card } = rig(model);
			virtual.insertCard(card);
			const connection = await connect(virtual.device, new CcidReaderDriver({ onExchange: (e) => events.push(e) }));
			await connection.connectCard();
			await connection.channel.transmit(SELECT_JPKI);
			await connection.channel.transmit(SELECT_AUTH_PIN);
			expect(sw(await connection.channel.transmit(fromHex('00 20 00 80 04 39 38 37 36')))).toBe('63c2');
			const out = events.filter((e) => e.direction === 'out');
			expect(out.some((e) => e.redacted)).toBe(true);
			for (const e of out) expect(toHex(e.bytes)).not.toContain('39383736');
		}
	});
});
