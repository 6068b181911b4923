import { ErrorKind, MynaError } from '../../errors';

/** Carrier frequency fc in kHz: a count of carrier cycles divided by this is milliseconds. */
const FC_KHZ = 13_560;

/** FSCI/FSDI → frame size in bytes, PCB to EDC inclusive (ISO/IEC 14443-4; readers.md §5.3). */
export const FRAME_SIZES = [16, 24, 32, 40, 48, 64, 96, 128, 256] as const;

export const IsoDepTiming = {
	/** ΔFWT = 49152/fc, added to every frame waiting time (readers.md §5.3). */
	deltaFwtMs: 49_152 / FC_KHZ,
	/** FWT for FWI 14, the ceiling for a time extended by WTXM. */
	fwtMaxMs: (4096 * 2 ** 14) / FC_KHZ,
	/** The wait for an S(DESELECT) answer when the card's FWT is shorter: 65536/fc. */
	deselectMinMs: 65_536 / FC_KHZ
} as const;

/** FSCI → FSC. Values above 8 (512 and more, ISO/IEC 14443-4:2016) are read as 8, since short APDUs never need more. */
export function frameSizeFromIndex(index: number): number {
	if (!Number.isInteger(index) || index < 0 || index > 15) throw new MynaError(ErrorKind.Internal, 'Frame size index out of range', { index });
	return FRAME_SIZES[Math.min(index, 8)]!;
}

/** The largest FSDI whose frame size fits `maxFrame` bytes (PCB to EDC). */
export function frameSizeIndexFor(maxFrame: number): number {
	let index = -1;
	for (let i = 0; i < FRAME_SIZES.length; i++) if (FRAME_SIZES[i]! <= maxFrame) index = i;
	if (index < 0) throw new MynaError(ErrorKind.Internal, 'Frame size below the ISO-DEP minimum of 16', { maxFrame });
	return index;
}

/** FWT = 4096/fc × 2^FWI; FWI 15 is RFU and read as 4 (readers.md §5.3). */
export function frameWaitingTimeMs(fwi: number): number {
	if (!Number.isInteger(fwi) || fwi < 0 || fwi > 15) throw new MynaError(ErrorKind.Internal, 'FWI out of range', { fwi });
	return (4096 * 2 ** (fwi === 15 ? 4 : fwi)) / FC_KHZ;
}

/** SFGT = 4096/fc × 2^SFGI; SFGI 0 and 15 mean no extra guard time. */
export function startupFrameGuardTimeMs(sfgi: number): number {
	if (!Number.isInteger(sfgi) || sfgi < 0 || sfgi > 15) throw new MynaError(ErrorKind.Internal, 'SFGI out of range', { sfgi });
	return sfgi === 0 || sfgi === 15 ? 0 : (4096 * 2 ** sfgi) / FC_KHZ;
}
