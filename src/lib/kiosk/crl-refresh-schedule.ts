/**
 * When the kiosk next downloads its CRLs: once a day after the issuer's publication time (`updateTime`, Japan time,
 * UTC+9 all year: Japan has no daylight saving), straight away when today's run was missed, and after a failure again
 * with a doubling delay, capped, but never later than the next daily run. Pure: times are milliseconds since the epoch.
 */

export const CrlRefreshTiming = {
	/** Japan Standard Time is UTC+9, with no DST. */
	jstOffsetMs: 9 * 3_600_000,
	dayMs: 86_400_000,
	/** First retry after a failure. */
	retryBaseMs: 60_000,
	/** Longest wait between retries. */
	retryCapMs: 60 * 60_000
} as const;

export interface CrlRefreshFailure {
	/** When the last attempt failed. */
	readonly at: number;
	/** Failed attempts in a row (1 after the first). */
	readonly count: number;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM`; a RangeError for anything else (the config parser has checked it already). */
export function minutesOfDay(updateTime: string): number {
	const match = HH_MM.exec(updateTime);
	if (!match) throw new RangeError(`Not an HH:MM time: ${updateTime}`);
	return Number(match[1]) * 60 + Number(match[2]);
}

/** The latest daily run time at or before `now`. */
export function latestScheduledRun(now: number, updateTime: string): number {
	const { jstOffsetMs, dayMs } = CrlRefreshTiming;
	const jstMidnight = Math.floor((now + jstOffsetMs) / dayMs) * dayMs - jstOffsetMs;
	const today = jstMidnight + minutesOfDay(updateTime) * 60_000;
	return today <= now ? today : today - dayMs;
}

/** The delay before retry number `count` (1, 2, 4, … minutes, at most an hour). */
export function retryDelay(count: number): number {
	const { retryBaseMs, retryCapMs } = CrlRefreshTiming;
	return Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(Math.max(count - 1, 0), 30));
}

/**
 * The next time to refresh (`now` when it is due). `lastSuccess` is when the CRLs were last downloaded; `failure`
 * is the run of failures since then, if any.
 */
export function nextRefreshAt(now: number, updateTime: string, lastSuccess?: number, failure?: CrlRefreshFailure): number {
	const latest = latestScheduledRun(now, updateTime);
	const next = latest + CrlRefreshTiming.dayMs;
	const upToDate = lastSuccess !== undefined && lastSuccess >= latest;
	if (upToDate) return next;
	if (failure && failure.count > 0 && (lastSuccess === undefined || failure.at >= lastSuccess)) {
		return Math.max(now, Math.min(failure.at + retryDelay(failure.count), next));
	}
	return now;
}
