import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Presses Tab until the focused element matches, as a keyboard user moves through the page. */
async function tabTo(page: Page, matches: (el: Element) => boolean, description: string, max = 60): Promise<void> {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate(`(${matches.toString()})(document.activeElement)`)) return;
	}
	throw new Error(`could not reach ${description} with Tab`);
}

test('keyboard only: try the demo card, then check my certificates', async ({ page }) => {
	await page.goto('/');
	await tabTo(page, (el) => el.textContent?.trim() === 'デモ用カードで試す', 'the demo button');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('reader')).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });

	await tabTo(page, (el) => el.getAttribute('href') === '/certificates', 'the certificates link');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('電子証明書');
	const auth = page.getByTestId('certificate-auth');
	await expect(auth).not.toHaveAttribute('data-verdict', /not-read|checking/, { timeout: 30_000 });
	// The demo CA is not a J-LIS anchor: the page says the issuer is not trusted, and shows the expiry.
	await expect(auth).toContainText('2030年6月15日');
	await expect(auth.getByTestId('verdict')).toBeVisible();
});
