import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CCID_RESPONSE_FOR, CcidCommandType, isCcidCommandType } from './ccid-constants';
import { decodeCcidResponse, encodeCcidCommand } from './ccid-message';
import { createCcidReaderModel } from './ccid-reader-model';
import type { CcidReaderProfileId } from './ccid-reader-profiles';
import { T1Edc, encodeT1Block } from './t1-block';
import { openCcid, settledWithin } from './testing/ccid-test-host';
import { FakeApduCard } from './testing/fake-apdu-card';

const commandTypes = [...Object.values(CcidCommandType), 0x00, 0x50, 0x80, 0xff];

/** Messages near the real ones (any type, slot 0–2, any header bytes, short abData or a T=1-looking block) and raw noise. */
const message = fc.oneof(
	fc
		.record({
			type: fc.constantFrom(...commandTypes),
			slot: fc.integer({ min: 0, max: 2 }),
			seq: fc.integer({ min: 0, max: 255 }),
			specific: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(0, 1, 2, 3, 0x10, 0x7f), fc.constantFrom(0, 1)),
			data: fc.oneof(
				fc.uint8Array({ maxLength: 24 }),
				fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 20 })).map(([pcb, inf]) => encodeT1Block({ nad: 0, pcb, inf }, T1Edc.Lrc))
			)
		})
		.map(({ type, slot, seq, specific, data }) => encodeCcidCommand({ messageType: type, slot, seq, specific, data })),
	fc.uint8Array({ minLength: 1, maxLength: 30 })
);

async function check(id: CcidReaderProfileId, messages: Uint8Array[]) {
	const model = createCcidReaderModel(id, { muteTimeoutMs: 1 });
	const host = await openCcid(model.spec, model, model.profile.interfaces[0]!.endpoints);
	model.insertCard(new FakeApduCard(), 0);
	if (model.slots.length > 1) model.insertCard(new FakeApduCard(), 1);
	for (const bytes of messages) {
		await host.sendRaw(bytes);
		const raw = await settledWithin(host.receiveRaw(), 500);
		expect(raw).not.toBe('pending');
		const response = decodeCcidResponse(raw as Uint8Array);
		const type = bytes[0]!;
		expect(response.messageType).toBe(isCcidCommandType(type) ? CCID_RESPONSE_FOR[type] : 0x81);
		expect(response.seq).toBe(bytes[6] ?? 0);
		expect(response.slot).toBe(bytes[5] ?? 0);
		// a failed command carries an error; a success never carries data beyond the message limit
		if (response.status & 0x40) expect(response.data).toHaveLength(0);
		expect(raw.length).toBeLessThanOrEqual(model.profile.interfaces[0]!.descriptor.dwMaxCCIDMessageLength);
	}
}

describe('CCID reader: arbitrary host messages', () => {
	for (const id of ['acr1252u', 'acr39u', 'scr331-di-nttcom'] as const) {
		it(`${id}: each message gets exactly one well-formed answer of the right type, bSeq and bSlot echoed, no hang`, async () => {
			await fc.assert(
				fc.asyncProperty(fc.array(message, { maxLength: 12 }), (messages) => check(id, messages)),
				{ numRuns: 60 }
			);
		});
	}
});
