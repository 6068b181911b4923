import type { ApduCard } from './card/apdu-card';

/** What an armed lab fault does instead of letting the card process a command. */
export type LabCommandFaultAction = 'remove-card' | 'unplug';

/**
 * A fault for the kiosk fault matrix: the `atCommand`-th command APDU (1-based, counted from arming) that the
 * card in the reader's slot receives triggers `action` instead of being processed. One-shot.
 */
export interface LabCommandFault {
	readonly atCommand: number;
	readonly action: LabCommandFaultAction;
	readonly slot?: number;
}

/** Thrown to the reader model for the command a fault swallowed (the model sees a card that went away). */
export class CardCommandFaultError extends Error {
	override readonly name = 'CardCommandFaultError';
}

/**
 * Sits between one reader slot and the card in it: counts the command APDUs the card receives and fires an armed
 * fault at the Nth. Every reader model (CCID APDU and TPDU level, Sony RC-S300/RC-S380, the emulated Web Smart Card
 * API) hands each APDU to `ApduCard.transmit`, so counting there is the same for all of them.
 */
export class CardCommandTap {
	#count = 0;
	#armed: { left: number; fire: () => void } | undefined;

	/** Command APDUs the card received since it was inserted (or since `resetCount`); a swallowed one is not counted. */
	get count(): number {
		return this.#count;
	}

	resetCount(): void {
		this.#count = 0;
	}

	/** Arms `fire` for the `atCommand`-th command from now (replacing a fault armed before). */
	arm(atCommand: number, fire: () => void): void {
		if (!Number.isSafeInteger(atCommand) || atCommand < 1) throw new RangeError(`atCommand must be an integer ≥ 1, got ${atCommand}`);
		this.#armed = { left: atCommand, fire };
	}

	get armed(): boolean {
		return this.#armed !== undefined;
	}

	/** The card as the reader sees it; the count starts again at 0 (a new insertion). */
	wrap(card: ApduCard): ApduCard {
		this.#count = 0;
		const transmit = (apdu: Uint8Array): Promise<Uint8Array> => {
			const armed = this.#armed;
			if (armed && --armed.left <= 0) {
				this.#armed = undefined;
				armed.fire();
				return Promise.reject(new CardCommandFaultError('the lab took the card away before this command'));
			}
			this.#count++;
			return card.transmit(apdu);
		};
		return {
			get atr() {
				return card.atr;
			},
			transmit,
			reset: () => card.reset()
		};
	}
}
