// Build-time helper for svelte.config.js (plain JS: the config is loaded by Node before any TypeScript is compiled).
// The kiosk fetches its configured CRLs from the PKI worker, so the CSP's connect-src must name their origins; nothing
// else is added, and a configuration without CRL URLs keeps connect-src at 'self'.

/** At most this many URLs are read (the runtime parser allows 16; kiosk-config-parser.ts KioskConfigLimits). */
const MAX_URLS = 16;
const MAX_URL_LENGTH = 2048;

/**
 * The distinct origins (`https://host[:port]`) of the https URLs in `config.crl.urls`, in first-seen order. Anything
 * else (not https, credentials, not a URL, not a string) is skipped: the kiosk refuses such a file at start anyway,
 * and a CSP source must never be widened by a malformed entry.
 * @param {unknown} config the parsed kiosk-config.json
 * @returns {string[]}
 */
export function crlConnectSources(config) {
	if (typeof config !== 'object' || config === null || Array.isArray(config)) return [];
	const crl = /** @type {Record<string, unknown>} */ (config)['crl'];
	if (typeof crl !== 'object' || crl === null || Array.isArray(crl)) return [];
	const urls = /** @type {Record<string, unknown>} */ (crl)['urls'];
	if (!Array.isArray(urls)) return [];
	/** @type {string[]} */
	const origins = [];
	for (const entry of urls.slice(0, MAX_URLS)) {
		if (typeof entry !== 'string' || entry.length > MAX_URL_LENGTH) continue;
		/** @type {URL} */
		let url;
		try {
			url = new URL(entry);
		} catch {
			continue;
		}
		if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) continue;
		// A CSP host-source cannot carry anything the URL parser would not: the origin is scheme, host and port only.
		if (!/^https:\/\/[a-z0-9.[\]:-]+$/.test(url.origin)) continue;
		if (!origins.includes(url.origin)) origins.push(url.origin);
	}
	return origins;
}

/**
 * Reads the kiosk configuration the build is for: the file named by `KIOSK_CONFIG`, else `static/kiosk-config.json`.
 * A missing `KIOSK_CONFIG` file or unreadable JSON fails the build with a clear message.
 * @param {{ env: Record<string, string | undefined>; readText: (path: string) => string | undefined; defaultPath: string }} io
 * @returns {string[]}
 */
export function kioskCrlConnectSources({ env, readText, defaultPath }) {
	const path = env['KIOSK_CONFIG'] || defaultPath;
	const text = readText(path);
	if (text === undefined) {
		if (env['KIOSK_CONFIG']) throw new Error(`KIOSK_CONFIG names ${path}, which cannot be read.`);
		return [];
	}
	/** @type {unknown} */
	let json;
	try {
		json = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch {
		throw new Error(`${path} is not valid JSON: the kiosk would refuse it too. Fix it before building.`);
	}
	return crlConnectSources(json);
}
