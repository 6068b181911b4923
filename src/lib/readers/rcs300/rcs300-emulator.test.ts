import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../../errors';
import { createVirtualCard, createVirtualReader, VirtualReader } from '../../emulator';
import { createRcs300Model, type Rcs300Model } from '../../emulator/readers/sony';
import type { CardPresence } from '../reader-connection';
import { closeAfterEach, hex, JpkiTestApdu, rejection, signWithAuthKey, waitFor } from '../type-b/test-driver-kit';
import { rcs300ReaderDriver } from './rcs300-reader-driver';

/** Integration: the production RC-S300 driver against the emulated RC-S300 (vendor interface 1) and the virtual card. */

const { SelectJpki: SELECT_JPKI, SelectAuthCert: SELECT_AUTH_CERT, Read256: READ_256, Sign: SIGN } = JpkiTestApdu;
const open = closeAfterEach();


type Layer4Attrib = 'reader-sends' | 'host-must-send';

/** The escape payloads the driver sends, read off the USB OUT transfers. */
function recordPayloads(reader: VirtualReader): string[] {
	const payloads: string[] = [];
	const transferOut = reader.device.transferOut.bind(reader.device);
	reader.device.transferOut = (endpoint: number, data: BufferSource) => {
		const bytes = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
		payloads.push(hex(bytes.subarray(10)));
		return transferOut(endpoint, data);
	};
	return payloads;
}

async function setUp(layer4Attrib: Layer4Attrib, reader = createVirtualReader('rcs300', { timeScale: 0, layer4Attrib }) as VirtualReader<Rcs300Model>) {
	reader.insertCard(createVirtualCard());
	const payloads = recordPayloads(reader);
	const connection = await rcs300ReaderDriver.open(reader.device, {
		timing: { rfOffMs: 1, rfOnMs: 1, switchMs: 1, busyRetryMs: 1, answerMs: 500, rfMarginMs: 500 },
		pollIntervalMs: 5
	});
	open.push(connection);
	return { reader, connection, payloads };
}




const isTransceive = (payload: string) => payload.startsWith('ff 50 00 01');
/** The RF frame inside a transceive payload. */
const rfFrame = (payload: string) => payload.split(' ').slice(22, -3).join(' ');

describe('RC-S300 driver × emulated RC-S300 and My Number Card', () => {
	for (const layer4Attrib of ['reader-sends', 'host-must-send'] as const) {
		it(`reads a certificate and signs, 256 bytes + SW through chaining, when the reader ${layer4Attrib === 'reader-sends' ? 'sends ATTRIB itself' : 'leaves ATTRIB to the host'}`, async () => {
			const { connection, payloads } = await setUp(layer4Attrib);
			const from = payloads.length;
			const { atr } = await connection.connectCard();
			expect(hex(atr!.subarray(0, 4))).toBe('3b 88 80 01');
			const activationFrames = payloads.slice(from).filter(isTransceive).map(rfFrame);
			if (layer4Attrib === 'reader-sends') {
				expect(activationFrames).toEqual(['b2']);
			} else {
				expect(activationFrames[0]).toBe('05 00 08');
				expect(activationFrames[1]).toMatch(/^1d( [0-9a-f]{2}){4} 00 08 01 00$/);
			}
			const before = connection.transfers;
			expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
			const after = connection.transfers;
			expect({ out: after.out - before.out, in: after.in - before.in }).toEqual({ out: 1, in: 1 });
			expect(hex(await connection.channel.transmit(SELECT_AUTH_CERT))).toBe('90 00');
			const certificate = await connection.channel.transmit(READ_256);
			expect(certificate.length).toBe(258);
			expect(hex(certificate.subarray(256))).toBe('90 00');
			const signature = await signWithAuthKey(connection);
			expect(signature.length).toBe(258);
			expect(hex(signature.subarray(256))).toBe('90 00');
		});
	}

	it('answers WTX, recovers from CRC errors, and waits out a busy slot', async () => {
		const { reader, connection } = await setUp('reader-sends');
		await connection.connectCard();
		const reference = await signWithAuthKey(connection);
		reader.model.injectFault({ type: 'wtx-storm', count: 4, wtxm: 2 });
		expect(hex(await connection.channel.transmit(SIGN))).toBe(hex(reference));
		reader.model.injectFault({ type: 'crc-error', count: 1 });
		expect(hex(await connection.channel.transmit(SIGN))).toBe(hex(reference));
		reader.model.injectFault({ type: 'busy', count: 2 });
		expect(hex(await connection.channel.transmit(SIGN))).toBe(hex(reference));
	});

	it('reads the C0 status when the reader repeats a failing SW outside it', async () => {
		const reader = new VirtualReader('rcs300', createRcs300Model({ timeScale: 0, errorSw: 'mirror-status', layer4Attrib: 'host-must-send' }));
		const { connection } = await setUp('host-must-send', reader);
		await connection.connectCard();
		reader.model.injectFault({ type: 'crc-error', count: 1 });
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('rejects a CCID message whose dwLength does not match with a Protocol error; reconnecting works', async () => {
		const { reader, connection } = await setUp('reader-sends');
		await connection.connectCard();
		reader.model.injectFault({ type: 'corrupt-frame' });
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.Protocol);
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports CardRemoved when the card leaves mid-APDU; the next tap is seen and works', async () => {
		const { reader, connection } = await setUp('host-must-send');
		await connection.connectCard();
		await connection.channel.transmit(SELECT_JPKI);
		await connection.channel.transmit(SELECT_AUTH_CERT);
		const events: CardPresence[] = [];
		connection.onPresence((event) => events.push(event.presence));
		await waitFor(() => events.includes('present'));
		reader.model.injectFault({ type: 'remove-card', afterExchanges: 1 });
		expect((await rejection(connection.channel.transmit(READ_256))).kind).toBe(ErrorKind.CardRemoved);
		await waitFor(() => events.at(-1) === 'absent');
		reader.removeCard();
		reader.insertCard(createVirtualCard());
		await waitFor(() => events.at(-1) === 'present');
		await connection.connectCard();
		expect(hex(await connection.channel.transmit(SELECT_JPKI))).toBe('90 00');
	});

	it('reports ReaderUnplugged mid-exchange and ReaderBusy when another program holds interface 1', async () => {
		const { reader, connection } = await setUp('reader-sends');
		await connection.connectCard();
		reader.unplugAtTransfer(2);
		expect((await rejection(connection.channel.transmit(SELECT_JPKI))).kind).toBe(ErrorKind.ReaderUnplugged);
		await expect(connection.close()).resolves.toBeUndefined();
		const busy = createVirtualReader('rcs300p', { timeScale: 0, claimedElsewhere: true });
		expect((await rejection(rcs300ReaderDriver.open(busy.device))).kind).toBe(ErrorKind.ReaderBusy);
	});

	it('ends the session and releases the interface on close', async () => {
		const { reader, connection, payloads } = await setUp('reader-sends');
		await connection.connectCard();
		const from = payloads.length;
		await connection.close();
		expect(payloads.slice(from).slice(-2)).toEqual(['ff 50 00 00 02 83 00 00', 'ff 50 00 00 02 82 00 00']);
		expect(reader.device.opened).toBe(false);
	});
});
