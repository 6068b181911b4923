import { PNP_NOTIFICATION_READER, type SmartCardReaderStateIn, type SmartCardReaderStateOut } from './smart-card-api';

/** What the watcher reports: readers appearing and leaving, cards going in and out. */
export type SmartCardReaderEvent =
	| { type: 'reader-added'; readerName: string }
	| { type: 'reader-removed'; readerName: string }
	| { type: 'card-inserted'; readerName: string; atr?: Uint8Array }
	| { type: 'card-removed'; readerName: string };

/** Bounds on what the API hands back: PC/SC reader names are short; an ATR has at most 33 bytes; counts are 16 bits. */
export const SMART_CARD_STATE_LIMITS = { readerNameLength: 256, atrLength: 33, eventCount: 0xffff, readers: 64 } as const;

interface TrackedReader {
	present: boolean;
	/** The last event count the service reported, or undefined before the first report (then `unaware`). */
	count: number | undefined;
}

function validName(name: unknown): name is string {
	return typeof name === 'string' && name.length > 0 && name.length <= SMART_CARD_STATE_LIMITS.readerNameLength;
}

function validCount(count: unknown): count is number {
	return typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= SMART_CARD_STATE_LIMITS.eventCount;
}

function atrOf(buffer: unknown): Uint8Array | undefined {
	if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || buffer.byteLength > SMART_CARD_STATE_LIMITS.atrLength) return undefined;
	return new Uint8Array(buffer.slice(0));
}

/**
 * The page's picture of the PC/SC readers, updated from `listReaders` and `getStatusChange` answers (strictly:
 * entries with a bad name are ignored, a bad count or ATR is treated as absent, at most 64 readers). Cards are
 * compared by event count as well as by flags, so a card swapped between two waits shows as removed then inserted.
 */
export class SmartCardReaderStates {
	#readers = new Map<string, TrackedReader>();
	#pnpCount: number | undefined;

	get readerNames(): string[] {
		return [...this.#readers.keys()];
	}

	isPresent(readerName: string): boolean {
		return this.#readers.get(readerName)?.present ?? false;
	}

	/** From `listReaders`: readers new to us are added (card state unknown yet), missing ones removed. */
	setReaders(names: readonly unknown[]): SmartCardReaderEvent[] {
		const listed = [...new Set(names.filter(validName))].filter((name) => name !== PNP_NOTIFICATION_READER).slice(0, SMART_CARD_STATE_LIMITS.readers);
		const events: SmartCardReaderEvent[] = [];
		for (const name of [...this.#readers.keys()]) if (!listed.includes(name)) events.push(...this.#remove(name));
		for (const name of listed) {
			if (this.#readers.has(name)) continue;
			this.#readers.set(name, { present: false, count: undefined });
			events.push({ type: 'reader-added', readerName: name });
		}
		return events;
	}

	/** Forgets every reader (the service went away): each one's card and the reader itself are reported gone. */
	clear(): SmartCardReaderEvent[] {
		const events = [...this.#readers.keys()].flatMap((name) => this.#remove(name));
		this.#pnpCount = undefined;
		return events;
	}

	/** The states to wait on: ours as we last saw them (`unaware` until the first report), plus the PnP pseudo-reader if asked. */
	statesIn(withPnp: boolean): SmartCardReaderStateIn[] {
		const states: SmartCardReaderStateIn[] = [...this.#readers.entries()].map(([readerName, reader]) =>
			reader.count === undefined
				? { readerName, currentState: { unaware: true } }
				: { readerName, currentState: reader.present ? { present: true } : { empty: true }, currentCount: reader.count }
		);
		if (withPnp) {
			states.push(
				this.#pnpCount === undefined
					? { readerName: PNP_NOTIFICATION_READER, currentState: { unaware: true } }
					: { readerName: PNP_NOTIFICATION_READER, currentState: {}, currentCount: this.#pnpCount }
			);
		}
		return states;
	}

	/** Applies a `getStatusChange` answer. `relist` = the reader list may have changed (PnP event, a reader unavailable). */
	update(states: readonly SmartCardReaderStateOut[]): { events: SmartCardReaderEvent[]; relist: boolean } {
		const events: SmartCardReaderEvent[] = [];
		let relist = false;
		for (const state of states.slice(0, SMART_CARD_STATE_LIMITS.readers + 1)) {
			if (typeof state !== 'object' || state === null || !validName(state.readerName)) continue;
			const flags = typeof state.eventState === 'object' && state.eventState !== null ? state.eventState : {};
			const count = validCount(state.eventCount) ? state.eventCount : undefined;
			if (state.readerName === PNP_NOTIFICATION_READER) {
				if (count !== undefined && this.#pnpCount !== undefined && count !== this.#pnpCount) relist = true;
				if (flags.changed) relist = true;
				this.#pnpCount = count;
				continue;
			}
			const reader = this.#readers.get(state.readerName);
			if (!reader) continue;
			if (flags.unknown || flags.unavailable) {
				events.push(...this.#remove(state.readerName));
				relist = true;
				continue;
			}
			const present = flags.present === true && flags.empty !== true;
			// Two or more events since our last look while a card was in before and after: it was swapped.
			const swapped = reader.present && present && reader.count !== undefined && count !== undefined && count - reader.count >= 2;
			if (reader.present && (!present || swapped)) events.push({ type: 'card-removed', readerName: state.readerName });
			if (present && (!reader.present || swapped)) {
				const atr = atrOf(state.answerToReset);
				events.push(atr ? { type: 'card-inserted', readerName: state.readerName, atr } : { type: 'card-inserted', readerName: state.readerName });
			}
			reader.present = present;
			reader.count = count ?? reader.count ?? 0;
		}
		return { events, relist };
	}

	#remove(name: string): SmartCardReaderEvent[] {
		const reader = this.#readers.get(name);
		if (!reader) return [];
		this.#readers.delete(name);
		return reader.present
			? [
					{ type: 'card-removed', readerName: name },
					{ type: 'reader-removed', readerName: name }
				]
			: [{ type: 'reader-removed', readerName: name }];
	}
}
