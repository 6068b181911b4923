import type { ApduCard } from '../card/apdu-card';

/** What changed on a PC/SC reader, for the emulated resource manager's `getStatusChange`. */
export type VirtualPcscReaderChange = 'card-inserted' | 'card-removed' | 'unplugged' | 'replugged';

/**
 * One reader as the PC/SC service (pcsclite, WinSCard) shows it to the Web Smart Card API: a name, at most one
 * card, and an event counter that goes up on every insertion and removal (what `SCARD_STATE` reports in its upper
 * 16 bits). Unplugged, it leaves the reader list; replugged, it comes back holding the card that stayed in its slot
 * (as a USB reader does: pulling the cable does not eject the card), powered up afresh.
 */
export class VirtualPcscReader {
	readonly name: string;
	#card: ApduCard | undefined;
	#plugged = true;
	#eventCount = 0;
	/** Bumped at every insertion, so a connection knows its card is gone even if another one is in now. */
	#insertion = 0;
	#listeners = new Set<(change: VirtualPcscReaderChange) => void>();
	/** A PC/SC failure for the next transmit to this reader (lab fault), e.g. `unresponsive-card`. */
	nextTransmitFailure: string | undefined;

	constructor(name: string) {
		this.name = name;
	}

	get plugged(): boolean {
		return this.#plugged;
	}

	get eventCount(): number {
		return this.#eventCount;
	}

	get insertion(): number {
		return this.#insertion;
	}

	get card(): ApduCard | undefined {
		return this.#plugged ? this.#card : undefined;
	}

	hasCard(): boolean {
		return this.card !== undefined;
	}

	insertCard(card: ApduCard): void {
		if (!this.#plugged) throw new Error(`reader ${this.name} is unplugged`);
		if (this.#card) this.removeCard();
		card.reset();
		this.#card = card;
		this.#insertion++;
		this.#eventCount++;
		this.#emit('card-inserted');
	}

	removeCard(): void {
		if (!this.#card) return;
		this.#card = undefined;
		this.#eventCount++;
		this.#emit('card-removed');
	}

	unplug(): void {
		if (!this.#plugged) return;
		this.#plugged = false;
		this.#eventCount++;
		this.#emit('unplugged');
	}

	replug(): void {
		if (this.#plugged) return;
		this.#plugged = true;
		this.#eventCount = 0;
		if (this.#card) {
			this.#card.reset();
			this.#insertion++;
			this.#eventCount++;
		}
		this.#emit('replugged');
	}

	onChange(listener: (change: VirtualPcscReaderChange) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(change: VirtualPcscReaderChange): void {
		for (const listener of [...this.#listeners]) listener(change);
	}
}
