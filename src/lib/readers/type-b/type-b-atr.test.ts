import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { buildTypeBAtr, parseTypeBAtr } from './type-b-atr';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

describe('PC/SC Part 3 ATR for a Type B card', () => {
	it('builds the reader-manual example 3B 88 80 01 1C 2D 94 11 F7 71 85 00 BE', () => {
		const atr = buildTypeBAtr({ applicationData: fromHex('1c 2d 94 11'), protocolInfo: fromHex('f7 71 85'), mbli: 0 });
		expect(hex(atr)).toBe('3b 88 80 01 1c 2d 94 11 f7 71 85 00 be');
		expect(parseTypeBAtr(atr)).toEqual({ applicationData: fromHex('1c 2d 94 11'), protocolInfo: fromHex('f7 71 85'), mbli: 0 });
	});

	it('round-trips, and refuses an ATR with a bad TCK or another form', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 15 }), fc.nat(12), (applicationData, protocolInfo, mbli, at) => {
				const atr = buildTypeBAtr({ applicationData, protocolInfo, mbli });
				expect(parseTypeBAtr(atr)).toEqual({ applicationData, protocolInfo, mbli });
				const damaged = atr.slice();
				damaged[at]! ^= 0x01;
				expect(parseTypeBAtr(damaged)).toBeUndefined();
			})
		);
		expect(parseTypeBAtr(fromHex('3b 8f 80 01 80 4f 0c a0 00 00 03 06 03 00 01 00 00 00 00 6a'))).toBeUndefined();
	});
});
