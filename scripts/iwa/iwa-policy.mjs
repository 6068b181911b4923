// What Chromium imposes on every response of an Isolated Web App, and what this app asks for in its manifest.
// Node built-ins only: shared by the bundle builder (scripts/build-iwa.mjs), the bundle checks and the e2e test
// that serves the bundle's files under the same headers.

/**
 * The Content-Security-Policy Chromium adds to every response of an installed Isolated Web App
 * (chrome/browser/web_applications/isolated_web_apps/isolated_web_app_url_loader_factory.cc,
 * `kIsolatedAppCspTemplate`; the same text ships as the defaults of GoogleChromeLabs' webbundle plugins).
 * It is added next to the app's own policies, so a stricter policy of the app (our <meta> CSP) still holds.
 */
export const IWA_CSP = [
	"base-uri 'none'",
	"default-src 'self'",
	"object-src 'none'",
	"frame-src 'self' https: blob: data:",
	"connect-src 'self' https: wss: blob: data:",
	"script-src 'self' 'wasm-unsafe-eval'",
	"img-src 'self' https: blob: data:",
	"media-src 'self' https: blob: data:",
	"font-src 'self' blob: data:",
	"style-src 'self' 'unsafe-inline'",
	"require-trusted-types-for 'script'",
	"frame-ancestors 'self'"
].join('; ');

/** Chromium replaces these on every IWA response (same source), which makes the app cross-origin isolated. */
export const IWA_ISOLATION_HEADERS = Object.freeze({
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
});

/**
 * The manifest's `permissions_policy`: in an IWA every policy-controlled feature defaults to 'none' and only what the
 * manifest lists can be requested (WICG/isolated-web-apps Permissions.md). WebUSB, the protected-class (CCID) WebUSB
 * of `usb-unrestricted`, the Web Smart Card API, full screen for the kiosk page, and cross-origin isolation.
 */
export const IWA_PERMISSIONS_POLICY = Object.freeze({
	usb: ['self'],
	'usb-unrestricted': ['self'],
	'smart-card': ['self'],
	fullscreen: ['self'],
	'cross-origin-isolated': ['self']
});

/** Where an IWA's manifest must be (WICG/isolated-web-apps README). */
export const IWA_MANIFEST_PATH = '/.well-known/manifest.webmanifest';
