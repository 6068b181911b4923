/**
 * Faults both Sony reader models take, at creation (`faults` option) or later (`injectFault`):
 * - `remove-card`: the card leaves the field after `afterExchanges` more RF exchanges (0 = now); later exchanges
 *   time out as with no card.
 * - `wtx-storm`: before its next APDU answer the card sends `count` S(WTX) with `wtxm` (default 1), one at a time.
 * - `crc-error`: the card's next `count` (default 1) frames arrive with a wrong CRC_B; the reader reports a CRC error
 *   (the host should send R(NAK)).
 * - `corrupt-frame`: the reader's next response message is damaged in its USB framing: RC-S380, the Port-100 DCS is
 *   wrong; RC-S300, the CCID dwLength does not match the bytes that follow.
 * - `busy`: the reader refuses the next `count` commands. RC-S380: the frames are swallowed (no ACK, no response;
 *   the host must time out, send an ACK to cancel and repeat). RC-S300: RDR_to_PC_Escape with bStatus 0x40 and
 *   bError 0xE0 "slot busy", which the Sony library retries after 50 ms (facts/rcs300.md §1.1).
 */
export type SonyReaderFault =
	| { readonly type: 'remove-card'; readonly afterExchanges: number }
	| { readonly type: 'wtx-storm'; readonly count: number; readonly wtxm?: number }
	| { readonly type: 'crc-error'; readonly count?: number }
	| { readonly type: 'corrupt-frame' }
	| { readonly type: 'busy'; readonly count: number };

export function checkFaultCount(count: number, name: string): number {
	if (!Number.isInteger(count) || count < 0) throw new RangeError(`${name} must be a non-negative integer`);
	return count;
}
