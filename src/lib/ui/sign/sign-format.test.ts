import { describe, expect, it } from 'vitest';
import { certificatePem, ChallengeFormat, formatFileSize, groupedHex, MAX_CHALLENGE_BYTES, parseChallenge, randomChallengeHex, toBase64 } from './sign-format';

describe('challenge input', () => {
	it('takes text as UTF-8 and hex with spaces and colons', () => {
		expect(parseChallenge('あa', ChallengeFormat.Text)).toEqual({ ok: true, bytes: Uint8Array.of(0xe3, 0x81, 0x82, 0x61) });
		expect(parseChallenge('0a:FF 10', ChallengeFormat.Hex)).toEqual({ ok: true, bytes: Uint8Array.of(0x0a, 0xff, 0x10) });
	});

	it('names what is wrong', () => {
		expect(parseChallenge('', ChallengeFormat.Text)).toEqual({ ok: false, problem: 'empty' });
		expect(parseChallenge(' : ', ChallengeFormat.Hex)).toEqual({ ok: false, problem: 'empty' });
		expect(parseChallenge('abc', ChallengeFormat.Hex)).toEqual({ ok: false, problem: 'hex' });
		expect(parseChallenge('zz', ChallengeFormat.Hex)).toEqual({ ok: false, problem: 'hex' });
		expect(parseChallenge('a'.repeat(MAX_CHALLENGE_BYTES + 1), ChallengeFormat.Text)).toEqual({ ok: false, problem: 'too-long' });
	});

	it('makes 32 random bytes as hex', () => {
		const hex = randomChallengeHex();
		expect(hex).toMatch(/^[0-9a-f]{64}$/);
		expect(randomChallengeHex()).not.toBe(hex);
	});
});

describe('output formats', () => {
	it('Base64 matches Node for any length, including large inputs', () => {
		for (const length of [0, 1, 2, 3, 256, 70_000]) {
			const bytes = Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff);
			expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
		}
	});

	it('PEM has 64-character lines between the markers', () => {
		const pem = certificatePem(new Uint8Array(100).fill(0xab));
		const lines = pem.split('\n');
		expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
		expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
		expect(lines.slice(1, -1).map((l) => l.length)).toEqual([64, 64, 8]);
		expect(Buffer.from(lines.slice(1, -1).join(''), 'base64')).toEqual(Buffer.alloc(100, 0xab));
	});

	it('groups a digest in 4-byte blocks, upper case', () => {
		expect(groupedHex(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x01))).toBe('DEADBEEF 01');
	});

	it('formats sizes in both languages', () => {
		expect(formatFileSize(12, 'en-GB')).toBe('12 bytes');
		expect(formatFileSize(1536, 'en-GB')).toBe('1.5 kB');
		expect(formatFileSize(3 * 1024 * 1024, 'ja-JP')).toBe('3 MB');
	});
});
