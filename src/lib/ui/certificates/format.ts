/** Dates as residents read them: the Japan calendar day (Asia/Tokyo), in the UI language. Pure. */
import type { Locale } from '$lib/i18n';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, withTime: boolean): Intl.DateTimeFormat {
	const key = `${locale}:${withTime}`;
	let format = cache.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
			dateStyle: 'long',
			...(withTime ? { timeStyle: 'short' } : {}),
			timeZone: 'Asia/Tokyo'
		});
		cache.set(key, format);
	}
	return format;
}

/** e.g. 2030年6月15日 / 15 June 2030 (Japan time). */
export function formatDate(value: string | number, locale: Locale): string {
	return formatter(locale, false).format(new Date(value));
}

/** e.g. 2026年11月1日 9:00 / 1 November 2026 at 09:00 (Japan time). */
export function formatDateTime(value: string | number, locale: Locale): string {
	return formatter(locale, true).format(new Date(value));
}

/** Hex in groups of two (fingerprints, key identifiers), so they can be compared by eye and read aloud. */
export function groupHex(hex: string): string {
	return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}
