import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, ownBuffer, readUint32LE, toHex } from '../../../bytes';
import { VirtualUsbDevice } from '../../usb/virtual-usb-device';
import { STALL } from '../../usb/usb-function-model';
import { appendCrcB } from '../contactless/crc-b';
import { FixedResponseCard } from '../contactless/fixed-response-card';
import { TypeBPiccState } from '../contactless/type-b-picc';
import { encodeCcidEscape } from './rcs300-ccid-message';
import { parseDataObjects } from './rcs300-escape';
import { createRcs300Model, type Rcs300CcidInterface, type Rcs300ModelOptions } from './rcs300-model';

const PUPI = '4d794e61';
const SELECT = fromHex('00a4040c0ad392f000260100000001');
const READ_256 = fromHex('00b0000000');
const LONG = Uint8Array.from({ length: 256 }, (_, i) => i);
const OK = 'c003009000';
/** PC/SC-style ATR for the default card: 3B 88 80 01, ATQB app data + protocol info, MBLI 0, TCK. */
const ATR = '3b888001000000000081810009';

function bytesOf(result: USBInTransferResult): Uint8Array {
	return new Uint8Array(result.data!.buffer, result.data!.byteOffset, result.data!.byteLength);
}

const hex = (text: string) => fromHex(text.replace(/\s/g, ''));

async function open(options: Rcs300ModelOptions = {}) {
	const model = createRcs300Model({ timeScale: 0, ...options });
	const card = new FixedResponseCard([
		[SELECT, fromHex('9000')],
		[READ_256, concatBytes(LONG, fromHex('9000'))]
	]);
	model.insertCard(card);
	const device = new VirtualUsbDevice(model.spec, model);
	await device.open();
	await device.selectConfiguration(1);
	await device.claimInterface(1);
	let seq = 0;
	const exchange = async (bytes: Uint8Array) => {
		await device.transferOut(2, ownBuffer(bytes));
		return bytesOf(await device.transferIn(2, 1024));
	};
	/** Sends one escape; checks the RDR_to_PC_Escape header (type, dwLength, bSeq, status OK); returns the payload hex. */
	const escape = async (text: string): Promise<string> => {
		const mySeq = seq++ & 0xff;
		const answer = await exchange(encodeCcidEscape(mySeq, hex(text)));
		expect(answer[0]).toBe(0x83);
		expect(readUint32LE(answer, 1)).toBe(answer.length - 10);
		expect([answer[5], answer[6], answer[7], answer[8]]).toEqual([0, mySeq, 0, 0]);
		return toHex(answer.subarray(10));
	};
	const startSession = async () => {
		expect(await escape('ff50000002820000')).toBe(`${OK}9000`);
		expect(await escape('ff50000002810000')).toBe(`${OK}9000`);
		expect(await escape('ff50000002830000')).toBe(`${OK}9000`);
		expect(await escape('ff50000002840000')).toBe(`${OK}9000`);
	};
	const switchProtocol = (layer: 3 | 4) => escape(`ff500002048f02010${layer}00`);
	/** A transceive with the timer and the frame; the answer's objects by tag (hex), and the outer SW. */
	const transceive = async (frame: string | Uint8Array, prefix = '5f4604a0860100') => {
		const rf = typeof frame === 'string' ? hex(frame) : frame;
		const objects = concatBytes(hex(prefix), hex(`9582${rf.length.toString(16).padStart(4, '0')}`), rf);
		const payload = await escape(`ff500001 00${objects.length.toString(16).padStart(4, '0')}${toHex(objects)} 000000`);
		return objectsOf(payload);
	};
	return { model, card, device, exchange, escape, startSession, switchProtocol, transceive };
}

function objectsOf(payload: string): Record<string, string> {
	const bytes = fromHex(payload);
	const parsed = parseDataObjects(bytes.subarray(0, bytes.length - 2));
	if (!parsed.ok) throw new Error(parsed.reason);
	return Object.fromEntries([...parsed.objects.map((o) => [o.tag.toString(16), toHex(o.value)]), ['sw', payload.slice(-4)]]);
}

describe('RC-S300 model: USB identity', () => {
	it('is 054C:0DC8 (/S) or 0DC9 (/P), "FeliCa Port/PaSoRi 4.0", CCID interface 0 and vendor interface 1', async () => {
		const { device } = await open();
		expect([device.vendorId, device.productId, device.manufacturerName, device.productName]).toEqual([0x054c, 0x0dc8, 'SONY', 'FeliCa Port/PaSoRi 4.0']);
		expect(createRcs300Model({ variant: 'P' }).spec.productId).toBe(0x0dc9);
		const [itf0, itf1] = device.configuration!.interfaces;
		expect(itf0!.alternate.interfaceClass).toBe(0x0b);
		expect(itf1!.alternate.interfaceClass).toBe(0xff);
		expect(itf1!.alternate.endpoints.map((e) => `${e.direction}${e.endpointNumber}`)).toEqual(['out2', 'in2']);
		await expect(device.claimInterface(0)).rejects.toMatchObject({ name: 'SecurityError' });
	});

	it('carries the CCID class descriptor of interface 0 (T=1, dwFeatures 0004007E, 522 bytes, IFSD 254)', async () => {
		const { device } = await open();
		const total = (await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, 9)).data!.getUint16(2, true);
		const config = bytesOf(await device.controlTransferIn({ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, total));
		const at = config.findIndex((b, i) => b === 54 && config[i + 1] === 0x21);
		const ccid = config.subarray(at, at + 54);
		expect([readUint32LE(ccid, 6), readUint32LE(ccid, 28), readUint32LE(ccid, 40), readUint32LE(ccid, 44)]).toEqual([2, 254, 0x0004007e, 522]);
	});

	it('routes interface 0 to the injected CCID handler and tells it about the card', async () => {
		const seen: string[] = [];
		const ccid: Rcs300CcidInterface = {
			transferOut: (ep, data) => void seen.push(`out${ep}:${toHex(data)}`),
			transferIn: async (ep) => fromHex(ep === 3 ? '5003' : '8000000000000000000000'),
			cardChanged: (card) => void seen.push(card ? 'card' : 'no card')
		};
		const model = createRcs300Model({ ccidInterface: ccid });
		model.insertCard(new FixedResponseCard());
		const device = new VirtualUsbDevice(model.spec, model, { context: { usbUnrestricted: true } });
		await device.open();
		await device.selectConfiguration(1);
		await device.claimInterface(0);
		await device.transferOut(1, ownBuffer(fromHex('65000000000000000000')));
		expect(toHex(bytesOf(await device.transferIn(3, 8)))).toBe('5003');
		model.removeCard();
		expect(seen).toEqual(['card', 'out1:65000000000000000000', 'no card']);
	});

	it('stalls interface 0 bulk endpoints by default', async () => {
		const model = createRcs300Model();
		expect(await model.transferOut(1, new Uint8Array(10))).toBe(STALL);
		expect(await model.transferIn(1, 64, new AbortController().signal)).toBe(STALL);
	});
});

describe('RC-S300 model: CCID framing', () => {
	it('answers an Escape byte for byte: 83, dwLength, slot, bSeq echoed, status, error, payload', async () => {
		const { exchange } = await open();
		const answer = await exchange(hex('6b 08000000 00 42 000000 ff50000002820000'));
		expect(toHex(answer)).toBe('83070000000042000000c0030090009000');
	});

	it('refuses a wrong dwLength, another slot and other message types with a failed status', async () => {
		const { exchange } = await open();
		expect(toHex(await exchange(hex('6b 09000000 00 07 000000 ff50000002820000')))).toBe('83000000000007400100');
		expect(toHex(await exchange(hex('6b 08000000 01 08 000000 ff50000002820000')))).toBe('83000000000108400500');
		expect(toHex(await exchange(fromHex('62000000000009000000')))).toBe('81000000000009400000');
	});

	it('drops messages shorter than a header and counts frames', async () => {
		const { model, device, escape } = await open();
		await device.transferOut(2, ownBuffer(fromHex('6b0000')));
		expect(model.counters).toMatchObject({ framesIn: 1, framesOut: 0 });
		await escape('ff560000');
		expect(model.counters).toMatchObject({ framesIn: 2, framesOut: 1 });
	});

	it('refuses messages longer than the maximum message length', async () => {
		const { exchange } = await open({ maxMessageLength: 64 });
		const answer = await exchange(encodeCcidEscape(5, new Uint8Array(60)));
		expect(toHex(answer)).toBe('83000000000005400100');
	});
});

describe('RC-S300 model: escape commands', () => {
	it('manages the session and the field', async () => {
		const { escape, model } = await open();
		expect(await escape('ff50000002840000')).toBe('c003016f009000');
		expect(await escape('ff50000002810000')).toBe(`${OK}9000`);
		expect(model.inSession).toBe(true);
		expect(await escape('ff50000004 8100 8400 00')).toBe(`${OK}9000`);
		expect(model.rfFieldOn).toBe(true);
		expect(await escape('ff50000002830000')).toBe(`${OK}9000`);
		expect(model.rfFieldOn).toBe(false);
		expect(await escape('ff50000002820000')).toBe(`${OK}9000`);
		expect(model.inSession).toBe(false);
	});

	it('reports the failing data object in C0 (PC/SC Part 3 generic error status)', async () => {
		const { escape } = await open();
		expect(await escape('ff50000004 8100 9900 00')).toBe('c003026a819000');
		expect(await escape('ff50000003 810100 00')).toBe('c003016700' + '9000');
		expect(await escape('ff50000002 95 05 00')).toBe('c003016700' + '9000');
		expect(await escape('ff500000 06 5f4603010203 00')).toBe('c003016700' + '9000');
	});

	it('can mirror the failing status word as the outer SW', async () => {
		const { escape } = await open({ errorSw: 'mirror-status' });
		expect(await escape('ff50000002990000')).toBe('c003016a816a81');
	});

	it('answers bad pseudo-APDUs with ISO status words', async () => {
		const { escape } = await open();
		expect(await escape('00a40400')).toBe('6e00');
		expect(await escape('ff990000')).toBe('6d00');
		expect(await escape('ff50010000')).toBe('6a86');
		expect(await escape('ff50000302810000')).toBe('6a81');
		expect(await escape('ff50000002 81')).toBe('6700');
		expect(await escape('ff560000')).toBe('010000009000');
	});

	it('checks the switch-protocol object', async () => {
		const { escape, startSession } = await open();
		expect(await escape('ff500002048f02010400')).toBe('c003016f009000');
		await startSession();
		expect(await escape('ff500002048f02050400')).toBe('c003016a809000');
		expect(await escape('ff500002038f010100')).toBe('c003016700' + '9000');
		expect(await escape('ff500002048f02010500')).toBe('c003016a809000');
		expect(await escape('ff500002048f02000400')).toBe('c003016401' + '9000');
	});
});

describe('RC-S300 model: layer4Attrib reader-sends', () => {
	it('activates the card at the switch to Type B layer 4 and reports a PC/SC ATR', async () => {
		const { startSession, switchProtocol, model, escape } = await open();
		await startSession();
		expect(await switchProtocol(4)).toBe(`${OK}5f510d${ATR}9000`);
		expect(model.picc!.state).toBe(TypeBPiccState.active);
		expect(await escape('ffca000000')).toBe(`${PUPI}9000`);
		expect(await escape('ffca010000')).toBe('009000');
		expect(await escape('ffca010001')).toBe('009000');
		expect(await escape('ffca000002')).toBe('6c04');
		expect(await escape('ffcaf00000')).toBe('6a81');
	});

	it('carries host ISO-DEP blocks: a SELECT and a chained 256-byte + 9000 answer', async () => {
		const { startSession, switchProtocol, transceive } = await open();
		await startSession();
		await switchProtocol(4);
		expect(await transceive(`02${toHex(SELECT)}`)).toEqual({ c0: '009000', '92': '00', '96': '0000', '97': '029000', sw: '9000' });
		const first = await transceive(`03${toHex(READ_256)}`);
		expect(first['97']!.slice(0, 2)).toBe('13');
		expect(first['97']!.length / 2).toBe(254);
		expect((await transceive('a2'))['97']).toBe(`02${toHex(LONG.subarray(253))}9000`);
	});

	it('ignores a host REQB once the card is active: the transceive object fails with 6401', async () => {
		const { startSession, switchProtocol, transceive } = await open();
		await startSession();
		await switchProtocol(4);
		expect(await transceive('050000')).toEqual({ c0: '026401', sw: '9000' });
	});

	it('uses FSDI and CID from the FF 6E objects in its ATTRIB', async () => {
		const { startSession, escape, transceive } = await open();
		await startSession();
		expect(await escape('ff500002 10 ff6e03010108 ff6e03080102 8f020104 00')).toBe(`${OK}5f510d${ATR}9000`);
		expect(await escape('ffca010000')).toBe('029000');
		expect(await transceive(`02${toHex(SELECT)}`)).toEqual({ c0: '026401', sw: '9000' });
		expect((await transceive(`0a02${toHex(SELECT)}`))['97']).toBe('0a029000');
	});

	it('fails the switch with 6401 when no card is on the reader', async () => {
		const { startSession, switchProtocol, model, escape } = await open();
		model.removeCard();
		await startSession();
		expect(await switchProtocol(4)).toBe('c003016401' + '9000');
		expect(await escape('ffca000000')).toBe('6a81');
	});
});

describe('RC-S300 model: layer4Attrib host-must-send', () => {
	it('does not activate at layer 4: I-blocks time out until the host sends REQB and ATTRIB at layer 3', async () => {
		const { startSession, switchProtocol, transceive, escape } = await open({ layer4Attrib: 'host-must-send' });
		await startSession();
		expect(await switchProtocol(4)).toBe(`${OK}9000`);
		expect(await escape('ffca010000')).toBe('6a81');
		expect(await transceive(`02${toHex(SELECT)}`)).toEqual({ c0: '026401', sw: '9000' });
		expect(await switchProtocol(3)).toBe(`${OK}9000`);
		expect((await transceive('050000'))['97']).toBe(`50${PUPI}00000000008181`);
		expect((await transceive(`1d${PUPI}00080100`))['97']).toBe('00');
		expect((await transceive(`02${toHex(SELECT)}`))['97']).toBe('029000');
	});

	it('is transparent at layer 4 too: REQB and ATTRIB sent there also activate the card', async () => {
		const { startSession, switchProtocol, transceive } = await open({ layer4Attrib: 'host-must-send' });
		await startSession();
		await switchProtocol(4);
		expect((await transceive('050000'))['97']).toBe(`50${PUPI}00000000008181`);
		expect((await transceive(`1d${PUPI}00080100`))['97']).toBe('00');
	});
});

describe('RC-S300 model: transceive flags, timer, removal', () => {
	it('keeps the 90 flags between commands: CRC append off → silence; CRC discard off → CRC bytes returned', async () => {
		const { startSession, switchProtocol, transceive } = await open({ layer4Attrib: 'host-must-send' });
		await startSession();
		await switchProtocol(3);
		expect(await transceive('050000', '9002001d 5f4604a0860100')).toEqual({ c0: '036401', sw: '9000' });
		expect((await transceive('050000', '9002001e'))['97']).toBe(toHex(appendCrcB(fromHex(`50${PUPI}00000000008181`))));
		expect((await transceive('050000', ''))['97']!.length).toBe(28);
		await switchProtocol(3);
		expect((await transceive('050000', ''))['97']).toBe(`50${PUPI}00000000008181`);
	});

	it('does not reach the card with a partial last byte (91) or another protocol', async () => {
		const { startSession, escape, transceive } = await open({ layer4Attrib: 'host-must-send' });
		await startSession();
		await escape('ff500002048f02010300');
		expect(await transceive('050000', '910107')).toEqual({ c0: '026401', sw: '9000' });
		await escape('ff500002048f02030000');
		expect(await transceive('050000', '')).toEqual({ c0: '016401', sw: '9000' });
	});

	it('needs a session and a protocol for transceive', async () => {
		const { escape, transceive } = await open();
		expect(await transceive('050000', '')).toEqual({ c0: '016f00', sw: '9000' });
		await escape('ff50000002810000');
		expect(await transceive('050000', '')).toEqual({ c0: '016f00', sw: '9000' });
	});

	it('waits the 5F46 timer (µs) before reporting no response', async () => {
		const { startSession, switchProtocol, transceive, model } = await open({ timeScale: 1 });
		await startSession();
		await switchProtocol(4);
		model.removeCard();
		const started = performance.now();
		expect(await transceive('b2', '5f4604204e0000')).toEqual({ c0: '026401', sw: '9000' });
		expect(performance.now() - started).toBeGreaterThanOrEqual(19);
	});

	it('after removal, transceive says no response while GET DATA still answers from the cache', async () => {
		const { startSession, switchProtocol, transceive, model, card, escape } = await open();
		await startSession();
		await switchProtocol(4);
		model.removeCard();
		expect(card.resets).toBe(2);
		expect(await transceive(`02${toHex(SELECT)}`)).toEqual({ c0: '026401', sw: '9000' });
		expect(await escape('ffca000000')).toBe(`${PUPI}9000`);
		expect(await escape('ff50000002830000')).toBe(`${OK}9000`);
		expect(await escape('ffca000000')).toBe('6a81');
	});
});

describe('RC-S300 model: faults', () => {
	it('removes the card after N RF exchanges', async () => {
		const { startSession, switchProtocol, transceive, model } = await open({ faults: [{ type: 'remove-card', afterExchanges: 1 }] });
		await startSession();
		await switchProtocol(4);
		expect((await transceive(`02${toHex(SELECT)}`))['97']).toBe('029000');
		expect(model.hasCard()).toBe(false);
		expect(await transceive(`03${toHex(SELECT)}`)).toEqual({ c0: '026401', sw: '9000' });
	});

	it('WTX storm: S(WTX) blocks come back in 97 and must be echoed', async () => {
		const { startSession, switchProtocol, transceive, model } = await open({ faults: [{ type: 'wtx-storm', count: 2, wtxm: 9 }] });
		await startSession();
		await switchProtocol(4);
		expect((await transceive(`02${toHex(SELECT)}`))['97']).toBe('f209');
		expect((await transceive('f209'))['97']).toBe('f209');
		expect((await transceive('f209'))['97']).toBe('029000');
		model.injectFault({ type: 'wtx-storm', count: 1, wtxm: 2 });
		expect((await transceive(`03${toHex(SELECT)}`))['97']).toBe('f202');
		expect(await transceive('a3')).toEqual({ c0: '026401', sw: '9000' });
	});

	it('CRC error once: C0 6F00 with response status 96 02 01 00, then R(NAK) recovers the block', async () => {
		const { startSession, switchProtocol, transceive, model } = await open();
		await startSession();
		await switchProtocol(4);
		model.injectFault({ type: 'crc-error' });
		expect(await transceive(`02${toHex(SELECT)}`)).toEqual({ c0: '026f00', '96': '0100', sw: '9000' });
		expect((await transceive('b2'))['97']).toBe('029000');
	});

	it('corrupt frame: the next message has a dwLength that does not match', async () => {
		const { exchange, model, escape } = await open();
		model.injectFault({ type: 'corrupt-frame' });
		const answer = await exchange(encodeCcidEscape(1, fromHex('ff560000')));
		expect(readUint32LE(answer, 1)).not.toBe(answer.length - 10);
		expect(await escape('ff560000')).toBe('010000009000');
	});

	it('busy: bStatus 40 bError E0 (slot busy), then the retry succeeds', async () => {
		const { exchange, escape } = await open({ faults: [{ type: 'busy', count: 1 }] });
		expect(toHex(await exchange(encodeCcidEscape(9, fromHex('ff50000002810000'))))).toBe('8300000000000940e000');
		expect(await escape('ff50000002810000')).toBe(`${OK}9000`);
	});
});

describe('RC-S300 model: robustness', () => {
	it('answers any escape payload with one RDR_to_PC_Escape ending in a status word, never hangs', async () => {
		const session = fc.constantFrom('ff50000002810000', 'ff50000002840000', 'ff500002048f02010400', 'ff500002048f02010300');
		const payload = fc.oneof(
			fc.uint8Array({ maxLength: 40 }),
			fc.uint8Array({ maxLength: 40 }).map((tail) => Uint8Array.from([0xff, 0x50, 0x00, (tail[0] ?? 0) % 3, ...tail.subarray(1)])),
			fc.uint8Array({ maxLength: 30 }).map((objects) => Uint8Array.from([0xff, 0x50, 0x00, 0x01, 0x00, 0x00, objects.length, ...objects, 0, 0, 0])),
			session.map((h) => fromHex(h))
		);
		await fc.assert(
			fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 8 }), async (payloads) => {
				const { exchange } = await open();
				for (const [i, bytes] of payloads.entries()) {
					const answer = await exchange(encodeCcidEscape(i, bytes));
					expect(answer[0]).toBe(0x83);
					expect(answer[6]).toBe(i);
					expect(readUint32LE(answer, 1)).toBe(answer.length - 10);
					expect(answer.length).toBeGreaterThanOrEqual(12);
				}
			}),
			{ numRuns: 150 }
		);
	});

	it('answers any bytes on the bulk OUT endpoint with at most one message, never a throw', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), async (bytes) => {
				const { model } = await open();
				model.transferOut(2, bytes);
				await new Promise((resolve) => setTimeout(resolve, 0));
				expect(model.counters.framesOut).toBeLessThanOrEqual(1);
			}),
			{ numRuns: 300 }
		);
	});
});
