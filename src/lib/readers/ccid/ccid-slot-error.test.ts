import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../../errors';
import { ccidCommandFailure, ccidSlotErrorInfo } from './ccid-slot-error';
import type { CcidResponse } from './ccid-message';

const failure = (error: number, iccStatus = 0): CcidResponse => ({
	type: 0x80,
	slot: 0,
	seq: 1,
	status: 0x40 | iccStatus,
	iccStatus,
	commandStatus: 1,
	error,
	parameter: 0,
	data: new Uint8Array(0)
});

describe('bError → typed error (LudovicRousseau/CCID:src/ccid.c ccid_error)', () => {
	it.each([
		[0x00, ErrorKind.Protocol],
		[0x01, ErrorKind.Protocol],
		[0x05, ErrorKind.Protocol],
		[0x07, ErrorKind.Protocol],
		[0xa2, ErrorKind.ReaderHardware],
		[0xa3, ErrorKind.Protocol],
		[0xab, ErrorKind.Protocol],
		[0xb0, ErrorKind.Protocol],
		[0xbb, ErrorKind.Protocol],
		[0xbd, ErrorKind.Protocol],
		[0xbe, ErrorKind.Protocol],
		[0xe0, ErrorKind.ReaderBusy],
		[0xef, ErrorKind.Protocol],
		[0xf0, ErrorKind.Protocol],
		[0xf2, ErrorKind.ReaderBusy],
		[0xf3, ErrorKind.Protocol],
		[0xf4, ErrorKind.Protocol],
		[0xf5, ErrorKind.Protocol],
		[0xf6, ErrorKind.Protocol],
		[0xf7, ErrorKind.Protocol],
		[0xf8, ErrorKind.Protocol],
		[0xfb, ErrorKind.ReaderHardware],
		[0xfc, ErrorKind.Protocol],
		[0xfd, ErrorKind.Protocol],
		[0xfe, ErrorKind.CardMute],
		[0xff, ErrorKind.Aborted],
		[0x90, ErrorKind.Protocol]
	])('0x%s with a card present', (code, kind) => {
		const error = ccidCommandFailure(failure(code), { command: 0x6f });
		expect(error.kind).toBe(kind);
		expect(error.details).toEqual({ command: 0x6f, slot: 0, ccidError: code, iccStatus: 0 });
		expect(ccidSlotErrorInfo(code).kind).toBe(kind);
	});

	it('reports CardAbsent whenever bmICCStatus says absent, whatever bError says', () => {
		for (const code of [0xfe, 0xe0, 0xfb, 0x00]) {
			expect(ccidCommandFailure(failure(code, 2), { command: 0x62 })).toMatchObject({ kind: ErrorKind.CardAbsent, details: { iccStatus: 2, ccidError: code } });
		}
	});

	it('tells a mute card (present, inactive) from an absent one', () => {
		expect(ccidCommandFailure(failure(0xfe, 1), { command: 0x62 }).kind).toBe(ErrorKind.CardMute);
	});
});
