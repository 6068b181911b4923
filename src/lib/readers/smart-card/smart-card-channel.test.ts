import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorKind, isMynaError } from '../../errors';
import { parseSmartCardResponse, SmartCardChannel } from './smart-card-channel';

const fails = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('parseSmartCardResponse', () => {
	it('property: 2..65538 bytes come back as a copy, anything else is a Protocol error', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 70000 }), (length) => {
				const bytes = new Uint8Array(length).fill(0x90);
				if (length >= 2 && length <= 65538) {
					const parsed = parseSmartCardResponse(bytes.buffer);
					expect(parsed.length).toBe(length);
					bytes[0] = 0;
					expect(parsed[0]).toBe(0x90);
				} else {
					expect(() => parseSmartCardResponse(bytes)).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
				}
			}),
			{ numRuns: 200 }
		);
	});
});

describe('SmartCardChannel', () => {
	it('sends the exact command bytes and returns the response with its status word', async () => {
		const sent: number[][] = [];
		const channel = new SmartCardChannel({ transmit: async (c) => (sent.push([...c]), Uint8Array.of(0x01, 0x90, 0x00).buffer) }, Uint8Array.of(0x3b));
		expect([...(await channel.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c)))]).toEqual([0x01, 0x90, 0x00]);
		expect(sent).toEqual([[0x00, 0xa4, 0x04, 0x0c]]);
		expect(channel.capabilities).toEqual({ extendedLength: false, maxResponseData: 256 });
	});

	it('never has two transmits in flight at once, even when called concurrently', async () => {
		let inFlight = 0;
		let most = 0;
		const channel = new SmartCardChannel({
			transmit: async () => {
				most = Math.max(most, ++inFlight);
				await new Promise((r) => setTimeout(r, 2));
				inFlight--;
				return Uint8Array.of(0x90, 0x00);
			}
		});
		await Promise.all([1, 2, 3].map(() => channel.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))));
		expect(most).toBe(1);
	});

	it('an abort ends the wait with Aborted; an already aborted signal sends nothing', async () => {
		let release: () => void = () => {};
		let calls = 0;
		const channel = new SmartCardChannel({
			transmit: () => {
				calls++;
				return new Promise((r) => (release = () => r(Uint8Array.of(0x90, 0x00))));
			}
		});
		const controller = new AbortController();
		const pending = channel.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0), { signal: controller.signal });
		await new Promise((r) => setTimeout(r, 1));
		expect(calls).toBe(1);
		controller.abort();
		expect(isMynaError(await fails(pending), ErrorKind.Aborted)).toBe(true);
		release();
		expect(isMynaError(await fails(channel.transmit(Uint8Array.of(0), { signal: AbortSignal.abort() })), ErrorKind.Aborted)).toBe(true);
		expect(calls).toBe(1);
	});

	it('a SmartCardError from transmit becomes its typed error', async () => {
		const channel = new SmartCardChannel({ transmit: () => Promise.reject({ name: 'SmartCardError', message: 'm', responseCode: 'removed-card' }) });
		expect(isMynaError(await fails(channel.transmit(Uint8Array.of(0))), ErrorKind.CardRemoved)).toBe(true);
	});
});
