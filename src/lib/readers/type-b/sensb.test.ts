import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { frameWaitingTimeMs } from '../iso-dep/iso-dep-parameters';
import { encodeSensbReq, parseSensbRes } from './sensb';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

function parseError(bytes: Uint8Array): MynaError | undefined {
	try {
		parseSensbRes(bytes);
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	return undefined;
}

describe('SENSB_REQ / SENSB_RES', () => {
	it('encodes WUPB by default and REQB on request, one slot', () => {
		expect(hex(encodeSensbReq())).toBe('05 00 08');
		expect(hex(encodeSensbReq({ wakeUp: false }))).toBe('05 00 00');
		expect(hex(encodeSensbReq({ afi: 0x10 }))).toBe('05 10 08');
	});

	it('reads PUPI, application data and protocol info: FSCI → FSC, FWI → FWT, FO bits', () => {
		const res = parseSensbRes(fromHex('50 11 22 33 44 1c 2d 94 11 f7 71 85'));
		expect(hex(res.pupi)).toBe('11 22 33 44');
		expect(hex(res.applicationData)).toBe('1c 2d 94 11');
		expect(res).toMatchObject({ bitRateCapability: 0xf7, fsci: 7, fsc: 128, protocolType: 1, iso14443_4: true, fwi: 8, adc: 1, nadSupported: false, cidSupported: true, sfgi: 0, sfgtMs: 0 });
		expect(res.fwtMs).toBeCloseTo(77.33, 2);
	});

	it('reads FSCI above 8 as 256, FWI 15 as 4, and SFGI from an extended SENSB_RES', () => {
		const res = parseSensbRes(fromHex('50 00 00 00 00 00 00 00 00 00 c1 f0 a0'));
		expect(res.fsc).toBe(256);
		expect(res.fwtMs).toBe(frameWaitingTimeMs(4));
		expect(res.sfgi).toBe(10);
		expect(res.sfgtMs).toBeCloseTo(309.3, 1);
	});

	it('rejects other lengths, another first byte and protocol type b4', () => {
		for (const bad of ['50 00 00 00 00 00 00 00 00 00 81', '50' + ' 00'.repeat(13), '51 00 00 00 00 00 00 00 00 00 81 00', '50 00 00 00 00 00 00 00 00 00 89 00']) {
			expect(parseError(fromHex(bad))?.kind, bad).toBe(ErrorKind.Protocol);
		}
	});

	it('parses any bytes to fields consistent with them, or to a Protocol error', () => {
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ minLength: 11, maxLength: 12 }).map((rest) => concatBytes(Uint8Array.of(0x50), rest))), (bytes) => {
				const error = parseError(bytes);
				if (error) {
					expect(error.kind).toBe(ErrorKind.Protocol);
					return;
				}
				const res = parseSensbRes(bytes);
				expect(hex(concatBytes(Uint8Array.of(0x50), res.pupi, res.applicationData, res.protocolInfo))).toBe(hex(bytes));
				expect(res.fsc).toBeGreaterThanOrEqual(16);
				expect(res.fsc).toBeLessThanOrEqual(256);
				expect(res.fwtMs).toBeLessThanOrEqual(frameWaitingTimeMs(14));
			})
		);
	});
});
