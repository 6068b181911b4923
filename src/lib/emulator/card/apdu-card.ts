/**
 * What a reader model needs from a card: the ISO 7816-4 APDU level. The virtual My Number Card implements it,
 * and so could a bridge to a real PC/SC card. Contact readers deliver `atr`; contactless readers see the same
 * application layer through ISO-DEP.
 */
export interface ApduCard {
	/** Answer-to-reset bytes for a contact reader (T=1). */
	readonly atr: Uint8Array;
	/** One command APDU in, response data + SW1 SW2 out. */
	transmit(apdu: Uint8Array): Promise<Uint8Array>;
	/** Power cycle or RF reset: the selection and verified PINs are forgotten; retry counters persist. */
	reset(): void;
}
