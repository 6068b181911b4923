import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { expect, test, type LabHandle } from './fixtures/lab';

/**
 * The Web Smart Card API route in an emulated Isolated Web App: `navigator.smartCard` is the lab's emulation
 * (src/lib/emulator/smart-card) over the same virtual My Number Card the USB readers hold.
 */
test.use({ isolated: true, smartCard: true });

const READER_NAME = 'SCM Microsystems Inc. SCR 3310 [CCID Interface] 00 00';

function pcscReader(page: Page) {
	return page.locator('[data-testid="reader"][data-key^="smart-card:"]');
}

async function readerWithCard(page: Page, lab: LabHandle) {
	await page.goto('/');
	await expect(page.getByTestId('route-report').locator('[data-route="smartCard"]')).toHaveAttribute('data-available', 'true');
	const readerId = await lab.addSmartCardReader();
	const cardId = await lab.insertCard(readerId, {});
	const reader = pcscReader(page);
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	return { readerId, cardId, reader };
}

test('a PC/SC reader: read on insert, certificates and PIN counters, wiped on removal, re-read on re-insertion, unplugged', async ({ page, lab }) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	const { readerId, cardId, reader } = await readerWithCard(page, lab);
	await expect(reader.getByRole('heading', { level: 3 })).toHaveText(READER_NAME);
	await expect(reader).toContainText('Web Smart Card API');
	await expect(reader).toHaveAttribute('data-status', 'ready');
	await expect(reader.getByTestId('auth-certificate')).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByRole('navigation').getByRole('link', { name: '電子証明書' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('電子証明書');
	await expect(page.getByTestId('certificate-auth')).not.toHaveAttribute('data-verdict', /not-read|checking/, { timeout: 20_000 });

	await page.getByRole('navigation').getByRole('link', { name: '暗証番号' }).click();
	const auth = page.locator('[data-testid="pin-status"][data-pin="auth"]');
	await expect(auth).toContainText('残り3回', { timeout: 20_000 });
	await expect(page.locator('[data-testid="pin-status"][data-pin="sign"]')).toContainText('残り5回');
	const commands = await lab.commandCount(readerId);
	expect(commands).toBeGreaterThan(0);

	await page.getByRole('navigation').getByRole('link', { name: 'ホーム' }).click();
	await expect(reader).toHaveAttribute('data-card', 'ready');
	await lab.removeCard(readerId);
	await expect(reader).toHaveAttribute('data-card', 'absent');
	await expect(page.getByTestId('auth-certificate')).toHaveCount(0);
	await expect(reader).toContainText('カードが置かれていません。');
	await expectNoAxeViolations(page);

	await lab.reinsertCard(readerId, cardId);
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	await expect(reader.getByTestId('auth-certificate')).toBeVisible();

	await lab.unplug(readerId);
	await expect(reader).toHaveAttribute('data-status', 'unplugged');
	await expect(page.getByTestId('auth-certificate')).toHaveCount(0);
	await expect(reader).toContainText('Web Smart Card API');
	await expectNoAxeViolations(page);

	// Plugged back in with the card still in its slot: a fresh row for the same reader, the unplugged one gone, the
	// card read again, no reload.
	await lab.replug(readerId);
	await expect(pcscReader(page)).toHaveCount(1);
	await expect(pcscReader(page)).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	expect(errors).toEqual([]);
});

test('a SmartCardError during transmit gives its clear message, and "try again" reads the card', async ({ page, lab }) => {
	await page.goto('/');
	const readerId = await lab.addSmartCardReader();
	await lab.failSmartCardTransmit(readerId, 'unresponsive-card');
	await lab.insertCard(readerId, {});
	const reader = pcscReader(page);
	await expect(reader).toHaveAttribute('data-card', 'failed', { timeout: 20_000 });
	const alert = reader.getByRole('alert');
	await expect(alert).toHaveAttribute('data-error-kind', 'card-mute');
	await expect(alert).toHaveText('カードから応答がありません。カードの向きや置き方を確認してください。');
	await expectNoAxeViolations(page);
	await reader.getByRole('button', { name: 'もう一度読み取る' }).click();
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	await expect(reader.getByTestId('auth-certificate')).toBeVisible();
});

test('the reader permission refused at connect says what to do, in Japanese and English', async ({ page, lab }) => {
	await page.goto('/');
	await page.evaluate(() => (window.mynaLab.pcsc.permission = 'denied'));
	const readerId = await lab.addSmartCardReader();
	await lab.insertCard(readerId, {});
	const alert = pcscReader(page).getByRole('alert');
	await expect(alert).toHaveAttribute('data-error-kind', 'permission-denied', { timeout: 20_000 });
	await expect(alert).toContainText('「許可」を選んでください');
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(alert).toContainText('choose “Allow” when the browser asks');
	await expectNoAxeViolations(page);
});

test('the kiosk fault hook works on a PC/SC reader: a removal armed at the 1st command fails the read, re-insertion reads', async ({ page, lab }) => {
	const { readerId, cardId, reader } = await readerWithCard(page, lab);
	await lab.removeCard(readerId);
	await expect(reader).toHaveAttribute('data-card', 'absent');
	await lab.armFault(readerId, { atCommand: 1, action: 'remove-card' });
	await lab.reinsertCard(readerId, cardId);
	await expect(reader).not.toHaveAttribute('data-card', /ready|reading/, { timeout: 20_000 });
	await expect(page.getByTestId('auth-certificate')).toHaveCount(0);
	expect(await lab.commandCount(readerId)).toBe(0);
	await lab.reinsertCard(readerId, cardId);
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
});
