import { describe, expect, it } from 'vitest';
import { createVirtualLab } from '../index';
import { EmulatedSmartCardResourceManager } from './emulated-smart-card-api';

const SELECT_JPKI = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01);
const SELECT_AUTH_PIN = Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x18);
const VERIFY_EMPTY = Uint8Array.of(0x00, 0x20, 0x00, 0x80);
const VERIFY_1234 = Uint8Array.of(0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34);
const sw = (buffer: ArrayBuffer) => [...new Uint8Array(buffer).slice(-2)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function rig() {
	const lab = createVirtualLab();
	const readerId = lab.addSmartCardReader('Reader A');
	const cardId = lab.insertCard(readerId, {});
	const manager = new EmulatedSmartCardResourceManager(lab.pcsc);
	const context = await manager.establishContext();
	const { connection, activeProtocol } = await context.connect('Reader A', 'shared', { preferredProtocols: ['t1'] });
	return { lab, readerId, cardId, manager, context, connection, activeProtocol };
}

describe('emulated navigator.smartCard', () => {
	it('connects with T=1 and the card ATR, and carries APDUs to the lab card (counted by the lab)', async () => {
		const { lab, readerId, cardId, connection, activeProtocol } = await rig();
		expect(activeProtocol).toBe('t1');
		expect(new Uint8Array((await connection.status()).answerToReset!)).toEqual(lab.card(cardId).atr);
		expect(sw(await connection.transmit(SELECT_JPKI))).toBe('9000');
		expect(lab.commandCount(readerId)).toBe(1);
	});

	it('one operation at a time on a connection: a second transmit while one runs is InvalidStateError', async () => {
		const { connection } = await rig();
		const first = connection.transmit(SELECT_JPKI);
		await expect(connection.transmit(SELECT_JPKI)).rejects.toMatchObject({ name: 'InvalidStateError' });
		expect(sw(await first)).toBe('9000');
	});

	it('removal, unplug, disconnect and a stopped service give the PC/SC answers', async () => {
		const { lab, readerId, cardId, context, connection, manager } = await rig();
		lab.removeCard(readerId);
		await expect(connection.transmit(SELECT_JPKI)).rejects.toMatchObject({ name: 'SmartCardError', responseCode: 'removed-card' });
		lab.reinsertCard(readerId, cardId);
		// A new card (insertion) is not the one this connection was made to.
		await expect(connection.transmit(SELECT_JPKI)).rejects.toMatchObject({ responseCode: 'removed-card' });
		await expect(context.connect('Reader B', 'shared')).rejects.toMatchObject({ responseCode: 'unknown-reader' });
		const again = (await context.connect('Reader A', 'shared')).connection;
		lab.unplug(readerId);
		await expect(again.transmit(SELECT_JPKI)).rejects.toMatchObject({ responseCode: 'reader-unavailable' });
		await again.disconnect();
		await expect(again.transmit(SELECT_JPKI)).rejects.toMatchObject({ name: 'InvalidStateError' });
		lab.pcsc.setRunning(false);
		await expect(context.listReaders()).rejects.toMatchObject({ responseCode: 'no-service' });
		await expect(manager.establishContext()).rejects.toMatchObject({ responseCode: 'no-service' });
		lab.pcsc.setRunning(true);
		await expect(context.listReaders()).rejects.toMatchObject({ responseCode: 'no-service' });
		expect(await (await manager.establishContext()).listReaders()).toEqual([]);
	});

	it('a transaction keeps other connections out; its disposition decides whether the verified PIN survives', async () => {
		const { context, connection } = await rig();
		const other = (await context.connect('Reader A', 'shared')).connection;
		await connection.startTransaction(async () => {
			expect(sw(await connection.transmit(SELECT_JPKI))).toBe('9000');
			await expect(other.transmit(SELECT_JPKI)).rejects.toMatchObject({ responseCode: 'sharing-violation' });
			expect(sw(await connection.transmit(SELECT_AUTH_PIN))).toBe('9000');
			expect(sw(await connection.transmit(VERIFY_1234))).toBe('9000');
			return 'leave';
		});
		expect(sw(await other.transmit(VERIFY_EMPTY))).toBe('9000');
		await connection.startTransaction(async () => 'reset');
		expect(sw(await connection.transmit(SELECT_JPKI))).toBe('9000');
		expect(sw(await connection.transmit(SELECT_AUTH_PIN))).toBe('9000');
		expect(sw(await connection.transmit(VERIFY_EMPTY))).toMatch(/^63c/);
	});

	it('a second startTransaction waits for the first to end', async () => {
		const { context, connection } = await rig();
		const other = (await context.connect('Reader A', 'shared')).connection;
		const order: string[] = [];
		let end: () => void = () => {};
		const first = connection.startTransaction(() => new Promise<'leave'>((resolve) => (end = () => (order.push('first ends'), resolve('leave')))));
		await new Promise((r) => setTimeout(r, 1));
		const second = other.startTransaction(async () => {
			order.push('second runs');
			return 'leave';
		});
		await new Promise((r) => setTimeout(r, 1));
		end();
		await Promise.all([first, second]);
		expect(order).toEqual(['first ends', 'second runs']);
	});
});
