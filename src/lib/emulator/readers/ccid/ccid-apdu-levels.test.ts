import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../bytes';
import { CcidCommandType } from './ccid-constants';
import type { CcidResponse } from './ccid-message';
import { createCcidReaderModel } from './ccid-reader-model';
import type { CcidReaderProfileId } from './ccid-reader-profiles';
import { CcidTestHost, openCcid } from './testing/ccid-test-host';
import { FakeApduCard, askFor, extendedCase3, patternResponse } from './testing/fake-apdu-card';

async function poweredReader(id: CcidReaderProfileId, slot = 0, card = new FakeApduCard()) {
	const model = createCcidReaderModel(id);
	const address = model.slots[slot]!;
	const host = await openCcid(model.spec, model, model.profile.interfaces[address.interfaceNumber]!.endpoints, {
		interfaceNumber: address.interfaceNumber
	});
	model.insertCard(card, slot);
	const atr = await host.exchange(CcidCommandType.IccPowerOn, { slot: address.bSlot });
	expect(atr.status).toBe(0);
	return { model, host, card };
}

const xfr = (host: CcidTestHost, data: Uint8Array, level = 0) =>
	host.exchange(CcidCommandType.XfrBlock, { specific: [0, level & 0xff, level >> 8], data });

/**
 * The host half of extended-APDU chaining as libccid does it (CmdXfrBlockAPDU_extended): command parts of
 * dwMaxCCIDMessageLength − 10 with wLevelParameter 1, 3, 2, an empty DataBlock read after each non-final part,
 * then response parts fetched with empty XfrBlocks, wLevelParameter 0x10, while bChainParameter says 1, 3 or 0x10.
 */
async function transmitExtended(host: CcidTestHost, apdu: Uint8Array, maxMessage: number, trace: number[] = []): Promise<Uint8Array> {
	const room = maxMessage - 10;
	let offset = 0;
	let level = apdu.length > room ? 0x01 : 0x00;
	for (;;) {
		const part = apdu.subarray(offset, offset + room);
		offset += part.length;
		if (level !== 0x00 && offset >= apdu.length) level = 0x02;
		const answer = await xfr(host, part, level);
		trace.push(level, answer.specific);
		if (level === 0x00 || level === 0x02) {
			const parts = [answer];
			let last: CcidResponse = answer;
			while ([0x01, 0x03, 0x10].includes(last.specific)) {
				last = await xfr(host, new Uint8Array(0), 0x10);
				trace.push(0x10, last.specific);
				parts.push(last);
			}
			for (const p of parts) expect(p.status).toBe(0);
			return concatBytes(...parts.map((p) => p.data));
		}
		expect(answer.data).toHaveLength(0);
		level = 0x03;
	}
}

describe('short APDU level (ACR1251 Dual, contact interface 1, 288-byte messages)', () => {
	it('carries one short APDU per XfrBlock and its response, up to 256 data bytes + SW', async () => {
		const { host, card } = await poweredReader('acr1251-dual', 1);
		expect(host.endpoints.bulkOut).toBe(4);
		const answer = await xfr(host, askFor(256));
		expect(answer).toMatchObject({ messageType: 0x80, status: 0, error: 0, specific: 0 });
		expect(toHex(answer.data)).toBe(toHex(patternResponse(256)));
		expect(toHex(card.received[0]!)).toBe('b0000100');
	});

	it('refuses an extended APDU (and any length matching no APDU case) with bError 0xBE, without the card', async () => {
		const { host, card } = await poweredReader('acr1251-dual', 1);
		expect(await xfr(host, fromHex('00 B0 00 00 00 01 00'))).toMatchObject({ status: 0x40, error: 0xbe });
		expect(await xfr(host, fromHex('00 A4 04 00 05 01'))).toMatchObject({ status: 0x40, error: 0xbe });
		expect(card.received).toHaveLength(0);
	});

	it('reports a card answer longer than 256 + 2 as an overrun (0xFC)', async () => {
		const { host } = await poweredReader('acr1251-dual', 1, new FakeApduCard({ respond: () => patternResponse(300) }));
		expect(await xfr(host, fromHex('00B00000'))).toMatchObject({ status: 0x40, error: 0xfc });
	});

	it('keeps the two interfaces apart: a card in slot 1 is not in the PICC interface', async () => {
		const { model } = await poweredReader('acr1251-dual', 1);
		expect(model.hasCard(1)).toBe(true);
		expect(model.hasCard(0)).toBe(false);
		expect(model.slots).toEqual([
			{ interfaceNumber: 0, bSlot: 0, medium: 'contactless' },
			{ interfaceNumber: 1, bSlot: 0, medium: 'contact' }
		]);
	});
});

describe('extended APDU level (wLevelParameter / bChainParameter chaining)', () => {
	it('sends a 300-byte command whole and a 2000-byte response in 512-byte parts on a 522-byte reader', async () => {
		const { host, card } = await poweredReader('acr1252u');
		// case 4E: header, Lc 0123, 291 data bytes, Le 07D0 — 300 bytes
		const command = concatBytes(extendedCase3(298), fromHex('07D0'));
		card.respond = () => patternResponse(1998);
		const trace: number[] = [];
		const response = await transmitExtended(host, command, 522, trace);
		expect(toHex(card.received[0]!)).toBe(toHex(command));
		expect(toHex(response)).toBe(toHex(patternResponse(1998)));
		// [wLevelParameter sent, bChainParameter received] pairs
		expect(trace).toEqual([0x00, 0x01, 0x10, 0x03, 0x10, 0x03, 0x10, 0x02]);
	});

	it('takes a 1200-byte command in parts 1, 3, 2, each non-final part answered by an empty DataBlock (bChainParameter 0x10)', async () => {
		const { host, card } = await poweredReader('acr1252u');
		const command = extendedCase3(1200);
		const first = await xfr(host, command.subarray(0, 512), 0x01);
		expect(toHex(first.data)).toBe('');
		expect(first).toMatchObject({ status: 0, error: 0, specific: 0x10 });
		expect(await xfr(host, command.subarray(512, 1024), 0x03)).toMatchObject({ status: 0, specific: 0x10, data: new Uint8Array(0) });
		expect(card.received).toHaveLength(0);
		const last = await xfr(host, command.subarray(1024), 0x02);
		expect(toHex(card.received[0]!)).toBe(toHex(command));
		// the echo (1202 bytes) comes back in parts too
		expect(last.specific).toBe(0x01);
		expect(last.data).toHaveLength(512);
	});

	it('uses the uTrust 3700 F message size (1034): 1024-byte parts', async () => {
		const { host, card } = await poweredReader('utrust-3700f');
		card.respond = () => patternResponse(2000);
		const trace: number[] = [];
		expect(await transmitExtended(host, fromHex('00B00000'), 1034, trace)).toHaveLength(2002);
		expect(trace).toEqual([0x00, 0x01, 0x10, 0x02]);
	});

	it('refuses out-of-sequence wLevelParameter values with bError 0x08 and forgets the chain', async () => {
		const { host } = await poweredReader('acr1252u');
		expect(await xfr(host, new Uint8Array(0), 0x10)).toMatchObject({ status: 0x40, error: 0x08 });
		expect(await xfr(host, fromHex('00B00000'), 0x02)).toMatchObject({ status: 0x40, error: 0x08 });
		expect(await xfr(host, fromHex('00B00000'), 0x04)).toMatchObject({ status: 0x40, error: 0x08 });
		await xfr(host, extendedCase3(600).subarray(0, 512), 0x01);
		expect(await xfr(host, fromHex('00B00000'), 0x00)).toMatchObject({ status: 0x40, error: 0x08 });
		// the chain was dropped: a fresh APDU works
		expect(await xfr(host, fromHex('00B00000'))).toMatchObject({ status: 0, specific: 0x00 });
	});

	it('refuses a new APDU while response parts are still pending (the host must fetch them)', async () => {
		const { host } = await poweredReader('acr1252u');
		expect(await xfr(host, askFor(1000))).toMatchObject({ specific: 0x01 });
		expect(await xfr(host, fromHex('00B00000'))).toMatchObject({ status: 0x40, error: 0x08 });
	});

	it('refuses a reassembled command that is no APDU with bError 0xBE', async () => {
		const { host, card } = await poweredReader('acr1252u');
		expect(await xfr(host, fromHex('00 A4 04 00 05 01'))).toMatchObject({ status: 0x40, error: 0xbe });
		expect(card.received).toHaveLength(0);
	});

	it('round-trips any command and response size through the libccid chaining algorithm', async () => {
		const { host, card } = await poweredReader('acr1252u');
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 8, max: 3000 }), fc.integer({ min: 0, max: 5000 }), async (commandLength, responseLength) => {
				card.respond = () => patternResponse(responseLength);
				const command = extendedCase3(commandLength);
				const response = await transmitExtended(host, command, 522);
				expect(toHex(card.received.at(-1)!)).toBe(toHex(command));
				expect(toHex(response)).toBe(toHex(patternResponse(responseLength)));
			}),
			{ numRuns: 40 }
		);
	});
});
