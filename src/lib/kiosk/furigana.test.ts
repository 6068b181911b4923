import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FURIGANA_MAX_LENGTH, FuriganaSyntaxError, parseFurigana, plainText, spokenText } from './furigana';
import { ja } from '../i18n/messages/kiosk';

describe('parseFurigana', () => {
	it('splits text and ruby', () => {
		expect(parseFurigana('｜暗証番号《あんしょうばんごう》を入力')).toEqual([{ base: '暗証番号', reading: 'あんしょうばんごう' }, { text: 'を入力' }]);
		expect(parseFurigana('カードを｜置《お》いてください')).toEqual([{ text: 'カードを' }, { base: '置', reading: 'お' }, { text: 'いてください' }]);
	});

	it('plain and spoken forms', () => {
		const s = '｜電子証明書《でんししょうめいしょ》の｜有効期限《ゆうこうきげん》';
		expect(plainText(s)).toBe('電子証明書の有効期限');
		expect(spokenText(s)).toBe('でんししょうめいしょのゆうこうきげん');
		expect(plainText('English text, no ruby.')).toBe('English text, no ruby.');
	});

	it.each(['｜暗証番号', '｜暗証番号《あんしょう', '｜《よみ》', '｜漢字《》', 'stray 》', 'stray 《 too', '｜a｜b《c》'])('refuses %s', (bad) => {
		expect(() => parseFurigana(bad)).toThrow(FuriganaSyntaxError);
	});

	it('refuses over-long input', () => {
		expect(() => parseFurigana('あ'.repeat(FURIGANA_MAX_LENGTH + 1))).toThrow(FuriganaSyntaxError);
	});

	it('every kiosk message parses (a typo would show brackets to a resident)', () => {
		for (const [key, value] of Object.entries(ja)) {
			expect(() => parseFurigana(value), key).not.toThrow();
		}
	});
});

const plainChar = fc.string({ maxLength: 12 }).map((s) => s.replace(/[｜《》]/gu, ''));
const rubyPart = fc.string({ minLength: 1, maxLength: 8 }).map((s) => s.replace(/[｜《》]/gu, 'x'));

describe('parseFurigana properties', () => {
	it('round-trips generated messages: plain text is the bases, spoken text the readings', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(plainChar, rubyPart, rubyPart), { maxLength: 8 }), plainChar, (parts, tail) => {
				const source = parts.map(([t, b, r]) => `${t}｜${b}《${r}》`).join('') + tail;
				expect(plainText(source)).toBe(parts.map(([t, b]) => t + b).join('') + tail);
				expect(spokenText(source)).toBe(parts.map(([t, , r]) => t + r).join('') + tail);
			})
		);
	});

	it('any string either parses into segments that rebuild it, or throws only FuriganaSyntaxError', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom('a', '漢', '｜', '《', '》', 'か') }), (s) => {
				try {
					const rebuilt = parseFurigana(s)
						.map((seg) => ('text' in seg ? seg.text : `｜${seg.base}《${seg.reading}》`))
						.join('');
					expect(rebuilt).toBe(s);
				} catch (error) {
					expect(error).toBeInstanceOf(FuriganaSyntaxError);
				}
			})
		);
	});
});
