import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskIdleWatch } from './idle-watch';

describe('KioskIdleWatch', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	function watch() {
		const warnings: number[] = [];
		const expired = vi.fn();
		const w = new KioskIdleWatch(globalThis, { timeoutMs: 120_000, warningMs: 30_000, onWarning: (s) => warnings.push(s), onExpire: expired });
		return { w, warnings, expired };
	}

	it('warns after the timeout, counts down each second, then expires', () => {
		const { w, warnings, expired } = watch();
		w.start();
		vi.advanceTimersByTime(119_999);
		expect(warnings).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(warnings).toEqual([30]);
		expect(w.warning).toBe(true);
		vi.advanceTimersByTime(29_000);
		expect(warnings.at(-1)).toBe(1);
		expect(expired).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1_000);
		expect(expired).toHaveBeenCalledTimes(1);
		expect(w.running).toBe(false);
		vi.advanceTimersByTime(600_000);
		expect(expired).toHaveBeenCalledTimes(1);
	});

	it('input before the warning restarts the quiet period', () => {
		const { w, warnings } = watch();
		w.start();
		vi.advanceTimersByTime(100_000);
		w.activity();
		vi.advanceTimersByTime(100_000);
		expect(warnings).toEqual([]);
		vi.advanceTimersByTime(20_000);
		expect(warnings).toEqual([30]);
	});

	it('input during the warning does not dismiss it; extend does', () => {
		const { w, expired } = watch();
		w.start();
		vi.advanceTimersByTime(125_000);
		w.activity();
		expect(w.warning).toBe(true);
		w.extend();
		expect(w.warning).toBe(false);
		vi.advanceTimersByTime(119_000);
		expect(expired).not.toHaveBeenCalled();
		expect(w.warning).toBe(false);
	});

	it('stop cancels everything', () => {
		const { w, warnings, expired } = watch();
		w.start();
		w.stop();
		vi.advanceTimersByTime(1_000_000);
		expect(warnings).toEqual([]);
		expect(expired).not.toHaveBeenCalled();
	});
});
