/**
 * JPKI-AP EF 0006 starts with a 32-byte ASCII label padded with spaces or NULs; the label says which kind of JPKI
 * token answered (facts/jpki.md §1, §9.8). The rest of the EF is not used.
 */

export const JpkiTokenLabel = {
	MyNumberCard: 'JPKIAPICCTOKEN2',
	JukiCard: 'JPKIAPICCTOKEN',
	AndroidPhone: 'JPKIAPGPSETOKEN',
	/** One unattributed source only (facts/jpki.md §1, UNSURE). */
	IPhone: 'JPKIAPIOSTOKEN'
} as const;

export const TOKEN_LABEL_LENGTH = 32;

export const CardKind = {
	/** マイナンバーカード. */
	MyNumberCard: 'my-number-card',
	/** The old 住基カード (its JPKI certificates are long expired). */
	JukiCard: 'juki-card',
	/** スマホ用電子証明書 in a phone. */
	PhoneToken: 'phone-token',
	/** A JPKI-AP answered, with a label this layer does not know. */
	UnknownJpkiToken: 'unknown-jpki-token',
	/** No JPKI-AP: not a My Number Card, not a 住基カード, not a phone token. */
	NotJpki: 'not-jpki'
} as const;
export type CardKind = (typeof CardKind)[keyof typeof CardKind];

export const PhonePlatform = { Android: 'android', Ios: 'ios' } as const;
export type PhonePlatform = (typeof PhonePlatform)[keyof typeof PhonePlatform];

/**
 * The label in the first 32 bytes, without trailing spaces / NULs; undefined when it holds anything but printable
 * ASCII (then it is not a label this layer could match anyway).
 */
export function parseTokenLabel(bytes: Uint8Array): string | undefined {
	let end = Math.min(bytes.length, TOKEN_LABEL_LENGTH);
	while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x00)) end--;
	if (end === 0) return undefined;
	let label = '';
	for (let i = 0; i < end; i++) {
		const b = bytes[i]!;
		if (b < 0x20 || b > 0x7e) return undefined;
		label += String.fromCharCode(b);
	}
	return label;
}

export function classifyTokenLabel(label: string | undefined): { kind: CardKind; platform?: PhonePlatform } {
	switch (label) {
		case JpkiTokenLabel.MyNumberCard:
			return { kind: CardKind.MyNumberCard };
		case JpkiTokenLabel.JukiCard:
			return { kind: CardKind.JukiCard };
		case JpkiTokenLabel.AndroidPhone:
			return { kind: CardKind.PhoneToken, platform: PhonePlatform.Android };
		case JpkiTokenLabel.IPhone:
			return { kind: CardKind.PhoneToken, platform: PhonePlatform.Ios };
		default:
			return { kind: CardKind.UnknownJpkiToken };
	}
}
