/**
 * The platform's timers, injected at the composition root (AppServices) so the layers below never reach for the
 * global `setTimeout`, and tests can drive them with fake timers.
 */
export interface Timers {
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}
