import { en, ja, type MessageKey } from './messages';

export const Locale = { Ja: 'ja', En: 'en' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

const catalogs: Record<Locale, Record<MessageKey, string>> = { ja, en };

export type { MessageKey };

/** Looks up a message and fills `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
	const template = catalogs[locale][key];
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message for an error kind; every kind of `ErrorKind` has one in both languages. */
export function errorMessageKey(kind: string): MessageKey {
	const key = `error.${kind}`;
	return (key in ja ? key : 'error.internal') as MessageKey;
}
