import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex, toHex } from '../../../bytes';
import { ErrorKind, isMynaError } from '../../../errors';
import { T1BlockFault, T1Edc, T1SBlockType, crc16, decodeT1Block, encodeT1Block, iBlock, lrc, rBlock, sBlock, t1BlockKind } from './t1-block';

function faultOf(bytes: Uint8Array, edc: T1Edc = T1Edc.Lrc): string {
	try {
		decodeT1Block(bytes, edc);
	} catch (error) {
		if (!isMynaError(error, ErrorKind.Protocol)) throw error;
		return String(error.details.fault);
	}
	return 'accepted';
}

describe('T=1 block codec', () => {
	it('encodes I-, R- and S-blocks with NAD PCB LEN INF LRC', () => {
		expect(toHex(encodeT1Block(iBlock(0, false, fromHex('00A4040000')), T1Edc.Lrc))).toBe('00000500a4040000a5');
		expect(toHex(encodeT1Block(iBlock(1, true, fromHex('01')), T1Edc.Lrc))).toBe('006001' + '01' + '60');
		expect(toHex(encodeT1Block(rBlock(1), T1Edc.Lrc))).toBe('00900090');
		expect(toHex(encodeT1Block(rBlock(0, 0x01), T1Edc.Lrc))).toBe('00810081');
		expect(toHex(encodeT1Block(sBlock(T1SBlockType.Ifs, false, fromHex('FE')), T1Edc.Lrc))).toBe('00c101fe3e');
		expect(toHex(encodeT1Block(sBlock(T1SBlockType.Wtx, true, fromHex('02')), T1Edc.Lrc))).toBe('00e30102e0');
	});

	it('computes the CRC as libccid does (reflected 0x8408, init FFFF, no final XOR, high byte first)', () => {
		expect(crc16(asciiBytes('123456789'))).toBe(0x6f91);
		const block = encodeT1Block(rBlock(0), T1Edc.Crc);
		expect(block).toHaveLength(5);
		expect((block[3]! << 8) | block[4]!).toBe(crc16(fromHex('008000')));
		expect(decodeT1Block(block, T1Edc.Crc).pcb).toBe(0x80);
	});

	it('refuses bad EDC, bad length and undefined PCB codings with their fault', () => {
		expect(faultOf(fromHex('00000500a4040000a0'))).toBe(T1BlockFault.Edc);
		expect(faultOf(fromHex('00000600a4040000a1'))).toBe(T1BlockFault.Length);
		expect(faultOf(fromHex('0000ff'))).toBe(T1BlockFault.Length);
		expect(faultOf(fromHex('000000'))).toBe(T1BlockFault.Length);
		// I-block with an RFU bit, R-block with INF, R-block error code 3, S-block type 5, S(IFS) without INF
		for (const pcb of [0x01, 0x83, 0xc5]) {
			const body = new Uint8Array([0x00, pcb, 0x00]);
			expect(faultOf(new Uint8Array([...body, lrc(body)]))).toBe(T1BlockFault.Pcb);
		}
		const rWithInf = new Uint8Array([0x00, 0x80, 0x01, 0x00]);
		expect(faultOf(new Uint8Array([...rWithInf, lrc(rWithInf)]))).toBe(T1BlockFault.Pcb);
		const ifsEmpty = new Uint8Array([0x00, 0xc1, 0x00]);
		expect(faultOf(new Uint8Array([...ifsEmpty, lrc(ifsEmpty)]))).toBe(T1BlockFault.Pcb);
	});

	it('classifies PCBs', () => {
		expect([t1BlockKind(0x40), t1BlockKind(0x90), t1BlockKind(0xe3)]).toEqual(['i', 'r', 's']);
	});

	it('random bytes give a block that re-encodes to the same bytes, or a Protocol error', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(T1Edc.Lrc, T1Edc.Crc), (bytes, edc) => {
				try {
					const block = decodeT1Block(bytes, edc);
					expect(toHex(encodeT1Block(block, edc))).toBe(toHex(bytes));
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Protocol)).toBe(true);
				}
			})
		);
	});

	it('every valid I-block round-trips', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 1 }), fc.boolean(), fc.uint8Array({ maxLength: 254 }), fc.constantFrom(T1Edc.Lrc, T1Edc.Crc), (ns, more, inf, edc) => {
				const decoded = decodeT1Block(encodeT1Block(iBlock(ns, more, inf), edc), edc);
				expect(toHex(decoded.inf)).toBe(toHex(inf));
				expect(decoded.pcb).toBe((ns << 6) | (more ? 0x20 : 0));
			})
		);
	});
});
