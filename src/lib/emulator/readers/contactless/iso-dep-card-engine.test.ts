import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../bytes';
import { FixedResponseCard } from './fixed-response-card';
import { parseIsoDepBlock } from './iso-dep-block';
import { IsoDepCardEngine, IsoDepCardPhase, IsoDepSilence, type IsoDepCardEngineOptions, type IsoDepCardReply } from './iso-dep-card-engine';

const SELECT = fromHex('00a4040c0ad392f000260100000001');
const READ_256 = fromHex('00b0000000');
const LONG = Uint8Array.from({ length: 256 }, (_, i) => i);
const OK = fromHex('9000');

function setup(options: Partial<IsoDepCardEngineOptions> = {}) {
	const card = new FixedResponseCard([
		[SELECT, OK],
		[READ_256, concatBytes(LONG, OK)]
	]);
	const engine = new IsoDepCardEngine({ card, fsc: 256, fsd: 256, cid: 0, cidSupported: true, ...options });
	const send = async (hex: string | Uint8Array): Promise<IsoDepCardReply> => engine.receive(typeof hex === 'string' ? fromHex(hex) : hex);
	const block = async (hex: string | Uint8Array): Promise<string> => {
		const reply = await send(hex);
		if (reply.type !== 'block') throw new Error(`card was silent: ${reply.reason}`);
		return toHex(reply.block);
	};
	return { card, engine, send, block };
}

const iBlock = (pcb: number, inf: Uint8Array) => concatBytes(new Uint8Array([pcb]), inf);

describe('IsoDepCardEngine: block numbers', () => {
	it('starts at block number 1 and answers each I-block with the host block number', async () => {
		const { engine, block } = setup();
		expect(engine.blockNumber).toBe(1);
		expect(await block(iBlock(0x02, SELECT))).toBe('029000');
		expect(await block(iBlock(0x03, SELECT))).toBe('039000');
		expect(engine.blockNumber).toBe(1);
	});

	it('re-sends its last block for a repeated I-block instead of running the APDU again', async () => {
		const { card, block } = setup();
		expect(await block(iBlock(0x02, SELECT))).toBe('029000');
		expect(await block(iBlock(0x02, READ_256))).toBe('029000');
		expect(card.received).toHaveLength(1);
	});

	it('stays silent for an I-block with the wrong number before it has sent anything', async () => {
		const { card, send } = setup();
		expect(await send(iBlock(0x03, SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.nothingToResend });
		expect(card.received).toHaveLength(0);
	});

	it('re-sends its last block for R(ACK) or R(NAK) carrying its current block number (rule 11)', async () => {
		const { block } = setup();
		await block(iBlock(0x02, SELECT));
		expect(await block('a2')).toBe('029000');
		expect(await block('b2')).toBe('029000');
	});

	it('answers R(NAK) with the other block number by R(ACK): the presence check (rule 12)', async () => {
		const { block } = setup();
		expect(await block('b2')).toBe('a3');
		await block(iBlock(0x02, SELECT));
		expect(await block('b3')).toBe('a2');
		expect(await block(iBlock(0x03, SELECT))).toBe('039000');
	});

	it('treats R(ACK) with a new number outside chaining as a protocol error', async () => {
		const { send, block } = setup();
		await block(iBlock(0x02, SELECT));
		expect(await send('a3')).toEqual({ type: 'silent', reason: IsoDepSilence.unexpectedAck });
	});
});

describe('IsoDepCardEngine: chaining', () => {
	it('chains a 256-byte + 9000 answer within FSD 256 (254-byte frames + CRC)', async () => {
		const { block, engine } = setup();
		const first = await block(iBlock(0x02, READ_256));
		expect(first.slice(0, 2)).toBe('12');
		expect(first.length / 2).toBe(254);
		expect(engine.phase).toBe(IsoDepCardPhase.sendingChain);
		const second = await block('a3');
		expect(second).toBe(`03${toHex(LONG.subarray(253))}9000`);
		expect(engine.phase).toBe(IsoDepCardPhase.ready);
	});

	it('re-sends a chained block the host did not get (R(NAK) with the card number)', async () => {
		const { block } = setup();
		const first = await block(iBlock(0x02, READ_256));
		expect(await block('b2')).toBe(first);
		expect((await block('a3')).slice(0, 2)).toBe('03');
	});

	it('never sends a frame longer than FSD, whatever FSDI and answer length', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 700 }), fc.boolean(), async (fsdi, length, useCid) => {
				const fsd = [16, 24, 32, 40, 48, 64, 96, 128, 256][fsdi]!;
				const answer = Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff);
				const card = new FixedResponseCard([[SELECT, answer]]);
				const engine = new IsoDepCardEngine({ card, fsc: 256, fsd, cid: 0, cidSupported: true });
				const prologue = useCid ? [0x0a, 0x00] : [0x02];
				let reply = await engine.receive(concatBytes(new Uint8Array(prologue), SELECT));
				const collected: Uint8Array[] = [];
				let hostNumber = 0;
				for (let guard = 0; guard < 200; guard++) {
					if (reply.type !== 'block') throw new Error(reply.reason);
					expect(reply.block.length + 2).toBeLessThanOrEqual(fsd);
					const parsed = parseIsoDepBlock(reply.block);
					if (!parsed.ok || parsed.block.type !== 'I') throw new Error('expected an I-block');
					expect(parsed.block.blockNumber).toBe(hostNumber);
					expect(parsed.block.cid).toBe(useCid ? 0 : undefined);
					collected.push(parsed.block.inf);
					if (!parsed.block.chaining) break;
					hostNumber ^= 1;
					reply = await engine.receive(new Uint8Array(useCid ? [0xaa | hostNumber, 0x00] : [0xa2 | hostNumber]));
				}
				expect(toHex(concatBytes(...collected))).toBe(toHex(answer));
			}),
			{ numRuns: 150 }
		);
	});

	it('takes a chained command, acknowledging each block, and runs it once complete', async () => {
		const { card, block } = setup();
		expect(await block(iBlock(0x12, SELECT.subarray(0, 6)))).toBe('a2');
		expect(await block(iBlock(0x13, SELECT.subarray(6, 10)))).toBe('a3');
		expect(card.received).toHaveLength(0);
		expect(await block(iBlock(0x02, SELECT.subarray(10)))).toBe('029000');
		expect(card.received.map((apdu) => toHex(apdu))).toEqual([toHex(SELECT)]);
	});

	it('re-sends its R(ACK) when the host repeats a chained block it thinks was lost', async () => {
		const { card, block } = setup();
		expect(await block(iBlock(0x12, SELECT.subarray(0, 6)))).toBe('a2');
		expect(await block(iBlock(0x12, SELECT.subarray(0, 6)))).toBe('a2');
		expect(await block(iBlock(0x03, SELECT.subarray(6)))).toBe('039000');
		expect(toHex(card.received[0]!)).toBe(toHex(SELECT));
	});

	it('does not receive a frame longer than FSC', async () => {
		const { send } = setup({ fsc: 32 });
		expect(await send(iBlock(0x02, new Uint8Array(30)))).toEqual({ type: 'silent', reason: IsoDepSilence.frameTooLong });
		expect((await send(iBlock(0x02, new Uint8Array(29)))).type).toBe('block');
		const { send: send256 } = setup();
		expect(await send256(iBlock(0x02, new Uint8Array(254)))).toEqual({ type: 'silent', reason: IsoDepSilence.frameTooLong });
	});

	it('drops its chained answer when the host sends a new I-block in the middle', async () => {
		const { send, block } = setup();
		await block(iBlock(0x02, READ_256));
		expect(await send(iBlock(0x03, SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.iBlockDuringChaining });
	});
});

describe('IsoDepCardEngine: WTX', () => {
	it('sends N S(WTX) before the answer; each must be echoed with the same WTXM', async () => {
		const { engine, block, card } = setup();
		engine.requestWtx(2, 10);
		expect(await block(iBlock(0x02, SELECT))).toBe('f20a');
		expect(await block('f20a')).toBe('f20a');
		expect(await block('f20a')).toBe('029000');
		expect(card.received).toHaveLength(1);
		// the request applies to one answer only
		expect(await block(iBlock(0x03, SELECT))).toBe('039000');
	});

	it('re-sends the S(WTX) for R(NAK) with its block number', async () => {
		const { engine, block } = setup();
		engine.requestWtx(1, 3);
		expect(await block(iBlock(0x02, SELECT))).toBe('f203');
		expect(await block('b2')).toBe('f203');
		expect(await block('f203')).toBe('029000');
	});

	it('loses the answer when the host answers S(WTX) with R(ACK)', async () => {
		const { engine, send, block } = setup();
		engine.requestWtx(1, 5);
		expect(await block(iBlock(0x02, READ_256))).toBe('f205');
		expect(await send('a2')).toEqual({ type: 'silent', reason: IsoDepSilence.expectedWtxResponse });
		expect(await send('b2')).toEqual({ type: 'silent', reason: IsoDepSilence.nothingToResend });
		expect(await send('f205')).toEqual({ type: 'silent', reason: IsoDepSilence.unexpectedWtxResponse });
	});

	it('loses the answer when the echoed WTXM differs', async () => {
		const { engine, send, block } = setup();
		engine.requestWtx(1, 5);
		await block(iBlock(0x02, SELECT));
		expect(await send('f206')).toEqual({ type: 'silent', reason: IsoDepSilence.wrongWtxm });
	});

	it('refuses WTXM outside 1..59', () => {
		const { engine } = setup();
		expect(() => engine.requestWtx(1, 0)).toThrow(RangeError);
		expect(() => engine.requestWtx(1, 60)).toThrow(RangeError);
	});
});

describe('IsoDepCardEngine: DESELECT, CID, NAD, presence', () => {
	it('answers S(DESELECT) and then stays silent', async () => {
		const { send } = setup();
		expect(await send('c2')).toEqual({ type: 'block', block: fromHex('c2'), deselected: true });
		expect(await send(iBlock(0x02, SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.deselected });
	});

	it('with CID 0 assigned, answers blocks with or without CID, mirroring the host', async () => {
		const { block, send } = setup();
		expect(await block(concatBytes(fromHex('0a00'), SELECT))).toBe('0a009000');
		expect(await block(concatBytes(fromHex('03'), SELECT))).toBe('039000');
		expect(await send(concatBytes(fromHex('0a01'), SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.otherCid });
		expect(await block('ca00')).toBe('ca00');
	});

	it('with CID 2 assigned, ignores blocks without CID', async () => {
		const { block, send } = setup({ cid: 2 });
		expect(await send(iBlock(0x02, SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.cidMissing });
		expect(await block(concatBytes(fromHex('0a02'), SELECT))).toBe('0a029000');
	});

	it('ignores CID bytes when it does not support CID, and any NAD', async () => {
		const { send } = setup({ cidSupported: false });
		expect(await send(concatBytes(fromHex('0a00'), SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.cidNotSupported });
		expect(await send(concatBytes(fromHex('0600'), SELECT))).toEqual({ type: 'silent', reason: IsoDepSilence.nadNotSupported });
	});

	it('answers an empty I-block with an empty I-block without asking the card', async () => {
		const { block, card } = setup();
		expect(await block('02')).toBe('02');
		expect(card.received).toHaveLength(0);
	});

	it('answers any sequence of random blocks with a valid block or a typed silence, never a throw', async () => {
		const reasons = Object.values(IsoDepSilence) as string[];
		await fc.assert(
			fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), async (frames) => {
				const { engine } = setup({ fsd: 64 });
				engine.requestWtx(1, 1);
				for (const frame of frames) {
					const reply = await engine.receive(frame);
					if (reply.type === 'silent') expect(reasons).toContain(reply.reason);
					else {
						expect(parseIsoDepBlock(reply.block).ok).toBe(true);
						expect(reply.block.length + 2).toBeLessThanOrEqual(64);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});
});
