import { ErrorKind, MynaError } from '../../errors';

/** ISO/IEC 7816-3 §8.3 Table 7: Fi by the high nibble of TA1 (undefined = RFU). */
export const FI_TABLE: readonly (number | undefined)[] = [372, 372, 558, 744, 1116, 1488, 1860, undefined, undefined, 512, 768, 1024, 1536, 2048, undefined, undefined];
/** ISO/IEC 7816-3 §8.3 Table 8: Di by the low nibble of TA1 (undefined = RFU). */
export const DI_TABLE: readonly (number | undefined)[] = [undefined, 1, 2, 4, 8, 16, 32, 64, 12, 20, undefined, undefined, undefined, undefined, undefined, undefined];

export const ATR_MAX_LENGTH = 33;
const DEFAULT_IFSC = 32;
const MAX_IFSC = 254;

export interface AtrInterfaceBytes {
	ta?: number;
	tb?: number;
	tc?: number;
	td?: number;
}

export type T1Edc = 'lrc' | 'crc';

export interface AtrT1Parameters {
	/** From the first TA(i≥3) for T=1; 32 when absent (0xFF is read as 254, 0x00 as absent, as libccid does). */
	ifsc: number;
	ifscPresent: boolean;
	/** From the first TB(i≥3) for T=1, else BWI 4 / CWI 13. */
	bwi: number;
	cwi: number;
	/** The raw TB byte, when present (SetParameters bmWaitingIntegersT1). */
	waitingIntegers?: number;
	/** From the first TC(i≥3) for T=1, bit 0. */
	edc: T1Edc;
}

export interface Atr {
	bytes: Uint8Array;
	convention: 'direct' | 'inverse';
	/** groups[0] holds TA1..TD1, groups[1] TA2..TD2, … */
	groups: AtrInterfaceBytes[];
	/** Protocols announced by TD1, TD2 … in order (T=0 alone when there is no TD1). */
	protocols: number[];
	/** The first announced protocol: what the card runs without PPS. */
	defaultProtocol: number;
	historical: Uint8Array;
	tck?: number;
	/** TA1 (default 0x11): Fi index in the high nibble, Di index in the low nibble. */
	fiDi: number;
	ta1Present: boolean;
	/** Fi and Di values, undefined where TA1 names an RFU value. */
	f?: number;
	d?: number;
	/** TC1, the extra guard time N (default 0). */
	extraGuardTime: number;
	/** TA2 present: the card runs in specific mode and accepts no PPS. */
	specificMode: boolean;
	/** TA2 bit 5: the specific mode uses implicit parameters. */
	implicitParameters: boolean;
	/** TC2, T=0 waiting integer (default 10). */
	waitingIntegerT0: number;
	t1: AtrT1Parameters;
}

function malformed(message: string, offset: number): MynaError {
	return new MynaError(ErrorKind.Protocol, `Malformed ATR: ${message}.`, { offset });
}

/**
 * Parses an Answer-to-Reset (ISO/IEC 7816-3 §8.2). Strict: TS 3B or 3F, at most 33 bytes, every announced
 * interface byte and historical byte present, TCK present exactly when a protocol other than T=0 is announced
 * and XOR(T0..TCK) = 0, nothing after it.
 */
export function parseAtr(bytes: Uint8Array): Atr {
	if (bytes.length < 2) throw malformed('shorter than TS T0', 0);
	if (bytes.length > ATR_MAX_LENGTH) throw malformed(`${bytes.length} bytes`, ATR_MAX_LENGTH);
	const ts = bytes[0]!;
	if (ts !== 0x3b && ts !== 0x3f) throw malformed(`TS ${ts.toString(16)}`, 0);
	const t0 = bytes[1]!;
	const historicalLength = t0 & 0x0f;
	const groups: AtrInterfaceBytes[] = [];
	const protocols: number[] = [];
	let y = t0 >> 4;
	let offset = 2;
	// Each group consumes at least its TD byte, so the 33-byte limit bounds the loop.
	for (;;) {
		const group: AtrInterfaceBytes = {};
		const take = (bit: number): number | undefined => {
			if (!(y & bit)) return undefined;
			if (offset >= bytes.length) throw malformed('interface bytes missing', offset);
			return bytes[offset++]!;
		};
		const ta = take(0x1);
		const tb = take(0x2);
		const tc = take(0x4);
		const td = take(0x8);
		if (ta !== undefined) group.ta = ta;
		if (tb !== undefined) group.tb = tb;
		if (tc !== undefined) group.tc = tc;
		if (td !== undefined) group.td = td;
		groups.push(group);
		if (td === undefined) break;
		protocols.push(td & 0x0f);
		y = td >> 4;
	}
	if (offset + historicalLength > bytes.length) throw malformed('historical bytes missing', offset);
	const historical = bytes.slice(offset, offset + historicalLength);
	offset += historicalLength;
	const needsTck = protocols.some((t) => t !== 0);
	let tck: number | undefined;
	if (needsTck) {
		if (offset >= bytes.length) throw malformed('TCK missing', offset);
		tck = bytes[offset++]!;
		let xor = 0;
		for (let i = 1; i < offset; i++) xor ^= bytes[i]!;
		if (xor !== 0) throw malformed('TCK mismatch', offset - 1);
	}
	if (offset !== bytes.length) throw malformed('bytes after the end', offset);

	const ta1 = groups[0]?.ta;
	const fiDi = ta1 ?? 0x11;
	const ta2 = groups[1]?.ta;
	const atr: Atr = {
		bytes: bytes.slice(),
		convention: ts === 0x3b ? 'direct' : 'inverse',
		groups,
		protocols: protocols.length > 0 ? protocols : [0],
		defaultProtocol: protocols[0] ?? 0,
		historical,
		fiDi,
		ta1Present: ta1 !== undefined,
		extraGuardTime: groups[0]?.tc ?? 0,
		specificMode: ta2 !== undefined,
		implicitParameters: ta2 !== undefined && (ta2 & 0x10) !== 0,
		waitingIntegerT0: groups[1]?.tc ?? 10,
		t1: t1Parameters(groups)
	};
	if (tck !== undefined) atr.tck = tck;
	const f = FI_TABLE[fiDi >> 4];
	const d = DI_TABLE[fiDi & 0x0f];
	if (f !== undefined) atr.f = f;
	if (d !== undefined) atr.d = d;
	return atr;
}

/** The T=1 bytes: in groups i ≥ 3 announced by a TD(i-1) naming T=1, the first TA, TB and TC. */
function t1Parameters(groups: AtrInterfaceBytes[]): AtrT1Parameters {
	let ta: number | undefined;
	let tb: number | undefined;
	let tc: number | undefined;
	for (let i = 2; i < groups.length; i++) {
		if ((groups[i - 1]!.td! & 0x0f) !== 1) continue;
		const g = groups[i]!;
		ta ??= g.ta;
		tb ??= g.tb;
		tc ??= g.tc;
	}
	const ifscPresent = ta !== undefined && ta !== 0;
	const params: AtrT1Parameters = {
		ifsc: ifscPresent ? Math.min(ta!, MAX_IFSC) : DEFAULT_IFSC,
		ifscPresent,
		bwi: tb !== undefined ? tb >> 4 : 4,
		cwi: tb !== undefined ? tb & 0x0f : 13,
		edc: tc !== undefined && (tc & 0x01) !== 0 ? 'crc' : 'lrc'
	};
	if (tb !== undefined) params.waitingIntegers = tb;
	return params;
}

/** Parses, or returns undefined (APDU-level readers may report ATRs the host never needs to interpret). */
export function tryParseAtr(bytes: Uint8Array): Atr | undefined {
	try {
		return parseAtr(bytes);
	} catch {
		return undefined;
	}
}
