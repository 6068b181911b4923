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
				...(csp ? { 'Content-Security-Policy': csp.replaceAll('&#39;', "'") } : {})
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

if (import.meta.url === `file://${process.argv[1]}`) {
	const port = Number(process.env.PORT ?? process.argv[2] ?? 4173);
	await serveBuild({ port });
}
