import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrlRefreshTiming, latestScheduledRun, minutesOfDay, nextRefreshAt, retryDelay } from './crl-refresh-schedule';

/** A Japan-time wall clock reading as epoch milliseconds. */
const jst = (text: string) => Date.parse(`${text}+09:00`);
const MIN = 60_000;

describe('nextRefreshAt', () => {
	it('runs straight away when the CRLs were never downloaded', () => {
		const now = jst('2026-11-25T10:00:00');
		expect(nextRefreshAt(now, '06:00')).toBe(now);
	});

	it('runs the next day at the update time, in Japan time, after a success today', () => {
		expect(nextRefreshAt(jst('2026-11-25T10:00:00'), '06:00', jst('2026-11-25T06:00:05'))).toBe(jst('2026-11-26T06:00:00'));
		// 01:00 JST is still the previous day in UTC: the day boundary is Japan's, not UTC's.
		expect(nextRefreshAt(jst('2026-11-26T01:00:00'), '06:00', jst('2026-11-25T06:00:05'))).toBe(jst('2026-11-26T06:00:00'));
		expect(nextRefreshAt(jst('2026-11-25T23:30:00'), '23:45', jst('2026-11-24T23:45:00'))).toBe(jst('2026-11-25T23:45:00'));
	});

	it('catches up at once when a daily run was missed (the kiosk was off)', () => {
		const now = jst('2026-11-25T09:00:00');
		expect(nextRefreshAt(now, '06:00', jst('2026-11-24T06:00:10'))).toBe(now);
		// Downloaded before today's publication time: still due.
		expect(nextRefreshAt(now, '06:00', jst('2026-11-25T05:59:00'))).toBe(now);
	});

	it('retries after 1, 2, 4 … minutes, capped at an hour', () => {
		const failedAt = jst('2026-11-25T06:00:30');
		const last = jst('2026-11-24T06:00:00');
		expect(nextRefreshAt(failedAt, '06:00', last, { at: failedAt, count: 1 })).toBe(failedAt + MIN);
		expect(nextRefreshAt(failedAt, '06:00', last, { at: failedAt, count: 2 })).toBe(failedAt + 2 * MIN);
		expect(nextRefreshAt(failedAt, '06:00', last, { at: failedAt, count: 4 })).toBe(failedAt + 8 * MIN);
		expect(nextRefreshAt(failedAt, '06:00', last, { at: failedAt, count: 12 })).toBe(failedAt + 60 * MIN);
		expect(nextRefreshAt(failedAt, '06:00', last, { at: failedAt, count: 1000 })).toBe(failedAt + 60 * MIN);
	});

	it('never waits past the next daily run, and never schedules in the past', () => {
		const failedAt = jst('2026-11-26T05:50:00');
		expect(nextRefreshAt(failedAt, '06:00', undefined, { at: jst('2026-11-25T07:00:00'), count: 20 })).toBe(failedAt);
		expect(nextRefreshAt(jst('2026-11-25T05:59:30'), '06:00', undefined, { at: jst('2026-11-25T05:59:30'), count: 20 })).toBe(jst('2026-11-25T06:00:00'));
	});

	it('ignores a failure older than the last success', () => {
		expect(nextRefreshAt(jst('2026-11-25T10:00:00'), '06:00', jst('2026-11-25T07:00:00'), { at: jst('2026-11-25T06:30:00'), count: 3 })).toBe(jst('2026-11-26T06:00:00'));
	});

	it('is never in the past and never more than a day ahead (property)', () => {
		const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
		const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) });
		fc.assert(
			fc.property(time, hhmm, fc.option(fc.integer({ min: 0, max: 3 * CrlRefreshTiming.dayMs })), fc.option(fc.record({ ago: fc.integer({ min: 0, max: CrlRefreshTiming.dayMs }), count: fc.integer({ min: 1, max: 50 }) })), (now, at, since, fail) => {
				const lastSuccess = since === null ? undefined : now - since;
				const failure = fail === null ? undefined : { at: now - fail.ago, count: fail.count };
				const next = nextRefreshAt(now, at, lastSuccess, failure);
				expect(next).toBeGreaterThanOrEqual(now);
				expect(next - now).toBeLessThanOrEqual(CrlRefreshTiming.dayMs);
				// A scheduled daily run lands on the configured minute in Japan time.
				if (lastSuccess !== undefined && lastSuccess >= latestScheduledRun(now, at)) {
					const d = new Date(next + CrlRefreshTiming.jstOffsetMs);
					expect(d.getUTCHours() * 60 + d.getUTCMinutes()).toBe(minutesOfDay(at));
				}
			})
		);
	});
});

describe('helpers', () => {
	it('reads HH:MM and refuses anything else', () => {
		expect(minutesOfDay('06:30')).toBe(390);
		expect(() => minutesOfDay('6:30')).toThrow(RangeError);
		expect(() => minutesOfDay('24:00')).toThrow(RangeError);
	});

	it('doubles the retry delay up to the cap', () => {
		expect([1, 2, 3, 6, 7, 99].map(retryDelay)).toEqual([MIN, 2 * MIN, 4 * MIN, 32 * MIN, 60 * MIN, 60 * MIN]);
	});
});
