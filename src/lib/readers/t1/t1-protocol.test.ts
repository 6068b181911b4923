import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { T1RError, T1SType, decodeT1Block, encodeT1Block, lrc } from './t1-block';
import { T1Protocol, T1_RECEIVE_ERROR, TRACE_MASK_BYTE, type T1BlockExchange, type T1ExchangeOptions, type T1Settings } from './t1-protocol';

const hex = (b: Uint8Array) => toHex(b, ' ').toUpperCase();
/** A block in hex without its LRC; the LRC is appended. */
const b = (text: string) => {
	const bytes = fromHex(text);
	return hex(Uint8Array.of(...bytes, lrc(bytes)));
};

interface Step {
	send: string;
	reply: string | typeof T1_RECEIVE_ERROR | MynaError;
}

function scriptedCard(steps: Step[]) {
	const seen: { block: Uint8Array; options: T1ExchangeOptions }[] = [];
	const exchange: T1BlockExchange = async (block, options) => {
		const step = steps.shift();
		seen.push({ block, options });
		if (!step) throw new Error(`unexpected block ${hex(block)}`);
		expect(hex(block)).toBe(step.send);
		if (step.reply instanceof MynaError) throw step.reply;
		return step.reply === T1_RECEIVE_ERROR ? T1_RECEIVE_ERROR : fromHex(step.reply);
	};
	return { exchange, seen, left: () => steps.length };
}

const SETTINGS: T1Settings = { ifsc: 254, ifsd: 254, edc: 'lrc', blockTimeoutMs: 1000 };
const SELECT = '00 A4 04 0C 02 3F 00';

describe('T1Protocol: exchange rules (ISO/IEC 7816-3 §11)', () => {
	it('sends an APDU in I(0) and returns the card I-block; the next command uses N(S) = 1', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 90 00') },
			{ send: b('00 40 04 00 20 00 80'), reply: b('00 40 02 63 C3') }
		]);
		const t1 = new T1Protocol(card.exchange, SETTINGS);
		expect(hex(await t1.transceive(fromHex(SELECT)))).toBe('90 00');
		expect(hex(await t1.transceive(fromHex('00 20 00 80')))).toBe('63 C3');
		expect(card.left()).toBe(0);
		expect(card.seen[0]!.options).toEqual({ timeoutMs: 1000, waitingTimeExtension: 0 });
	});

	it('negotiates IFSD with S(IFS request) and expects the echo', async () => {
		const card = scriptedCard([{ send: '00 C1 01 FE 3E', reply: '00 E1 01 FE 1E' }]);
		const t1 = new T1Protocol(card.exchange, { ...SETTINGS, ifsd: 32 });
		await t1.negotiateIfsd(254);
		expect(t1.ifsd).toBe(254);
	});

	it('repeats the IFS request on a wrong answer and fails after three', async () => {
		const card = scriptedCard([
			{ send: '00 C1 01 FC 3C', reply: T1_RECEIVE_ERROR },
			{ send: '00 C1 01 FC 3C', reply: b('00 E1 01 20') },
			{ send: '00 C1 01 FC 3C', reply: b('00 00 02 90 00') }
		]);
		await expect(new T1Protocol(card.exchange, SETTINGS).negotiateIfsd(252)).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		expect(card.left()).toBe(0);
	});

	it('chains a command longer than IFSC: I(0,M) R(1) I(1,M) R(0) I(0)', async () => {
		const card = scriptedCard([
			{ send: b('00 20 04 00 A4 04 0C'), reply: b('00 90 00') },
			{ send: b('00 60 04 0A D3 92 F0'), reply: b('00 80 00') },
			{ send: b('00 00 02 00 01'), reply: b('00 00 02 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, { ...SETTINGS, ifsc: 4 });
		expect(hex(await t1.transceive(fromHex('00 A4 04 0C 0A D3 92 F0 00 01')))).toBe('90 00');
	});

	it('keeps blocks within the transport limit even when IFSC is larger', async () => {
		const card = scriptedCard([
			{ send: b('00 20 03 00 B0 00'), reply: b('00 90 00') },
			{ send: b('00 40 02 00 00'), reply: b('00 00 02 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, { ...SETTINGS, maxSendInf: 3 });
		await t1.transceive(fromHex('00 B0 00 00 00'));
	});

	it('receives a chained response, acknowledging each part with R(N(R))', async () => {
		const card = scriptedCard([
			{ send: b('00 00 05 00 B0 00 00 00'), reply: b('00 20 03 01 02 03') },
			{ send: b('00 90 00'), reply: b('00 60 02 04 05') },
			{ send: b('00 80 00'), reply: b('00 00 03 06 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, SETTINGS);
		expect(hex(await t1.transceive(fromHex('00 B0 00 00 00')))).toBe('01 02 03 04 05 06 90 00');
	});

	it('answers S(WTX request) with S(WTX response) and waits multiplier × BWT for that block only', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 C3 01 03') },
			{ send: b('00 E3 01 03'), reply: b('00 C3 01 02') },
			{ send: b('00 E3 01 02'), reply: b('00 00 02 90 00') },
			{ send: b('00 40 04 00 20 00 80'), reply: b('00 40 02 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, SETTINGS);
		await t1.transceive(fromHex(SELECT));
		await t1.transceive(fromHex('00 20 00 80'));
		expect(card.seen.map((s) => [s.options.timeoutMs, s.options.waitingTimeExtension])).toEqual([
			[1000, 0],
			[3000, 3],
			[2000, 2],
			[1000, 0]
		]);
	});

	it('answers S(IFS request) from the card and sends later parts with the new IFSC', async () => {
		const card = scriptedCard([
			{ send: b('00 20 04 00 D6 00 00'), reply: b('00 C1 01 02') },
			{ send: b('00 E1 01 02'), reply: b('00 90 00') },
			{ send: b('00 60 02 04 01'), reply: b('00 80 00') },
			{ send: b('00 00 02 02 03'), reply: b('00 00 02 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, { ...SETTINGS, ifsc: 4 });
		await t1.transceive(fromHex('00 D6 00 00 04 01 02 03'));
		expect(t1.ifsc).toBe(2);
	});

	it('answers a block with a wrong EDC with R(N(R), EDC error) and takes the repeated block', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: '00 00 02 90 00 93' },
			{ send: '00 81 00 81', reply: b('00 00 02 90 00') }
		]);
		expect(hex(await new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT)))).toBe('90 00');
	});

	it('treats a parity error reported by the reader as an EDC error, and a malformed block as "other error"', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: T1_RECEIVE_ERROR },
			{ send: '00 81 00 81', reply: b('00 00 FF') },
			{ send: '00 81 00 81', reply: b('00 00 02 90 00') }
		]);
		await new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT));
		expect(card.left()).toBe(0);
	});

	it('sends "other error" for a wrong NAD or an unexpected N(S)', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('21 00 02 90 00') },
			{ send: '00 82 00 82', reply: b('00 40 02 90 00') },
			{ send: '00 82 00 82', reply: b('00 00 02 90 00') }
		]);
		await new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT));
		expect(card.left()).toBe(0);
	});

	it('repeats its I-block when the card asks with R(N(S))', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 81 00') },
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 90 00') }
		]);
		await new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT));
		expect(card.left()).toBe(0);
	});

	it('repeats its R-block when that is what the card did not get (rule 7.2)', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: T1_RECEIVE_ERROR },
			{ send: '00 81 00 81', reply: T1_RECEIVE_ERROR },
			{ send: '00 81 00 81', reply: b('00 00 02 90 00') }
		]);
		await new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT));
		expect(card.left()).toBe(0);
	});

	it('after three failed retries sends S(RESYNCH) and restarts the command with N(S) = 0', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 90 00') },
			{ send: b(`00 40 07 ${SELECT}`), reply: T1_RECEIVE_ERROR },
			{ send: '00 91 00 91', reply: T1_RECEIVE_ERROR },
			{ send: '00 91 00 91', reply: T1_RECEIVE_ERROR },
			{ send: '00 91 00 91', reply: T1_RECEIVE_ERROR },
			{ send: '00 C0 00 C0', reply: '00 E0 00 E0' },
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 6A 82') }
		]);
		const t1 = new T1Protocol(card.exchange, SETTINGS);
		await t1.transceive(fromHex(SELECT));
		expect(hex(await t1.transceive(fromHex(SELECT)))).toBe('6A 82');
		expect(card.left()).toBe(0);
	});

	it('gives up after three resynchronisations, then refuses until reset()', async () => {
		const steps: Step[] = [{ send: b(`00 00 07 ${SELECT}`), reply: T1_RECEIVE_ERROR }];
		for (let i = 0; i < 3; i++) steps.push({ send: '00 81 00 81', reply: T1_RECEIVE_ERROR });
		for (let i = 0; i < 3; i++) steps.push({ send: '00 C0 00 C0', reply: T1_RECEIVE_ERROR });
		const card = scriptedCard(steps);
		const t1 = new T1Protocol(card.exchange, SETTINGS);
		await expect(t1.transceive(fromHex(SELECT))).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		expect(card.left()).toBe(0);
		await expect(t1.transceive(fromHex(SELECT))).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		expect(card.seen).toHaveLength(7);
		steps.push({ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 90 00') });
		t1.reset();
		expect(hex(await t1.transceive(fromHex(SELECT)))).toBe('90 00');
	});

	it('starts the next command with S(RESYNCH) after a failure left the card state unknown', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: new MynaError(ErrorKind.Timeout, 'no answer') },
			{ send: '00 C0 00 C0', reply: '00 E0 00 E0' },
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, SETTINGS);
		await expect(t1.transceive(fromHex(SELECT))).rejects.toMatchObject({ kind: ErrorKind.Timeout });
		expect(t1.needsResynch).toBe(true);
		expect([...card.seen[0]!.block].every((x) => x === 0)).toBe(true);
		await t1.transceive(fromHex(SELECT));
		expect(card.left()).toBe(0);
	});

	it('resynchronises when the card sends S(RESYNCH request), which it may not', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 C0 00') },
			{ send: '00 C0 00 C0', reply: '00 E0 00 E0' },
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 00 02 90 00') }
		]);
		await new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT));
		expect(card.left()).toBe(0);
	});

	it('rejects an I-block from the card while it still owes acknowledgements to a chain', async () => {
		const card = scriptedCard([
			{ send: b('00 20 04 00 A4 04 0C'), reply: b('00 00 02 90 00') },
			{ send: '00 82 00 82', reply: b('00 90 00') },
			{ send: b('00 40 03 01 3F 00'), reply: b('00 00 02 90 00') }
		]);
		await new T1Protocol(card.exchange, { ...SETTINGS, ifsc: 4 }).transceive(fromHex('00 A4 04 0C 01 3F 00'));
		expect(card.left()).toBe(0);
	});

	it('answers S(ABORT request) and fails the command', async () => {
		const card = scriptedCard([
			{ send: b(`00 00 07 ${SELECT}`), reply: b('00 C2 00') },
			{ send: '00 E2 00 E2', reply: b('00 80 00') }
		]);
		await expect(new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT))).rejects.toMatchObject({ kind: ErrorKind.Protocol });
	});

	it('bounds the number of S(WTX) requests per command', async () => {
		const steps: Step[] = [{ send: b(`00 00 07 ${SELECT}`), reply: b('00 C3 01 01') }];
		for (let i = 0; i < 64; i++) steps.push({ send: b('00 E3 01 01'), reply: b('00 C3 01 01') });
		await expect(new T1Protocol(scriptedCard(steps).exchange, SETTINGS).transceive(fromHex(SELECT))).rejects.toMatchObject({ kind: ErrorKind.Protocol });
	});

	it('stops on an aborted signal', async () => {
		const card = scriptedCard([]);
		await expect(new T1Protocol(card.exchange, SETTINGS).transceive(fromHex(SELECT), { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(card.seen).toHaveLength(0);
	});

	it('hands traces a view with the PIN and the EDC masked, and wipes the real I-blocks after sending', async () => {
		const apdu = fromHex('00 20 00 81 04 31 32 33 34');
		const masked = fromHex('00 20 00 81 04 2A 2A 2A 2A');
		const card = scriptedCard([
			{ send: b('00 20 05 00 20 00 81 04'), reply: b('00 90 00') },
			{ send: b('00 40 04 31 32 33 34'), reply: b('00 00 02 90 00') }
		]);
		const t1 = new T1Protocol(card.exchange, { ...SETTINGS, ifsc: 5 });
		await t1.transceive(apdu, { traceApdu: masked });
		expect(card.seen[0]!.options.traceView).toBeUndefined();
		const view = card.seen[1]!.options.traceView!;
		expect(hex(view)).toBe(`00 40 04 2A 2A 2A 2A ${TRACE_MASK_BYTE.toString(16).toUpperCase()}`);
		for (const { block } of card.seen) expect([...block].every((x) => x === 0)).toBe(true);
		expect(hex(apdu)).toBe('00 20 00 81 04 31 32 33 34');
	});
});

/**
 * A card-side T=1 engine for the property test: reassembles chained commands, answers with the command
 * reversed + 9000, chains its answer by IFSD, may ask for WTX, repeats its last block when the host asks.
 */
function simulatedCard(ifsd: number, corruptions: boolean[], wtxFirst: boolean): T1BlockExchange {
	let rxNs = 0;
	let txNs = 0;
	let command: Uint8Array[] = [];
	let response: Uint8Array | undefined;
	let offset = 0;
	let last = new Uint8Array(0);
	let step = 0;
	let wtxPending = wtxFirst;
	const send = (block: Parameters<typeof encodeT1Block>[0]) => (last = encodeT1Block(block, 'lrc'));
	const nextResponseBlock = () => {
		const chunk = response!.subarray(offset, offset + ifsd);
		return send({ kind: 'I', nad: 0, ns: txNs as 0 | 1, more: offset + chunk.length < response!.length, inf: chunk });
	};
	return async (bytes) => {
		const block = decodeT1Block(bytes, 'lrc');
		if (block.kind === 'I') {
			if (block.ns === rxNs) {
				rxNs ^= 1;
				command.push(block.inf);
				if (block.more) send({ kind: 'R', nad: 0, nr: rxNs as 0 | 1, error: T1RError.None });
				else if (wtxPending) {
					wtxPending = false;
					send({ kind: 'S', nad: 0, type: T1SType.Wtx, response: false, inf: Uint8Array.of(2) });
				} else {
					response = concatBytes(concatBytes(...command).reverse(), Uint8Array.of(0x90, 0x00));
					command = [];
					offset = 0;
					nextResponseBlock();
				}
			}
		} else if (block.kind === 'S' && block.type === T1SType.Wtx) {
			response = concatBytes(concatBytes(...command).reverse(), Uint8Array.of(0x90, 0x00));
			command = [];
			offset = 0;
			nextResponseBlock();
		} else if (block.kind === 'R' && response && block.error === T1RError.None && block.nr !== txNs) {
			offset += Math.min(ifsd, response.length - offset);
			txNs ^= 1;
			nextResponseBlock();
		}
		// any other R-block: repeat the last block
		const out = last.slice();
		if (corruptions[step++ % corruptions.length]) out[out.length - 1]! ^= 0x55;
		return out;
	};
}

describe('T1Protocol against a simulated card (property)', () => {
	it('returns exactly the card response for any lengths, block sizes, WTX and up to 3 garbled blocks in a row', async () => {
		const corruptionPattern = fc
			.array(fc.boolean(), { minLength: 1, maxLength: 12 })
			// starts clean, so runs never exceed 3 when the pattern repeats
			.map((bits) => {
				let run = 0;
				return [false, ...bits].map((bit) => (bit && run < 3 ? (run++, true) : ((run = 0), false)));
			});
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ minLength: 4, maxLength: 700 }),
				fc.integer({ min: 1, max: 254 }),
				fc.integer({ min: 1, max: 254 }),
				corruptionPattern,
				fc.boolean(),
				async (apdu, ifsc, ifsd, corruptions, wtx) => {
					const t1 = new T1Protocol(simulatedCard(ifsd, corruptions, wtx), { ifsc, ifsd, edc: 'lrc', blockTimeoutMs: 100 });
					const expected = concatBytes(apdu.slice().reverse(), Uint8Array.of(0x90, 0x00));
					expect(hex(await t1.transceive(apdu))).toBe(hex(expected));
				}
			),
			{ numRuns: 300 }
		);
	});
});
