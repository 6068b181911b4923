/**
 * The length form of a command APDU as an APDU-level reader judges it (ISO 7816-3 §12.1.3): short, extended, or
 * not an APDU at all (lengths that match no case).
 */
export const ApduLengthForm = {
	Short: 'short',
	Extended: 'extended',
	Invalid: 'invalid'
} as const;
export type ApduLengthForm = (typeof ApduLengthForm)[keyof typeof ApduLengthForm];

export function apduLengthForm(apdu: Uint8Array): ApduLengthForm {
	const length = apdu.length;
	if (length < 4) return ApduLengthForm.Invalid;
	if (length <= 5) return ApduLengthForm.Short;
	const b4 = apdu[4]!;
	if (b4 !== 0) return length === 5 + b4 || length === 6 + b4 ? ApduLengthForm.Short : ApduLengthForm.Invalid;
	if (length === 7) return ApduLengthForm.Extended;
	if (length < 7) return ApduLengthForm.Invalid;
	const lc = (apdu[5]! << 8) | apdu[6]!;
	if (lc === 0) return ApduLengthForm.Invalid;
	return length === 7 + lc || length === 9 + lc ? ApduLengthForm.Extended : ApduLengthForm.Invalid;
}
