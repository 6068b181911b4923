import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../bytes';
import { T1Edc, T1SBlockType, decodeT1Block, encodeT1Block, iBlock, rBlock, sBlock, type T1Block } from './t1-block';
import { T1CardEngine } from './t1-card-engine';
import { FakeApduCard, askFor, patternResponse, t1Atr } from './testing/fake-apdu-card';

const lrcBlock = (block: T1Block) => encodeT1Block(block, T1Edc.Lrc);
const parse = (bytes: Uint8Array | undefined) => {
	if (!bytes) throw new Error('card was silent');
	return decodeT1Block(bytes, T1Edc.Lrc);
};
const hex = (block: T1Block) => toHex(lrcBlock(block));

function setup(atr?: Uint8Array) {
	const card = new FakeApduCard({ atr });
	const engine = new T1CardEngine(card, { acceptPps: false });
	return { card, engine };
}

describe('T1CardEngine: I-blocks and sequence numbers', () => {
	it('answers an I-block with an I-block carrying the response, N(S) alternating on both sides', async () => {
		const { card, engine } = setup();
		const first = await engine.receive(lrcBlock(iBlock(0, false, fromHex('00A4040C02'))));
		expect(toHex(first!)).toBe(hex(iBlock(0, false, fromHex('00A4040C029000'))));
		const second = parse(await engine.receive(lrcBlock(iBlock(1, false, fromHex('00B00000')))));
		expect(second.pcb).toBe(0x40);
		expect(card.received.map((a) => toHex(a))).toEqual(['00a4040c02', '00b00000']);
	});

	it('answers a repeated host I-block with its last block again, without asking the card twice', async () => {
		const { card, engine } = setup();
		const command = lrcBlock(iBlock(0, false, fromHex('00B00000')));
		const answer = await engine.receive(command);
		expect(toHex((await engine.receive(command))!)).toBe(toHex(answer!));
		expect(card.received).toHaveLength(1);
	});

	it('refuses an I-block with the wrong N(S) or a non-zero NAD with R(other error) naming the expected N(S)', async () => {
		const { engine } = setup();
		expect(toHex((await engine.receive(lrcBlock(iBlock(1, false, fromHex('00B00000')))))!)).toBe(hex(rBlock(0, 0x02)));
		expect(toHex((await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000'), 0x21))))!)).toBe(hex(rBlock(0, 0x02)));
	});

	it('stays silent on an empty input (nothing reached the card)', async () => {
		expect(await setup().engine.receive(new Uint8Array(0))).toBeUndefined();
	});
});

describe('T1CardEngine: chaining', () => {
	it('takes a chained command within IFSC (TA3), acknowledging each part with R(next N(S))', async () => {
		const { card, engine } = setup(t1Atr(0x10));
		expect(engine.ifsc).toBe(16);
		const apdu = concatBytes(fromHex('80100000 22'), Uint8Array.from({ length: 34 }, (_, i) => i));
		const parts = [apdu.subarray(0, 16), apdu.subarray(16, 32), apdu.subarray(32)];
		expect(toHex((await engine.receive(lrcBlock(iBlock(0, true, parts[0]!))))!)).toBe(hex(rBlock(1)));
		expect(toHex((await engine.receive(lrcBlock(iBlock(1, true, parts[1]!))))!)).toBe(hex(rBlock(0)));
		// the echo (39 + 2 bytes) is longer than IFSD 32: the answer is chained too
		const answer = parse(await engine.receive(lrcBlock(iBlock(0, false, parts[2]!))));
		expect(answer.pcb).toBe(0x20);
		expect(toHex(card.received[0]!)).toBe(toHex(apdu));
	});

	it('refuses an I-block longer than IFSC', async () => {
		const { engine, card } = setup(t1Atr(0x10));
		expect(toHex((await engine.receive(lrcBlock(iBlock(0, false, new Uint8Array(17)))))!)).toBe(hex(rBlock(0, 0x02)));
		expect(card.received).toHaveLength(0);
	});

	it('sends a long response in IFSD-sized I-blocks (32 by default), each released by R(next N(S))', async () => {
		const { engine } = setup();
		const chunks: Uint8Array[] = [];
		let block = parse(await engine.receive(lrcBlock(iBlock(0, false, askFor(98)))));
		chunks.push(block.inf);
		const pcbs = [block.pcb];
		let nr = 1;
		while (block.pcb & 0x20) {
			block = parse(await engine.receive(lrcBlock(rBlock(nr))));
			chunks.push(block.inf);
			pcbs.push(block.pcb);
			nr ^= 1;
		}
		expect(pcbs).toEqual([0x20, 0x60, 0x20, 0x40]);
		expect(chunks.map((c) => c.length)).toEqual([32, 32, 32, 4]);
		expect(toHex(concatBytes(...chunks))).toBe(toHex(patternResponse(98)));
	});

	it('retransmits the last chained block when the R-block names it instead of the next one', async () => {
		const { engine } = setup();
		const first = await engine.receive(lrcBlock(iBlock(0, false, askFor(60))));
		expect(toHex((await engine.receive(lrcBlock(rBlock(0))))!)).toBe(toHex(first!));
	});

	it('drops a chain on S(ABORT request) and answers S(ABORT response)', async () => {
		const { engine } = setup();
		await engine.receive(lrcBlock(iBlock(0, false, askFor(100))));
		expect(toHex((await engine.receive(lrcBlock(sBlock(T1SBlockType.Abort, false))))!)).toBe(hex(sBlock(T1SBlockType.Abort, true)));
		const next = parse(await engine.receive(lrcBlock(iBlock(1, false, fromHex('00B00000')))));
		expect(next.pcb).toBe(0x40);
	});
});

describe('T1CardEngine: S-blocks', () => {
	it('raises IFSD on S(IFS request) and then sends up to that many bytes per block', async () => {
		const { engine } = setup();
		expect(toHex((await engine.receive(lrcBlock(sBlock(T1SBlockType.Ifs, false, fromHex('FE')))))!)).toBe('00e101fe1e');
		expect(engine.ifsd).toBe(254);
		const first = parse(await engine.receive(lrcBlock(iBlock(0, false, askFor(298)))));
		expect(first.inf).toHaveLength(254);
		const second = parse(await engine.receive(lrcBlock(rBlock(1))));
		expect(second.inf).toHaveLength(46);
		expect(second.pcb).toBe(0x40);
	});

	it('refuses S(IFS request) with IFSD 00 or FF', async () => {
		const { engine } = setup();
		expect(toHex((await engine.receive(lrcBlock(sBlock(T1SBlockType.Ifs, false, fromHex('FF')))))!)).toBe(hex(rBlock(0, 0x02)));
		expect(engine.ifsd).toBe(32);
	});

	it('resets both sequence numbers on S(RESYNCH request)', async () => {
		const { engine } = setup();
		await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000'))));
		expect(toHex((await engine.receive(lrcBlock(sBlock(T1SBlockType.Resynch, false))))!)).toBe('00e000e0');
		const answer = parse(await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000')))));
		expect(answer.pcb).toBe(0x00);
	});

	it('sends S(WTX request) the armed number of times before the answer, each released by S(WTX response)', async () => {
		const { engine, card } = setup();
		engine.requestWtx(2, 3);
		const wtx = hex(sBlock(T1SBlockType.Wtx, false, fromHex('03')));
		expect(toHex((await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000')))))!)).toBe(wtx);
		expect(card.received).toHaveLength(0);
		const response = lrcBlock(sBlock(T1SBlockType.Wtx, true, fromHex('03')));
		expect(toHex((await engine.receive(response))!)).toBe(wtx);
		const answer = parse(await engine.receive(response));
		expect(toHex(answer.inf)).toBe('00b000009000');
		expect(card.received).toHaveLength(1);
	});

	it('refuses an S(WTX response) whose multiplier differs, and one that nothing asked for', async () => {
		const { engine } = setup();
		expect(toHex((await engine.receive(lrcBlock(sBlock(T1SBlockType.Wtx, true, fromHex('01')))))!)).toBe(hex(rBlock(0, 0x02)));
		engine.requestWtx(1, 2);
		await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000'))));
		expect(toHex((await engine.receive(lrcBlock(sBlock(T1SBlockType.Wtx, true, fromHex('01')))))!)).toBe(hex(rBlock(1, 0x02)));
	});
});

describe('T1CardEngine: transmission errors', () => {
	it('answers a block with a bad LRC by R(N(R), EDC error), then takes the good copy', async () => {
		const { engine, card } = setup();
		const good = lrcBlock(iBlock(0, false, fromHex('00B00000')));
		const bad = good.slice();
		bad[bad.length - 1]! ^= 0x55;
		expect(toHex((await engine.receive(bad))!)).toBe(hex(rBlock(0, 0x01)));
		expect(card.received).toHaveLength(0);
		expect(parse(await engine.receive(good)).pcb).toBe(0x00);
	});

	it('sends a corrupted LRC once on request; R(N(R) = that block) gets the intact block', async () => {
		const { engine } = setup();
		engine.corruptNextEdc();
		const corrupted = (await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000')))))!;
		expect(() => decodeT1Block(corrupted, T1Edc.Lrc)).toThrow();
		const again = await engine.receive(lrcBlock(rBlock(0, 0x01)));
		expect(toHex(parse(again).inf)).toBe('00b000009000');
		expect(toHex(again!.slice(0, -1))).toBe(toHex(corrupted.slice(0, -1)));
	});

	it('uses CRC when the ATR says so (TC3 bit 0)', async () => {
		const card = new FakeApduCard({ atr: t1Atr(0xfe, 0x45, 0x01) });
		const engine = new T1CardEngine(card);
		const answer = await engine.receive(encodeT1Block(iBlock(0, false, fromHex('00B00000')), T1Edc.Crc));
		expect(toHex(decodeT1Block(answer!, T1Edc.Crc).inf)).toBe('00b000009000');
		const lrcOnly = lrcBlock(iBlock(1, false, fromHex('00B00000')));
		expect(decodeT1Block((await engine.receive(lrcOnly))!, T1Edc.Crc).pcb).toBe(0x92);
	});
});

describe('T1CardEngine: PPS after reset', () => {
	it('echoes a PPS request it accepts when the reader left PPS to the host', async () => {
		const engine = new T1CardEngine(new FakeApduCard());
		expect(toHex((await engine.receive(fromHex('FF 11 11 FF')))!)).toBe('ff1111ff');
	});

	it('keeps Fd/Dd (no PPS1 in the answer) for a PPS1 beyond TA1, and stays silent on a bad PCK', async () => {
		expect(toHex((await new T1CardEngine(new FakeApduCard()).receive(fromHex('FF 11 96 78')))!)).toBe('ff01fe');
		expect(await new T1CardEngine(new FakeApduCard()).receive(fromHex('FF 11 11 00'))).toBeUndefined();
		expect(await new T1CardEngine(new FakeApduCard()).receive(fromHex('FF 10 EF'))).toBeUndefined();
	});

	it('treats a PPS as a bad block once the reader has done PPS itself, or after the first exchange', async () => {
		expect(toHex((await new T1CardEngine(new FakeApduCard(), { acceptPps: false }).receive(fromHex('FF 11 11 FF')))!)).toBe(hex(rBlock(0, 0x02)));
		const engine = new T1CardEngine(new FakeApduCard());
		await engine.receive(lrcBlock(iBlock(0, false, fromHex('00B00000'))));
		expect(parse(await engine.receive(fromHex('FF 11 11 FF'))).pcb).toBe(0x92);
		engine.reset();
		expect(toHex((await engine.receive(fromHex('FF 11 11 FF')))!)).toBe('ff1111ff');
	});
});

describe('T1CardEngine: arbitrary input', () => {
	const blockBytes = fc.oneof(
		fc.uint8Array({ maxLength: 40 }),
		fc
			.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
			.map(([pcb, inf]) => encodeT1Block({ nad: 0, pcb, inf }, T1Edc.Lrc))
	);

	it('answers every sequence of blocks with a valid T=1 block within IFSD, or silence; never throws, never hangs', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(blockBytes, { maxLength: 25 }), fc.boolean(), async (blocks, pps) => {
				const engine = new T1CardEngine(new FakeApduCard(), { acceptPps: pps });
				for (const bytes of blocks) {
					const answer = await engine.receive(bytes);
					if (answer === undefined) continue;
					if (answer[0] === 0xff) continue; // a PPS answer
					const block = decodeT1Block(answer, T1Edc.Lrc);
					expect(block.inf.length).toBeLessThanOrEqual(engine.ifsd);
				}
			}),
			{ numRuns: 200 }
		);
	});
});
