import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { formatApduTranscript, parseApduTranscript } from './apdu-transcript';

describe('APDU transcripts', () => {
	it('reads > / < pairs, skipping comments and blank lines', () => {
		const text = '# a comment\n\n> 00 A4 04 0C 02 3F 00\n< 90 00\r\n>00200080\n<63C3\n';
		expect(parseApduTranscript(text)).toEqual([
			{ command: fromHex('00A4040C023F00'), response: fromHex('9000') },
			{ command: fromHex('00200080'), response: fromHex('63C3') }
		]);
	});

	it('refuses broken transcripts with the line number', () => {
		for (const [text, line] of [
			['< 90 00', 1],
			['> 00 A4\n< 90 00', 1],
			['> 00 A4 04 0C\n> 00 A4 04 0C', 2],
			['> 00 A4 04 0C\n< 90', 2],
			['> 00 A4 04 0C\n< 9G 00', 2],
			['x 00', 1],
			['> 00 A4 04 0C', 1]
		] as const) {
			try {
				parseApduTranscript(text);
				throw new Error('accepted');
			} catch (error) {
				expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				expect((error as { details: { line: number } }).details.line).toBe(line);
			}
		}
	});

	it('never writes a command that carries a PIN', () => {
		expect(() => formatApduTranscript([{ command: fromHex('002000800431323334'), response: fromHex('9000') }])).toThrow();
		expect(formatApduTranscript([{ command: fromHex('00200080'), response: fromHex('63C3') }])).toBe('> 00 20 00 80\n< 63 C3\n');
	});

	it('round-trips any exchange list and never throws anything but Malformed on random text', () => {
		const exchange = fc.record({
			command: fc.uint8Array({ minLength: 4, maxLength: 40 }).filter((c) => c.length === 4 || ![0x20, 0x21, 0x24, 0x25, 0x2c, 0x2d].includes(c[1]!)),
			response: fc.uint8Array({ minLength: 2, maxLength: 40 })
		});
		fc.assert(
			fc.property(fc.array(exchange, { maxLength: 10 }), (list) => {
				expect(parseApduTranscript(formatApduTranscript(list, ['x']))).toEqual(list);
			})
		);
		fc.assert(
			fc.property(fc.string({ maxLength: 200 }), (text) => {
				try {
					parseApduTranscript(text);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
