import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from '../bytes';
import { CardKind, classifyTokenLabel, JpkiTokenLabel, parseTokenLabel } from './jpki-token-info';

function padded(label: string, pad: number, length = 32): Uint8Array {
	const out = new Uint8Array(length).fill(pad);
	out.set(asciiBytes(label));
	return out;
}

describe('JPKI token label', () => {
	it('tells the four known labels apart, whatever the padding', () => {
		for (const pad of [0x20, 0x00]) {
			expect(classifyTokenLabel(parseTokenLabel(padded('JPKIAPICCTOKEN2', pad)))).toEqual({ kind: CardKind.MyNumberCard });
			expect(classifyTokenLabel(parseTokenLabel(padded('JPKIAPICCTOKEN', pad)))).toEqual({ kind: CardKind.JukiCard });
			expect(classifyTokenLabel(parseTokenLabel(padded('JPKIAPGPSETOKEN', pad)))).toEqual({ kind: CardKind.PhoneToken, platform: 'android' });
			expect(classifyTokenLabel(parseTokenLabel(padded('JPKIAPIOSTOKEN', pad)))).toEqual({ kind: CardKind.PhoneToken, platform: 'ios' });
		}
	});

	it('reads only the first 32 bytes (the rest of the 160-byte record is other fields)', () => {
		const record = concatBytes(padded('JPKIAPICCTOKEN2', 0x20), asciiBytes('JPKI TEST EMULATOR'));
		expect(parseTokenLabel(record)).toBe('JPKIAPICCTOKEN2');
	});

	it('does not take a prefix or a longer label for a known one', () => {
		expect(classifyTokenLabel(parseTokenLabel(padded('JPKIAPICCTOKEN22', 0x20))).kind).toBe(CardKind.UnknownJpkiToken);
		expect(classifyTokenLabel(parseTokenLabel(padded('JPKIAPICC', 0x20))).kind).toBe(CardKind.UnknownJpkiToken);
		expect(classifyTokenLabel(parseTokenLabel(new Uint8Array(32))).kind).toBe(CardKind.UnknownJpkiToken);
		expect(parseTokenLabel(Uint8Array.of(0x4a, 0xff, 0x4b))).toBeUndefined();
	});

	it('never throws and only ever returns printable ASCII of at most 32 characters', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
				const label = parseTokenLabel(bytes);
				if (label !== undefined) {
					expect(label.length).toBeLessThanOrEqual(32);
					expect(label).toMatch(/^[\x20-\x7e]*[\x21-\x7e]$/);
				}
				expect(Object.values(CardKind)).toContain(classifyTokenLabel(label).kind);
			})
		);
	});

	it('finds a known label under any padding length', () => {
		fc.assert(
			fc.property(fc.constantFrom(...Object.values(JpkiTokenLabel)), fc.constantFrom(0x20, 0x00), fc.integer({ min: 0, max: 17 }), (label, pad, extra) => {
				const bytes = padded(label, pad, label.length + extra);
				expect(parseTokenLabel(bytes)).toBe(label);
			})
		);
	});
});
