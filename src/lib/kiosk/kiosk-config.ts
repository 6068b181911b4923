import type { BasicInfoField } from '../card/basic-four-info';

/**
 * The operator's configuration of a kiosk deployment: one JSON file (`/kiosk-config.json`, shipped in `static/`
 * and replaced per deployment), validated at start by `parseKioskConfig` (kiosk-config-parser.ts).
 */

/** What a resident can choose at the kiosk. */
export const KioskFlow = {
	/** 電子証明書の有効期限と状態 (auth certificate: no PIN). */
	Certificate: 'certificate',
	/** 暗証番号の残り回数 (no PIN, no try spent). */
	PinStatus: 'pin-status',
	/** 基本4情報 (券面事項入力補助用暗証番号, 4 digits) and the hand-off to the counter's form. */
	BasicInfo: 'basic-info'
} as const;
export type KioskFlow = (typeof KioskFlow)[keyof typeof KioskFlow];

export interface KioskHandoffConfig {
	/** Which of the 4 info may leave the kiosk (and be read at all): the resident can narrow it, never widen it. */
	readonly fields: readonly BasicInfoField[];
	/** Origins of the counter's form allowed to embed the kiosk and receive the info by postMessage (exact origins). */
	readonly postMessageOrigins: readonly string[];
	/** Offer a printable sheet. */
	readonly print: boolean;
	/** Offer a QR code on screen. */
	readonly qr: boolean;
}

export interface KioskCrlConfig {
	/** https URLs of DER CRLs to fetch (their origins are added to the CSP's connect-src at build time). */
	readonly urls: readonly string[];
	/** Daily refresh time, `HH:MM` in Japan time (after the issuer's publication time). */
	readonly updateTime: string;
}

export interface KioskConfig {
	readonly language: 'ja' | 'en';
	readonly flows: readonly KioskFlow[];
	readonly idle: {
		/** Seconds without input before the kiosk warns (then wipes); 30–1800. */
		readonly timeoutSeconds: number;
		/** How long the warning stays up, with a button to extend, before the wipe; 10–120. */
		readonly warningSeconds: number;
	};
	readonly handoff: KioskHandoffConfig;
	readonly crl: KioskCrlConfig;
	/** Furigana shown from the start (the resident can toggle it). */
	readonly furigana: boolean;
	/** Digits of the on-screen PIN pad shuffled from the start (the resident can toggle it). */
	readonly shufflePinPad: boolean;
}

export const DEFAULT_KIOSK_CONFIG: KioskConfig = {
	language: 'ja',
	flows: [KioskFlow.Certificate, KioskFlow.PinStatus, KioskFlow.BasicInfo],
	idle: { timeoutSeconds: 120, warningSeconds: 30 },
	handoff: { fields: ['name', 'address', 'birthDate', 'sex'], postMessageOrigins: [], print: true, qr: true },
	crl: { urls: [], updateTime: '06:00' },
	furigana: false,
	shufflePinPad: false
};

/** One reason the configuration was refused: where (a JSON path like `idle.timeoutSeconds`) and why (a message code). */
export interface KioskConfigProblem {
	readonly path: string;
	readonly code: string;
	/** Values for the message (allowed range, the bad value, …), plain data. */
	readonly params?: Readonly<Record<string, string | number>>;
}

export type KioskConfigResult = { ok: true; config: KioskConfig } | { ok: false; problems: KioskConfigProblem[] };
