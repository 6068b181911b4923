// Installs what the project needs on a fresh machine: npm packages (npm ci) and Debian's Chromium.
// Node built-ins only, so it runs before node_modules exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(command, args, env = {}) {
	console.log(`$ ${command} ${args.join(' ')}`);
	execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
	const stamp = 'node_modules/.package-lock.json';
	const stale = !existsSync(stamp) || statSync('package-lock.json').mtimeMs > statSync(stamp).mtimeMs + 1000;
	if (!stale) return;
	run('npm', ['ci', '--no-audit', '--no-fund'], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
}

/** Debian's chromium when it is absent (never a browser download from elsewhere). */
export function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	const isDebian = existsSync('/etc/debian_version');
	if (!isDebian || typeof process.getuid !== 'function') {
		throw new Error(`${CHROMIUM} is missing. Install your distribution's Chromium, or set CHROMIUM_PATH.`);
	}
	const sudo = process.getuid() === 0 ? [] : ['sudo'];
	const apt = (...args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
	apt('update');
	apt('install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-cjk');
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

export function packageVersion() {
	return JSON.parse(readFileSync('package.json', 'utf8')).version;
}
