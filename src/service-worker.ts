/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline support (issue 8): after the first visit the app opens and works with no network — the page, both
 * workers and the emulator (demo mode) included. SvelteKit registers this file itself.
 *
 * It caches only the app's own files, listed at build time: never a CRL, never a response from elsewhere, and it
 * never opens IndexedDB (the CRL store is the PKI worker's alone).
 */
import { base, build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE_PREFIX = 'myna-app-';
const CACHE = `${CACHE_PREFIX}${version}`;
/** adapter-static's SPA fallback: the page every route boots from. */
const FALLBACK = `${base}/200.html`;
/** The built app (hashed, immutable), the static files (icons, manifest) and the fallback page. */
const PRECACHE: readonly string[] = [...build, ...files, FALLBACK];
const PRECACHED = new Set(PRECACHE);

sw.addEventListener('install', (event) => {
	// The hashed build files may come from the HTTP cache; the others (200.html, manifest, icons) must be this
	// version's, or an old page could be kept that asks for files this cache does not have.
	const immutable = new Set(build);
	const requests = PRECACHE.map((url) => new Request(url, { cache: immutable.has(url) ? 'default' : 'reload' }));
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
			// Serve the page that installed us too, so the first visit already works offline after a reload.
			await sw.clients.claim();
		})()
	);
});

/** Cache first: these files are versioned with the cache, the hashed ones never change. */
async function fromCache(request: Request, path: string): Promise<Response> {
	const cached = await caches.match(path, { cacheName: CACHE });
	return cached ?? fetch(request);
}

/** A network that answers this slowly (a captive portal, a dead Wi-Fi) loses to the cached page. */
const NAVIGATION_TIMEOUT_MS = 5000;

/** Network first, so a new deploy is picked up; offline, every route gets the cached fallback page. */
async function navigation(request: Request): Promise<Response> {
	const network = fetch(request).then((response) => {
		if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
		return response;
	});
	network.catch(() => undefined); // its failure is handled below; keep it from being reported as unhandled
	const slow = new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), NAVIGATION_TIMEOUT_MS));
	try {
		const first = await Promise.race([network, slow]);
		if (first !== 'slow') return first;
	} catch {
		// Offline or a server error: fall back to the cached app.
	}
	const cached = await caches.match(FALLBACK, { cacheName: CACHE });
	return cached ?? network.catch(() => Response.error());
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	// Anything from elsewhere (a CRL distribution point, say) is left to the browser, untouched and uncached.
	if (url.origin !== sw.location.origin) return;
	if (request.mode === 'navigate') {
		event.respondWith(navigation(request));
		return;
	}
	if (PRECACHED.has(url.pathname)) event.respondWith(fromCache(request, url.pathname));
});
