/**
 * ISO 7816-4 status words the virtual My Number Card answers with. Only the ones this card uses; each comment
 * says when. See `facts/jpki.md` §3 for the PIN-related ones.
 */
export const CardStatusWord = {
	/** Normal processing. */
	ok: 0x9000,
	/** Wrong length: malformed APDU, extended APDU on a short-only card, Lc/Le not acceptable for the command. */
	wrongLength: 0x6700,
	/** Logical channel bits set in CLA (the card has only the basic channel). */
	logicalChannelNotSupported: 0x6881,
	/** Secure-messaging bits set in CLA (JPKI has no secure messaging). */
	secureMessagingNotSupported: 0x6882,
	/** Command-chaining bit set in CLA. */
	chainingNotSupported: 0x6884,
	/** The current EF is a PIN or key EF and cannot be read. */
	incompatibleFileStructure: 0x6981,
	/** The security state required for the command is not reached (PIN not verified in this session). */
	securityStatusNotSatisfied: 0x6982,
	/** The PIN is blocked (no tries left); nothing was compared. */
	authenticationMethodBlocked: 0x6984,
	/** Conditions of use not satisfied (GET RESPONSE with nothing pending, a PIN that cannot be changed). */
	conditionsNotSatisfied: 0x6985,
	/** No current EF (READ BINARY before any SELECT EF). */
	noCurrentEf: 0x6986,
	/** Incorrect data field (new PIN in the wrong format, malformed FID). */
	wrongData: 0x6a80,
	/** File or application not found. */
	fileNotFound: 0x6a82,
	/** Incorrect P1 or P2. */
	incorrectP1P2: 0x6a86,
	/** Referenced data not found (VERIFY / CHANGE with no PIN EF selected). */
	referencedDataNotFound: 0x6a88,
	/** Wrong parameters P1-P2: READ BINARY offset at or past the end of the EF. */
	wrongP1P2: 0x6b00,
	/** INS not supported. */
	insNotSupported: 0x6d00,
	/** CLA not supported. */
	claNotSupported: 0x6e00,
	/** No precise diagnosis (an internal error of the emulator; never carries details). */
	noPreciseDiagnosis: 0x6f00
} as const;

export type CardStatusWordValue = (typeof CardStatusWord)[keyof typeof CardStatusWord];

/** `63 Cx`: verification failed (or, for an empty VERIFY, the retry counter), x = tries left (0..15). */
export function retryCounterStatus(triesLeft: number): number {
	return 0x63c0 | Math.max(0, Math.min(15, triesLeft));
}

/** `61 xx`: xx more response bytes are available with GET RESPONSE (00 means 256 or more). */
export function bytesAvailableStatus(count: number): number {
	return 0x6100 | (count >= 256 ? 0 : count);
}

/** `6C xx`: wrong Le; resend the command with Le = xx. */
export function wrongLeStatus(exactLength: number): number {
	return 0x6c00 | (exactLength & 0xff);
}

export function statusBytes(sw: number): Uint8Array {
	return Uint8Array.of((sw >>> 8) & 0xff, sw & 0xff);
}
