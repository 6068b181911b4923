import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { DerCursor, integerBytes, oidString, readRoot, readTlv, Tag, validateDer } from './der';
import { Der, encodeLength } from './der-writer';
import { timeSeconds } from './time';

function malformedOnly(work: () => unknown): void {
	try {
		work();
	} catch (error) {
		if (!isMynaError(error, ErrorKind.Malformed)) throw error;
	}
}

describe('DER reader', () => {
	it('reads short and long definite lengths', () => {
		expect(readTlv(fromHex('04 02 aa bb'), 0, 4)).toEqual({ tag: 4, start: 0, valueStart: 2, end: 4 });
		const long = new Uint8Array(3 + 200);
		long.set([0x04, 0x81, 200]);
		expect(readTlv(long, 0, long.length).end).toBe(203);
	});

	it.each([
		['indefinite length', '30 80 00 00'],
		['non-minimal long form', '04 81 05 0102030405'],
		['leading zero length byte', '04 82 00 85'],
		['truncated value', '04 05 0102'],
		['truncated header', '04'],
		['multi-byte tag', '1f 81 00'],
		['five length bytes', '04 85 0000000001 00']
	])('refuses %s', (_what, hex) => {
		const bytes = fromHex(hex);
		expect(() => readTlv(bytes, 0, bytes.length)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('checks INTEGER minimality and decodes OIDs strictly', () => {
		const ok = fromHex('02 02 00 80');
		expect(integerBytes(ok, readRoot(ok, Tag.Integer, 'x'))).toEqual(fromHex('0080'));
		for (const bad of ['02 02 00 7f', '02 02 ff 80', '02 00']) {
			const bytes = fromHex(bad);
			expect(() => integerBytes(bytes, readRoot(bytes, Tag.Integer, 'x'))).toThrow();
		}
		const oid = Der.oid('1.2.392.200149.8.5.5.4');
		expect(oidString(oid, readRoot(oid, Tag.Oid, 'oid'))).toBe('1.2.392.200149.8.5.5.4');
		const nonMinimal = fromHex('06 03 2a 80 01');
		expect(() => oidString(nonMinimal, readRoot(nonMinimal, Tag.Oid, 'oid'))).toThrow();
	});

	it('validates nesting iteratively and refuses BER constructed strings and deep input', () => {
		expect(validateDer(Der.sequence(Der.set(Der.integer(1)), Der.octetString(fromHex('00'))))).toBe(4);
		expect(() => validateDer(fromHex('24 03 04 01 00'))).toThrow();
		let deep: Uint8Array = Der.null();
		for (let i = 0; i < 40; i++) deep = Der.sequence(deep);
		expect(() => validateDer(deep)).toThrow(/nested too deeply/);
		const cursor = DerCursor.inside(deep, readTlv(deep, 0, deep.length));
		expect(cursor.next(Tag.Sequence, 'child').tag).toBe(Tag.Sequence);
		cursor.finish('outer');
	});

	it('reads RFC 5280 times only in their strict forms', () => {
		const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
		const t = text('491231235959Z');
		expect(timeSeconds(t, Tag.UtcTime, 0, t.length)).toBe(Date.UTC(2049, 11, 31, 23, 59, 59) / 1000);
		const u = text('500101000000Z');
		expect(timeSeconds(u, Tag.UtcTime, 0, u.length)).toBe(Date.UTC(1950, 0, 1) / 1000);
		for (const bad of ['4912312359Z', '491231235959+0900', '490230000000Z', '491231245959Z']) {
			const b = text(bad);
			expect(timeSeconds(b, Tag.UtcTime, 0, b.length)).toBe(-1);
		}
		const g = text('20500101000000Z');
		expect(timeSeconds(g, Tag.GeneralizedTime, 0, g.length)).toBe(Date.UTC(2050, 0, 1) / 1000);
		const frac = text('20500101000000.5Z');
		expect(timeSeconds(frac, Tag.GeneralizedTime, 0, frac.length)).toBe(-1);
	});

	it('property: random bytes never throw anything but Malformed', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
				malformedOnly(() => validateDer(bytes));
				malformedOnly(() => readTlv(bytes, 0, bytes.length));
			}),
			{ numRuns: 2000 }
		);
	});

	it('property: encoded lengths round-trip', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 0xffffff }), (length) => {
				const header = Uint8Array.of(0x04, ...encodeLength(length));
				const bytes = new Uint8Array(header.length + length);
				bytes.set(header);
				const tlv = readTlv(bytes, 0, bytes.length);
				return tlv.end - tlv.valueStart === length && tlv.end === bytes.length;
			}),
			{ numRuns: 300 }
		);
	});

	it('walks in time linear in the input, whatever its shape', () => {
		const flat = (n: number) => Der.sequence(new Uint8Array(n * 2).fill(0x05).map((b, i) => (i % 2 ? 0 : b)));
		const time = (bytes: Uint8Array) => {
			const start = performance.now();
			for (let i = 0; i < 5; i++) validateDer(bytes);
			return performance.now() - start;
		};
		time(flat(1000));
		const small = time(flat(20_000));
		const large = time(flat(160_000));
		// 8× the input: allow generous noise, but not quadratic growth (which would be 64×).
		expect(large / Math.max(small, 0.5)).toBeLessThan(24);
	});
});
