import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, isMynaError, MynaError } from '../../errors';
import { decodePort100Frame, encodePort100Frame } from './port100-frame';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

function decodeError(bytes: Uint8Array): MynaError | undefined {
	try {
		decodePort100Frame(bytes);
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	return undefined;
}

describe('Port-100 frames', () => {
	it('encodes a command with its length and data checksums', () => {
		expect(hex(encodePort100Frame(fromHex('d6 2a 01')))).toBe('00 00 ff ff ff 03 00 fd d6 2a 01 ff 00');
		expect(hex(encodePort100Frame(fromHex('d6 00 03 07 0f 07')))).toBe('00 00 ff ff ff 06 00 fa d6 00 03 07 0f 07 0a 00');
		expect(hex(encodePort100Frame(new Uint8Array(0)))).toBe('00 00 ff ff ff 00 00 00 00 00');
		const long = encodePort100Frame(new Uint8Array(290).fill(1));
		expect(hex(long.subarray(0, 8))).toBe('00 00 ff ff ff 22 01 dd');
	});

	it('decodes ACK, the error frame and a data frame', () => {
		expect(decodePort100Frame(fromHex('00 00 ff 00 ff 00'))).toEqual({ type: 'ack' });
		expect(decodePort100Frame(fromHex('00 00 ff ff ff'))).toEqual({ type: 'error' });
		expect(decodePort100Frame(fromHex('00 00 ff ff ff 04 00 fc d7 21 11 01 f6 00'))).toEqual({ type: 'data', data: fromHex('d7 21 11 01') });
	});

	it('rejects a bad DCS, a bad LCS, a wrong length, a missing postamble or stray bytes as Protocol errors', () => {
		const good = '00 00 ff ff ff 04 00 fc d7 21 11 01 f6 00';
		expect(decodeError(fromHex(good))).toBeUndefined();
		const cases: Record<string, string> = {
			'data checksum': '00 00 ff ff ff 04 00 fc d7 21 11 01 f7 00',
			'length checksum': '00 00 ff ff ff 04 00 fd d7 21 11 01 f6 00',
			length: '00 00 ff ff ff 04 00 fc d7 21 11 01 f6 00 00',
			postamble: '00 00 ff ff ff 04 00 fc d7 21 11 01 f6 01',
			preamble: '00 01 ff ff ff 04 00 fc d7 21 11 01 f6 00',
			'not a normal frame': '00 00 ff 00 ff 00 00'
		};
		for (const [reason, bytes] of Object.entries(cases)) {
			const error = decodeError(fromHex(bytes));
			expect(error?.kind, reason).toBe(ErrorKind.Protocol);
			expect(error?.details['port100'], reason).toBe(reason);
		}
	});

	it('round-trips any data', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
				expect(decodePort100Frame(encodePort100Frame(data))).toEqual({ type: 'data', data });
			})
		);
	});

	it('never accepts a frame with any one byte changed', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, xor) => {
				const frame = encodePort100Frame(data);
				const index = at % frame.length;
				frame[index]! ^= xor;
				const error = decodeError(frame);
				expect(error?.kind).toBe(ErrorKind.Protocol);
			})
		);
	});

	it('decodes arbitrary bytes only to a frame or a Protocol error', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				const error = decodeError(bytes);
				if (error) expect(isMynaError(error, ErrorKind.Protocol)).toBe(true);
			})
		);
	});
});
