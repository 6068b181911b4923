import { describe, expect, it } from 'vitest';
import { createVirtualCard, createVirtualReader } from '../../emulator';
import { isMynaError } from '../../errors';
import { rcs380ReaderDriver } from '../rcs380';
import { rcs300ReaderDriver } from '../rcs300';
import type { CardPresence } from '../reader-connection';

const SELECT_JPKI = new Uint8Array([0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);

describe.each([
	['rcs380', rcs380ReaderDriver],
	['rcs300', rcs300ReaderDriver]
] as const)('%s: a card left ACTIVE by a failed exchange is found again', (model, driver) => {
	it('the next presence poll resets the field (an ACTIVE card ignores WUPB), so the card shows up and reads', async () => {
		const reader = createVirtualReader(model, { timeScale: 0 });
		reader.insertCard(createVirtualCard());
		const connection = await driver.open(reader.device, { pollIntervalMs: 5 });
		const events: CardPresence[] = [];
		connection.onPresence(({ presence }) => events.push(presence));
		await connection.connectCard();
		expect(await connection.channel.transmit(SELECT_JPKI)).toEqual(new Uint8Array([0x90, 0x00]));

		// Corrupt the next answer from the reader: the exchange fails and the connection forgets the card,
		// which is still ACTIVE on the reader.
		(reader.model as unknown as { injectFault(f: { type: 'corrupt-frame' }): void }).injectFault({ type: 'corrupt-frame' });
		const failed = await connection.channel.transmit(SELECT_JPKI).catch((e: unknown) => e);
		expect(isMynaError(failed)).toBe(true);

		await expect.poll(() => events.at(-1), { timeout: 3000 }).toBe('present');
		await connection.connectCard();
		expect(await connection.channel.transmit(SELECT_JPKI)).toEqual(new Uint8Array([0x90, 0x00]));
		await connection.close();
	});
});
