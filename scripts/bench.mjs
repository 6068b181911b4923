// npm run bench: install if needed, build, then run the benchmarks (tests/bench) with tsx.
import { execFileSync } from 'node:child_process';
import { ensureChromium, ensureNodeModules } from './setup.mjs';

ensureNodeModules();
ensureChromium();
execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
try {
	execFileSync('npx', ['tsx', 'tests/bench/run.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
} catch {
	process.exit(1);
}
