import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe';

test('the first page reports the routes this browser offers and both workers answer', async ({ page }) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('カードリーダー');
	await expect(page.getByRole('heading', { level: 2, name: 'このブラウザーで使える接続方法' })).toBeVisible();
	await expect(page.getByTestId('no-readers')).toHaveText('カードリーダーはまだ接続されていません。');

	// Chromium on localhost: a secure context with WebUSB, not isolated, no Web Smart Card API, no Web NFC.
	const report = page.getByTestId('route-report');
	await expect(report.locator('[data-route="secureContext"]')).toHaveAttribute('data-available', 'true');
	await expect(report.locator('[data-route="webUsb"]')).toHaveAttribute('data-available', 'true');
	await expect(report.locator('[data-route="webUsb"]')).toContainText('使えます');
	await expect(report.locator('[data-route="usbUnrestricted"]')).toHaveAttribute('data-available', 'false');
	await expect(report.locator('[data-route="smartCard"]')).toHaveAttribute('data-available', 'false');
	await expect(report.locator('[data-route="webNfc"]')).toHaveAttribute('data-available', 'false');

	const version = (await import('../package.json', { with: { type: 'json' } })).default.version;
	for (const name of ['card', 'pki']) {
		const row = page.getByTestId(`worker-${name}`);
		await expect(row).toHaveAttribute('data-state', 'ready');
		await expect(row).toContainText(`バージョン ${version}`);
	}
	expect(errors).toEqual([]);
	await expectNoAxeViolations(page);
});

test('the language switch turns the page into English and back', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Card readers');
	await expect(page.getByRole('button', { name: 'Connect a card reader' })).toBeVisible();
	await expect(page.getByTestId('worker-card')).toContainText('Answered (version');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Language' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('カードリーダー');
});

test('the app is served with a strict Content-Security-Policy', async ({ page }) => {
	await page.goto('/');
	const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
	expect(csp).toContain("default-src 'self'");
	expect(csp).toContain("object-src 'none'");
	expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
	// 'wasm-unsafe-eval' (WebAssembly for the JPEG 2000 photo decoder) is allowed; eval() is not.
	expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
	// A <meta> CSP does not reach module workers: the server sends the same policy as a header on every file.
	await expect(page.getByTestId('worker-card')).toHaveAttribute('data-state', 'ready');
	const workerUrl = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => n.includes('/workers/')));
	expect(workerUrl).toBeTruthy();
	const workerResponse = await page.request.get(workerUrl!);
	expect(workerResponse.headers()['content-security-policy']).toBe(`${csp}; frame-ancestors 'none'`);
	// Only the header can say who may frame a page: no one, for the resident's pages (clickjacking of the PIN fields).
	const pageResponse = await page.request.get('/pins');
	expect(pageResponse.headers()['content-security-policy']).toBe(`${csp}; frame-ancestors 'none'`);
});
