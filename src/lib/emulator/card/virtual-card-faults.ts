/**
 * Card-level fault injection for tests (the reader models have their own, for USB / transport faults).
 *
 * - `answerNext({ sw, data?, ins? })`: the next command (or the next one with that INS) is answered with `data` +
 *   `sw` without being processed: no state changes, no try spent. Calls queue up in order.
 * - `delayNext(ms, count = 1)`: the next `count` responses are held back `ms` milliseconds (after processing).
 * - `getResponse(true)`: T=0-style response chaining. Every response with data is replaced by `61 xx` (xx = length,
 *   00 for 256 or more) and the data is fetched with GET RESPONSE `00 C0 00 00 Le`; if more remains the card answers
 *   `61 yy` again, else the original status. Any other command drops the pending data.
 * - `wrongLength(true)`: a READ BINARY whose Ne is larger than what is left in the EF (and what is left is below 256)
 *   is answered `6C xx` (xx = bytes left) without data, so the host must re-send with Le = xx.
 * - `clear()`: all of the above off / emptied.
 */

export interface VirtualCardFaultAnswer {
	readonly sw: number;
	readonly data?: Uint8Array;
	/** Only a command with this INS consumes the answer; others are processed normally. */
	readonly ins?: number;
}

export class VirtualCardFaults {
	#answers: VirtualCardFaultAnswer[] = [];
	#delays: number[] = [];
	#getResponse = false;
	#wrongLength = false;

	answerNext(answer: VirtualCardFaultAnswer): void {
		if (!Number.isInteger(answer.sw) || answer.sw < 0 || answer.sw > 0xffff) throw new RangeError('sw must be 0000..FFFF');
		this.#answers.push({ sw: answer.sw, data: answer.data?.slice(), ins: answer.ins });
	}

	delayNext(ms: number, count = 1): void {
		if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('delay must be a finite, non-negative number of ms');
		for (let i = 0; i < count; i++) this.#delays.push(ms);
	}

	getResponse(enabled: boolean): void {
		this.#getResponse = enabled;
	}

	wrongLength(enabled: boolean): void {
		this.#wrongLength = enabled;
	}

	clear(): void {
		this.#answers = [];
		this.#delays = [];
		this.#getResponse = false;
		this.#wrongLength = false;
	}

	get getResponseEnabled(): boolean {
		return this.#getResponse;
	}

	get wrongLengthEnabled(): boolean {
		return this.#wrongLength;
	}

	/** Queued answers not consumed yet. */
	get pendingAnswers(): number {
		return this.#answers.length;
	}

	/** Used by the card: the first queued answer that applies to a command with this INS, removed from the queue. */
	takeAnswer(ins: number | undefined): VirtualCardFaultAnswer | undefined {
		const index = this.#answers.findIndex((a) => a.ins === undefined || a.ins === ins);
		if (index < 0) return undefined;
		return this.#answers.splice(index, 1)[0];
	}

	/** Used by the card: the delay for the response being sent now (0 when none is queued). */
	takeDelay(): number {
		return this.#delays.shift() ?? 0;
	}
}
