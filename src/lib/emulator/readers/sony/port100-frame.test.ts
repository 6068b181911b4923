import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../bytes';
import { PORT100_ACK, Port100FrameError, encodePort100Frame, parsePort100Frame, port100Checksum } from './port100-frame';

describe('Port-100 frames', () => {
	it('encodes LEN little-endian with LCS and DCS (nfcpy test vector for "12")', () => {
		expect(toHex(encodePort100Frame(fromHex('3132')))).toBe('0000ffffff0200fe31329d00');
		expect(toHex(encodePort100Frame(fromHex('d620')))).toBe('0000ffffff0200fed6200a00');
	});

	it('decodes data, ACK and error frames', () => {
		expect(parsePort100Frame(fromHex('0000ffffff0200fe31329d00'))).toEqual({ ok: true, frame: { type: 'data', data: fromHex('3132') } });
		expect(parsePort100Frame(PORT100_ACK)).toEqual({ ok: true, frame: { type: 'ack' } });
		expect(parsePort100Frame(fromHex('0000ffffff'))).toEqual({ ok: true, frame: { type: 'error' } });
	});

	it.each([
		['0000ff', Port100FrameError.tooShort],
		['0000ff01ff7f8100', Port100FrameError.badStart],
		['0000ffffff0200ff31329d00', Port100FrameError.badLengthChecksum],
		['0000ffffff000000', Port100FrameError.emptyData],
		['0000ffffff0200fe31329c00', Port100FrameError.badDataChecksum],
		['0000ffffff0200fe31329d01', Port100FrameError.badPostamble],
		['0000ffffff0200fe31329d', Port100FrameError.lengthMismatch],
		['0000ffffff0200fe31329d0000', Port100FrameError.lengthMismatch]
	])('rejects %s (%s)', (hex, reason) => {
		expect(parsePort100Frame(fromHex(hex))).toEqual({ ok: false, reason });
	});

	it('refuses LEN above the chip buffer before reading the data', () => {
		const frame = encodePort100Frame(new Uint8Array(300));
		expect(parsePort100Frame(frame, 294)).toEqual({ ok: false, reason: Port100FrameError.tooLong });
	});

	it('round-trips any data and makes the checksums sum to zero', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), (data) => {
				const frame = encodePort100Frame(data);
				expect(parsePort100Frame(frame)).toEqual({ ok: true, frame: { type: 'data', data } });
				expect((frame[5]! + frame[6]! + frame[7]!) & 0xff).toBe(0);
				expect((port100Checksum(data) + data.reduce((a, b) => a + b, 0)) & 0xff).toBe(0);
			})
		);
	});

	it('answers any bytes with a frame or a typed error, never a throw', () => {
		const reasons = Object.values(Port100FrameError) as string[];
		const nearFrames = fc.uint8Array({ maxLength: 30 }).map((tail) => Uint8Array.from([0, 0, 0xff, 0xff, 0xff, ...tail]));
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), nearFrames), (bytes) => {
				const parsed = parsePort100Frame(bytes);
				if (!parsed.ok) expect(reasons).toContain(parsed.reason);
			}),
			{ numRuns: 3000 }
		);
	});
});
