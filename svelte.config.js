import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { kioskCrlConnectSources } from './src/lib/kiosk/crl-connect-sources.js';

// The kiosk's configured CRL URLs (static/kiosk-config.json, or the file named by KIOSK_CONFIG at build time) are the
// only network access besides the app itself: their origins join connect-src. No URLs → connect-src stays 'self'.
const crlOrigins = kioskCrlConnectSources({
	env: process.env,
	defaultPath: 'static/kiosk-config.json',
	readText: (path) => {
		try {
			return readFileSync(path, 'utf8');
		} catch {
			return undefined;
		}
	}
});

/**
 * SvelteKit 2 (not 3): Kit 3 needs Node >= 22 and drops svelte.config.js, and the project's machines run Node 20.
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html', strict: true }),
		alias: { $workers: 'workers' },
		typescript: {
			config: (tsconfig) => {
				// workers/ is checked by its own tsconfig (WebWorker lib); keep it out of the DOM project.
				tsconfig.exclude = [...(tsconfig.exclude ?? []), '../workers/**'];
				return tsconfig;
			}
		},
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				// 'wasm-unsafe-eval' lets WebAssembly compile (the JPEG 2000 decoder of the /info page's face photo); it
				// does not allow eval() or inline scripts.
				'script-src': ['self', 'wasm-unsafe-eval'],
				'worker-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self', ...crlOrigins],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['none'],
				'frame-src': ['none'],
				'manifest-src': ['self']
			}
		}
	}
};

export default config;
