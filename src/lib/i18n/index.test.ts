import { describe, expect, it } from 'vitest';
import { translate } from './index';
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
