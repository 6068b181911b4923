import type { Remote } from 'comlink';
import type { AgeThreshold } from '../card/age-check';
import type { BasicFourInfo, BasicInfoField } from '../card/basic-four-info';
import type { CardImage } from '../card/card-face';
import type { PinStatus } from '../card/pin-guard';
import type { PinKind } from '../card/pin-specs';
import type { CardWorkerApi } from '../card/worker-api';
import { ErrorKind, type ErrorData } from '../errors';
import { cardClient, type CardClient } from './card-client';
import { CARD_GONE_KINDS } from './pins.svelte';

/** What the resident chose to read: some of the 4 info, or only whether an age is reached. */
export type InfoRequest = { readonly mode: 'fields'; readonly fields: readonly BasicInfoField[] } | { readonly mode: 'age'; readonly age: AgeThreshold };

/** Which part of the page an operation or its answer belongs to. */
export type InfoTask = 'info' | 'my-number' | 'photo';

/** How a read behind a PIN or code ended. */
export type InfoOutcome =
	| { readonly result: 'done' }
	| { readonly result: 'wrong'; readonly pin: PinKind; readonly triesLeft: number }
	| { readonly result: 'blocked'; readonly pin: PinKind; readonly justBlocked: boolean }
	| { readonly result: 'last-try'; readonly pin: PinKind }
	| { readonly result: 'failed'; readonly error: ErrorData };

export type PhotoProblem = 'decode-failed' | 'unknown-format';

/** Turns a card image into a Blob; the /info page passes the JPEG 2000 decoder, loaded only there. */
export type CardImageRenderer = (image: CardImage) => Promise<{ blob: Blob; width?: number; height?: number }>;

/**
 * Adapts the card worker for the /info page. Personal data (the 4 info, the age answer, the my number, the photo)
 * lives only in this object, only while the card is there: `wipe()` forgets all of it and revokes the photo's blob
 * URL; it runs on card removal, reader unplug (`use(undefined)`), a card-gone error, the 「表示を消す」 button and when
 * the page is left. Nothing is persisted. No PIN is kept: each is handed straight to the worker.
 */
export class InfoState {
	statuses: Partial<Record<PinKind, PinStatus>> = $state({});
	statusLoading = $state(false);

	request: InfoRequest | undefined = $state();
	info: BasicFourInfo | undefined = $state();
	age: { readonly age: AgeThreshold; readonly atLeast: boolean } | undefined = $state();
	myNumber: string | undefined = $state();
	photo: { readonly url: string; readonly width?: number; readonly height?: number } | undefined = $state();
	photoProblem: PhotoProblem | undefined = $state();

	busy: InfoTask | undefined = $state();
	outcome: { readonly task: InfoTask; readonly outcome: InfoOutcome } | undefined = $state();
	cardGone = $state(false);

	readonly #api: Remote<CardWorkerApi>;
	#client: CardClient | undefined;
	#readerKey: string | undefined;
	#generation = 0;
	#operationId: string | undefined;
	#nextOperation = 1;

	constructor(api: Remote<CardWorkerApi>) {
		this.#api = api;
	}

	get hasPersonalData(): boolean {
		return this.info !== undefined || this.age !== undefined || this.myNumber !== undefined || this.photo !== undefined;
	}

	/** Follows the reader holding the card; undefined (removed, unplugged) wipes everything. */
	use(readerKey: string | undefined): void {
		if (readerKey === this.#readerKey) return;
		const hadCard = this.#readerKey !== undefined;
		this.wipe();
		this.statuses = {};
		this.#readerKey = readerKey;
		this.#client = readerKey === undefined ? undefined : cardClient(this.#api, readerKey);
		this.cardGone = hadCard && readerKey === undefined;
	}

	/** Reads retry counters (no try spent) so the guard can be shown before anything is typed. */
	async refreshStatuses(pins: readonly PinKind[]): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const generation = this.#generation;
		this.statusLoading = true;
		const answer = await client.pinStatuses({ pins });
		if (generation !== this.#generation) return;
		this.statusLoading = false;
		if (answer.ok) {
			const next = { ...this.statuses };
			for (const status of answer.statuses) next[status.pin] = status;
			this.statuses = next;
		} else if (CARD_GONE_KINDS.includes(answer.error.kind)) {
			this.#cardGone();
		}
	}

	/** The chosen 4 info fields, or only the yes/no of the age check (`isAtLeast`: the birth date never comes back). */
	async read(request: InfoRequest, pin: string, confirmLastTry: boolean): Promise<InfoOutcome | undefined> {
		return this.#run('info', ['text'], async (client, operationId) => {
			if (request.mode === 'age') {
				// The moment of the check, not state: nothing reactive about it.
				// eslint-disable-next-line svelte/prefer-svelte-reactivity
				const now = new Date();
				const answer = await client.isAtLeast(pin, request.age, now, { confirmLastTry, operationId });
				if (!answer.ok) return answer.error;
				return () => {
					this.request = request;
					this.info = undefined;
					this.age = { age: request.age, atLeast: answer.atLeast };
				};
			}
			// A plain copy: a reactive proxy cannot be posted to the worker.
			const answer = await client.readBasicInfo(pin, { fields: [...request.fields], confirmLastTry, operationId });
			if (!answer.ok) return answer.error;
			return () => {
				this.request = request;
				this.age = undefined;
				this.info = answer.info;
			};
		});
	}

	/** The my number, only on this explicit call. */
	async readMyNumber(pin: string, confirmLastTry: boolean): Promise<InfoOutcome | undefined> {
		return this.#run('my-number', ['text'], async (client, operationId) => {
			const answer = await client.readMyNumber(pin, { confirmLastTry, operationId });
			if (!answer.ok) return answer.error;
			return () => {
				this.myNumber = answer.myNumber;
			};
		});
	}

	/** The face photo, behind 照合番号A (the my number read before) or 照合番号B (typed by the resident). */
	async readPhoto(collation: 'A' | 'B', codeB: string, confirmLastTry: boolean, render: CardImageRenderer): Promise<InfoOutcome | undefined> {
		const value = collation === 'A' ? this.myNumber : codeB;
		if (value === undefined) return undefined;
		const pin: PinKind = collation === 'A' ? 'visual-a' : 'visual-b';
		return this.#run('photo', [pin], async (client, operationId) => {
			const answer = await client.readCardFace({ collation, value }, { parts: ['photo'], confirmLastTry, operationId });
			if (!answer.ok) return answer.error;
			const image = answer.face.photo;
			if (!image) return { kind: ErrorKind.FileNotFound, message: 'No photo' };
			let rendered: Awaited<ReturnType<CardImageRenderer>> | undefined;
			let problem: PhotoProblem | undefined;
			try {
				rendered = await render(image);
			} catch (error) {
				problem = (error as { reason?: string })?.reason === 'unknown-format' ? 'unknown-format' : 'decode-failed';
			}
			return () => {
				this.#revokePhoto();
				this.photoProblem = problem;
				if (rendered) this.photo = { url: URL.createObjectURL(rendered.blob), width: rendered.width, height: rendered.height };
			};
		});
	}

	/** Forgets the 4 info or the age answer only (to read other items). */
	clearBasic(): void {
		this.request = undefined;
		this.info = undefined;
		this.age = undefined;
		if (this.outcome?.task === 'info') this.outcome = undefined;
	}

	hideMyNumber(): void {
		this.myNumber = undefined;
	}

	cancel(): void {
		const id = this.#operationId;
		if (id) void this.#client?.cancel(id);
	}

	clearOutcome(): void {
		this.outcome = undefined;
	}

	/** Forgets every personal value and the photo (its blob URL revoked); answers still on their way are dropped. */
	wipe(): void {
		this.#generation++;
		this.#revokePhoto();
		this.request = undefined;
		this.info = undefined;
		this.age = undefined;
		this.myNumber = undefined;
		this.photoProblem = undefined;
		this.busy = undefined;
		this.outcome = undefined;
		this.statusLoading = false;
		this.#operationId = undefined;
	}

	#revokePhoto(): void {
		if (this.photo) URL.revokeObjectURL(this.photo.url);
		this.photo = undefined;
	}

	#cardGone(): void {
		this.wipe();
		this.statuses = {};
		this.cardGone = true;
	}

	/**
	 * Runs one read: `work` answers either an error or a function that stores the result (applied only if the card
	 * is still the same one). The counters of `pins` are read again afterwards.
	 */
	async #run(
		task: InfoTask,
		pins: readonly PinKind[],
		work: (client: CardClient, operationId: string) => Promise<ErrorData | (() => unknown)>
	): Promise<InfoOutcome | undefined> {
		const client = this.#client;
		if (!client || this.busy) return undefined;
		const generation = this.#generation;
		const operationId = `info-${task}-${this.#nextOperation++}`;
		this.#operationId = operationId;
		this.busy = task;
		this.outcome = undefined;
		this.cardGone = false;
		let answer: ErrorData | (() => unknown);
		try {
			answer = await work(client, operationId);
		} catch {
			answer = { kind: ErrorKind.Internal, message: 'The card worker did not answer' };
		}
		if (generation !== this.#generation) return undefined;
		this.busy = undefined;
		this.#operationId = undefined;
		if (typeof answer !== 'function' && CARD_GONE_KINDS.includes(answer.kind)) {
			this.#cardGone();
			return undefined;
		}
		let outcome: InfoOutcome;
		if (typeof answer === 'function') {
			answer();
			outcome = { result: 'done' };
		} else {
			outcome = toOutcome(answer);
		}
		this.outcome = { task, outcome };
		await this.refreshStatuses(pins);
		return outcome;
	}
}

function toOutcome(error: ErrorData): InfoOutcome {
	const pin = error.details?.['pin'];
	const kind = (typeof pin === 'string' ? pin : 'text') as PinKind;
	const tries = error.details?.['triesLeft'];
	switch (error.kind) {
		case ErrorKind.PinWrong:
			return { result: 'wrong', pin: kind, triesLeft: typeof tries === 'number' ? tries : 0 };
		case ErrorKind.PinBlocked:
			return { result: 'blocked', pin: kind, justBlocked: error.details?.['justBlocked'] === true };
		case ErrorKind.PinLastTry:
			return { result: 'last-try', pin: kind };
		default:
			return { result: 'failed', error };
	}
}
