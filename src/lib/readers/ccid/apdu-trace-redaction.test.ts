import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { redactApduForTrace } from './apdu-trace-redaction';

const redact = (hex: string) => {
	const out = redactApduForTrace(fromHex(hex));
	return out && toHex(out, ' ');
};

describe('redactApduForTrace', () => {
	it('masks the PIN of VERIFY and both PINs of CHANGE REFERENCE DATA, keeping header, Lc and Le', () => {
		expect(redact('00 20 00 81 04 31 32 33 34')).toBe('00 20 00 81 04 2a 2a 2a 2a');
		expect(redact('00 24 01 81 08 31 32 33 34 35 36 37 38')).toBe('00 24 01 81 08 2a 2a 2a 2a 2a 2a 2a 2a');
		expect(redact('00 20 00 81 02 31 32 00')).toBe('00 20 00 81 02 2a 2a 00');
		expect(redact('00 2C 00 81 00 00 02 31 32')).toBe('00 2c 00 81 00 00 02 2a 2a');
	});

	it('leaves commands without reference data alone, the empty VERIFY included', () => {
		expect(redact('00 20 00 80')).toBeUndefined();
		expect(redact('00 20 00 80 00')).toBeUndefined();
		expect(redact('00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01')).toBeUndefined();
		expect(redact('00 20 00 81 00 00 00')).toBeUndefined();
	});

	it('masks everything after the header when a secret-bearing command does not parse', () => {
		expect(redact('00 20 00 81 08 31 32')).toBe('00 20 00 81 2a 2a 2a');
		expect(redact('00 20 00 81 00 31 32 33')).toBe('00 20 00 81 2a 2a 2a 2a');
		expect(redact('00 20 00 81 02 31 32 33 34')).toBe('00 20 00 81 2a 2a 2a 2a 2a');
	});

	it('never lets a data byte of a VERIFY through, whatever its length (property)', () => {
		fc.assert(
			fc.property(fc.constantFrom(0x20, 0x21, 0x24, 0x25, 0x2c), fc.uint8Array({ minLength: 1, maxLength: 300 }), (ins, secret) => {
				fc.pre(secret.length <= 255);
				const apdu = Uint8Array.of(0x00, ins, 0x00, 0x81, secret.length, ...secret.map(() => 0x39));
				const masked = redactApduForTrace(apdu)!;
				expect(masked.subarray(5).every((b) => b === 0x2a)).toBe(true);
				expect(toHex(masked.subarray(0, 5))).toBe(toHex(apdu.subarray(0, 5)));
			})
		);
	});
});
