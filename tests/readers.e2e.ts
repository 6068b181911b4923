import { expect, test, type LabHandle } from './fixtures/lab';
import { expectNoAxeViolations } from './axe';
import type { Page } from '@playwright/test';
import type { VirtualReaderModelId } from '../src/lib/emulator/catalog';

/** Plugs in a reader the page may already use (granted), with the demo card in it, and waits for the card. */
async function readerWithCard(page: Page, lab: LabHandle, model: VirtualReaderModelId, slot = 0) {
	await page.goto('/');
	const readerId = await lab.addReader(model, { granted: true });
	const cardId = await lab.insertCard(readerId, {}, slot);
	return { readerId, cardId };
}

async function expectAuthCertificateRead(page: Page, index = 0) {
	const reader = page.getByTestId('reader').nth(index);
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	await expect(reader.getByTestId('card-kind')).toHaveText('マイナンバーカード');
	await expect(reader.getByTestId('auth-serial')).toHaveText('20000101');
	return reader;
}

test.describe('readers a normal https page can use', () => {
	for (const [model, name] of [
		['rcs300', 'Sony PaSoRi RC-S300/S'],
		['rcs380', 'Sony PaSoRi RC-S380/S'],
		['scr3310-nttcom', 'NTT Com SCR3310-NTTCom']
	] as const) {
		test(`${name}: token info and auth certificate, end to end`, async ({ page, lab }) => {
			await readerWithCard(page, lab, model);
			const reader = await expectAuthCertificateRead(page);
			await expect(reader.getByRole('heading', { level: 3 })).toHaveText(name);
		});
	}

	test('the WebUSB chooser: the user picks the reader, the card is read', async ({ page, lab }) => {
		await page.goto('/');
		const readerId = await lab.addReader('rcs380');
		await lab.insertCard(readerId);
		await expect(page.getByTestId('no-readers')).toBeVisible();
		await page.getByRole('button', { name: 'カードリーダーを接続' }).click();
		await expectAuthCertificateRead(page);
	});

	test('a cancelled chooser changes nothing', async ({ page, lab }) => {
		await page.goto('/');
		await lab.addReader('rcs380');
		await lab.chooseReader(null);
		await page.getByRole('button', { name: 'カードリーダーを接続' }).click();
		await expect(page.getByTestId('no-readers')).toBeVisible();
		await expect(page.getByRole('alert')).toHaveCount(0);
	});

	test('SCR331-DI-NTTCom (two slots): each slot is its own reader, the card is found in slot 2', async ({ page, lab }) => {
		await readerWithCard(page, lab, 'scr331-di-nttcom', 1);
		const readers = page.getByTestId('reader');
		await expect(readers).toHaveCount(2);
		await expect(readers.nth(0)).toHaveAttribute('data-card', 'absent');
		await expect(readers.nth(1).getByRole('heading', { level: 3 })).toContainText('スロット 2');
		await expectAuthCertificateRead(page, 1);
	});

	test('a standard CCID reader (class 0x0B) is explained, not failed silently', async ({ page, lab }) => {
		await readerWithCard(page, lab, 'acr1252u');
		const reader = page.getByTestId('reader');
		await expect(reader).toHaveAttribute('data-status', 'unusable');
		const alert = reader.getByRole('alert');
		await expect(alert).toHaveAttribute('data-error-kind', 'protected-interface');
		await expect(alert).toContainText('通常のウェブページからは使えません');
		await expect(alert).toContainText('PaSoRi');
		await expectNoAxeViolations(page);
	});
});

test.describe('in an Isolated Web App granted usb-unrestricted (emulated)', () => {
	test.use({ isolated: true });

	test('the route report says standard readers are usable', async ({ page, lab }) => {
		await page.goto('/');
		expect(await lab.state()).toEqual([]);
		const report = page.getByTestId('route-report');
		await expect(report.locator('[data-route="isolatedContext"]')).toHaveAttribute('data-available', 'true');
		await expect(report.locator('[data-route="usbUnrestricted"]')).toHaveAttribute('data-available', 'true');
	});

	for (const [model, level] of [
		['acr1252u', 'APDU level, extended'],
		['acr39u', 'TPDU level, host T=1'],
		['utrust-3700f', 'APDU level, extended, 1 KB messages']
	] as const) {
		test(`${model} (${level}): the same reader works end to end`, async ({ page, lab }) => {
			await readerWithCard(page, lab, model);
			await expectAuthCertificateRead(page);
		});
	}

	test('ACR1251 Dual: both functions are listed; the short-APDU interface reads the card', async ({ page, lab }) => {
		await readerWithCard(page, lab, 'acr1251-dual', 1);
		const readers = page.getByTestId('reader');
		await expect(readers).toHaveCount(2);
		await expectAuthCertificateRead(page, 1);
		await expect(readers.nth(0)).toHaveAttribute('data-card', 'absent');
	});
});

test.describe('faults: each gives its message and the reader recovers without a reload', () => {
	test('card pulled mid-read: a clear message, nothing stale, and the next insert reads', async ({ page, lab }) => {
		await page.goto('/');
		const readerId = await lab.addReader('scr3310-nttcom', { granted: true });
		await expect(page.getByTestId('reader')).toHaveAttribute('data-status', 'ready');
		await lab.removeCardAtTransfer(readerId, 12);
		const cardId = await lab.insertCard(readerId);
		const reader = page.getByTestId('reader');
		await expect(reader).toHaveAttribute('data-card', /absent|failed/, { timeout: 15_000 });
		await expect(reader.getByTestId('auth-certificate')).toHaveCount(0);
		await lab.reinsertCard(readerId, cardId);
		await expectAuthCertificateRead(page);
	});

	test('reader unplugged: shown as unplugged, data wiped; plugged back in, it reads again', async ({ page, lab }) => {
		const { readerId } = await readerWithCard(page, lab, 'rcs380');
		await expectAuthCertificateRead(page);
		await lab.unplug(readerId);
		const reader = page.getByTestId('reader');
		await expect(reader).toHaveAttribute('data-status', 'unplugged');
		await expect(reader.getByTestId('auth-certificate')).toHaveCount(0);
		await lab.replug(readerId);
		await expectAuthCertificateRead(page);
	});

	test('CCID reader unplugged in the middle of a read: unplugged, nothing stale; back in, it reads', async ({ page, lab }) => {
		await page.goto('/');
		const readerId = await lab.addReader('scr3310-nttcom', { granted: true });
		const reader = page.getByTestId('reader');
		await expect(reader).toHaveAttribute('data-status', 'ready');
		await lab.unplugAtTransfer(readerId, 10);
		await lab.insertCard(readerId);
		await expect(reader).toHaveAttribute('data-status', 'unplugged', { timeout: 15_000 });
		await expect(reader.getByTestId('auth-certificate')).toHaveCount(0);
		await lab.replug(readerId);
		await expectAuthCertificateRead(page);
	});

	test('CCID reader busy in another program: the typed error, in plain words', async ({ page, lab }) => {
		await page.goto('/');
		await lab.addReader('scr3310-nttcom', { granted: true, claimedElsewhere: true });
		const alert = page.getByTestId('reader').getByRole('alert');
		await expect(alert).toHaveAttribute('data-error-kind', 'reader-busy');
		await page.getByRole('button', { name: '表示言語' }).click();
		await expect(alert).toContainText('Another tab or program is using the card reader');
	});

	test('reader busy in another tab or program: says so, in plain words', async ({ page, lab }) => {
		await page.goto('/');
		await lab.addReader('rcs300', { granted: true, claimedElsewhere: true });
		const alert = page.getByTestId('reader').getByRole('alert');
		await expect(alert).toHaveAttribute('data-error-kind', 'reader-busy');
		await expect(alert).toContainText('別のタブかアプリが使用中です');
	});

	test('a corrupted USB frame on the RC-S380 ends in a typed error, and the retry reads the card', async ({ page, lab }) => {
		await page.goto('/');
		const readerId = await lab.addReader('rcs380', { granted: true });
		await expect(page.getByTestId('reader')).toHaveAttribute('data-status', 'ready');
		await lab.addTransferFault(readerId, { nth: 12, direction: 'in', when: 'after', action: { type: 'corrupt', byteIndex: 8 } });
		await lab.insertCard(readerId);
		const reader = page.getByTestId('reader');
		await expect(reader).toHaveAttribute('data-card', /ready|failed/, { timeout: 20_000 });
		if ((await reader.getAttribute('data-card')) === 'failed') {
			await expect(reader.getByRole('alert')).toHaveAttribute('data-error-kind', /protocol|card-removed|timeout/);
			await reader.getByRole('button', { name: 'もう一度読み取る' }).click();
		}
		await expectAuthCertificateRead(page);
	});
});
