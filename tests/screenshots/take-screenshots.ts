// Regenerates the README screenshots from the built app with the demo card:
//   npx vite build && npx tsx tests/screenshots/take-screenshots.ts
import { chromium, type Page } from '@playwright/test';
import { serveBuild } from '../../scripts/serve.mjs';

const OUT = new URL('./', import.meta.url).pathname;

async function demo(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
	await page.locator('[data-testid=reader][data-card=ready]').waitFor({ timeout: 20_000 });
}

const server = await serveBuild({ port: 0, quiet: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
	const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, serviceWorkers: 'block' });
	const page = await context.newPage();
	await demo(page, server.url);
	await page.screenshot({ path: `${OUT}home-demo-ja.png`, fullPage: true });
	for (const path of ['pins', 'info', 'certificates', 'sign', 'crls', 'diagnostics']) {
		await page.locator(`nav a[href="/${path}"]`).click();
		await page.waitForURL(`**/${path}`);
		await page.waitForTimeout(1500);
		await page.screenshot({ path: `${OUT}${path}-ja.png`, fullPage: true });
	}
	await page.getByRole('button', { name: '表示言語' }).click();
	await page.locator('nav a[href="/"]').click();
	await page.waitForTimeout(500);
	await page.screenshot({ path: `${OUT}home-demo-en.png`, fullPage: true });
} finally {
	await browser.close();
	await server.close();
}
