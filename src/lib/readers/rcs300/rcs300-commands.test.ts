import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { RfFailure, rfFailureOf } from '../iso-dep/rf-link-error';
import {
	checkManageSessionAnswer,
	parseSwitchProtocolAnswer,
	parseTransceiveAnswer,
	Rcs300Payload,
	switchProtocolPayload,
	transceivePayload
} from './rcs300-commands';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');

function failure(run: () => unknown): MynaError {
	try {
		run();
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	throw new Error('expected an error');
}

describe('RC-S300 commands', () => {
	it('builds the session payloads of rcs300.md §1.2', () => {
		expect(hex(Rcs300Payload.EndSession)).toBe('ff 50 00 00 02 82 00 00');
		expect(hex(Rcs300Payload.StartSession)).toBe('ff 50 00 00 02 81 00 00');
		expect(hex(Rcs300Payload.RfOff)).toBe('ff 50 00 00 02 83 00 00');
		expect(hex(Rcs300Payload.RfOn)).toBe('ff 50 00 00 02 84 00 00');
		expect(hex(switchProtocolPayload(4))).toBe('ff 50 00 02 10 ff 6e 03 01 01 08 ff 6e 03 08 01 00 8f 02 01 04 00');
		expect(hex(switchProtocolPayload(3))).toBe('ff 50 00 02 04 8f 02 01 03 00');
	});

	it('builds a transparent exchange: Type B flags, timer in µs (LE), 95 with a two-byte BER length, three trailing zeros', () => {
		expect(hex(transceivePayload(fromHex('05 00 08'), 30))).toBe('ff 50 00 01 00 00 12 90 02 00 1c 5f 46 04 30 75 00 00 95 82 00 03 05 00 08 00 00 00');
		const frame = new Uint8Array(256);
		const payload = transceivePayload(frame, 4949.1);
		expect(hex(payload.subarray(0, 22))).toBe('ff 50 00 01 00 01 0f 90 02 00 1c 5f 46 04 6c 84 4b 00 95 82 01 00');
		expect(payload.length).toBe(7 + 15 + 256 + 3);
	});

	it('takes the card frame from 97 in any order, around the other objects', () => {
		expect(hex(parseTransceiveAnswer(fromHex('c0 03 00 90 00 92 01 00 96 02 5a 00 97 03 aa bb cc ff 6d 03 99 88 77 90 00')))).toBe('aa bb cc');
		expect(hex(parseTransceiveAnswer(fromHex('97 82 00 02 11 22 c0 03 00 90 00 90 00')))).toBe('11 22');
	});

	it('turns the reader’s "no answer" codes into an RF timeout, other failures into a damaged frame, 69 8A into ReaderBusy', () => {
		for (const sw of ['64 00', '64 01', '6a 81', '63 01']) {
			expect(rfFailureOf(failure(() => parseTransceiveAnswer(fromHex(`c0 03 01 ${sw} 90 00`))))).toBe(RfFailure.Timeout);
		}
		expect(rfFailureOf(failure(() => parseTransceiveAnswer(fromHex('c0 03 00 90 00 90 00'))))).toBe(RfFailure.Timeout);
		expect(rfFailureOf(failure(() => parseTransceiveAnswer(fromHex('c0 03 01 6f 00 90 00'))))).toBe(RfFailure.Transmission);
		expect(failure(() => parseTransceiveAnswer(fromHex('c0 03 01 69 8a 90 00'))).kind).toBe(ErrorKind.ReaderBusy);
		expect(failure(() => parseTransceiveAnswer(fromHex('97 01 aa 90 00'))).kind).toBe(ErrorKind.Protocol);
		expect(failure(() => parseTransceiveAnswer(fromHex('6a 81'))).kind).toBe(ErrorKind.ReaderHardware);
		// A reader that repeats the failing status word outside the objects: C0 still decides.
		expect(rfFailureOf(failure(() => parseTransceiveAnswer(fromHex('c0 03 03 64 01 64 01'))))).toBe(RfFailure.Timeout);
		expect(rfFailureOf(failure(() => parseTransceiveAnswer(fromHex('c0 03 03 6f 00 96 02 01 00 6f 00'))))).toBe(RfFailure.Transmission);
	});

	it('checks session answers and reads the ATR a switch may carry', () => {
		expect(() => checkManageSessionAnswer(fromHex('c0 03 00 90 00 90 00'))).not.toThrow();
		expect(() => checkManageSessionAnswer(fromHex('c0 03 00 90 00 80 03 00 00 00 ff 6d 03 01 02 03 90 00'))).not.toThrow();
		expect(failure(() => checkManageSessionAnswer(fromHex('c0 03 01 69 8a 90 00'))).kind).toBe(ErrorKind.ReaderBusy);
		expect(failure(() => checkManageSessionAnswer(fromHex('c0 03 01 6a 81 90 00'))).kind).toBe(ErrorKind.ReaderHardware);
		expect(failure(() => checkManageSessionAnswer(fromHex('90 00'))).kind).toBe(ErrorKind.Protocol);
		const answer = parseSwitchProtocolAnswer(fromHex('c0 03 00 90 00 8f 03 01 02 03 5f 51 02 3b 8f 90 00'));
		expect(answer.ok).toBe(true);
		expect(hex(answer.atr!)).toBe('3b 8f');
		expect(parseSwitchProtocolAnswer(fromHex('c0 03 01 6a 81 90 00'))).toEqual({ ok: false, sw: 0x6a81 });
	});
});
