import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PNP_NOTIFICATION_READER, type SmartCardReaderStateOut } from './smart-card-api';
import { SmartCardReaderStates } from './smart-card-reader-states';

const out = (readerName: string, present: boolean, eventCount: number, extra: Partial<SmartCardReaderStateOut['eventState']> = {}): SmartCardReaderStateOut => ({
	readerName,
	eventState: { ...(present ? { present: true } : { empty: true }), changed: true, ...extra },
	eventCount
});

describe('SmartCardReaderStates', () => {
	it('asks unaware first, then waits on what it saw, with the PnP pseudo-reader', () => {
		const states = new SmartCardReaderStates();
		expect(states.setReaders(['A', 'A', '', PNP_NOTIFICATION_READER])).toEqual([{ type: 'reader-added', readerName: 'A' }]);
		expect(states.statesIn(true)).toEqual([
			{ readerName: 'A', currentState: { unaware: true } },
			{ readerName: PNP_NOTIFICATION_READER, currentState: { unaware: true } }
		]);
		const atr = Uint8Array.of(0x3b, 0x00).buffer;
		expect(states.update([{ ...out('A', true, 5), answerToReset: atr }]).events).toEqual([{ type: 'card-inserted', readerName: 'A', atr: Uint8Array.of(0x3b, 0x00) }]);
		expect(states.statesIn(false)).toEqual([{ readerName: 'A', currentState: { present: true }, currentCount: 5 }]);
	});

	it('an unavailable or unknown reader is removed (its card first) and the list is read again', () => {
		const states = new SmartCardReaderStates();
		states.setReaders(['A']);
		states.update([out('A', true, 1)]);
		expect(states.update([out('A', false, 2, { unavailable: true })])).toEqual({
			events: [
				{ type: 'card-removed', readerName: 'A' },
				{ type: 'reader-removed', readerName: 'A' }
			],
			relist: true
		});
	});

	it('ignores an oversized ATR and a bad event count instead of trusting them', () => {
		const states = new SmartCardReaderStates();
		states.setReaders(['A']);
		const update = states.update([{ ...out('A', true, -3), answerToReset: new Uint8Array(34).buffer }]);
		expect(update.events).toEqual([{ type: 'card-inserted', readerName: 'A' }]);
	});

	it('property: for any sequence of insertions and removals between waits, the events alternate inserted/removed and end where the card is', () => {
		fc.assert(
			fc.property(fc.array(fc.array(fc.boolean(), { maxLength: 4 }), { maxLength: 30 }), (rounds) => {
				const states = new SmartCardReaderStates();
				states.setReaders(['A']);
				let present = false;
				let count = 0;
				const events: string[] = [];
				for (const toggles of rounds) {
					// Each `true` is a card going in (if out) or out (if in) before the next wait returns.
					for (const toggle of toggles) if (toggle) {
						present = !present;
						count++;
					}
					for (const event of states.update([out('A', present, count)]).events) events.push(event.type);
				}
				for (let i = 0; i < events.length; i++) expect(events[i]).toBe(i % 2 === 0 ? 'card-inserted' : 'card-removed');
				expect(events.length % 2 === 1).toBe(present);
			})
		);
	});

	it('property: never throws on arbitrary answers', () => {
		fc.assert(
			fc.property(fc.array(fc.anything()), fc.array(fc.anything()), (names, answers) => {
				const states = new SmartCardReaderStates();
				states.setReaders(names);
				states.update(answers as SmartCardReaderStateOut[]);
				expect(states.readerNames.length).toBeLessThanOrEqual(64);
			})
		);
	});
});
