// npm test: install what is missing, then type check, lint, unit tests, build, and end-to-end tests in Chromium.
import { execFileSync } from 'node:child_process';
import { ensureChromium, ensureNodeModules } from './setup.mjs';

const steps = [
	['type check', 'npx', ['svelte-kit', 'sync']],
	['type check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']],
	['type check (workers)', 'npx', ['tsc', '-p', 'workers', '--noEmit']],
	['lint', 'npx', ['eslint', '.']],
	['unit tests', 'npx', ['vitest', 'run']],
	['build', 'npx', ['vite', 'build']],
	// The Isolated Web App bundle from that build, then its checks (signature, manifest, every file inside).
	['IWA bundle', 'node', ['scripts/build-iwa.mjs']],
	['IWA bundle checks', 'node', ['--test', 'scripts/iwa/signed-web-bundle.test.mjs', 'scripts/iwa/iwa-bundle.test.mjs']],
	['end-to-end tests', 'npx', ['playwright', 'test']]
];

ensureNodeModules();
ensureChromium();
const started = Date.now();
for (const [name, command, args] of steps) {
	console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
	try {
		execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
	} catch {
		console.error(`\n✖ ${name} failed`);
		process.exit(1);
	}
}
console.log(`\n✔ all checks passed in ${Math.round((Date.now() - started) / 1000)} s`);
