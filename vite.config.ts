import { sveltekit } from '@sveltejs/kit/vite';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
	plugins: [sveltekit()],
	define: { __APP_VERSION__: JSON.stringify(version) },
	server: { fs: { allow: ['workers'] } },
	worker: { format: 'es' },
	build: { target: 'es2022' },
	test: {
		environment: 'node',
		include: ['src/**/*.test.ts', 'workers/**/*.test.ts'],
		setupFiles: ['src/test-setup.ts'],
		testTimeout: 20_000
	}
});
