import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { encodeAttrib, encodeHltb, isHltbResponse, parseAttribResponse } from './attrib';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

describe('ATTRIB and HLTB', () => {
	it('encodes ATTRIB 1D PUPI 00 <FSDI> <protocol type> <CID>', () => {
		expect(hex(encodeAttrib({ pupi: fromHex('11 22 33 44'), fsdi: 8, protocolType: 1, cid: 0 }))).toBe('1d 11 22 33 44 00 08 01 00');
		expect(hex(encodeAttrib({ pupi: fromHex('01 02 03 04'), fsdi: 7, protocolType: 1, cid: 2, dsi: 1, dri: 2 }))).toBe('1d 01 02 03 04 00 67 01 02');
		expect(() => encodeAttrib({ pupi: fromHex('11 22 33'), fsdi: 8, protocolType: 1, cid: 0 })).toThrow(MynaError);
		expect(() => encodeAttrib({ pupi: fromHex('11 22 33 44'), fsdi: 9, protocolType: 1, cid: 0 })).toThrow(MynaError);
	});

	it('checks the ATTRIB answer: MBLI and the CID that was assigned', () => {
		expect(parseAttribResponse(fromHex('10'), 0)).toEqual({ mbli: 1, cid: 0, higherLayerResponse: new Uint8Array(0) });
		expect(parseAttribResponse(fromHex('02 aa'), 2)).toEqual({ mbli: 0, cid: 2, higherLayerResponse: fromHex('aa') });
		for (const [bytes, cid] of [['', 0], ['01', 0]] as const) {
			let error: unknown;
			try {
				parseAttribResponse(fromHex(bytes), cid);
			} catch (caught) {
				error = caught;
			}
			expect(error instanceof MynaError && error.kind === ErrorKind.Protocol).toBe(true);
		}
	});

	it('accepts any answer whose CID nibble matches, and nothing else', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 8 }), fc.integer({ min: 0, max: 14 }), (bytes, cid) => {
				let ok = true;
				try {
					parseAttribResponse(bytes, cid);
				} catch (error) {
					expect(error instanceof MynaError && error.kind === ErrorKind.Protocol).toBe(true);
					ok = false;
				}
				expect(ok).toBe(bytes.length > 0 && (bytes[0]! & 0x0f) === cid);
			})
		);
	});

	it('encodes HLTB and recognises its answer', () => {
		expect(hex(encodeHltb(fromHex('11 22 33 44')))).toBe('50 11 22 33 44');
		expect(isHltbResponse(fromHex('00'))).toBe(true);
		expect(isHltbResponse(fromHex('00 00'))).toBe(false);
	});
});
