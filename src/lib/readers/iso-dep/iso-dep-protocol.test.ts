import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { TestTypeBCard, type RfFault, type RfReply } from '../type-b/test-type-b-card';
import { frameWaitingTimeMs, IsoDepTiming } from './iso-dep-parameters';
import { IsoDepProtocol, type IsoDepFrameExchange, type IsoDepOptions } from './iso-dep-protocol';
import { rfTimeoutError, rfTransmissionError } from './rf-link-error';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');
const FWT = frameWaitingTimeMs(4);
const WAIT = FWT + IsoDepTiming.deltaFwtMs;

type Reply = string | 'timeout' | 'garbled' | Error;
interface Step {
	/** The exact frame the reader must send. */
	out: string;
	reply: Reply;
	/** The exact wait the reader must give (default FWT + ΔFWT). */
	waitMs?: number;
}

/** A card that answers from a script and fails the test on any frame it did not expect. */
function scriptedCard(steps: Step[]) {
	const sent: string[] = [];
	let index = 0;
	const exchange: IsoDepFrameExchange = async (frame, timeoutMs) => {
		const step = steps[index++];
		sent.push(hex(frame));
		if (!step) throw new Error(`unexpected frame ${hex(frame)}`);
		expect(hex(frame)).toBe(step.out.toLowerCase());
		expect(timeoutMs).toBeCloseTo(step.waitMs ?? WAIT, 6);
		if (step.reply instanceof Error) throw step.reply;
		if (step.reply === 'timeout') throw rfTimeoutError();
		if (step.reply === 'garbled') throw rfTransmissionError('crc');
		return fromHex(step.reply);
	};
	return { exchange, sent, done: () => expect(index, `script used ${index} of ${steps.length} steps`).toBe(steps.length) };
}

function protocol(steps: Step[], options: Partial<IsoDepOptions> = {}) {
	const card = scriptedCard(steps);
	return { iso: new IsoDepProtocol(card.exchange, { fsc: 256, fsd: 256, fwtMs: FWT, ...options }), card };
}

async function rejection(promise: Promise<unknown>): Promise<MynaError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	throw new Error('expected a rejection');
}

const SELECT = fromHex('00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01');

describe('IsoDepProtocol: I-blocks and block numbers', () => {
	it('sends one I-block with PCB 02 and toggles the block number for the next command', async () => {
		const { iso, card } = protocol([
			{ out: '02 ' + hex(SELECT), reply: '02 90 00' },
			{ out: '03 00 b0 00 00 04', reply: '03 01 02 03 04 90 00' },
			{ out: '02 00 b0 00 04 02', reply: '02 05 06 90 00' }
		]);
		expect(hex(await iso.transceive(SELECT))).toBe('90 00');
		expect(hex(await iso.transceive(fromHex('00 b0 00 00 04')))).toBe('01 02 03 04 90 00');
		expect(hex(await iso.transceive(fromHex('00 b0 00 04 02')))).toBe('05 06 90 00');
		card.done();
	});

	it('carries the CID in every block when one is in use', async () => {
		const { iso, card } = protocol(
			[
				{ out: '0a 02 00 84 00 00 08', reply: '0a 02 01 02 03 04 05 06 07 08 90 00' },
				{ out: 'bb 02', reply: 'aa 02' }
			],
			{ cid: 2 }
		);
		expect(hex(await iso.transceive(fromHex('00 84 00 00 08')))).toBe('01 02 03 04 05 06 07 08 90 00');
		expect(await iso.presenceCheck()).toBe('present');
		card.done();
	});

	it('ignores an answer with another CID or none, as an invalid block (R(NAK), rule 4)', async () => {
		const { iso, card } = protocol(
			[
				{ out: '0a 01 00 a4 00 00', reply: '0a 03 90 00' },
				{ out: 'ba 01', reply: '02 90 00' },
				{ out: 'ba 01', reply: '0a 01 90 00' }
			],
			{ cid: 1 }
		);
		expect(hex(await iso.transceive(fromHex('00 a4 00 00')))).toBe('90 00');
		card.done();
	});
});

describe('IsoDepProtocol: chaining', () => {
	it('chains a command into FSC-sized I-blocks, each acknowledged by R(ACK) with its block number', async () => {
		// FSC 16: INF ≤ 16 − PCB − 2 EDC = 13 bytes.
		const command = Uint8Array.from({ length: 30 }, (_, i) => i);
		const { iso, card } = protocol(
			[
				{ out: '12 ' + hex(command.subarray(0, 13)), reply: 'a2' },
				{ out: '13 ' + hex(command.subarray(13, 26)), reply: 'a3' },
				{ out: '02 ' + hex(command.subarray(26)), reply: '02 90 00' }
			],
			{ fsc: 16 }
		);
		expect(hex(await iso.transceive(command))).toBe('90 00');
		expect(iso.blockNumber).toBe(1);
		card.done();
	});

	it('takes a 256-byte signature + SW as chained I-blocks, asking for each with R(ACK)', async () => {
		const signature = Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 0xff);
		const response = new Uint8Array([...signature, 0x90, 0x00]);
		// FSD 256: INF ≤ 253 bytes per block.
		const { iso, card } = protocol([
			{ out: '02 80 2a 00 80 00', reply: '12 ' + hex(response.subarray(0, 253)) },
			{ out: 'a3', reply: '03 ' + hex(response.subarray(253)) }
		]);
		expect(hex(await iso.transceive(fromHex('80 2a 00 80 00')))).toBe(hex(response));
		expect(iso.blockNumber).toBe(0);
		card.done();
	});

	it('chains both ways in one command, then keeps counting', async () => {
		const command = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);
		const { iso, card } = protocol(
			[
				{ out: '12 ' + hex(command.subarray(0, 13)), reply: 'a2' },
				{ out: '03 ' + hex(command.subarray(13)), reply: '13 01 02' },
				{ out: 'a2', reply: '12 03 04' },
				{ out: 'a3', reply: '03 90 00' },
				{ out: '02 00 00 00 00', reply: '02 6d 00' }
			],
			{ fsc: 16 }
		);
		expect(hex(await iso.transceive(command))).toBe('01 02 03 04 90 00');
		expect(hex(await iso.transceive(fromHex('00 00 00 00')))).toBe('6d 00');
		card.done();
	});

	it('rejects a chained response longer than a short APDU allows', async () => {
		const big = hex(new Uint8Array(200));
		const { iso } = protocol([
			{ out: '02 00 b0 00 00 00', reply: '12 ' + big },
			{ out: 'a3', reply: '13 ' + big }
		]);
		expect((await rejection(iso.transceive(fromHex('00 b0 00 00 00')))).kind).toBe(ErrorKind.Protocol);
	});
});

describe('IsoDepProtocol: waiting time extension', () => {
	it('answers S(WTX) with S(WTX) and the same WTXM, and waits WTXM × FWT + ΔFWT for that exchange only', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 2a 9e 9a 00', reply: 'f2 0a' },
			{ out: 'f2 0a', reply: 'f2 81', waitMs: 10 * FWT + IsoDepTiming.deltaFwtMs },
			{ out: 'f2 01', reply: '02 ab 90 00', waitMs: FWT + IsoDepTiming.deltaFwtMs },
			{ out: '03 00 00 00 00', reply: '03 90 00' }
		]);
		expect(hex(await iso.transceive(fromHex('00 2a 9e 9a 00')))).toBe('ab 90 00');
		expect(hex(await iso.transceive(fromHex('00 00 00 00')))).toBe('90 00');
		card.done();
	});

	it('caps the extended wait at the FWT of FWI 14', async () => {
		const fwt = frameWaitingTimeMs(12);
		const { iso, card } = protocol(
			[
				{ out: '02 00 00 00 00', reply: 'f2 3b', waitMs: fwt + IsoDepTiming.deltaFwtMs },
				{ out: 'f2 3b', reply: '02 90 00', waitMs: IsoDepTiming.fwtMaxMs + IsoDepTiming.deltaFwtMs }
			],
			{ fwtMs: fwt }
		);
		await iso.transceive(fromHex('00 00 00 00'));
		card.done();
	});

	it('answers WTX during response chaining too, and carries the CID in the answer', async () => {
		const { iso, card } = protocol(
			[
				{ out: '0a 01 00 00 00 00', reply: '1a 01 aa' },
				{ out: 'ab 01', reply: 'fa 01 02' },
				{ out: 'fa 01 02', reply: '0b 01 90 00', waitMs: 2 * FWT + IsoDepTiming.deltaFwtMs }
			],
			{ cid: 1 }
		);
		expect(hex(await iso.transceive(fromHex('00 00 00 00')))).toBe('aa 90 00');
		card.done();
	});

	it('gives up with a Timeout error after the WTX limit', async () => {
		const steps: Step[] = [{ out: '02 00 00 00 00', reply: 'f2 01' }];
		for (let i = 0; i < 3; i++) steps.push({ out: 'f2 01', reply: 'f2 01' });
		const { iso, card } = protocol(steps, { maxWaitingTimeExtensions: 3 });
		expect((await rejection(iso.transceive(fromHex('00 00 00 00')))).kind).toBe(ErrorKind.Timeout);
		card.done();
	});
});

describe('IsoDepProtocol: error recovery (ISO/IEC 14443-4 §7.5.4–7.5.5)', () => {
	it('sends R(NAK) on a timeout; the card re-sends its answer (rule 11)', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 a4 00 00', reply: 'timeout' },
			{ out: 'b2', reply: '02 90 00' }
		]);
		expect(hex(await iso.transceive(fromHex('00 a4 00 00')))).toBe('90 00');
		card.done();
	});

	it('re-sends the last I-block when R(NAK) is answered with R(ACK) of the other number (rule 6)', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 a4 00 00', reply: 'timeout' },
			{ out: 'b2', reply: 'a3' },
			{ out: '02 00 a4 00 00', reply: '02 90 00' }
		]);
		expect(hex(await iso.transceive(fromHex('00 a4 00 00')))).toBe('90 00');
		card.done();
	});

	it('sends R(NAK) on a damaged answer and on an I-block with the wrong block number', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 a4 00 00', reply: 'garbled' },
			{ out: 'b2', reply: '03 90 00' },
			{ out: 'b2', reply: '02 90 00' }
		]);
		expect(hex(await iso.transceive(fromHex('00 a4 00 00')))).toBe('90 00');
		card.done();
	});

	it('recovers a lost chained-command acknowledgement with R(NAK)', async () => {
		const command = Uint8Array.from({ length: 14 }, (_, i) => i);
		const { iso, card } = protocol(
			[
				{ out: '12 ' + hex(command.subarray(0, 13)), reply: 'timeout' },
				{ out: 'b2', reply: 'a2' },
				{ out: '03 0d', reply: '03 90 00' }
			],
			{ fsc: 16 }
		);
		expect(hex(await iso.transceive(command))).toBe('90 00');
		card.done();
	});

	it('repeats R(ACK) when a chained answer block is lost (rule 5)', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 b0 00 00 00', reply: '12 01' },
			{ out: 'a3', reply: 'timeout' },
			{ out: 'a3', reply: 'garbled' },
			{ out: 'a3', reply: '03 02 90 00' }
		]);
		expect(hex(await iso.transceive(fromHex('00 b0 00 00 00')))).toBe('01 02 90 00');
		card.done();
	});

	it('reports CardRemoved after the retry limit of timeouts, within a bounded total wait', async () => {
		const steps: Step[] = [
			{ out: '02 00 a4 00 00', reply: 'timeout' },
			{ out: 'b2', reply: 'timeout' },
			{ out: 'b2', reply: 'timeout' }
		];
		const { iso, card } = protocol(steps, { maxRetries: 2 });
		const error = await rejection(iso.transceive(fromHex('00 a4 00 00')));
		expect(error.kind).toBe(ErrorKind.CardRemoved);
		card.done();
		expect(iso.broken).toBe(true);
		expect((await rejection(iso.transceive(fromHex('00 a4 00 00')))).kind).toBe(ErrorKind.Protocol);
	});

	it('reports CardRemoved when the card leaves between the blocks of a chained answer', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 b0 00 00 00', reply: '12 01' },
			{ out: 'a3', reply: 'timeout' },
			{ out: 'a3', reply: 'timeout' },
			{ out: 'a3', reply: 'timeout' }
		]);
		expect((await rejection(iso.transceive(fromHex('00 b0 00 00 00')))).kind).toBe(ErrorKind.CardRemoved);
		card.done();
	});

	it('reports a Protocol error after the retry limit of damaged answers', async () => {
		const { iso, card } = protocol([
			{ out: '02 00 a4 00 00', reply: 'garbled' },
			{ out: 'b2', reply: 'ff ff' },
			{ out: 'b2', reply: 'garbled' }
		]);
		expect((await rejection(iso.transceive(fromHex('00 a4 00 00')))).kind).toBe(ErrorKind.Protocol);
		card.done();
	});

	it('passes a link failure that is not an RF failure straight through, without retrying', async () => {
		const unplugged = new MynaError(ErrorKind.ReaderUnplugged, 'gone');
		const { iso, card } = protocol([{ out: '02 00 a4 00 00', reply: unplugged }]);
		expect(await rejection(iso.transceive(fromHex('00 a4 00 00')))).toBe(unplugged);
		card.done();
	});
});

describe('IsoDepProtocol: presence check and DESELECT', () => {
	it('checks presence with R(NAK) of the current block number and leaves the numbering alone', async () => {
		const { iso, card } = protocol([
			{ out: 'b2', reply: 'a3' },
			{ out: '02 00 00 00 00', reply: '02 90 00' },
			{ out: 'b3', reply: 'timeout' },
			{ out: 'b3', reply: 'a2' },
			{ out: 'b3', reply: 'timeout' },
			{ out: 'b3', reply: 'timeout' },
			{ out: 'b3', reply: 'timeout' }
		]);
		expect(await iso.presenceCheck()).toBe('present');
		await iso.transceive(fromHex('00 00 00 00'));
		expect(await iso.presenceCheck()).toBe('present');
		expect(await iso.presenceCheck()).toBe('absent');
		expect(iso.blockNumber).toBe(1);
		card.done();
	});

	it('sends S(DESELECT), re-sends it once, and sends nothing after', async () => {
		const { iso, card } = protocol([
			{ out: 'c2', reply: 'timeout', waitMs: IsoDepTiming.deselectMinMs + IsoDepTiming.deltaFwtMs },
			{ out: 'c2', reply: 'c2', waitMs: IsoDepTiming.deselectMinMs + IsoDepTiming.deltaFwtMs }
		]);
		expect(await iso.deselect()).toBe(true);
		expect(await rejection(iso.transceive(fromHex('00 00 00 00')))).toBeInstanceOf(MynaError);
		card.done();
	});
});

describe('IsoDepProtocol: limits and aborts', () => {
	it('refuses an extended-length command without sending anything', async () => {
		const { iso, card } = protocol([]);
		expect((await rejection(iso.transceive(new Uint8Array(262)))).kind).toBe(ErrorKind.Unsupported);
		card.done();
	});

	it('sends nothing when aborted before the command starts', async () => {
		const { iso, card } = protocol([]);
		const controller = new AbortController();
		controller.abort();
		expect((await rejection(iso.transceive(fromHex('00 00 00 00'), { signal: controller.signal }))).kind).toBe(ErrorKind.Aborted);
		card.done();
	});

	it('rejects at once on an abort mid-command, finishes the exchange in the background, and stays in step', async () => {
		const controller = new AbortController();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const log: string[] = [];
		const exchange: IsoDepFrameExchange = async (frame) => {
			log.push(hex(frame));
			if (log.length === 1) {
				controller.abort();
				await gate;
				return fromHex('f2 01');
			}
			if (hex(frame) === 'f2 01') return fromHex('02 90 00');
			return fromHex('03 6a 82');
		};
		const iso = new IsoDepProtocol(exchange, { fsc: 256, fsd: 256, fwtMs: FWT });
		const first = iso.transceive(fromHex('00 2a 9e 9a 00'), { signal: controller.signal });
		expect((await rejection(first)).kind).toBe(ErrorKind.Aborted);
		const second = iso.transceive(fromHex('00 b0 00 00 00'));
		release();
		expect(hex(await second)).toBe('6a 82');
		expect(log).toEqual(['02 00 2a 9e 9a 00', 'f2 01', '03 00 b0 00 00 00']);
	});
});

describe('IsoDepProtocol against a card that keeps the PICC rules, over a lossy link', () => {
	const faultArb = fc.array(fc.constantFrom<RfFault>('none', 'none', 'drop-request', 'drop-response', 'garble-response'), { maxLength: 40 });

	it('delivers every response exactly once whatever the sizes, CID, WTX and isolated faults', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					command: fc.uint8Array({ minLength: 4, maxLength: 261 }),
					responseLength: fc.integer({ min: 0, max: 256 }),
					fsci: fc.integer({ min: 0, max: 8 }),
					fsdi: fc.integer({ min: 0, max: 8 }),
					cid: fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined }),
					wtx: fc.option(fc.record({ count: fc.integer({ min: 1, max: 3 }), wtxm: fc.integer({ min: 1, max: 59 }) }), { nil: undefined }),
					faults: faultArb
				}),
				async ({ command, responseLength, fsci, fsdi, cid, wtx, faults }) => {
					const response = Uint8Array.from({ length: responseLength + 2 }, (_, i) => (i * 31 + 7) & 0xff);
					const card = new TestTypeBCard({ fsci, cidSupported: cid !== undefined, respond: () => response, wtx });
					const sizes = [16, 24, 32, 40, 48, 64, 96, 128, 256];
					card.receive(fromHex('05 00 08'));
					card.receive(Uint8Array.of(0x1d, ...card.pupi, 0x00, fsdi, 0x01, cid ?? 0));
					// At least two clean frames after each fault, so every block recovers within the retry limit.
					card.faults.push(...faults.map((fault, i) => (faults.slice(Math.max(0, i - 2), i).some((f) => f !== 'none') ? 'none' : fault)));
					const link: IsoDepFrameExchange = async (frame) => {
						const reply: RfReply = card.receive(frame);
						if (reply === 'timeout') throw rfTimeoutError();
						if (reply === 'garbled') throw rfTransmissionError('crc');
						return reply;
					};
					const iso = new IsoDepProtocol(link, { fsc: sizes[fsci]!, fsd: sizes[fsdi]!, fwtMs: FWT, ...(cid === undefined ? {} : { cid }) });
					expect(hex(await iso.transceive(command))).toBe(hex(response));
					expect(card.executed.map(hex)).toEqual([hex(command)]);
					expect(await iso.presenceCheck()).toBe('present');
				}
			),
			{ numRuns: 300 }
		);
	});
});
