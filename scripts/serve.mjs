// Serves the built app (build/) on localhost: static files, the SPA fallback page for every other path,
// and security headers. Node built-ins only, so it runs before or without node_modules.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { contentType } from './content-types.mjs';

const SECURITY_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

/**
 * @param {{ root?: string, port?: number, host?: string, quiet?: boolean }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveBuild({ root = 'build', port = 4173, host = '127.0.0.1', quiet = false } = {}) {
	const base = resolve(root);
	const fallback = join(base, '200.html');
	await stat(fallback).catch(() => {
		throw new Error(`${fallback} is missing: run "npm run build" first`);
	});
	// The page's CSP is a <meta> tag, which does not reach module workers: send the same policy as a header on
	// every response, so the workers' scripts run under it too.
	const csp = /http-equiv="content-security-policy" content="([^"]+)"/.exec(await readFile(fallback, 'utf8'))?.[1];
	const kioskAncestors = await kioskFrameAncestors(base);

	const server = createServer(async (request, response) => {
		try {
			const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
			let file = normalize(join(base, path));
			if (!file.startsWith(base + sep) && file !== base) {
				response.writeHead(403).end();
				return;
			}
			const info = await stat(file).catch(() => undefined);
			if (!info || info.isDirectory()) file = fallback;
			const body = await readFile(file);
			const immutable = file.includes(`${sep}_app${sep}immutable${sep}`);
			response.writeHead(200, {
				'Content-Type': contentType(file),
				'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
				...SECURITY_HEADERS,
				'Content-Security-Policy': [csp?.replaceAll('&#39;', "'"), `frame-ancestors ${isKioskPath(path) ? kioskAncestors : "'none'"}`]
					.filter(Boolean)
					.join('; ')
			});
			response.end(request.method === 'HEAD' ? undefined : body);
		} catch {
			response.writeHead(500).end();
		}
	});

	await new Promise((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolveListen(undefined));
	});
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	const url = `http://localhost:${actualPort}/`;
	if (!quiet) console.log(`Serving the built app at ${url}  (Ctrl+C to stop)`);
	return { url, close: () => new Promise((done) => server.close(() => done())) };
}

/** `/kiosk` and below: the only pages a counter's form may embed. */
function isKioskPath(path) {
	return path === '/kiosk' || path.startsWith('/kiosk/');
}

/**
 * Who may embed a page (a header only: a <meta> CSP cannot say it). No page may be framed by another site (a framed
 * PIN field invites clickjacking), except the kiosk by the counter's form: `'self'` plus the deployed
 * kiosk-config.json's `handoff.postMessageOrigins` (the kiosk validates the file fully at start; here only exact
 * origins are taken), plus `KIOSK_FRAME_ANCESTORS` (space-separated origins, for development and tests).
 */
async function kioskFrameAncestors(base) {
	const origins = new Set();
	try {
		const config = JSON.parse(await readFile(join(base, 'kiosk-config.json'), 'utf8'));
		for (const origin of config?.handoff?.postMessageOrigins ?? []) origins.add(origin);
	} catch {
		// No file or not JSON: the kiosk itself says what is wrong with it.
	}
	for (const origin of (process.env.KIOSK_FRAME_ANCESTORS ?? '').split(/\s+/)) origins.add(origin);
	const exact = [...origins].filter((origin) => typeof origin === 'string' && /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin));
	return ["'self'", ...exact].join(' ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const port = Number(process.env.PORT ?? process.argv[2] ?? 4173);
	await serveBuild({ port });
}
