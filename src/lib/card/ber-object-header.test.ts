import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../apdu';
import { fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { readBerObjectHeader } from './ber-object-header';

describe('readBerObjectHeader', () => {
	it('reads a certificate header (30 82 LL LL) from its first bytes only', () => {
		expect(readBerObjectHeader(fromHex('3082043C3082'), 0x8000)).toEqual({
			tag: 0x30,
			constructed: true,
			headerLength: 4,
			valueLength: 0x43c,
			totalLength: 0x440
		});
	});

	it('accepts the non-minimal long form the card writes (FF 20 82 00 5A) and two-byte private tags', () => {
		expect(readBerObjectHeader(fromHex('FF2082005A'), 4096)).toMatchObject({ tag: 0xff20, headerLength: 5, totalLength: 0x5f });
	});

	it('refuses indefinite lengths, long length fields, oversize objects and truncation', () => {
		for (const hex of ['3080', '308500000001', '30', '3082', 'FF', '1F8001', '00', '1F1E00']) {
			expect(() => readBerObjectHeader(fromHex(hex), 0x8000), hex).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		}
		expect(() => readBerObjectHeader(fromHex('30828000'), 0x7fff)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('agrees with the BER-TLV encoder for every tag and length', () => {
		const tag = fc.oneof(
			fc.integer({ min: 0x01, max: 0x1e }).map((n) => n | 0x20),
			fc.constantFrom(0x30, 0x04, 0x02, 0x7f21, 0xff20, 0xdf22, 0x5f1f),
			fc.integer({ min: 0x1f, max: 0x7f }).map((n) => 0xdf00 | n)
		);
		fc.assert(
			fc.property(tag, fc.integer({ min: 0, max: 40_000 }), (t, length) => {
				const encoded = encodeTlv(t, new Uint8Array(length));
				const header = readBerObjectHeader(encoded.subarray(0, 8), 1 << 20);
				expect(header.tag).toBe(t);
				expect(header.totalLength).toBe(encoded.length);
				expect(header.valueLength).toBe(length);
			})
		);
	});

	it('on any input either returns a header inside its bound or throws Malformed', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 70_000 }), (bytes, max) => {
				try {
					const header = readBerObjectHeader(bytes, max);
					expect(header.headerLength).toBeLessThanOrEqual(Math.min(bytes.length, 8));
					expect(header.totalLength).toBeLessThanOrEqual(max);
					expect(header.totalLength).toBe(header.headerLength + header.valueLength);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
