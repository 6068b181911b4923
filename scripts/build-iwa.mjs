// npm run build:iwa — the Isolated Web App (kiosk) build: a signed web bundle of the built app.
//
// It reuses build/ from `vite build` (run first when build/ is missing), rewrites the SPA page for the IWA's fixed
// CSP (no inline script: the bootstrap moves into a file; a Trusted Types default policy for same-origin script URLs
// only), adds the IWA manifest at /.well-known/manifest.webmanifest, and signs the bundle with an Ed25519 key:
//   - IWA_SIGNING_KEY=/path/key.pem   an operator's key (PKCS#8 PEM; if encrypted, the passphrase comes from
//                                     WEB_BUNDLE_SIGNING_PASSPHRASE)
//   - otherwise a development key, generated on first run into .iwa-keys/ (gitignored; never commit it).
// Output: dist-iwa/myna-kiosk.swbn (gitignored). Prints the Web Bundle ID and the app's isolated-app:// origin.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleBuilder } from 'wbn';
import { IntegrityBlockSigner, NodeCryptoSigningStrategy, WebBundleId } from 'wbn-sign';
import { CONTENT_TYPES as TYPES } from './content-types.mjs';
import { IWA_MANIFEST_PATH, IWA_PERMISSIONS_POLICY } from './iwa/iwa-policy.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const IWA_PATHS = Object.freeze({
	build: join(ROOT, 'build'),
	out: join(ROOT, 'dist-iwa'),
	bundle: join(ROOT, 'dist-iwa', 'myna-kiosk.swbn'),
	devKey: join(ROOT, '.iwa-keys', 'dev-signing-key.pem'),
	trustedTypes: join(ROOT, 'scripts', 'iwa', 'trusted-types.js'),
	staticManifest: join(ROOT, 'static', 'manifest.webmanifest'),
	routes: join(ROOT, 'src', 'routes'),
	packageJson: join(ROOT, 'package.json')
});

/** The files the IWA build adds to build/. */
export const IWA_FILES = Object.freeze({
	bootstrap: '/_app/iwa/bootstrap.js',
	trustedTypes: '/_app/iwa/trusted-types.js',
	manifest: IWA_MANIFEST_PATH
});


/** Files of build/ that do not go into the bundle: the page with the inline script (replaced) and the service worker (a bundle is already offline; see README). */
const LEFT_OUT = new Set(['/200.html', '/service-worker.js']);

function contentType(path) {
	const type = TYPES[extname(path)];
	if (!type) throw new Error(`build-iwa: no content type for ${path}; add its extension to scripts/content-types.mjs`);
	return type;
}

function walk(dir) {
	const out = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...walk(path));
		else if (entry.isFile()) out.push(path);
	}
	return out;
}

/** URL paths of the app's pages (src/routes/**\/+page.svelte without parameters): each gets the SPA page, as an IWA has no fallback. */
export function pagePaths(routesDir = IWA_PATHS.routes) {
	const paths = [];
	for (const file of walk(routesDir)) {
		if (!file.endsWith(`${sep}+page.svelte`)) continue;
		const segments = relative(routesDir, dirname(file))
			.split(sep)
			.filter((s) => s !== '' && !/^\(.*\)$/.test(s));
		if (segments.some((s) => s.includes('['))) continue;
		paths.push(`/${segments.join('/')}`);
	}
	return paths.sort();
}

/** Removes the `if ('serviceWorker' in navigator) { … }` block of SvelteKit's bootstrap (brace-matched). */
function withoutServiceWorker(script) {
	const start = script.indexOf("if ('serviceWorker' in navigator)");
	if (start < 0) return script;
	const open = script.indexOf('{', start);
	let depth = 0;
	for (let i = open; i < script.length; i++) {
		if (script[i] === '{') depth++;
		else if (script[i] === '}' && --depth === 0) return script.slice(0, start) + script.slice(i + 1);
	}
	throw new Error("build-iwa: unbalanced braces in SvelteKit's bootstrap script");
}

/**
 * The SPA page for the IWA: SvelteKit's inline bootstrap moves to a file (the IWA CSP allows no inline script), the
 * Trusted Types default policy loads first, and the manifest link points at the IWA manifest.
 * @returns {{ html: string, bootstrap: string }}
 */
export function iwaPage(fallbackHtml) {
	const inline = [...fallbackHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)];
	const scripts = fallbackHtml.match(/<script\b/g) ?? [];
	if (inline.length !== 1 || scripts.length !== 1) {
		throw new Error(`build-iwa: expected exactly one inline <script> in 200.html, found ${inline.length} inline of ${scripts.length}`);
	}
	const [whole, body] = /** @type {[string, string]} */ (/** @type {unknown} */ (inline[0]));
	if (!body.includes('document.currentScript')) throw new Error('build-iwa: SvelteKit bootstrap no longer uses document.currentScript; revisit iwaPage()');
	const bootstrap = `// SvelteKit's start-up script, moved out of the page for the Isolated Web App's CSP (scripts/build-iwa.mjs).\n${withoutServiceWorker(body).trim()}\n`;
	let html = fallbackHtml.replace(whole, `<script src="${IWA_FILES.bootstrap}"></script>`);
	const head = html.replace(/<meta charset="utf-8" \/>/, (m) => `${m}\n\t\t<script src="${IWA_FILES.trustedTypes}"></script>`);
	if (head === html) throw new Error('build-iwa: <meta charset> not found in 200.html');
	html = head.replace('href="/manifest.webmanifest"', `href="${IWA_MANIFEST_PATH}"`);
	return { html, bootstrap };
}

/** The IWA manifest: the app's web manifest plus what an IWA needs (id "/", version, permissions_policy). */
export function iwaManifest({ staticManifest, version, startUrl }) {
	if (!/^\d+(\.\d+)*$/.test(version)) throw new Error(`build-iwa: IWA version must be dot-separated integers, got "${version}"`);
	return {
		...staticManifest,
		id: '/',
		start_url: startUrl,
		scope: '/',
		display: 'standalone',
		version,
		permissions_policy: IWA_PERMISSIONS_POLICY
	};
}

/** The signing key: IWA_SIGNING_KEY (operator) or the development key in .iwa-keys/ (created on first use). */
export function signingKey(env = process.env, devKeyPath = IWA_PATHS.devKey) {
	const operatorPath = env.IWA_SIGNING_KEY;
	if (operatorPath) {
		const key = createPrivateKey({ key: readFileSync(operatorPath, 'utf8'), passphrase: env.WEB_BUNDLE_SIGNING_PASSPHRASE });
		if (key.asymmetricKeyType !== 'ed25519') throw new Error(`build-iwa: IWA_SIGNING_KEY must be an Ed25519 private key (got ${key.asymmetricKeyType})`);
		return { key, source: 'operator' };
	}
	if (!existsSync(devKeyPath)) {
		mkdirSync(dirname(devKeyPath), { recursive: true, mode: 0o700 });
		const { privateKey } = generateKeyPairSync('ed25519');
		try {
			// 'wx': two builds starting together must not overwrite each other's key.
			writeFileSync(devKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
		}
	}
	return { key: createPrivateKey(readFileSync(devKeyPath, 'utf8')), source: 'development' };
}

/**
 * Builds and signs the bundle.
 * @param {{ buildDir?: string, output?: string, env?: NodeJS.ProcessEnv, quiet?: boolean }} [options]
 */
export async function buildIwa({ buildDir = IWA_PATHS.build, output = IWA_PATHS.bundle, env = process.env, quiet = false } = {}) {
	const started = Date.now();
	const fallback = join(buildDir, '200.html');
	if (!existsSync(fallback)) throw new Error(`${fallback} is missing: run "npx vite build" first`);

	const { key, source } = signingKey(env);
	const webBundleId = new WebBundleId(key);
	const origin = webBundleId.serializeWithIsolatedWebAppOrigin(); // isolated-app://<id>/
	const pages = pagePaths();
	const startUrl = pages.includes('/kiosk') ? '/kiosk' : '/';
	const { version } = JSON.parse(readFileSync(IWA_PATHS.packageJson, 'utf8'));
	const manifest = iwaManifest({ staticManifest: JSON.parse(readFileSync(IWA_PATHS.staticManifest, 'utf8')), version, startUrl });
	const { html, bootstrap } = iwaPage(readFileSync(fallback, 'utf8'));

	/** @type {Map<string, { type: string, body: Uint8Array | string }>} URL path → response */
	const entries = new Map();
	for (const file of walk(buildDir)) {
		const path = `/${relative(buildDir, file).split(sep).join('/')}`;
		if (LEFT_OUT.has(path)) continue;
		entries.set(path, { type: contentType(path), body: readFileSync(file) });
	}
	for (const path of ['/', '/index.html', ...pages]) entries.set(path, { type: TYPES['.html'], body: html });
	entries.set(IWA_FILES.bootstrap, { type: TYPES['.js'], body: bootstrap });
	entries.set(IWA_FILES.trustedTypes, { type: TYPES['.js'], body: readFileSync(IWA_PATHS.trustedTypes) });
	entries.set(IWA_FILES.manifest, { type: TYPES['.webmanifest'], body: `${JSON.stringify(manifest, null, '\t')}\n` });

	const builder = new BundleBuilder('b2');
	for (const [path, { type, body }] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
		builder.addExchange(new URL(path, origin).href, 200, { 'Content-Type': type }, body);
	}
	const unsigned = builder.createBundle();
	const { signedWebBundle } = await new IntegrityBlockSigner(unsigned, webBundleId.serialize(), [new NodeCryptoSigningStrategy(key)]).sign();
	mkdirSync(dirname(output), { recursive: true });
	writeFileSync(output, signedWebBundle);

	const result = { output, webBundleId: webBundleId.serialize(), origin, keySource: source, entries: entries.size, bytes: signedWebBundle.length, startUrl, ms: Date.now() - started };
	if (!quiet) {
		console.log(`Signed web bundle: ${relative(ROOT, output)} (${(result.bytes / 1024).toFixed(0)} KiB, ${result.entries} resources, ${result.ms} ms)`);
		console.log(`Signing key: ${source === 'operator' ? `operator key from IWA_SIGNING_KEY` : `development key ${relative(ROOT, IWA_PATHS.devKey)} (never commit it)`}`);
		console.log(`Web Bundle ID: ${result.webBundleId}`);
		console.log(`App origin: ${origin}  (start_url ${startUrl})`);
	}
	return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	if (!existsSync(join(IWA_PATHS.build, '200.html')) || process.argv.includes('--build')) {
		execFileSync('npx', ['vite', 'build'], { stdio: 'inherit', cwd: ROOT });
	}
	try {
		await buildIwa();
	} catch (e) {
		console.error(`✖ ${e instanceof Error ? e.message : String(e)}`);
		process.exit(1);
	}
}
