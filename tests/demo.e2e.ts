import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe';

/** A string only the emulator's bundle holds (the demo persona's fictional city): its presence means the emulator was loaded. */
const EMULATOR_MARKER = '夢見市';

test('a newcomer with no reader tries the demo card and sees their certificate', async ({ page }) => {
	const pageScripts: string[] = [];
	page.on('response', async (response) => {
		if (response.url().endsWith('.js') && !response.url().includes('/workers/')) pageScripts.push(await response.text());
	});
	await page.goto('/');
	await expect(page.getByTestId('worker-card')).toHaveAttribute('data-state', 'ready');
	// The emulator is code-split: nothing of it is loaded until the demo is asked for.
	expect(pageScripts.some((js) => js.includes(EMULATOR_MARKER))).toBe(false);

	await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
	await expect(page.getByTestId('demo-banner')).toContainText('デモモード');
	const reader = page.getByTestId('reader');
	await expect(reader).toHaveCount(1);
	await expect(reader.getByRole('heading', { level: 3 })).toHaveText('Sony PaSoRi RC-S300/S');
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 15_000 });
	await expect(reader.getByTestId('card-kind')).toHaveText('マイナンバーカード');
	await expect(reader.getByTestId('auth-serial')).toHaveText('20000101');
	await expect(reader.getByTestId('auth-certificate')).toContainText('2030年6月15日');
	expect(pageScripts.some((js) => js.includes(EMULATOR_MARKER))).toBe(true);
	await expectNoAxeViolations(page);

	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(reader.getByTestId('card-kind')).toHaveText('My Number Card');
	await expect(reader.getByTestId('auth-certificate')).toContainText('Expiry date');
	await expectNoAxeViolations(page);
});
