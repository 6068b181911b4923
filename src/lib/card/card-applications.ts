import { fromHex } from '../bytes';

/** The card's applications this layer speaks to (facts/jpki.md §1). */
export const CardApplication = {
	/** 公的個人認証AP (JPKI-AP). */
	Jpki: 'jpki',
	/** 券面事項入力補助AP. */
	Text: 'text',
	/** 券面AP (券面事項確認AP). */
	Visual: 'visual'
} as const;
export type CardApplication = (typeof CardApplication)[keyof typeof CardApplication];

export const ApplicationAid = {
	jpki: 'D392F000260100000001',
	text: 'D3921000310001010408',
	visual: 'D3921000310001010402'
} as const satisfies Record<CardApplication, string>;

export function applicationAid(application: CardApplication): Uint8Array {
	return fromHex(ApplicationAid[application]);
}

/** JPKI-AP elementary files (facts/jpki.md §2). */
export const JpkiFile = {
	SignCertificate: 0x0001,
	SignCaCertificate: 0x0002,
	TokenInfo: 0x0006,
	AuthCertificate: 0x000a,
	AuthCaCertificate: 0x000b,
	AuthKey: 0x0017,
	AuthPin: 0x0018,
	SignKey: 0x001a,
	SignPin: 0x001b
} as const;

/** 券面事項入力補助AP elementary files (facts/jpki.md §5). */
export const TextApFile = {
	MyNumber: 0x0001,
	BasicFourInfo: 0x0002,
	Pin: 0x0011,
	PinA: 0x0014,
	PinB: 0x0015
} as const;

/** 券面AP elementary files (facts/jpki.md §6). */
export const VisualApFile = {
	CardFace: 0x0002,
	CollationB: 0x0012,
	CollationA: 0x0013
} as const;
