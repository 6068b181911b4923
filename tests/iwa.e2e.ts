import { expect, test, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bundle } from 'wbn';
import { buildIwa, IWA_FILES } from '../scripts/build-iwa.mjs';
import { IWA_CSP, IWA_ISOLATION_HEADERS } from '../scripts/iwa/iwa-policy.mjs';
import { readSignedWebBundle } from '../scripts/iwa/signed-web-bundle.mjs';

/**
 * The Isolated Web App build under the CSP Chromium gives every IWA response (`require-trusted-types-for 'script'`,
 * no inline script, …). The server answers from the signed bundle itself (the exact bytes an installed IWA reads),
 * adds the IWA's CSP and isolation headers as Chromium does, and 404s what is not in the bundle (no SPA fallback).
 */

interface BundleServer {
	url: string;
	close(): Promise<void>;
}

let bundle: Bundle;
let origin: string;
let dir: string;

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'myna-iwa-'));
	const output = join(dir, 'myna-kiosk.swbn');
	const built = await buildIwa({ output, quiet: true });
	origin = built.origin;
	bundle = new Bundle(readSignedWebBundle(new Uint8Array(readFileSync(output))).webBundle);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serveBundle(options: { without?: string } = {}): Promise<BundleServer> {
	const urls = new Set(bundle.urls);
	const server: Server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://localhost').pathname;
		const url = new URL(path, origin).href;
		if (!urls.has(url) || path === options.without) {
			response.writeHead(404, { 'Content-Security-Policy': IWA_CSP, ...IWA_ISOLATION_HEADERS }).end();
			return;
		}
		const found = bundle.getResponse(url);
		response.writeHead(found.status, { ...found.headers, 'Content-Security-Policy': IWA_CSP, ...IWA_ISOLATION_HEADERS });
		response.end(request.method === 'HEAD' ? undefined : found.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('no port');
	return { url: `http://localhost:${address.port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** Every CSP / Trusted Types violation the page or its workers report, and every console error and page error. */
function watchViolations(page: Page): string[] {
	const problems: string[] = [];
	page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
	page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console: ${m.text()}`)));
	void page.exposeFunction('__reportViolation', (v: string) => problems.push(`violation: ${v}`));
	void page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			(window as unknown as { __reportViolation(v: string): void }).__reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
		});
	});
	return problems;
}

test('the IWA build starts under the IWA CSP: both workers answer, the demo card reads, no CSP or Trusted Types violation', async ({ page }) => {
	const server = await serveBundle();
	try {
		const problems = watchViolations(page);
		const response = await page.goto(`${server.url}/`);
		expect(response?.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('カードリーダー');
		await expect(page.getByTestId('worker-card')).toHaveAttribute('data-state', 'ready');
		await expect(page.getByTestId('worker-pki')).toHaveAttribute('data-state', 'ready');
		// Trusted Types really are enforced here, and the app's default policy is the one in force.
		expect(await page.evaluate(() => ({ isolated: crossOriginIsolated, policy: Boolean((window as unknown as { trustedTypes?: { defaultPolicy: unknown } }).trustedTypes?.defaultPolicy) }))).toEqual({ isolated: true, policy: true });

		// The APDUs run in the card worker: reading the demo card exercises both the page and the worker under the policy.
		await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
		const reader = page.getByTestId('reader');
		await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 15_000 });
		await expect(reader.getByTestId('card-kind')).toHaveText('マイナンバーカード');

		// The manifest's start_url: the kiosk loads its configuration from the bundle and waits for a card.
		await page.goto(`${server.url}/kiosk`);
		await expect(page.getByTestId('kiosk-screen')).toHaveAttribute('data-step', 'insert-card', { timeout: 15_000 });

		// Every page has its own entry: a full load of /diagnostics works too, and shows both workers ready.
		await page.goto(`${server.url}/diagnostics`);
		await expect(page.getByTestId('diag-worker-card')).toHaveAttribute('data-state', 'ready');
		await expect(page.getByTestId('diag-worker-pki')).toHaveAttribute('data-state', 'ready');

		// Nothing was blocked on the way. Then two probes that must be: the watcher above does see a violation, and a
		// script URL of another origin is refused by the default policy.
		expect(problems).toEqual([]);
		expect(
			await page.evaluate(() => {
				try {
					document.createElement('div').innerHTML = '<b>x</b>';
					return 'accepted';
				} catch {
					return 'refused';
				}
			})
		).toBe('refused');
		await expect.poll(() => problems.some((p) => p.startsWith('violation: require-trusted-types-for'))).toBe(true);
		expect(
			await page.evaluate(() => {
				try {
					new Worker('https://example.invalid/x.js');
					return 'accepted';
				} catch (e) {
					return (e as Error).name;
				}
			})
		).toBe('TypeError');
	} finally {
		await server.close();
	}
});

test('without the Trusted Types default policy the workers cannot start (the check above can fail)', async ({ page }) => {
	const server = await serveBundle({ without: IWA_FILES.trustedTypes });
	try {
		const problems = watchViolations(page);
		await page.goto(`${server.url}/`);
		await expect.poll(() => problems.some((p) => p.includes("requires 'TrustedScriptURL' assignment")), { timeout: 10_000 }).toBe(true);
		await expect(page.locator('[data-testid="worker-card"][data-state="ready"]')).toHaveCount(0);
	} finally {
		await server.close();
	}
});
