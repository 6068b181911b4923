import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import {
	CcidPowerSelect,
	encodeCcidRequest,
	encodeCcidResponse,
	escapeRequest,
	getSlotStatusRequest,
	iccPowerOffRequest,
	iccPowerOnRequest,
	parseCcidInterrupt,
	parseCcidResponse,
	setParametersRequest,
	xfrBlockRequest
} from './ccid-message';

const wire = (request: Parameters<typeof encodeCcidRequest>[0]) => toHex(encodeCcidRequest(request), ' ');

describe('PC_to_RDR messages: exact bytes (CCID rev 1.1 §6.1)', () => {
	it('IccPowerOn: bPowerSelect in byte 7', () => {
		expect(wire(iccPowerOnRequest(0, 0, CcidPowerSelect.Automatic))).toBe('62 00 00 00 00 00 00 00 00 00');
		expect(wire(iccPowerOnRequest(1, 0x17, CcidPowerSelect.V3))).toBe('62 00 00 00 00 01 17 02 00 00');
	});

	it('IccPowerOff and GetSlotStatus', () => {
		expect(wire(iccPowerOffRequest(0, 5))).toBe('63 00 00 00 00 00 05 00 00 00');
		expect(wire(getSlotStatusRequest(1, 255))).toBe('65 00 00 00 00 01 ff 00 00 00');
	});

	it('XfrBlock: dwLength LE, bBWI in byte 7, wLevelParameter LE in bytes 8-9', () => {
		expect(wire(xfrBlockRequest(0, 1, fromHex('00 20 00 80')))).toBe('6f 04 00 00 00 00 01 00 00 00 00 20 00 80');
		expect(wire(xfrBlockRequest(0, 2, new Uint8Array(0), { levelParameter: 0x0010 }))).toBe('6f 00 00 00 00 00 02 00 10 00');
		expect(wire(xfrBlockRequest(0, 3, fromHex('00'), { bwi: 3, levelParameter: 0x0203 }))).toBe('6f 01 00 00 00 00 03 03 03 02 00');
		expect(toHex(encodeCcidRequest(xfrBlockRequest(0, 0, new Uint8Array(300)))).slice(0, 10)).toBe('6f2c010000');
	});

	it('SetParameters: bProtocolNum in byte 7 and the protocol data structure', () => {
		expect(wire(setParametersRequest(0, 4, 1, fromHex('11 10 FF 45 00 FE 00')))).toBe('61 07 00 00 00 00 04 01 00 00 11 10 ff 45 00 fe 00');
	});

	it('Escape', () => {
		expect(wire(escapeRequest(0, 9, fromHex('FF 56 00 00')))).toBe('6b 04 00 00 00 00 09 00 00 00 ff 56 00 00');
	});

	it('refuses values that do not fit their field', () => {
		expect(() => encodeCcidRequest({ type: 0x6f, slot: 256, seq: 0 })).toThrow(RangeError);
		expect(() => xfrBlockRequest(0, 0, new Uint8Array(0), { levelParameter: 0x10000 })).toThrow(RangeError);
	});
});

describe('RDR_to_PC messages', () => {
	it('reads header fields, bStatus bits and abData', () => {
		const r = parseCcidResponse(fromHex('80 02 00 00 00 01 07 41 FE 03 90 00'));
		expect(r).toMatchObject({ type: 0x80, slot: 1, seq: 7, status: 0x41, iccStatus: 1, commandStatus: 1, error: 0xfe, parameter: 3 });
		expect(toHex(r.data)).toBe('9000');
	});

	it.each([
		['shorter than a header', '80 00 00 00 00 00 00 00 00'],
		['dwLength larger than the bytes', '80 03 00 00 00 00 00 00 00 00 90 00'],
		['dwLength smaller than the bytes', '80 01 00 00 00 00 00 00 00 00 90 00'],
		['an unknown message type', '6F 00 00 00 00 00 00 00 00 00']
	])('rejects %s with a Protocol error', (_name, hex) => {
		expect(() => parseCcidResponse(fromHex(hex))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('round-trips any response (property)', () => {
		fc.assert(
			fc.property(
				fc.record({
					type: fc.integer({ min: 0x80, max: 0x84 }),
					slot: fc.integer({ min: 0, max: 255 }),
					seq: fc.integer({ min: 0, max: 255 }),
					status: fc.integer({ min: 0, max: 255 }),
					error: fc.integer({ min: 0, max: 255 }),
					parameter: fc.integer({ min: 0, max: 255 }),
					data: fc.uint8Array({ maxLength: 600 })
				}),
				(fields) => {
					const parsed = parseCcidResponse(encodeCcidResponse(fields));
					expect(parsed).toMatchObject({ ...fields, iccStatus: fields.status & 3, commandStatus: fields.status >> 6 });
				}
			),
			{ numRuns: 500 }
		);
	});

	it('accepts random bytes only when dwLength matches, else a Protocol error (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
				try {
					const r = parseCcidResponse(bytes);
					expect(r.data.length).toBe(bytes.length - 10);
				} catch (error) {
					expect(error).toBeInstanceOf(MynaError);
					expect((error as MynaError).kind).toBe(ErrorKind.Protocol);
				}
			}),
			{ numRuns: 3000 }
		);
	});
});

describe('interrupt-IN messages', () => {
	it('reads NotifySlotChange, 2 bits per slot and 4 slots per byte', () => {
		expect(parseCcidInterrupt(fromHex('50 03'), 1)).toEqual({ type: 'slot-change', slots: [{ slot: 0, present: true, changed: true }] });
		expect(parseCcidInterrupt(fromHex('50 02'), 1)).toEqual({ type: 'slot-change', slots: [{ slot: 0, present: false, changed: true }] });
		const two = parseCcidInterrupt(fromHex('50 0C'), 2);
		expect(two).toEqual({
			type: 'slot-change',
			slots: [
				{ slot: 0, present: false, changed: false },
				{ slot: 1, present: true, changed: true }
			]
		});
		const five = parseCcidInterrupt(fromHex('50 00 02'), 5);
		expect(five.type === 'slot-change' && five.slots[4]).toEqual({ slot: 4, present: false, changed: true });
	});

	it('reads HardwareError', () => {
		expect(parseCcidInterrupt(fromHex('51 00 05 01'), 1)).toEqual({ type: 'hardware-error', slot: 0, seq: 5, code: 1 });
	});

	it.each([
		['empty', ''],
		['NotifySlotChange without slot bits', '50'],
		['NotifySlotChange too short for 5 slots', '50 00'],
		['HardwareError too short', '51 00 05'],
		['an unknown type', '52 00']
	])('rejects %s', (_name, hex) => {
		const slots = hex.startsWith('50 00') ? 5 : 1;
		expect(() => parseCcidInterrupt(fromHex(hex), slots)).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('parses or rejects any bytes with a Protocol error (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 16 }), fc.integer({ min: 1, max: 40 }), (bytes, slots) => {
				try {
					const message = parseCcidInterrupt(bytes, slots);
					if (message.type === 'slot-change') expect(message.slots).toHaveLength(slots);
				} catch (error) {
					expect((error as MynaError).kind).toBe(ErrorKind.Protocol);
				}
			}),
			{ numRuns: 2000 }
		);
	});
});
