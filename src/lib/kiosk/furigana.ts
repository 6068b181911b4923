/**
 * Readings (furigana) carried inside a message, in the 青空文庫 ruby notation: `｜暗証番号《あんしょうばんごう》`
 * (U+FF5C before the base, the reading in 《》). The notation uses no `{` or `}`, so it passes through ICU message
 * formatting untouched. `parseFurigana` splits a message into plain text and ruby segments; the kiosk renders
 * the segments as `<ruby>` when furigana are on and as plain text otherwise, and reads the readings aloud.
 *
 * Messages are our own, but the parser is still strict and bounded: a marker that is not a complete, non-empty
 * `｜base《reading》` (or a stray 《 or 》) is an error, so a typo in a message table fails its unit test
 * rather than showing brackets to a resident.
 */

export type FuriganaSegment = { readonly text: string } | { readonly base: string; readonly reading: string };

/** Longest message accepted (the kiosk's longest is a few hundred characters). */
export const FURIGANA_MAX_LENGTH = 4_000;
/** Longest base or reading inside one ruby. */
export const FURIGANA_MAX_RUBY = 32;

const OPEN = '｜';
const READING_OPEN = '《';
const READING_CLOSE = '》';

export class FuriganaSyntaxError extends Error {
	override readonly name = 'FuriganaSyntaxError';
	constructor(
		message: string,
		readonly position: number
	) {
		super(message);
	}
}

export function parseFurigana(source: string): FuriganaSegment[] {
	if (source.length > FURIGANA_MAX_LENGTH) throw new FuriganaSyntaxError('message too long', FURIGANA_MAX_LENGTH);
	const segments: FuriganaSegment[] = [];
	let text = '';
	let i = 0;
	while (i < source.length) {
		const ch = source[i]!;
		if (ch === READING_OPEN || ch === READING_CLOSE) throw new FuriganaSyntaxError(`stray ${ch}`, i);
		if (ch !== OPEN) {
			text += ch;
			i++;
			continue;
		}
		const open = source.indexOf(READING_OPEN, i + 1);
		const close = open < 0 ? -1 : source.indexOf(READING_CLOSE, open + 1);
		if (open < 0 || close < 0) throw new FuriganaSyntaxError('unterminated ruby', i);
		const base = source.slice(i + 1, open);
		const reading = source.slice(open + 1, close);
		if (base.length === 0 || reading.length === 0) throw new FuriganaSyntaxError('empty ruby', i);
		if (base.length > FURIGANA_MAX_RUBY || reading.length > FURIGANA_MAX_RUBY) throw new FuriganaSyntaxError('ruby too long', i);
		for (const part of [base, reading]) {
			if (/[｜《》]/u.test(part)) throw new FuriganaSyntaxError('nested ruby', i);
		}
		if (text) segments.push({ text });
		text = '';
		segments.push({ base, reading });
		i = close + 1;
	}
	if (text) segments.push({ text });
	return segments;
}

/** The text as printed without furigana. */
export function plainText(source: string): string {
	return parseFurigana(source)
		.map((s) => ('text' in s ? s.text : s.base))
		.join('');
}

/** The text with every ruby replaced by its reading: what a speech synthesiser should say. */
export function spokenText(source: string): string {
	return parseFurigana(source)
		.map((s) => ('text' in s ? s.text : s.reading))
		.join('');
}
