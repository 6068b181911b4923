import { chromium } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { serveBuild } from '../../scripts/serve.mjs';
import { median, round, type BenchModule, type Figure } from './figure';

const CHROMIUM_ARGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const RUNS = 7;

/** First-page JavaScript (gzipped, as the browser loads it) and worker start-up, in Chromium against the built app. */
const bench: BenchModule = {
	title: 'app (built, in Chromium)',
	async run(): Promise<Figure[]> {
		const server = await serveBuild({ port: 0, quiet: true });
		const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
		try {
			const figures: Figure[] = [];

			// 1. JavaScript the first page loads (module scripts of the page, not the workers' own bundles).
			const page = await browser.newPage();
			const pageJs = new Map<string, number>();
			const workerJs = new Map<string, number>();
			page.on('response', async (response) => {
				const url = response.url();
				if (!url.endsWith('.js')) return;
				const body = await response.body().catch(() => undefined);
				if (!body) return;
				(url.includes('/workers/') ? workerJs : pageJs).set(url, gzipSync(body, { level: 9 }).length);
			});
			await page.goto(server.url);
			await page.getByTestId('worker-pki').and(page.locator('[data-state="ready"]')).waitFor();
			await page.waitForLoadState('networkidle');
			const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / 1024;
			figures.push({
				name: 'first-page-js-gzip',
				value: round(sum(pageJs), 1),
				unit: 'KiB',
				baseline: { name: 'worker-js-gzip (loaded after start, off the page bundle)', value: round(sum(workerJs), 1), unit: 'KiB' },
				budget: { max: 150 },
				note: `${pageJs.size} page scripts`
			});

			// 2. Worker start-up: new Worker → first comlink answer, against a bare same-origin worker (baseline).
			const card: number[] = [];
			const pki: number[] = [];
			const bare: number[] = [];
			for (let i = 0; i < RUNS; i++) {
				const p = await browser.newPage();
				await p.goto(server.url);
				await p.getByTestId('worker-pki').and(p.locator('[data-state="ready"]')).waitFor();
				await p.getByTestId('worker-card').and(p.locator('[data-state="ready"]')).waitFor();
				const m = await p.evaluate(() => ({
					card: performance.getEntriesByName('card-worker-ready')[0]?.duration ?? NaN,
					pki: performance.getEntriesByName('pki-worker-ready')[0]?.duration ?? NaN
				}));
				card.push(m.card);
				pki.push(m.pki);
				await p.route('**/__bench/bare-worker.js', (route) =>
					route.fulfill({ contentType: 'text/javascript', body: 'postMessage("ready");' })
				);
				bare.push(
					await p.evaluate(
						() =>
							new Promise<number>((resolve) => {
								const t0 = performance.now();
								const w = new Worker('/__bench/bare-worker.js', { type: 'module' });
								w.onmessage = () => {
									resolve(performance.now() - t0);
									w.terminate();
								};
							})
					)
				);
				await p.close();
			}
			const bareMedian = round(median(bare), 1);
			figures.push({
				name: 'card-worker-startup',
				value: round(median(card), 1),
				unit: 'ms',
				baseline: { name: 'bare-module-worker-startup', value: bareMedian, unit: 'ms' },
				note: `median of ${RUNS}, page load to first hello() answer`
			});
			figures.push({
				name: 'pki-worker-startup',
				value: round(median(pki), 1),
				unit: 'ms',
				baseline: { name: 'bare-module-worker-startup', value: bareMedian, unit: 'ms' },
				note: `median of ${RUNS}`
			});
			return figures;
		} finally {
			await browser.close();
			await server.close();
		}
	}
};

export default bench;
