import { ErrorKind, MynaError } from '../errors';
import type { CrlFetch } from '../store/crl-store';

/**
 * The only network access of the PKI worker: a fetch that requests a URL only when it is one of the configured CRL
 * addresses (the stored list plus the kiosk configuration's), compared exactly after URL parsing. Anything else is
 * refused with a typed `crl-rejected` error and no request is made. Requests carry no cookies and no referrer, and a
 * redirect is an error (it would be a request to an address nobody configured).
 */
/** The platform's fetch as the composition root passes it in (`(url, init) => fetch(url, init)`). */
export type PlatformFetch = (url: string, init: RequestInit) => Promise<Response>;

export function createConfiguredCrlFetch(fetchFn: PlatformFetch, configuredUrls: () => Promise<readonly string[]>): CrlFetch {
	return async (url, init) => {
		const wanted = canonical(url);
		const allowed = (await configuredUrls()).map(canonical);
		if (wanted === undefined || !allowed.includes(wanted)) {
			throw new MynaError(ErrorKind.CrlRejected, 'This CRL address is not in the configured list.', { reason: 'url-not-configured' });
		}
		try {
			return await fetchFn(wanted, { ...(init.signal ? { signal: init.signal } : {}), credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'error', cache: 'no-store' });
		} catch (error) {
			// fetch rejects with a TypeError for a network failure, a redirect, or a CSP block. The worker's CSP is the one
			// sent with the worker script (scripts/serve.mjs sends the page's as a header; the <meta> CSP does not reach
			// workers), so on a host that sends no CSP header this allow-list is the only guard. An abort stays an abort.
			if (error instanceof TypeError) throw new MynaError(ErrorKind.Transport, 'The CRL server could not be reached.', { reason: 'unreachable' });
			throw error;
		}
	};
}

function canonical(text: string): string | undefined {
	try {
		const url = new URL(text);
		if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
		url.hash = '';
		return url.href;
	} catch {
		return undefined;
	}
}
