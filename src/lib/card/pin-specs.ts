import { CardApplication, JpkiFile, TextApFile, VisualApFile } from './card-applications';

/** Every PIN-like secret this layer can check or verify (facts/jpki.md §3). */
export const PinKind = {
	/** 利用者証明用電子証明書の暗証番号: 4 digits, 3 tries. */
	Auth: 'auth',
	/** 署名用電子証明書の暗証番号（パスワード）: 6–16 of A–Z 0–9, 5 tries. */
	Sign: 'sign',
	/** 券面事項入力補助用の暗証番号: 4 digits, 3 tries. */
	Text: 'text',
	/** 券面事項入力補助AP 暗証番号A (the my number; UNSURE). */
	TextA: 'text-a',
	/** 券面事項入力補助AP 暗証番号B (照合番号B; UNSURE). */
	TextB: 'text-b',
	/** 券面AP 照合番号A: the 12-digit my number. */
	VisualA: 'visual-a',
	/** 券面AP 照合番号B: birth date + expiry year + security code, 16 or 14 digits (UNSURE which). */
	VisualB: 'visual-b'
} as const;
export type PinKind = (typeof PinKind)[keyof typeof PinKind];

/** The PINs a resident can change with CHANGE REFERENCE DATA (myna supports exactly these three). */
export type ChangeablePinKind = typeof PinKind.Auth | typeof PinKind.Sign | typeof PinKind.Text;

export const PinRule = {
	FourDigits: 'four-digits',
	SignPassword: 'sign-password',
	MyNumber: 'my-number',
	CollationB: 'collation-b'
} as const;
export type PinRule = (typeof PinRule)[keyof typeof PinRule];

export interface PinSpec {
	readonly application: CardApplication;
	readonly fid: number;
	/** Tries when nothing went wrong; the card's counter is what counts. The A/B values are emulator data (UNSURE). */
	readonly maxTries: number;
	readonly rule: PinRule;
	readonly changeable: boolean;
	readonly ja: string;
	readonly en: string;
}

export const PinSpecs = {
	auth: {
		application: CardApplication.Jpki,
		fid: JpkiFile.AuthPin,
		maxTries: 3,
		rule: PinRule.FourDigits,
		changeable: true,
		ja: '利用者証明用電子証明書の暗証番号',
		en: 'authentication PIN'
	},
	sign: {
		application: CardApplication.Jpki,
		fid: JpkiFile.SignPin,
		maxTries: 5,
		rule: PinRule.SignPassword,
		changeable: true,
		ja: '署名用電子証明書の暗証番号（パスワード）',
		en: 'signing password'
	},
	text: {
		application: CardApplication.Text,
		fid: TextApFile.Pin,
		maxTries: 3,
		rule: PinRule.FourDigits,
		changeable: true,
		ja: '券面事項入力補助用の暗証番号',
		en: 'card-information PIN'
	},
	'text-a': {
		application: CardApplication.Text,
		fid: TextApFile.PinA,
		maxTries: 3,
		rule: PinRule.MyNumber,
		changeable: false,
		ja: '券面事項入力補助用の暗証番号A',
		en: 'card-information code A'
	},
	'text-b': {
		application: CardApplication.Text,
		fid: TextApFile.PinB,
		maxTries: 3,
		rule: PinRule.CollationB,
		changeable: false,
		ja: '券面事項入力補助用の暗証番号B',
		en: 'card-information code B'
	},
	'visual-a': {
		application: CardApplication.Visual,
		fid: VisualApFile.CollationA,
		maxTries: 3,
		rule: PinRule.MyNumber,
		changeable: false,
		ja: '券面事項確認用の照合番号A（個人番号）',
		en: 'card-face code A (my number)'
	},
	'visual-b': {
		application: CardApplication.Visual,
		fid: VisualApFile.CollationB,
		maxTries: 3,
		rule: PinRule.CollationB,
		changeable: false,
		ja: '券面事項確認用の照合番号B',
		en: 'card-face code B'
	}
} as const satisfies Record<PinKind, PinSpec>;

export const ALL_PIN_KINDS: readonly PinKind[] = Object.values(PinKind);

export function isPinKind(value: unknown): value is PinKind {
	return typeof value === 'string' && Object.hasOwn(PinSpecs, value);
}
