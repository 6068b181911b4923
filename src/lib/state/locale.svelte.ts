import { Locale, translate, type MessageKey } from '../i18n';

/** The UI language. Japanese by default; the choice is kept only for this tab (nothing is stored). */
export class LocaleState {
	current: Locale = $state(Locale.Ja);

	t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.current, key, params);

	toggle = (): void => {
		this.current = this.current === Locale.Ja ? Locale.En : Locale.Ja;
		if (typeof document !== 'undefined') document.documentElement.lang = this.current;
	};
}
