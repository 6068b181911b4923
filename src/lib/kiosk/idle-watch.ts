import type { Timers } from '../timers';

export interface IdleWatchOptions {
	readonly timeoutMs: number;
	readonly warningMs: number;
	/** Called when the warning starts and then every second with the whole seconds left. */
	readonly onWarning: (secondsLeft: number) => void;
	readonly onExpire: () => void;
}

/**
 * Kiosk idle handling (WCAG 2.2.1 Timing Adjustable): after `timeoutMs` without input a warning with a countdown,
 * which the resident can extend; when the countdown ends, `onExpire` (the wipe). Timers are injected so unit tests
 * use fake timers and the page passes the window's.
 */
export class KioskIdleWatch {
	#handle: unknown;
	#running = false;
	#warning = false;
	#deadline = 0;
	#elapsed = 0;

	constructor(
		readonly timers: Timers,
		readonly options: IdleWatchOptions
	) {}

	get running(): boolean {
		return this.#running;
	}

	get warning(): boolean {
		return this.#warning;
	}

	/** Starts (or restarts) the quiet period. Input while the warning is up does not dismiss it: only `extend` does. */
	start(): void {
		this.#cancel();
		this.#running = true;
		this.#warning = false;
		this.#handle = this.timers.setTimeout(() => this.#warn(), this.options.timeoutMs);
	}

	/** Any input: the quiet period starts again (ignored while the warning is up or when stopped). */
	activity(): void {
		if (this.#running && !this.#warning) this.start();
	}

	/** The resident asked for more time. */
	extend(): void {
		if (this.#running) this.start();
	}

	stop(): void {
		this.#cancel();
		this.#running = false;
		this.#warning = false;
	}

	#cancel(): void {
		if (this.#handle !== undefined) this.timers.clearTimeout(this.#handle);
		this.#handle = undefined;
	}

	#warn(): void {
		this.#warning = true;
		this.#elapsed = 0;
		this.#deadline = Math.ceil(this.options.warningMs / 1000);
		this.options.onWarning(this.#deadline);
		this.#tick();
	}

	#tick(): void {
		this.#handle = this.timers.setTimeout(() => {
			this.#elapsed++;
			const left = this.#deadline - this.#elapsed;
			if (left <= 0) {
				this.stop();
				this.options.onExpire();
				return;
			}
			this.options.onWarning(left);
			this.#tick();
		}, 1000);
	}
}
