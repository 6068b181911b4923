import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from './index';
import { en, ja } from './messages';

describe('translate', () => {
	it('fills placeholders in both languages', () => {
		expect(translate('ja', 'workers.ready', { version: '1.2.3', ms: 12 })).toBe('応答あり（バージョン 1.2.3、12 ミリ秒）');
		expect(translate('en', 'workers.ready', { version: '1.2.3', ms: 12 })).toBe('Answered (version 1.2.3, 12 ms)');
	});

	it('leaves an unknown placeholder visible rather than inventing a value', () => {
		expect(translate('en', 'workers.ready', { version: '1' })).toBe('Answered (version 1, {ms} ms)');
	});

	it('has every English message filled in', () => {
		for (const key of Object.keys(ja) as (keyof typeof ja)[]) expect(en[key].trim()).not.toBe('');
	});

	it('keeps the kiosk tables out of the tables every page loads; they come with the kiosk route, English filled in', async () => {
		const tables = [await import('./messages/kiosk'), await import('./messages/kiosk-operator')];
		const kioskKey = Object.keys(tables[0]!.ja)[0]!;
		expect(kioskKey in ja).toBe(false);
		expect(translate('ja', kioskKey as MessageKey)).toBe(kioskKey);
		await import('./kiosk-messages');
		expect(translate('ja', kioskKey as MessageKey)).toBe((tables[0]!.ja as Record<string, string>)[kioskKey]);
		for (const table of tables) {
			for (const key of Object.keys(table.ja)) expect((table.en as Record<string, string>)[key]?.trim(), key).not.toBe('');
		}
	});
});

describe('error messages', () => {
	it('has a Japanese and an English message for every error kind', async () => {
		const { ErrorKind } = await import('../errors');
		const { errorMessageKey } = await import('./index');
		for (const kind of Object.values(ErrorKind)) {
			const key = errorMessageKey(kind);
			expect(key, kind).toBe(`error.${kind}`);
			expect(translate('ja', key)).not.toBe('');
			expect(translate('en', key)).not.toBe('');
		}
	});
});
