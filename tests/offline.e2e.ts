import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe';

test.use({ serviceWorkers: 'allow' });

test('opened a second time with the network off, the app starts and reads the emulated card', async ({ page, context, baseURL }) => {
	await page.goto('/');
	await expect(page.getByTestId('worker-card')).toHaveAttribute('data-state', 'ready');
	// First visit: the service worker installs, caches the app and takes control of the page.
	await page.evaluate(() => navigator.serviceWorker.ready);
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true);

	// What it cached: the app's own files only — both workers, the emulator chunk and the fallback page among them.
	const cached = await page.evaluate(async () => {
		const urls: string[] = [];
		for (const key of await caches.keys()) for (const request of await (await caches.open(key)).keys()) urls.push(request.url);
		return urls;
	});
	const origin = new URL(baseURL!).origin;
	expect(cached.every((url) => url.startsWith(`${origin}/`))).toBe(true);
	expect(cached).toContain(`${origin}/200.html`);
	expect(cached).toContain(`${origin}/manifest.webmanifest`);
	expect(cached.filter((url) => /\/workers\/(card|pki)\.worker-[^/]+\.js$/.test(url))).toHaveLength(2);

	await context.setOffline(true);
	// The network really is gone: a file the service worker does not keep cannot be fetched.
	expect(await page.evaluate(() => fetch('/_app/version.json', { cache: 'no-store' }).then(() => 'online', () => 'offline'))).toBe('offline');

	const response = await page.reload();
	expect(response?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('カードリーダー');
	await expect(page.getByTestId('worker-card')).toHaveAttribute('data-state', 'ready');
	await expect(page.getByTestId('worker-pki')).toHaveAttribute('data-state', 'ready');

	// Demo mode loads the emulator chunk, never fetched online: it comes from the cache.
	await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
	const reader = page.getByTestId('reader');
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 15_000 });
	await expect(reader.getByTestId('card-kind')).toHaveText('マイナンバーカード');
	await expect(reader.getByTestId('auth-serial')).toHaveText('20000101');

	// Any route opens offline (the cached fallback page), and the diagnostics page says the app is ready offline.
	const diagnostics = await page.goto('/diagnostics');
	expect(diagnostics?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('診断');
	await expect(page.getByTestId('diag-service-worker')).toHaveAttribute('data-status', 'controlling');
	await expect(page.getByTestId('diag-service-worker')).toContainText('次からはネットワークなしで開けます');
	await expectNoAxeViolations(page);
});

test('the app is installable: the manifest is linked and names the app, its colours and icons', async ({ page, request }) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBeTruthy();
	await expect(page.locator('meta[name="theme-color"]').first()).toHaveAttribute('content', '#1d4f91');
	const manifest = await (await request.get(new URL(href!, page.url()).toString())).json();
	expect(manifest).toMatchObject({ name: 'マイナンバーカード Web', start_url: '/', display: 'standalone', lang: 'ja', theme_color: '#1d4f91', background_color: '#ffffff' });
	const sizes = (manifest.icons as { sizes: string; src: string }[]).map((i) => i.sizes);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
	for (const icon of manifest.icons as { src: string; type: string }[]) {
		const response = await request.get(new URL(icon.src, page.url()).toString());
		expect(response.ok()).toBe(true);
		expect(response.headers()['content-type']).toContain(icon.type);
	}
});
