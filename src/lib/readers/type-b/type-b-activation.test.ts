import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { IsoDepTiming } from '../iso-dep/iso-dep-parameters';
import type { IsoDepFrameExchange } from '../iso-dep/iso-dep-protocol';
import { rfTimeoutError, rfTransmissionError } from '../iso-dep/rf-link-error';
import { activateTypeB, pollTypeB } from './type-b-activation';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');
const LIMITS = { maxSendFrame: 288, maxReceiveFrame: 285 };

function scripted(replies: (string | 'timeout' | 'garbled')[]) {
	const sent: string[] = [];
	const waits: number[] = [];
	const exchange: IsoDepFrameExchange = async (frame, timeoutMs) => {
		sent.push(hex(frame));
		waits.push(timeoutMs);
		const reply = replies.shift();
		if (reply === undefined) throw new Error('unexpected frame ' + hex(frame));
		if (reply === 'timeout') throw rfTimeoutError();
		if (reply === 'garbled') throw rfTransmissionError('crc');
		return fromHex(reply);
	};
	return { exchange, sent, waits };
}

async function rejection(promise: Promise<unknown>): Promise<MynaError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	throw new Error('expected a rejection');
}

describe('Type B activation', () => {
	it('sends WUPB, then ATTRIB with FSDI 8 and CID 0 waiting FWT + ΔFWT, and derives the ISO-DEP parameters', async () => {
		const link = scripted(['50 11 22 33 44 aa bb cc dd 00 71 81', '10']);
		const activation = await activateTypeB(link.exchange, LIMITS);
		expect(link.sent).toEqual(['05 00 08', '1d 11 22 33 44 00 08 01 00']);
		expect(link.waits[0]).toBe(30);
		expect(link.waits[1]).toBeCloseTo((4096 * 2 ** 8) / 13_560 + IsoDepTiming.deltaFwtMs, 6);
		expect(activation).toMatchObject({ mbli: 1, activatedBy: 'host', isoDep: { fsc: 128, fsd: 256 } });
		expect(activation!.isoDep.cid).toBeUndefined();
		expect(hex(activation!.atr)).toBe('3b 88 80 01 aa bb cc dd 00 71 81 10 ' + toHex(Uint8Array.of(0x88 ^ 0x80 ^ 0x01 ^ 0xaa ^ 0xbb ^ 0xcc ^ 0xdd ^ 0x71 ^ 0x81 ^ 0x10)));
	});

	it('asks for FSD 128 when the reader cannot take 256-byte frames', async () => {
		const link = scripted(['50 11 22 33 44 00 00 00 00 00 81 40', '00']);
		await activateTypeB(link.exchange, { maxSendFrame: 200, maxReceiveFrame: 200 });
		expect(link.sent[1]).toBe('1d 11 22 33 44 00 07 01 00');
	});

	it('resolves undefined when no card answers, and asks once more after a damaged answer', async () => {
		expect(await activateTypeB(scripted(['timeout']).exchange, LIMITS)).toBeUndefined();
		const link = scripted(['garbled', '50 11 22 33 44 00 00 00 00 00 81 40', '00']);
		expect(await activateTypeB(link.exchange, LIMITS)).toBeDefined();
		expect(link.sent).toEqual(['05 00 08', '05 00 08', '1d 11 22 33 44 00 08 01 00']);
		expect((await rejection(pollTypeB(scripted(['garbled', '51 00']).exchange))).kind).toBe(ErrorKind.Protocol);
	});

	it('reports a card that ignores ATTRIB as CardMute, one that is not ISO 14443-4 as NotMynaCard, a wrong CID as Protocol', async () => {
		expect((await rejection(activateTypeB(scripted(['50 11 22 33 44 00 00 00 00 00 81 40', 'timeout']).exchange, LIMITS))).kind).toBe(ErrorKind.CardMute);
		expect((await rejection(activateTypeB(scripted(['50 11 22 33 44 00 00 00 00 00 80 40']).exchange, LIMITS))).kind).toBe(ErrorKind.NotMynaCard);
		expect((await rejection(activateTypeB(scripted(['50 11 22 33 44 00 00 00 00 00 81 40', '03']).exchange, LIMITS))).kind).toBe(ErrorKind.Protocol);
	});

	it('waits the card’s SFGT after ATTRIB', async () => {
		// SFGI 6: 4096/fc × 64 = 19.3 ms.
		const link = scripted(['50 11 22 33 44 00 00 00 00 00 81 40 60', '00']);
		const started = performance.now();
		await activateTypeB(link.exchange, LIMITS);
		expect(performance.now() - started).toBeGreaterThanOrEqual(15);
	});
});
