import { describe, expect, it } from 'vitest';
import { conservativeT1BlockTimeoutMs, t1BlockTimeoutMs } from './t1-timing';

describe('T=1 block timeout (libccid T1_card_timeout)', () => {
	it('is 260 EGT + BWT + 260 CWT + 1 s', () => {
		// etu = 372/4000 ms; EGT = 12 etu; BWT = 11 etu + 16 × 960 × 372 / 4000; CWT = 43 etu
		const etu = 372 / 4000;
		const expected = Math.ceil(260 * 12 * etu + (11 * etu + (16 * 960 * 372) / 4000) + 260 * 43 * etu) + 1000;
		expect(t1BlockTimeoutMs({ fiDi: 0x11, extraGuardTime: 0, bwi: 4, cwi: 5, clockKhz: 4000 })).toBe(expected);
		expect(expected).toBe(3760);
	});

	it('grows with BWI, caps BWI at 9, and falls back to 60 s for RFU Fi/Di or a zero clock', () => {
		const at = (bwi: number) => t1BlockTimeoutMs({ fiDi: 0x11, extraGuardTime: 0, bwi, cwi: 5, clockKhz: 4000 });
		expect(at(5)).toBeGreaterThan(at(4));
		expect(at(15)).toBe(at(9));
		expect(t1BlockTimeoutMs({ fiDi: 0x71, extraGuardTime: 0, bwi: 4, cwi: 5, clockKhz: 4000 })).toBe(60_000);
		expect(t1BlockTimeoutMs({ fiDi: 0x11, extraGuardTime: 0, bwi: 4, cwi: 5, clockKhz: 0 })).toBe(60_000);
	});

	it('never waits less than at the default speed when TA1 is faster', () => {
		const input = { fiDi: 0x13, extraGuardTime: 0, bwi: 4, cwi: 5, clockKhz: 4000 };
		expect(t1BlockTimeoutMs(input)).toBeLessThan(t1BlockTimeoutMs({ ...input, fiDi: 0x11 }));
		expect(conservativeT1BlockTimeoutMs(input)).toBe(t1BlockTimeoutMs({ ...input, fiDi: 0x11 }));
	});
});
