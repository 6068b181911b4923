/**
 * The lab's fault hook for the kiosk fault matrix (`armFault`, `commandCount`): the Nth command APDU the card
 * in a reader receives is replaced by a card removal or an unplug, for every reader model and the emulated
 * Web Smart Card API's readers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { ccidReaderDriver } from '../readers/ccid';
import { rcs300ReaderDriver } from '../readers/rcs300';
import { rcs380ReaderDriver } from '../readers/rcs380';
import type { ReaderConnection } from '../readers/reader-connection';
import { createVirtualLab } from './index';
import type { VirtualReaderOptions } from './virtual-reader';

const SELECT_JPKI = fromHex('00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01');
const SELECT_AUTH_PIN = fromHex('00 A4 02 0C 02 00 18');
const VERIFY_WRONG = fromHex('00 20 00 80 04 39 39 39 39');
const sw = (response: Uint8Array) => toHex(response.subarray(-2));

const open: ReaderConnection[] = [];
afterEach(async () => {
	for (const connection of open.splice(0)) await connection.close();
});

type Model = 'acr1252u' | 'acr39u' | 'rcs300' | 'rcs380';

async function rig(model: Model) {
	const lab = createVirtualLab();
	lab.defaultContext = { usbUnrestricted: true };
	const readerId = lab.addReader(model, { timeScale: 0 } as VirtualReaderOptions);
	const cardId = lab.insertCard(readerId, {});
	const device = lab.reader(readerId).device;
	const connection =
		model === 'rcs300'
			? await rcs300ReaderDriver.open(device, {
					timing: { rfOffMs: 1, rfOnMs: 1, switchMs: 1, busyRetryMs: 1, answerMs: 500, rfMarginMs: 500 },
					pollIntervalMs: 5
				} as object)
			: model === 'rcs380'
				? await rcs380ReaderDriver.open(device, { timing: { ackMs: 100, commandMs: 500, rfMarginMs: 500, drainMs: 5 } } as object)
				: await ccidReaderDriver.open(device);
	open.push(connection);
	await connection.connectCard();
	return { lab, readerId, cardId, connection, channel: connection.channel };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the command to fail');
}

describe.each<Model>(['acr1252u', 'acr39u', 'rcs300', 'rcs380'])('lab.armFault on %s', (model) => {
	it('counts the command APDUs the card receives, from insertion and from resetCommandCount', async () => {
		const { lab, readerId, channel } = await rig(model);
		const before = lab.commandCount(readerId);
		expect(sw(await channel.transmit(SELECT_JPKI))).toBe('9000');
		expect(sw(await channel.transmit(SELECT_AUTH_PIN))).toBe('9000');
		expect(lab.commandCount(readerId)).toBe(before + 2);
		lab.resetCommandCount(readerId);
		expect(sw(await channel.transmit(SELECT_JPKI))).toBe('9000');
		expect(lab.commandCount(readerId)).toBe(1);
	});

	it('remove-card at the 2nd command: the first is answered, the second fails as a removal and never reaches the card', async () => {
		const { lab, readerId, cardId, channel } = await rig(model);
		expect(sw(await channel.transmit(SELECT_JPKI))).toBe('9000');
		const card = lab.card(cardId);
		const seen = vi.spyOn(card, 'transmit');
		lab.armFault(readerId, { atCommand: 2, action: 'remove-card' });
		expect(sw(await channel.transmit(SELECT_AUTH_PIN))).toBe('9000');
		const error = await failure(channel.transmit(VERIFY_WRONG));
		expect(isMynaError(error, ErrorKind.CardRemoved)).toBe(true);
		expect(seen.mock.calls.map(([apdu]) => toHex(apdu))).toEqual([toHex(SELECT_AUTH_PIN)]);
		expect(lab.state()[0]!.cards[0]).toBe(false);
		expect(lab.state()[0]!.plugged).toBe(true);
		// One-shot: the card back in, its count starts again and nothing fires.
		lab.reinsertCard(readerId, cardId);
		expect(lab.commandCount(readerId)).toBe(0);
	});

	it('unplug at the 1st command: the reader is gone and the card never saw the command', async () => {
		const { lab, readerId, cardId, channel } = await rig(model);
		const seen = vi.spyOn(lab.card(cardId), 'transmit');
		const count = lab.commandCount(readerId);
		lab.armFault(readerId, { atCommand: 1, action: 'unplug' });
		const error = await failure(channel.transmit(SELECT_JPKI));
		expect(isMynaError(error, ErrorKind.ReaderUnplugged)).toBe(true);
		expect(seen).not.toHaveBeenCalled();
		expect(lab.state()[0]!.plugged).toBe(false);
		expect(lab.commandCount(readerId)).toBe(count);
	});
});

describe('lab.armFault: arguments', () => {
	it('refuses an atCommand below 1, an unknown action, and an unknown reader', () => {
		const lab = createVirtualLab();
		const readerId = lab.addReader('acr39u');
		expect(() => lab.armFault(readerId, { atCommand: 0, action: 'remove-card' })).toThrow(RangeError);
		expect(() => lab.armFault(readerId, { atCommand: 1, action: 'explode' as 'unplug' })).toThrow(/unknown fault action/);
		expect(() => lab.armFault('reader-99', { atCommand: 1, action: 'unplug' })).toThrow(/no reader/);
		expect(() => lab.commandCount('reader-99')).toThrow(/no reader/);
	});
});
