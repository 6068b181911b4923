/**
 * The Web Smart Card API route end to end below the page: the emulated `navigator.smartCard` (on the lab's virtual
 * cards), the page-side lender and watcher, and the card worker's API over them — the same flows as over USB.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCardWorkerApi } from '../../card/worker-api';
import { sha } from '../../card/card-test-setup';
import { createVirtualLab } from '../../emulator';
import { EmulatedSmartCardResourceManager } from '../../emulator/smart-card';
import { toHex } from '../../bytes';
import { applicationAid, CardApplication, TextApFile } from '../../card/card-applications';
import { ErrorKind } from '../../errors';
import { ReaderRoute, type ReaderInfo } from '../reader-connection';
import { SmartCardConnectionLender } from './smart-card-connection-ops';
import type { SmartCardReaderEvent } from './smart-card-reader-states';
import { SmartCardReaderWatcher } from './smart-card-reader-watcher';

const INFO: ReaderInfo = { vendorId: 0, productId: 0, name: 'PC/SC', route: ReaderRoute.SmartCard, medium: 'contact', extendedApdu: false };

const TEXT_AID = applicationAid(CardApplication.Text);

function rig() {
	const lab = createVirtualLab();
	const readerId = lab.addSmartCardReader('ACS ACR39U ICC Reader 00 00');
	const manager = new EmulatedSmartCardResourceManager(lab.pcsc);
	const api = createCardWorkerApi(0);
	const lender = new SmartCardConnectionLender(manager, 'ACS ACR39U ICC Reader 00 00');
	return { lab, readerId, manager, api, lender };
}

const watchers: SmartCardReaderWatcher[] = [];
afterEach(async () => {
	await Promise.all(watchers.splice(0).map((w) => w.stop()));
});

async function until(check: () => boolean, ms = 2000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 2));
	}
}

describe('card worker × Web Smart Card API route', () => {
	it('reads the card, its certificate and PIN counters, verifies and signs, each operation in a transaction', async () => {
		const { lab, readerId, api, lender } = rig();
		const cardId = lab.insertCard(readerId, {});
		expect(await api.openSmartCard('smart-card:1', lender, INFO)).toEqual({ ok: true, info: INFO });
		const connected = await api.connectCard('smart-card:1');
		expect(connected).toMatchObject({ ok: true, detection: { kind: 'my-number-card' } });
		expect(connected.ok && connected.atr).toEqual(lab.card(cardId).atr);
		const cert = await api.call('smart-card:1', 'readCertificate', 'auth');
		expect(cert.ok && cert.certificate.der[0]).toBe(0x30);
		expect(await api.call('smart-card:1', 'pinStatus', 'auth')).toMatchObject({ ok: true, status: { pin: 'auth', triesLeft: 3 } });
		const signed = await api.call('smart-card:1', 'sign', 'sign', await sha('SHA-256', Uint8Array.of(1)), 'SHA-256', { pin: 'ABC123' });
		expect(signed.ok).toBe(true);
		expect(lab.commandCount(readerId)).toBeGreaterThan(5);
	});

	it('holds the card exclusively: another application cannot connect, and a verified PIN ends with our connection', async () => {
		const { lab, readerId, api, lender, manager } = rig();
		const cardId = lab.insertCard(readerId, {});
		await api.openSmartCard('smart-card:1', lender, INFO);
		await api.connectCard('smart-card:1');
		const other = await manager.establishContext();
		await expect(other.connect('ACS ACR39U ICC Reader 00 00', 'shared')).rejects.toMatchObject({ name: 'SmartCardError', responseCode: 'sharing-violation' });

		expect(await api.call('smart-card:1', 'verifyPin', 'text', '1234')).toMatchObject({ ok: true });
		const card = lab.card(cardId);
		const emptyVerify = async (selectApplication: boolean) => {
			if (selectApplication) await card.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, TEXT_AID.length, ...TEXT_AID));
			await card.transmit(Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, TextApFile.Pin >> 8, TextApFile.Pin & 0xff));
			return toHex(await card.transmit(Uint8Array.of(0x00, 0x20, 0x00, 0x80)));
		};
		// Still verified for our next operation (the text application is still selected): an empty VERIFY says 9000.
		expect(await emptyVerify(false)).toBe('9000');
		const resets = vi.spyOn(card, 'reset');
		await api.connectCard('smart-card:1');
		// Reconnecting dropped the old connection with a card reset (disposition 'reset', not 'leave'): verified state gone.
		expect(resets).toHaveBeenCalledTimes(1);
		expect(await emptyVerify(true)).toBe('63c3');
	});

	it.each([
		['remove-card', ErrorKind.CardRemoved],
		['unplug', ErrorKind.ReaderUnplugged]
	] as const)('lab.armFault %s at the 2nd command fails the operation with %s; the card never sees it', async (action, kind) => {
		const { lab, readerId, api, lender } = rig();
		lab.insertCard(readerId, {});
		await api.openSmartCard('smart-card:1', lender, INFO);
		await api.connectCard('smart-card:1');
		const before = lab.commandCount(readerId);
		lab.armFault(readerId, { atCommand: 2, action });
		expect(await api.call('smart-card:1', 'readCertificate', 'auth')).toMatchObject({ ok: false, error: { kind } });
		expect(lab.commandCount(readerId)).toBe(before + 1);
		expect(lab.state()[0]).toMatchObject({ model: 'smart-card', plugged: action !== 'unplug', cards: [false, false] });
	});

	it('a PC/SC failure during transmit reaches the page as its typed error; re-insertion works again', async () => {
		const { lab, readerId, api, lender } = rig();
		const cardId = lab.insertCard(readerId, {});
		await api.openSmartCard('smart-card:1', lender, INFO);
		await api.connectCard('smart-card:1');
		lab.smartCardReader(readerId).nextTransmitFailure = 'unresponsive-card';
		expect(await api.call('smart-card:1', 'pinStatus', 'auth')).toMatchObject({
			ok: false,
			error: { kind: ErrorKind.CardMute, details: { responseCode: 'unresponsive-card' } }
		});
		lab.removeCard(readerId);
		expect(await api.call('smart-card:1', 'pinStatus', 'auth')).toMatchObject({ ok: false, error: { kind: ErrorKind.CardRemoved } });
		expect(await api.connectCard('smart-card:1')).toMatchObject({ ok: false, error: { kind: ErrorKind.CardAbsent } });
		lab.reinsertCard(readerId, cardId);
		expect(await api.connectCard('smart-card:1')).toMatchObject({ ok: true, detection: { kind: 'my-number-card' } });
	});

	it('the permission denied at connect is PermissionDenied', async () => {
		const { lab, readerId, api, lender } = rig();
		lab.insertCard(readerId, {});
		lab.pcsc.permission = 'denied';
		await api.openSmartCard('smart-card:1', lender, INFO);
		expect(await api.connectCard('smart-card:1')).toMatchObject({ ok: false, error: { kind: ErrorKind.PermissionDenied } });
	});
});

describe('SmartCardReaderWatcher over the emulated API', () => {
	it('reports readers and cards coming and going, and comes back after the service restarts', async () => {
		const lab = createVirtualLab();
		const events: SmartCardReaderEvent[] = [];
		const watcher = new SmartCardReaderWatcher(new EmulatedSmartCardResourceManager(lab.pcsc), (e) => events.push(e), { pollMs: 50, retryMs: 5, timers: globalThis });
		watchers.push(watcher);
		const first = lab.addSmartCardReader('Reader A');
		watcher.start();
		await until(() => events.length === 1);
		const cardId = lab.insertCard(first, {});
		await until(() => events.length === 2);
		const atr = lab.card(cardId).atr;
		lab.removeCard(first);
		await until(() => events.length === 3);
		const second = lab.addSmartCardReader('Reader B');
		await until(() => events.length === 4);
		lab.reinsertCard(second, cardId);
		await until(() => events.length === 5);
		lab.unplug(second);
		await until(() => events.length === 7);
		expect(events).toEqual([
			{ type: 'reader-added', readerName: 'Reader A' },
			{ type: 'card-inserted', readerName: 'Reader A', atr },
			{ type: 'card-removed', readerName: 'Reader A' },
			{ type: 'reader-added', readerName: 'Reader B' },
			{ type: 'card-inserted', readerName: 'Reader B', atr },
			{ type: 'card-removed', readerName: 'Reader B' },
			{ type: 'reader-removed', readerName: 'Reader B' }
		]);
		events.length = 0;
		lab.pcsc.setRunning(false);
		await until(() => events.length === 1);
		expect(events).toEqual([{ type: 'reader-removed', readerName: 'Reader A' }]);
		lab.pcsc.setRunning(true);
		await until(() => events.length === 2);
		expect(events[1]).toEqual({ type: 'reader-added', readerName: 'Reader A' });
	});

	it('a card swapped between two waits shows as removed then inserted (event count)', async () => {
		const lab = createVirtualLab();
		const readerId = lab.addSmartCardReader('Reader A');
		lab.insertCard(readerId, {});
		const manager = new EmulatedSmartCardResourceManager(lab.pcsc);
		const context = await manager.establishContext();
		const [seen] = await context.getStatusChange([{ readerName: 'Reader A', currentState: { unaware: true } }]);
		expect(seen).toMatchObject({ eventState: { present: true, changed: true }, eventCount: 1 });
		lab.removeCard(readerId);
		lab.insertCard(readerId, {});
		const [after] = await context.getStatusChange([{ readerName: 'Reader A', currentState: { present: true }, currentCount: 1 }], { timeout: 100 });
		expect(after).toMatchObject({ eventState: { present: true, changed: true }, eventCount: 3 });
	});

	it('one operation at a time per context; getStatusChange honours its timeout and signal', async () => {
		const lab = createVirtualLab();
		lab.addSmartCardReader('Reader A');
		const context = await new EmulatedSmartCardResourceManager(lab.pcsc).establishContext();
		const controller = new AbortController();
		const waiting = context.getStatusChange([{ readerName: 'Reader A', currentState: { empty: true }, currentCount: 0 }], { signal: controller.signal });
		await expect(context.listReaders()).rejects.toMatchObject({ name: 'InvalidStateError' });
		controller.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
		await expect(context.getStatusChange([{ readerName: 'Reader A', currentState: { empty: true }, currentCount: 0 }], { timeout: 10 })).rejects.toMatchObject({
			name: 'TimeoutError'
		});
		expect(await context.listReaders()).toEqual(['Reader A']);
	});
});
