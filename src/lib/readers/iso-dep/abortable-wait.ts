import { ErrorKind, MynaError } from '../../errors';

export function abortedError(): MynaError {
	return new MynaError(ErrorKind.Aborted, 'The operation was cancelled.');
}

/** Waits `ms`; rejects with kind Aborted as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) return Promise.reject(abortedError());
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortedError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, Math.max(0, ms));
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * The caller stops waiting when `signal` aborts (rejecting with kind Aborted); the work itself goes on and its
 * eventual rejection is observed, so it never surfaces as unhandled.
 */
export function raceAbort<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return work;
	work.catch(() => undefined);
	if (signal.aborted) return Promise.reject(abortedError());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortedError());
		signal.addEventListener('abort', onAbort, { once: true });
		work.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			}
		);
	});
}
