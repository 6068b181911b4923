import { IntlMessageFormat } from 'intl-messageformat';
import { en, ja, type MessageKey } from './messages';

export const Locale = { Ja: 'ja', En: 'en' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

const catalogs: Record<Locale, Partial<Record<MessageKey, string>>> = { ja: { ...ja }, en: { ...en } };

/** Adds a route's own tables (the kiosk's) to the catalogs; the route calls it before it renders. */
export function registerMessages(tables: { readonly ja: Readonly<Record<string, string>>; readonly en: Readonly<Record<string, string>> }): void {
	Object.assign(catalogs.ja, tables.ja);
	Object.assign(catalogs.en, tables.en);
}
const compiled = new Map<string, IntlMessageFormat>();

export type { MessageKey };
export type MessageParams = Record<string, string | number>;

/**
 * Looks up a message and formats it as an ICU message (FormatJS intl-messageformat): `{name}` placeholders,
 * `{count, plural, …}` and `{x, select, …}`. A placeholder without a value stays visible rather than inventing one.
 */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
	// A key of a table that was not registered shows as itself (never an empty screen); tests catch it.
	const template = catalogs[locale][key] ?? key;
	if (!template.includes('{')) return template;
	const cacheKey = `${locale}\u0000${key}`;
	let format = compiled.get(cacheKey);
	if (!format) {
		format = new IntlMessageFormat(template, locale === 'ja' ? 'ja-JP' : 'en-GB', undefined, { ignoreTag: true });
		compiled.set(cacheKey, format);
	}
	const names = [...template.matchAll(/\{(\w+)/g)].map((m) => m[1]!);
	const values: MessageParams = { ...params };
	for (const name of names) if (!(name in values)) values[name] = `{${name}}`;
	return String(format.format(values));
}

/** The message for an error kind; every kind of `ErrorKind` has one in both languages. */
export function errorMessageKey(kind: string): MessageKey {
	const key = `error.${kind}`;
	return (key in ja ? key : 'error.internal') as MessageKey;
}
