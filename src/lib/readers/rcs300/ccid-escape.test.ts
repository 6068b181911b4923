import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { encodePcToRdrEscape, parseRdrToPcEscape } from './ccid-escape';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

function parseError(bytes: Uint8Array): MynaError | undefined {
	try {
		parseRdrToPcEscape(bytes);
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	return undefined;
}

describe('CCID Escape framing', () => {
	it('frames PC_to_RDR_Escape with dwLength, slot 0 and bSeq', () => {
		expect(hex(encodePcToRdrEscape(5, fromHex('ff 50 00 00 02 81 00 00')))).toBe('6b 08 00 00 00 00 05 00 00 00 ff 50 00 00 02 81 00 00');
		expect(hex(encodePcToRdrEscape(0xff, new Uint8Array(300)).subarray(0, 10))).toBe('6b 2c 01 00 00 00 ff 00 00 00');
	});

	it('parses RDR_to_PC_Escape and its status fields', () => {
		expect(parseRdrToPcEscape(fromHex('83 02 00 00 00 00 07 00 00 00 90 00'))).toEqual({
			slot: 0,
			seq: 7,
			commandStatus: 0,
			iccStatus: 0,
			error: 0,
			payload: fromHex('90 00')
		});
		expect(parseRdrToPcEscape(fromHex('83 00 00 00 00 00 01 40 e0 00'))).toMatchObject({ commandStatus: 1, error: 0xe0 });
		expect(parseRdrToPcEscape(fromHex('83 00 00 00 00 00 01 82 01 00'))).toMatchObject({ commandStatus: 2, iccStatus: 2 });
	});

	it('rejects a wrong message type, a dwLength that differs from the data, RFU status bits, and short headers', () => {
		for (const bad of ['80 00 00 00 00 00 00 00 00 00', '83 03 00 00 00 00 00 00 00 00 90 00', '83 01 00 00 00 00 00 00 00 00 90 00', '83 00 00 00 00 00 00 04 00 00', '83 00 00 00 00 00 00 c0 00 00', '83 00 00 00']) {
			expect(parseError(fromHex(bad))?.kind, bad).toBe(ErrorKind.Protocol);
		}
	});

	it('parses any bytes only to a message whose payload length is dwLength, or to a Protocol error', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (bytes, typed) => {
				if (typed && bytes.length > 0) bytes[0] = 0x83;
				const error = parseError(bytes);
				if (error) expect(error.kind).toBe(ErrorKind.Protocol);
				else expect(parseRdrToPcEscape(bytes).payload.length).toBe(bytes[1]);
			})
		);
	});
});
