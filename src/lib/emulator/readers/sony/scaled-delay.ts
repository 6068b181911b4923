/**
 * Waits the models use for device time (RF timeouts, busy periods). `timeScale` shrinks them in tests
 * (0 = no real wait); every wait is bounded by `MAX_DEVICE_WAIT_MS` before scaling and ends early on abort.
 */
export const MAX_DEVICE_WAIT_MS = 10_000;

export function scaledDelay(ms: number, timeScale: number, signal?: AbortSignal): Promise<void> {
	const wait = Math.min(Math.max(0, ms), MAX_DEVICE_WAIT_MS) * timeScale;
	if (signal?.aborted) return Promise.reject(signal.reason);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, wait);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

export function checkTimeScale(timeScale: number): number {
	if (!Number.isFinite(timeScale) || timeScale < 0) throw new RangeError('timeScale must be a finite number ≥ 0');
	return timeScale;
}
