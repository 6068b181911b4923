import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4174);

export default defineConfig({
	testDir: 'tests',
	testMatch: '**/*.e2e.ts',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	timeout: 30_000,
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL: `http://localhost:${port}`,
		trace: 'off',
		// The app's service worker precaches the whole build on a first visit; tests that are not about offline
		// use run without it (tests/offline.e2e.ts turns it back on).
		serviceWorkers: 'block',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-dev-shm-usage'
			]
		}
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		// The built app (npm test builds it first), never the dev server.
		command: `node scripts/serve.mjs ${port}`,
		// The kiosk hand-off tests embed /kiosk in a counter page on this origin (tests/kiosk-handoff.e2e.ts).
		env: { KIOSK_FRAME_ANCESTORS: `http://127.0.0.1:${port}` },
		url: `http://localhost:${port}/`,
		reuseExistingServer: !process.env.CI,
		timeout: 30_000
	}
});
