import { getContext, setContext } from 'svelte';
import type { LocaleState } from './locale.svelte';

const LOCALE = Symbol('locale');

export function provideLocale(locale: LocaleState): LocaleState {
	return setContext(LOCALE, locale);
}

export function useLocale(): LocaleState {
	const locale = getContext<LocaleState | undefined>(LOCALE);
	if (!locale) throw new Error('LocaleState was not provided by the root layout');
	return locale;
}
