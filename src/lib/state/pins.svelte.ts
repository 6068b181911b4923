import type { Remote } from 'comlink';
import type { PinStatus } from '../card/pin-guard';
import type { ChangeablePinKind, PinKind } from '../card/pin-specs';
import type { CardWorkerApi } from '../card/worker-api';
import { ErrorKind, type ErrorData } from '../errors';
import { cardClient, type CardClient } from './card-client';

/** The PINs the /pins page lists: the three a resident uses, and the 券面AP codes where the card has them. */
export const LISTED_PINS = ['auth', 'sign', 'text', 'visual-a', 'visual-b'] as const satisfies readonly PinKind[];

/** The PINs a resident can change (the card layer's ChangeablePinKind). */
export const CHANGEABLE_PINS = ['auth', 'sign', 'text'] as const satisfies readonly ChangeablePinKind[];

/** How one PIN change ended, as the page tells it. */
export type PinChangeOutcome =
	| { readonly result: 'changed'; readonly pin: ChangeablePinKind }
	| { readonly result: 'wrong'; readonly pin: ChangeablePinKind; readonly triesLeft: number }
	| { readonly result: 'blocked'; readonly pin: ChangeablePinKind; readonly justBlocked: boolean }
	| { readonly result: 'last-try'; readonly pin: ChangeablePinKind }
	| { readonly result: 'failed'; readonly pin: ChangeablePinKind; readonly error: ErrorData };

/** Errors that mean the card (or the reader) went away: the page then forgets what it showed. */
export const CARD_GONE_KINDS: readonly string[] = [ErrorKind.CardRemoved, ErrorKind.CardAbsent, ErrorKind.ReaderUnplugged, ErrorKind.NoReader];

/**
 * Adapts the card worker for the /pins page: the retry counters (read with the empty VERIFY, no try spent) and PIN
 * change. Follows the reader holding the card (`use`); answers about a card that has since gone are dropped.
 * Never holds a PIN: `change` passes them straight to the worker.
 */
export class PinsState {
	statuses: PinStatus[] | undefined = $state();
	loading = $state(false);
	loadError: ErrorData | undefined = $state();
	changing = $state(false);
	outcome: PinChangeOutcome | undefined = $state();
	/** The card was taken away (or the reader unplugged) while this page showed it. */
	cardGone = $state(false);

	readonly #api: Remote<CardWorkerApi>;
	#readerKey: string | undefined;
	#client: CardClient | undefined;
	#generation = 0;
	#operationId: string | undefined;
	#nextOperation = 1;

	constructor(api: Remote<CardWorkerApi>) {
		this.#api = api;
	}

	get readerKey(): string | undefined {
		return this.#readerKey;
	}

	/** Follows the active reader: a new key reads the counters; undefined (card removed) forgets everything. */
	use(readerKey: string | undefined): void {
		if (readerKey === this.#readerKey) return;
		const hadCard = this.#readerKey !== undefined;
		this.wipe();
		this.#readerKey = readerKey;
		this.#client = readerKey === undefined ? undefined : cardClient(this.#api, readerKey);
		this.cardGone = hadCard && readerKey === undefined;
		if (readerKey !== undefined) void this.refresh();
	}

	status(pin: PinKind): PinStatus | undefined {
		return this.statuses?.find((s) => s.pin === pin);
	}

	/** Reads every listed counter; no try is spent. */
	async refresh(): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const generation = this.#generation;
		this.loading = true;
		this.loadError = undefined;
		const answer = await client.pinStatuses({ pins: LISTED_PINS });
		if (generation !== this.#generation) return;
		this.loading = false;
		if (answer.ok) this.statuses = answer.statuses;
		else this.#failed(answer.error);
	}

	/**
	 * VERIFY of the current PIN (behind the card layer's guard) and CHANGE REFERENCE DATA. `confirmLastTry` only after
	 * the user ticked the last-try confirmation. The counters are read again afterwards, whatever happened.
	 */
	async change(pin: ChangeablePinKind, currentPin: string, newPin: string, confirmLastTry: boolean): Promise<PinChangeOutcome | undefined> {
		const client = this.#client;
		if (!client || this.changing) return undefined;
		const generation = this.#generation;
		const operationId = `pins-change-${this.#nextOperation++}`;
		this.#operationId = operationId;
		this.changing = true;
		this.outcome = undefined;
		const answer = await client.changePin(pin, currentPin, newPin, { confirmLastTry, operationId });
		if (generation !== this.#generation) return undefined;
		this.changing = false;
		this.#operationId = undefined;
		const outcome = toOutcome(pin, answer.ok ? undefined : answer.error);
		if (outcome.result === 'failed' && CARD_GONE_KINDS.includes(outcome.error.kind)) {
			this.#failed(outcome.error);
			return undefined;
		}
		this.outcome = outcome;
		await this.refresh();
		return outcome;
	}

	/** Stops a running change (it then ends as `aborted`). */
	cancel(): void {
		const id = this.#operationId;
		if (id) void this.#client?.cancel(id);
	}

	clearOutcome(): void {
		this.outcome = undefined;
	}

	/** Forgets everything read from the card; late answers are dropped. */
	wipe(): void {
		this.#generation++;
		this.statuses = undefined;
		this.loading = false;
		this.loadError = undefined;
		this.changing = false;
		this.outcome = undefined;
		this.#operationId = undefined;
	}

	#failed(error: ErrorData): void {
		const gone = CARD_GONE_KINDS.includes(error.kind);
		if (gone) {
			this.wipe();
			this.cardGone = true;
		}
		this.loadError = error;
	}
}

function toOutcome(pin: ChangeablePinKind, error: ErrorData | undefined): PinChangeOutcome {
	if (!error) return { result: 'changed', pin };
	const tries = error.details?.['triesLeft'];
	switch (error.kind) {
		case ErrorKind.PinWrong:
			return { result: 'wrong', pin, triesLeft: typeof tries === 'number' ? tries : 0 };
		case ErrorKind.PinBlocked:
			return { result: 'blocked', pin, justBlocked: error.details?.['justBlocked'] === true };
		case ErrorKind.PinLastTry:
			return { result: 'last-try', pin };
		default:
			return { result: 'failed', pin, error };
	}
}
