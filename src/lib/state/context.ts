import { getContext, setContext } from 'svelte';
import type { AppServices } from './app-services.svelte';
import type { LocaleState } from './locale.svelte';

const LOCALE = Symbol('locale');
const SERVICES = Symbol('services');

export function provideLocale(locale: LocaleState): LocaleState {
	return setContext(LOCALE, locale);
}

export function useLocale(): LocaleState {
	const locale = getContext<LocaleState | undefined>(LOCALE);
	if (!locale) throw new Error('LocaleState was not provided by the root layout');
	return locale;
}

export function provideServices(services: AppServices): AppServices {
	return setContext(SERVICES, services);
}

export function useServices(): AppServices {
	const services = getContext<AppServices | undefined>(SERVICES);
	if (!services) throw new Error('AppServices was not provided by the root layout');
	return services;
}
