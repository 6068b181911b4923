import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../bytes';
import { ErrorKind, isMynaError } from '../../../errors';
import {
	CcidFrameFault,
	decodeCcidCommand,
	decodeCcidResponse,
	decodeNotifySlotChange,
	encodeCcidCommand,
	encodeCcidResponse,
	encodeHardwareError,
	encodeNotifySlotChange
} from './ccid-message';

describe('decodeCcidCommand', () => {
	it('reads the header fields of an XfrBlock (bBWI, wLevelParameter) and copies abData', () => {
		const bytes = fromHex('6F 04000000 00 07 00 10 00 00A40400');
		const command = decodeCcidCommand(bytes);
		expect(command).toMatchObject({ messageType: 0x6f, slot: 0, seq: 7, specific: [0x00, 0x10, 0x00] });
		expect(toHex(command.data)).toBe('00a40400');
		bytes[10] = 0xff;
		expect(command.data[0]).toBe(0x00);
	});

	it('refuses a short header, a dwLength that disagrees with the bytes, and a message over dwMaxCCIDMessageLength', () => {
		const fault = (bytes: Uint8Array, max?: number) => {
			try {
				decodeCcidCommand(bytes, max);
			} catch (error) {
				expect(isMynaError(error, ErrorKind.Protocol)).toBe(true);
				return (error as { details: { fault: string; bError: number } }).details;
			}
			throw new Error('accepted');
		};
		expect(fault(fromHex('65 00000000 00 01 00 00'))).toEqual({ fault: CcidFrameFault.ShortHeader, length: 9, bError: 1 });
		expect(fault(fromHex('6F 05000000 00 01 000000 00A40400')).fault).toBe(CcidFrameFault.LengthMismatch);
		expect(fault(fromHex('6F 03000000 00 01 000000 00A40400')).fault).toBe(CcidFrameFault.LengthMismatch);
		expect(fault(new Uint8Array([0x6f, 0xf6, 0x00, 0, 0, 0, 0, 0, 0, 0, ...new Uint8Array(0xf6)]), 0xff).fault).toBe(CcidFrameFault.TooLong);
	});

	it('random bytes give a well-formed command or a Protocol error, never anything else', () => {
		const framed = fc
			.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 5, maxLength: 5 }))
			.map(([type, data, rest]) => encodeCcidCommand({ messageType: type, slot: rest[0]!, seq: rest[1]!, specific: [rest[2]!, rest[3]!, rest[4]!], data }));
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 60 }), framed), fc.integer({ min: 10, max: 100 }), (bytes, max) => {
				try {
					const command = decodeCcidCommand(bytes, max);
					expect(command.data.length).toBe(bytes.length - 10);
					expect(bytes.length).toBeLessThanOrEqual(max);
					expect(toHex(encodeCcidCommand(command))).toBe(toHex(bytes));
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Protocol)).toBe(true);
				}
			})
		);
	});
});

describe('responses', () => {
	it('encodes a DataBlock with bStatus, bError and bChainParameter at offsets 7, 8, 9', () => {
		const bytes = encodeCcidResponse({ messageType: 0x80, slot: 1, seq: 9, status: 0x40, error: 0xfe, specific: 0x03, data: fromHex('9000') });
		expect(toHex(bytes)).toBe('8002000000010940fe039000');
		expect(decodeCcidResponse(bytes)).toMatchObject({ messageType: 0x80, slot: 1, seq: 9, status: 0x40, error: 0xfe, specific: 3 });
	});

	it('refuses a response of an unknown type or a wrong dwLength', () => {
		expect(() => decodeCcidResponse(fromHex('85 00000000 00 00 000000'))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
		expect(() => decodeCcidResponse(fromHex('80 01000000 00 00 000000'))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});
});

describe('interrupt messages', () => {
	it('packs two bits per slot, four slots a byte (present = bit 0, changed = bit 1)', () => {
		expect(toHex(encodeNotifySlotChange([{ present: true, changed: true }]))).toBe('5003');
		expect(toHex(encodeNotifySlotChange([{ present: false, changed: true }, { present: true, changed: false }]))).toBe('5006');
		const five = [
			{ present: false, changed: false },
			{ present: false, changed: false },
			{ present: false, changed: false },
			{ present: true, changed: true },
			{ present: true, changed: false }
		];
		expect(toHex(encodeNotifySlotChange(five))).toBe('50c001');
		expect(decodeNotifySlotChange(fromHex('50c001'), 5)).toEqual(five);
	});

	it('encodes HardwareError as 51 bSlot bSeq bHardwareErrorCode', () => {
		expect(toHex(encodeHardwareError(1, 0x22, 0x01))).toBe('51012201');
	});
});
