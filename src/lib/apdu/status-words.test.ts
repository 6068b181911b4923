import { describe, expect, it } from 'vitest';
import { ErrorKind, MynaError } from '../errors';
import { ApduStatusError, errorKindForStatusWord, isApduStatusError } from './apdu-status-error';
import {
	describeStatusWord,
	formatStatusWord,
	pinRetriesFromStatusWord,
	StatusWord,
	StatusWordMeanings,
	statusWordCount,
	statusWordPattern
} from './status-words';

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('status word table', () => {
	it.each([
		0x9000, 0x6282, 0x6283, 0x6581, 0x6700, 0x6981, 0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6a80, 0x6a81, 0x6a82, 0x6a86,
		0x6a88, 0x6b00, 0x6d00, 0x6e00, 0x6f00, 0x69fc, 0x6881, 0x6882, 0x6300
	])('has its own entry for %s', (sw) => {
		expect(statusWordPattern(sw)).toBe(formatStatusWord(sw));
	});

	it.each([
		[0x6110, '61XX'],
		[0x6100, '61XX'],
		[0x63c2, '63CX'],
		[0x63c0, '63CX'],
		[0x6c11, '6CXX'],
		[0x6285, '62XX'],
		[0x6999, '69XX'],
		[0x9f10, '9XXX'],
		[0x1234, 'XXXX'],
		[0x10000, 'XXXX'],
		[-1, 'XXXX']
	])('falls back from %s to %s', (sw, pattern) => {
		expect(statusWordPattern(sw)).toBe(pattern);
	});

	it('has a Japanese and an English meaning for every entry', () => {
		for (const [pattern, meaning] of Object.entries(StatusWordMeanings)) {
			expect(meaning.ja, pattern).toMatch(japanese);
			expect(meaning.en.trim(), pattern).not.toBe('');
			expect(meaning.en, pattern).not.toMatch(japanese);
		}
	});
});

describe('describeStatusWord', () => {
	it('speaks natural Japanese by default and English on request', () => {
		expect(describeStatusWord(0x6982)).toBe('セキュリティ条件を満たしていません（暗証番号の照合が必要です）');
		expect(describeStatusWord(0x6982, 'en')).toBe('Security status not satisfied (PIN verification required)');
		expect(describeStatusWord(0x6a82, 'ja')).toBe('ファイルまたはアプリケーションが見つかりません');
		expect(describeStatusWord(StatusWord.Ok, 'en')).toBe('Success');
	});

	it('fills in the count SW2 carries', () => {
		expect(describeStatusWord(0x63c2)).toBe('暗証番号が一致しないか、まだ照合されていません（残り2回）');
		expect(describeStatusWord(0x63c0, 'en')).toBe('PIN wrong or not yet verified (0 tries left)');
		expect(describeStatusWord(0x6110, 'en')).toBe('16 more response bytes are available (fetched with GET RESPONSE)');
		expect(describeStatusWord(0x6100, 'en')).toContain('256 more');
		expect(describeStatusWord(0x6c00)).toContain('正しい長さは256バイトです');
		expect(describeStatusWord(0x6c11, 'en')).toBe('Wrong Le: exactly 17 bytes are available');
	});

	it('names unknown and proprietary status words by their hex', () => {
		expect(describeStatusWord(0x1234, 'en')).toBe('Unknown status 1234');
		expect(describeStatusWord(0x9f10)).toBe('カード独自のステータス（9F10）です');
	});
});

describe('status word helpers', () => {
	it('reads SW2 counts', () => {
		expect(statusWordCount(0x6100)).toBe(256);
		expect(statusWordCount(0x61ff)).toBe(255);
		expect(statusWordCount(0x6c05)).toBe(5);
		expect(statusWordCount(0x63c3)).toBe(3);
		expect(statusWordCount(0x6a82)).toBe(0x82);
	});

	it('reads PIN retries without inventing them', () => {
		expect(pinRetriesFromStatusWord(0x63c3)).toBe(3);
		expect(pinRetriesFromStatusWord(0x63c0)).toBe(0);
		expect(pinRetriesFromStatusWord(0x6983)).toBe(0);
		expect(pinRetriesFromStatusWord(0x6984)).toBe(0);
		expect(pinRetriesFromStatusWord(0x9000)).toBeUndefined();
		expect(pinRetriesFromStatusWord(0x6300)).toBeUndefined();
		expect(pinRetriesFromStatusWord(0x6982)).toBeUndefined();
	});

	it('formats status words as four upper-case hex digits', () => {
		expect(formatStatusWord(0x6a82)).toBe('6A82');
		expect(formatStatusWord(0x0001)).toBe('0001');
	});
});

describe('ApduStatusError', () => {
	it.each([
		[0x6a82, ErrorKind.FileNotFound],
		[0x6982, ErrorKind.SecurityStatus],
		[0x6983, ErrorKind.PinBlocked],
		[0x6984, ErrorKind.PinBlocked],
		[0x63c2, ErrorKind.CardStatus],
		[0x6d00, ErrorKind.CardStatus],
		[0x6a86, ErrorKind.CardStatus]
	])('maps %s to kind %s and carries the SW as a number', (sw, kind) => {
		const error = new ApduStatusError(sw, { ins: 0xa4 });
		expect(error).toBeInstanceOf(MynaError);
		expect(error.kind).toBe(kind);
		expect(errorKindForStatusWord(sw)).toBe(kind);
		expect(error.sw).toBe(sw);
		expect(error.details).toEqual({ sw, ins: 0xa4 });
		expect(error.toData().details).toEqual({ sw, ins: 0xa4 });
		expect(isApduStatusError(error, sw)).toBe(true);
		expect(isApduStatusError(error, 0x9000)).toBe(false);
	});

	it('says the SW and its meaning in its message', () => {
		expect(new ApduStatusError(0x6a82).message).toBe('Card returned SW 6A82: File or application not found');
		expect(new ApduStatusError(0x6a82).details).toEqual({ sw: 0x6a82 });
	});
});
