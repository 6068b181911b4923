import encodeQR, { type ErrorCorrection } from 'qr';
import { ALL_BASIC_INFO_FIELDS, type BasicFourInfo, type BasicInfoField } from '../card/basic-four-info';
import type { KioskHandoffPlatform } from './handoff-platform';

export type { KioskHandoffPlatform } from './handoff-platform';

/**
 * Handing the 4 info to the counter's form without a server: one plain JSON payload with only the fields the
 * operator allows and the resident chose, sent by postMessage to the embedding parent (only an allowed, exact origin,
 * never '*'), shown as a QR code, or printed. Personal data: built on demand, never stored.
 */

export const KIOSK_HANDOFF_TYPE = 'myna-kiosk/basic-info';

export interface KioskHandoffPayload {
	readonly type: typeof KIOSK_HANDOFF_TYPE;
	readonly version: 1;
	readonly fields: {
		readonly name?: string;
		readonly address?: string;
		/** `YYYY-MM-DD` (Gregorian). */
		readonly birthDate?: string;
		/** `male` | `female` | `not-applicable` | `not-known` (ISO 5218 1/2/9/0). */
		readonly sex?: string;
	};
}

/** The payload with the fields in `allowed` that the card gave (the kiosk read only the resident's choice). */
export function buildHandoffPayload(info: BasicFourInfo, allowed: readonly BasicInfoField[]): KioskHandoffPayload {
	const fields: Record<string, string> = {};
	for (const field of ALL_BASIC_INFO_FIELDS) {
		const value = info[field];
		if (allowed.includes(field) && typeof value === 'string') fields[field] = value;
	}
	return { type: KIOSK_HANDOFF_TYPE, version: 1, fields };
}

/** The fields the payload carries, in the official order. */
export function payloadFields(payload: KioskHandoffPayload): BasicInfoField[] {
	return ALL_BASIC_INFO_FIELDS.filter((f) => payload.fields[f] !== undefined);
}

/** The embedding parent's origin: `ancestorOrigins[0]` where the browser gives it, else the referrer's origin. */
export function parentOrigin(platform: Pick<KioskHandoffPlatform, 'ancestorOrigins' | 'referrer'>): string | undefined {
	const ancestors = platform.ancestorOrigins();
	if (ancestors) return exactOrigin(ancestors[0] ?? '', true);
	return exactOrigin(platform.referrer(), false);
}

/** A real tuple origin (never 'null', never '*'): `text` itself when `exact`, else the origin of the URL `text`. */
function exactOrigin(text: string, exact: boolean): string | undefined {
	let origin: string;
	try {
		origin = new URL(text).origin;
	} catch {
		return undefined;
	}
	if (origin === 'null' || (exact && origin !== text)) return undefined;
	return origin;
}

export type HandoffPostOutcome =
	| { readonly ok: true; readonly origin: string; readonly fields: BasicInfoField[] }
	| { readonly ok: false; readonly reason: 'not-embedded' | 'origin-unknown' }
	| { readonly ok: false; readonly reason: 'origin-not-allowed'; readonly origin: string };

/**
 * Sends the payload to the embedding parent when, and only when, its origin is one of `allowedOrigins`; the exact
 * origin is the targetOrigin, so the browser also drops the message if the parent has navigated elsewhere meanwhile.
 */
export function postHandoff(payload: KioskHandoffPayload, allowedOrigins: readonly string[], platform: KioskHandoffPlatform): HandoffPostOutcome {
	const parent = platform.parent();
	if (!parent) return { ok: false, reason: 'not-embedded' };
	const origin = parentOrigin(platform);
	if (!origin) return { ok: false, reason: 'origin-unknown' };
	if (!allowedOrigins.includes(origin)) return { ok: false, reason: 'origin-not-allowed', origin };
	parent.postMessage(JSON.parse(JSON.stringify(payload)) as unknown, origin);
	return { ok: true, origin, fields: payloadFields(payload) };
}

export const HandoffQrLimits = {
	/**
	 * Largest QR version shown (117 × 117 modules with the quiet zone): at about 4 px a module it still fits a kiosk
	 * screen and a counter scanner reads it from a screen at arm's length. Larger codes are refused, not shown.
	 */
	maxVersion: 25,
	/** Medium (15 %) first, for glare and smudges on a screen; low (7 %) only when medium would not fit. */
	levels: ['medium', 'low'] as const satisfies readonly ErrorCorrection[],
	border: 4
} as const;

export type HandoffQr =
	| {
			readonly ok: true;
			/** Modules per side, quiet zone included (the SVG viewBox). */
			readonly size: number;
			/** SVG path data of the dark modules, one unit per module (rendered by the component, no markup strings). */
			readonly path: string;
			readonly version: number;
			readonly ecc: ErrorCorrection;
			readonly bytes: number;
	  }
	| { readonly ok: false; readonly reason: 'too-long'; readonly bytes: number };

/** The payload's JSON as a QR code (UTF-8, byte mode), or why it cannot be shown readably. */
export function handoffQr(payload: KioskHandoffPayload): HandoffQr {
	const text = JSON.stringify(payload);
	const bytes = new TextEncoder().encode(text).length;
	for (const ecc of HandoffQrLimits.levels) {
		let matrix: boolean[][];
		try {
			matrix = encodeQR(text, 'raw', { ecc, border: HandoffQrLimits.border });
		} catch {
			continue;
		}
		const version = (matrix.length - 2 * HandoffQrLimits.border - 17) / 4;
		if (version > HandoffQrLimits.maxVersion) continue;
		return { ok: true, size: matrix.length, path: modulePath(matrix), version, ecc, bytes };
	}
	return { ok: false, reason: 'too-long', bytes };
}

/** One `M x y h1v1h-1z` square per dark module, runs on a row merged into one rectangle. */
function modulePath(matrix: readonly (readonly boolean[])[]): string {
	const parts: string[] = [];
	matrix.forEach((row, y) => {
		for (let x = 0; x < row.length; x++) {
			if (!row[x]) continue;
			let run = 1;
			while (row[x + run]) run++;
			parts.push(`M${x} ${y}h${run}v1h-${run}z`);
			x += run - 1;
		}
	});
	return parts.join('');
}
