import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../bytes';
import { changeApdu, readBinaryApdu, selectAidApdu, selectEfApdu, verifyApdu } from './card-test-helpers';
import { parseCommandApdu } from './command-apdu';
import { ALL_PIN_IDS } from './virtual-card-pin';
import { VirtualMynaCard } from './virtual-myna-card';

/** What any answer must satisfy: a status word at the end, no more data than Ne asked for. */
function checkResponse(command: Uint8Array, response: Uint8Array): void {
	expect(response.length).toBeGreaterThanOrEqual(2);
	const sw1 = response[response.length - 2]!;
	expect(sw1 === 0x90 || (sw1 >= 0x61 && sw1 <= 0x6f)).toBe(true);
	const dataLength = response.length - 2;
	const parsed = parseCommandApdu(command);
	if (!parsed.ok) {
		expect(response).toEqual(Uint8Array.of(0x67, 0x00));
		return;
	}
	expect(dataLength).toBeLessThanOrEqual(parsed.apdu.ne);
	if (dataLength > 0) expect([response[response.length - 2], response[response.length - 1]]).toEqual([0x90, 0x00]);
}

describe('VirtualMynaCard — property tests', () => {
	it('answers random bytes with a 2-byte status (6700 when malformed), never throws, never over-reads', async () => {
		const card = new VirtualMynaCard({ extendedLength: true });
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (bytes) => {
				const copy = bytes.slice();
				const response = await card.transmit(bytes);
				checkResponse(bytes, response);
				expect(bytes).toEqual(copy); // the command buffer is never changed
			}),
			{ numRuns: 3000 }
		);
	});

	it('answers random headers with plausible bodies in every application without breaking its rules', async () => {
		const header = fc.record({
			cla: fc.constantFrom(0x00, 0x80, 0x0c, 0x01, 0x10, 0xff),
			ins: fc.constantFrom(0xa4, 0xb0, 0x20, 0x24, 0x2a, 0xc0, 0xb2, 0x88),
			p1: fc.oneof(fc.constantFrom(0x00, 0x01, 0x02, 0x04, 0x80, 0x81, 0x86), fc.integer({ min: 0, max: 255 })),
			p2: fc.oneof(fc.constantFrom(0x00, 0x0c, 0x80), fc.integer({ min: 0, max: 255 }))
		});
		const body = fc.oneof(
			fc.constant(new Uint8Array(0)),
			fc.integer({ min: 0, max: 255 }).map((le) => Uint8Array.of(le)),
			fc.uint8Array({ minLength: 1, maxLength: 250 }).map((data) => concatBytes(Uint8Array.of(data.length), data)),
			fc
				.tuple(fc.uint8Array({ minLength: 1, maxLength: 250 }), fc.integer({ min: 0, max: 255 }))
				.map(([data, le]) => concatBytes(Uint8Array.of(data.length), data, Uint8Array.of(le)))
		);
		const randomCommand = fc.tuple(header, body).map(([h, b]) => concatBytes(Uint8Array.of(h.cla, h.ins, h.p1, h.p2), b));
		const knownCommand = fc.oneof(
			fc.constantFrom('jpki', 'text', 'visual', 'juki').map((app) => selectAidApdu(app as 'jpki')),
			fc.constantFrom(0x0001, 0x0002, 0x0006, 0x0008, 0x000a, 0x0011, 0x0012, 0x0013, 0x0017, 0x0018, 0x001a, 0x001b).map(selectEfApdu),
			fc.tuple(fc.integer({ min: 0, max: 0x7fff }), fc.integer({ min: 0, max: 255 })).map(([o, le]) => readBinaryApdu(o, le)),
			fc.constantFrom('1234', '0000', 'ABC123', 'WRONG1', '123456789018').map(verifyApdu),
			fc.constantFrom('1234', 'ABC123', '12').map(changeApdu),
			fc.constant(Uint8Array.of(0x00, 0x20, 0x00, 0x80))
		);
		await fc.assert(
			fc.asyncProperty(fc.array(fc.oneof(randomCommand, knownCommand), { minLength: 1, maxLength: 40 }), async (commands) => {
				const card = new VirtualMynaCard({ securityOnReselect: 'keep' });
				const triesBefore = new Map(ALL_PIN_IDS.map((id) => [id, card.triesLeft(id)]));
				for (const command of commands) {
					const response = await card.transmit(command);
					checkResponse(command, response);
					const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
					for (const id of ALL_PIN_IDS) {
						const now = card.triesLeft(id);
						const before = triesBefore.get(id)!;
						expect(now).toBeGreaterThanOrEqual(0);
						// A counter only goes down by one per command, and only goes up on a 9000.
						expect(now).toBeGreaterThanOrEqual(before - 1);
						if (now > before) expect(sw).toBe(0x9000);
						triesBefore.set(id, now);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});
});
