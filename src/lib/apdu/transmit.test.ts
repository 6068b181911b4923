import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { ErrorKind, isMynaError, MynaError } from '../errors';
import { ApduStatusError } from './apdu-status-error';
import type { CardChannel } from './channel';
import { ApduForm } from './command-apdu';
import { ScriptedChannel } from './scripted-channel';
import { transceive, transceiveOk } from './transmit';

const readBinary = (le: number) => ({ cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le });
const bytesHex = (length: number, value: number) => toHex(new Uint8Array(length).fill(value));

async function rejection(work: Promise<unknown>): Promise<MynaError> {
	try {
		await work;
	} catch (error) {
		expect(error).toBeInstanceOf(MynaError);
		return error as MynaError;
	}
	throw new Error('expected a rejection');
}

describe('transceive', () => {
	it('sends the command as given and splits the answer', async () => {
		const channel = new ScriptedChannel([{ command: '00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01', response: '90 00' }]);
		const response = await transceive(channel, { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: fromHex('D392F000260100000001') });
		expect(response).toEqual({ data: new Uint8Array(0), sw: 0x9000 });
		expect(channel.remaining).toBe(0);
	});

	it('sends the empty VERIFY as exactly four bytes and returns 63Cx without throwing', async () => {
		const channel = new ScriptedChannel([{ command: '00 20 00 80', response: '63 C3' }]);
		expect(await transceive(channel, { cla: 0, ins: 0x20, p1: 0, p2: 0x80 })).toEqual({ data: new Uint8Array(0), sw: 0x63c3 });
		expect(channel.sent[0]!.length).toBe(4);
	});

	it('follows 61xx with GET RESPONSE until the card is done, concatenating the data (00 meaning 256)', async () => {
		const channel = new ScriptedChannel([
			{ command: '80 2A 00 80 02 AA BB 00', response: `${bytesHex(2, 0x11)} 61 10` },
			{ command: '00 C0 00 00 10', response: `${bytesHex(16, 0x22)} 61 00` },
			{ command: '00 C0 00 00 00', response: `${bytesHex(256, 0x33)} 90 00` }
		]);
		const response = await transceive(channel, { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: fromHex('AABB'), le: 256 });
		expect(response.sw).toBe(0x9000);
		expect(toHex(response.data)).toBe(bytesHex(2, 0x11) + bytesHex(16, 0x22) + bytesHex(256, 0x33));
		expect(channel.remaining).toBe(0);
	});

	it('ends the chain with the status word of the last GET RESPONSE', async () => {
		const channel = new ScriptedChannel([
			{ command: '00 B0 00 00 00', response: '61 02' },
			{ command: '00 C0 00 00 02', response: 'AB CD 62 82' }
		]);
		expect(await transceive(channel, readBinary(256))).toEqual({ data: fromHex('ABCD'), sw: 0x6282 });
	});

	it('bounds the number of GET RESPONSE rounds', async () => {
		const channel: CardChannel = { transmit: async () => fromHex('00 61 01') };
		let calls = 0;
		const counting: CardChannel = { transmit: (command, options) => (calls++, channel.transmit(command, options)) };
		const error = await rejection(transceive(counting, readBinary(1), { maxGetResponseRounds: 3 }));
		expect(error.kind).toBe(ErrorKind.Protocol);
		expect(calls).toBe(4);
	});

	it('resends once with the exact Le on 6Cxx', async () => {
		const channel = new ScriptedChannel([
			{ command: '00 B0 00 00 00', response: '6C 11' },
			{ command: '00 B0 00 00 11', response: `${bytesHex(17, 0x44)} 90 00` }
		]);
		const response = await transceive(channel, readBinary(256));
		expect(response.sw).toBe(0x9000);
		expect(response.data.length).toBe(17);
	});

	it('reads 6C00 as Le 256', async () => {
		const channel = new ScriptedChannel([
			{ command: '00 B0 00 00 10', response: '6C 00' },
			{ command: '00 B0 00 00 00', response: '90 00' }
		]);
		expect((await transceive(channel, readBinary(16))).sw).toBe(0x9000);
	});

	it('fails with the SW when 6Cxx comes again after the correction', async () => {
		const channel = new ScriptedChannel([
			{ command: '00 B0 00 00 00', response: '6C 11' },
			{ command: '00 B0 00 00 11', response: '6C 12' }
		]);
		const error = await rejection(transceive(channel, readBinary(256)));
		expect(error.kind).toBe(ErrorKind.Protocol);
		expect(error.details).toEqual({ sw: 0x6c12, ins: 0xb0 });
		expect(channel.remaining).toBe(0);
	});

	it('never adds an Le: 6Cxx to a command without Le is returned as is', async () => {
		const channel = new ScriptedChannel([{ command: '00 20 00 80 04 31 32 33 34', response: '6C 04' }]);
		const response = await transceive(channel, { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: fromHex('31323334') });
		expect(response.sw).toBe(0x6c04);
		expect(channel.sent.length).toBe(1);
	});

	it('corrects Le on a GET RESPONSE too', async () => {
		const channel = new ScriptedChannel([
			{ command: '00 B0 00 00 05', response: '61 05' },
			{ command: '00 C0 00 00 05', response: '6C 03' },
			{ command: '00 C0 00 00 03', response: '01 02 03 90 00' }
		]);
		expect(await transceive(channel, readBinary(5))).toEqual({ data: fromHex('010203'), sw: 0x9000 });
	});

	it('refuses an extended command on a channel that does not announce extended length, before sending', async () => {
		const channel = new ScriptedChannel([]);
		const error = await rejection(transceive(channel, readBinary(1024)));
		expect(error.kind).toBe(ErrorKind.Unsupported);
		expect(channel.sent.length).toBe(0);
		const forced = await rejection(transceive(channel, readBinary(16), { form: ApduForm.Extended }));
		expect(forced.kind).toBe(ErrorKind.Unsupported);
	});

	it('sends extended commands where the channel carries them', async () => {
		const capabilities = { extendedLength: true, maxResponseData: 65_536 };
		const channel = new ScriptedChannel(
			[
				{ command: '00 B0 00 00 00 04 00', response: `${bytesHex(1024, 0x55)} 90 00` },
				{ command: '00 B0 00 00 00 00 10', response: '90 00' }
			],
			{ capabilities }
		);
		expect((await transceive(channel, readBinary(1024))).data.length).toBe(1024);
		expect((await transceive(channel, readBinary(16), { form: ApduForm.Extended })).sw).toBe(0x9000);
	});

	it('rejects an invalid command before sending it', async () => {
		const channel = new ScriptedChannel([]);
		expect((await rejection(transceive(channel, readBinary(0)))).kind).toBe(ErrorKind.Malformed);
		expect(channel.sent.length).toBe(0);
	});

	it('reports a channel that answers less than SW1 SW2 as a protocol error', async () => {
		const channel = new ScriptedChannel([{ command: '00 B0 00 00 00', response: '90' }]);
		expect((await rejection(transceive(channel, readBinary(256)))).kind).toBe(ErrorKind.Protocol);
	});

	it('checks the abort signal before sending and between round trips, and passes it to the channel', async () => {
		const controller = new AbortController();
		controller.abort();
		const idle = new ScriptedChannel([]);
		expect((await rejection(transceive(idle, readBinary(1), { signal: controller.signal }))).kind).toBe(ErrorKind.Aborted);
		expect(idle.sent.length).toBe(0);

		const during = new AbortController();
		const signals: (AbortSignal | undefined)[] = [];
		const channel: CardChannel = {
			transmit: async (_command, options) => {
				signals.push(options?.signal);
				during.abort();
				return fromHex('61 10');
			}
		};
		expect((await rejection(transceive(channel, readBinary(16), { signal: during.signal }))).kind).toBe(ErrorKind.Aborted);
		expect(signals).toEqual([during.signal]);
	});

	it('zeroes the encoded bytes of VERIFY and CHANGE REFERENCE DATA once the channel answers, and no others', async () => {
		const held: Uint8Array[] = [];
		const channel: CardChannel = {
			transmit: async (command) => {
				held.push(command);
				return fromHex('90 00');
			}
		};
		await transceive(channel, { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: fromHex('31323334') });
		await transceive(channel, { cla: 0, ins: 0x24, p1: 1, p2: 0x80, data: fromHex('35363738') });
		await transceive(channel, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0018') });
		expect(held.map((bytes) => toHex(bytes))).toEqual(['000000000000000000', '000000000000000000', '00a4020c020018']);
	});

	it('zeroes the VERIFY bytes even when the channel fails', async () => {
		let held: Uint8Array = new Uint8Array(0);
		const channel: CardChannel = {
			transmit: async (command) => {
				held = command;
				throw new MynaError(ErrorKind.CardRemoved, 'Card removed');
			}
		};
		const error = await rejection(transceive(channel, { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: fromHex('31323334') }));
		expect(error.kind).toBe(ErrorKind.CardRemoved);
		expect(held.every((b) => b === 0)).toBe(true);
	});
});

describe('transceiveOk', () => {
	it('returns the data of 9000', async () => {
		const channel = new ScriptedChannel([{ command: '00 B0 00 00 04', response: '4A 50 4B 49 90 00' }]);
		expect(await transceiveOk(channel, readBinary(4))).toEqual(fromHex('4A504B49'));
	});

	it('throws a typed error with the SW and INS otherwise', async () => {
		const channel = new ScriptedChannel([{ command: '00 A4 02 0C 02 00 01', response: '6A 82' }]);
		const error = await rejection(transceiveOk(channel, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0001') }));
		expect(error).toBeInstanceOf(ApduStatusError);
		expect(isMynaError(error, ErrorKind.FileNotFound)).toBe(true);
		expect(error.details).toEqual({ sw: 0x6a82, ins: 0xa4 });
	});
});
