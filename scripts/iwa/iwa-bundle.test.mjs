// node --test scripts/iwa/iwa-bundle.test.mjs — checks the bundle `npm run build:iwa` produced (dist-iwa/myna-kiosk.swbn):
// signature, Web Bundle ID, the IWA manifest, and that every file of the built app is inside.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { Bundle } from 'wbn';
import { IWA_FILES, IWA_PATHS, pagePaths, signingKey } from '../build-iwa.mjs';
import { readSignedWebBundle, verifySignedWebBundle, webBundleIdOf } from './signed-web-bundle.mjs';

const bundlePath = process.env.IWA_BUNDLE ?? IWA_PATHS.bundle;
assert.ok(existsSync(bundlePath), `${bundlePath} is missing: run "npm run build:iwa" first`);
const parsed = readSignedWebBundle(new Uint8Array(readFileSync(bundlePath)));
const bundle = new Bundle(parsed.webBundle);
const origin = `isolated-app://${parsed.webBundleId}/`;
const text = (path) => new TextDecoder().decode(bundle.getResponse(new URL(path, origin).href).body);

function walk(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

test('the signature verifies against the signing key, and the Web Bundle ID is that key’s', () => {
	const [signer] = verifySignedWebBundle(parsed);
	assert.equal(parsed.signatures.length, 1);
	const expectedKey = createPublicKey(signingKey().key).export({ format: 'jwk' }).x;
	assert.equal(Buffer.from(signer).toString('base64url'), expectedKey, 'signed with the key build:iwa uses (IWA_SIGNING_KEY or .iwa-keys/)');
	assert.equal(parsed.webBundleId, webBundleIdOf(signer));
	assert.match(parsed.webBundleId, /^[a-z2-7]{52}aaic$/);
});

test('every resource is on the app’s isolated-app:// origin, answers 200 with a content type', () => {
	assert.ok(bundle.urls.length > 10);
	for (const url of bundle.urls) {
		assert.ok(url.startsWith(origin), url);
		const response = bundle.getResponse(url);
		assert.equal(response.status, 200, url);
		assert.ok(response.headers['content-type'], url);
	}
});

test('the IWA manifest: id "/", version, start_url, standalone, icons, and the permissions policy for usb, usb-unrestricted and smart-card', () => {
	const manifest = JSON.parse(text(IWA_FILES.manifest));
	assert.equal(bundle.getResponse(new URL(IWA_FILES.manifest, origin).href).headers['content-type'], 'application/manifest+json; charset=utf-8');
	const pkg = JSON.parse(readFileSync(IWA_PATHS.packageJson, 'utf8'));
	assert.equal(manifest.id, '/');
	assert.equal(manifest.scope, '/');
	assert.equal(manifest.display, 'standalone');
	assert.equal(manifest.version, pkg.version);
	assert.equal(manifest.start_url, pagePaths().includes('/kiosk') ? '/kiosk' : '/');
	assert.ok(manifest.name && manifest.short_name);
	assert.deepEqual(manifest.permissions_policy.usb, ['self']);
	assert.deepEqual(manifest.permissions_policy['usb-unrestricted'], ['self']);
	assert.deepEqual(manifest.permissions_policy['smart-card'], ['self']);
	for (const icon of manifest.icons) assert.ok(bundle.urls.includes(new URL(icon.src, origin).href), `icon ${icon.src} is in the bundle`);
});

test('every file of the built app is inside, byte for byte (the SPA page and service worker are replaced, see build-iwa.mjs)', () => {
	const replaced = new Set(['/200.html', '/service-worker.js']);
	const files = walk(IWA_PATHS.build).map((f) => `/${relative(IWA_PATHS.build, f).split(sep).join('/')}`);
	assert.ok(files.some((f) => f.includes('/workers/card.worker')) && files.some((f) => f.includes('/workers/pki.worker')), 'both workers are built');
	for (const file of files) {
		if (replaced.has(file)) continue;
		const response = bundle.getResponse(new URL(file, origin).href);
		assert.deepEqual(Buffer.from(response.body), readFileSync(join(IWA_PATHS.build, file)), file);
	}
	assert.ok(!bundle.urls.includes(new URL('/200.html', origin).href));
});

test('every page of the app has an entry (an IWA has no SPA fallback), and no page carries an inline script', () => {
	for (const path of ['/', ...pagePaths()]) {
		const html = text(path);
		assert.match(html, /<script src="\/_app\/iwa\/trusted-types\.js"><\/script>/, path);
		assert.match(html, /<script src="\/_app\/iwa\/bootstrap\.js"><\/script>/, path);
		assert.equal(html.match(/<script>/g), null, `${path} has no inline <script>`);
		assert.match(html, /rel="manifest" href="\/\.well-known\/manifest\.webmanifest"/);
	}
	const bootstrap = text(IWA_FILES.bootstrap);
	assert.match(bootstrap, /kit\.start\(app, element\)/);
	assert.doesNotMatch(bootstrap, /serviceWorker/, 'the IWA does not register the service worker');
	assert.match(text(IWA_FILES.trustedTypes), /createPolicy\('default'/);
});
