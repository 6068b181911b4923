// Content types of the files the build emits: one table for the static server and the web bundle.
import { extname } from 'node:path';

export const CONTENT_TYPES = Object.freeze({
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8'
});

/** The content type for a file name, `application/octet-stream` when the extension is not one the build emits. */
export function contentType(path) {
	return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
