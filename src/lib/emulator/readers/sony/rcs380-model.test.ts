import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, ownBuffer, toHex } from '../../../bytes';
import { VirtualUsbDevice } from '../../usb/virtual-usb-device';
import { appendCrcB } from '../contactless/crc-b';
import { FixedResponseCard } from '../contactless/fixed-response-card';
import { TypeBPiccState } from '../contactless/type-b-picc';
import { PORT100_ACK, encodePort100Frame, parsePort100Frame } from './port100-frame';
import { createRcs380Model, type Rcs380ModelOptions } from './rcs380-model';

const PUPI = '4d794e61';
const SELECT = fromHex('00a4040c0ad392f000260100000001');
const READ_256 = fromHex('00b0000000');
const LONG = Uint8Array.from({ length: 256 }, (_, i) => i);
const TYPE_B_PROTOCOL = '00140901 0a010b01 0c01';
const DEFAULTS = '0018 0101 0201 0300 0400 0500 0600 0708 0800 0900 0a00 0b00 0c00 0e04 0f00 1000 1100 1200 1306';
const TIMEOUT_31MS = '3601';
/** SENSB_RES to `05 00 10`: PUPI, application data 0, protocol info 00 81 81 and the SFGI byte. */
const ATQB_EXTENDED = `00000000:50${PUPI}0000000000818100`;

function bytesOf(result: USBInTransferResult): Uint8Array {
	return new Uint8Array(result.data!.buffer, result.data!.byteOffset, result.data!.byteLength);
}

async function open(options: Rcs380ModelOptions = {}) {
	const model = createRcs380Model({ timeScale: 0, ...options });
	const card = new FixedResponseCard([
		[SELECT, fromHex('9000')],
		[READ_256, concatBytes(LONG, fromHex('9000'))]
	]);
	model.insertCard(card);
	const device = new VirtualUsbDevice(model.spec, model);
	await device.open();
	await device.selectConfiguration(1);
	await device.claimInterface(0);
	const write = (bytes: Uint8Array) => device.transferOut(2, ownBuffer(bytes));
	const read = async () => bytesOf(await device.transferIn(1, 512));
	/** Sends `D6 <hex>`, expects the ACK, returns the response frame data as hex (or "error-frame"). */
	const command = async (hex: string): Promise<string> => {
		await write(encodePort100Frame(fromHex(`d6${hex}`)));
		expect(toHex(await read())).toBe(toHex(PORT100_ACK));
		const frame = await read();
		const parsed = parsePort100Frame(frame);
		if (!parsed.ok) throw new Error(parsed.reason);
		return parsed.frame.type === 'data' ? toHex(parsed.frame.data) : parsed.frame.type;
	};
	/** InCommRF with the card data; returns "status:data" hex. */
	const rf = async (hex: string, timeout = TIMEOUT_31MS): Promise<string> => {
		const answer = await command(`04${timeout}${hex.replace(/\s/g, '')}`);
		expect(answer.slice(0, 4)).toBe('d705');
		return answer.length > 12 ? `${answer.slice(4, 12)}:${answer.slice(14)}` : answer.slice(4);
	};
	const setupTypeB = async () => {
		expect(await command('0003070f07')).toBe('d70100');
		expect(await command(`02${DEFAULTS}`.replace(/\s/g, ''))).toBe('d70300');
		expect(await command(`02${TYPE_B_PROTOCOL}`.replace(/\s/g, ''))).toBe('d70300');
	};
	const activate = async () => {
		await setupTypeB();
		expect(await rf('050010')).toBe(ATQB_EXTENDED);
		expect(await rf(`1d${PUPI}00080100`)).toBe('00000000:00');
	};
	return { model, card, device, write, read, command, rf, setupTypeB, activate };
}

describe('RC-S380 model: USB identity', () => {
	it('is 054C:06C1 "SONY" "RC-S380/P" with vendor interface 0, bulk OUT 2 / IN 1, claimable from a normal page', async () => {
		const { device } = await open();
		expect([device.vendorId, device.productId, device.manufacturerName, device.productName]).toEqual([0x054c, 0x06c1, 'SONY', 'RC-S380/P']);
		const alt = device.configuration!.interfaces[0]!.alternate;
		expect(alt.interfaceClass).toBe(0xff);
		expect(alt.endpoints.map((e) => `${e.direction}${e.endpointNumber}:${e.type}`)).toEqual(['out2:bulk', 'in1:bulk']);
		expect(createRcs380Model({ productId: 0x06c3 }).spec.productId).toBe(0x06c3);
	});
});

describe('RC-S380 model: framing', () => {
	it('answers GetFirmwareVersion with ACK then D7 21 11 01, byte for byte', async () => {
		const { write, read } = await open();
		await write(fromHex('0000ffffff0200fed6200a00'));
		expect(toHex(await read())).toBe('0000ff00ff00');
		expect(toHex(await read())).toBe('0000ffffff0400fcd7211101f600');
	});

	it('answers a frame with a bad DCS or LCS with the error frame and no ACK', async () => {
		const { write, read, command } = await open();
		await write(fromHex('0000ffffff0200fed6200b00'));
		expect(toHex(await read())).toBe('0000ffffff');
		await write(fromHex('0000ffffff0200ffd6200a00'));
		expect(toHex(await read())).toBe('0000ffffff');
		expect(await command('20')).toBe('d7211101');
	});

	it('can be told to ignore malformed frames instead (the chip behaviour is UNSURE)', async () => {
		const { write, command, model } = await open({ onMalformedFrame: 'silence' });
		await write(fromHex('0000ffffff0200fed6200b00'));
		expect(model.counters.framesOut).toBe(0);
		expect(await command('20')).toBe('d7211101');
	});

	it('refuses frames longer than the chip buffer (290 bytes of RF data)', async () => {
		const { write, read } = await open();
		await write(encodePort100Frame(concatBytes(fromHex('d6046e00'), new Uint8Array(291))));
		expect(toHex(await read())).toBe('0000ffffff');
	});

	it('answers unknown commands (and frames that are not D6 commands) with ACK then the error frame', async () => {
		const { command } = await open();
		expect(await command('f0')).toBe('error');
		expect(await command('40080b')).toBe('error');
	});

	it('cancels the command in progress when the host sends ACK: no response follows', async () => {
		const { write, read, command, setupTypeB, model } = await open({ timeScale: 1 });
		await setupTypeB();
		model.removeCard();
		await write(encodePort100Frame(fromHex('d604ffff050010')));
		expect(toHex(await read())).toBe(toHex(PORT100_ACK));
		await write(PORT100_ACK);
		expect(await command('20')).toBe('d7211101');
	});

	it('counts frames in and out', async () => {
		const { command, model } = await open();
		await command('20');
		expect(model.counters).toMatchObject({ framesIn: 1, framesOut: 2 });
	});
});

describe('RC-S380 model: chipset commands', () => {
	it('SetCommandType, GetCommandType, GetPDDataVersion, SwitchRF', async () => {
		const { command, model } = await open();
		expect(await command('2a01')).toBe('d72b00');
		expect(await command('2a05')).toBe('d72b01');
		expect(await command('28')).toBe('d7290000000000000003');
		expect(await command('22')).toBe('d7230001');
		expect(await command('0601')).toBe('d70700');
		expect(model.rfFieldOn).toBe(true);
		expect(await command('0600')).toBe('d70700');
		expect(model.rfFieldOn).toBe(false);
		expect(await command('0602')).toBe('d70701');
	});

	it('InSetRF accepts the known settings and refuses others', async () => {
		const { command } = await open();
		expect(await command('0003070f07')).toBe('d70100');
		expect(await command('0001010f01')).toBe('d70100');
		expect(await command('0003070f06')).toBe('d70101');
		expect(await command('0003070f')).toBe('d70101');
	});

	it('InSetProtocol stores pairs, refuses unknown keys and odd lengths; InGetProtocol reads them back', async () => {
		const { command } = await open();
		expect(await command(`02${TYPE_B_PROTOCOL}`.replace(/\s/g, ''))).toBe('d70300');
		expect(await command('26090a0b0c00')).toBe('d72709010a010b010c010014');
		expect(await command('021401')).toBe('d70301');
		expect(await command('0209')).toBe('d70301');
		expect(await command('24')).toBe('d725');
	});

	it('ResetDevice answers D7 13 and restores the power-up state', async () => {
		const { command } = await open();
		await command(`02${TYPE_B_PROTOCOL}`.replace(/\s/g, ''));
		await command('0601');
		expect(await command('120000')).toBe('d713');
		expect(await command('2609')).toBe('d7270900');
	});
});

describe('RC-S380 model: InCommRF and the Type B card', () => {
	it('activates the card (REQB, ATTRIB) and carries ISO-DEP I-blocks', async () => {
		const { rf, setupTypeB, model } = await open();
		await setupTypeB();
		expect(await rf('050010')).toBe(ATQB_EXTENDED);
		expect(await rf(`1d${PUPI}00080100`)).toBe('00000000:00');
		expect(model.picc!.state).toBe(TypeBPiccState.active);
		expect(await rf(`02${toHex(SELECT)}`)).toBe('00000000:029000');
		expect(model.counters.rfExchanges).toBe(3);
	});

	it('chains a 256-byte + 9000 answer (FSD 256) over two InCommRF', async () => {
		const { rf, activate } = await open();
		await activate();
		const first = await rf(`02${toHex(READ_256)}`);
		expect(first.slice(0, 11)).toBe('00000000:12');
		expect((first.length - 9) / 2).toBe(254);
		expect(await rf('a3')).toBe(`00000000:03${toHex(LONG.subarray(253))}9000`);
	});

	it('reports RECEIVE_TIMEOUT (80 00 00 00) after the timeout when no card answers', async () => {
		const { rf, setupTypeB, model } = await open({ timeScale: 1 });
		await setupTypeB();
		model.removeCard();
		const started = performance.now();
		expect(await rf('050010', '6400')).toBe('80000000');
		expect(performance.now() - started).toBeGreaterThanOrEqual(9);
	});

	it('reports PROTOCOL_ERROR when the Type B SOF/EOF settings are missing', async () => {
		const { rf, command } = await open();
		await command('0003070f07');
		expect(await rf('050010')).toBe('01000000');
		await command('02090a0a010b010c01');
		expect(await rf('050010')).toBe('01000000');
	});

	it('passes the CRC bytes to the host with check_crc 0, and the card is silent with add_crc 0', async () => {
		const { rf, setupTypeB, command } = await open();
		await setupTypeB();
		await command('020200');
		expect(await rf('050000')).toBe(`00000000:${toHex(appendCrcB(fromHex(`50${PUPI}00000000008181`)))}`);
		await command('02020101 00'.replace(/\s/g, ''));
		expect(await rf('050000')).toBe('80000000');
	});

	it('reaches no card with Type A settings or before InSetRF', async () => {
		const { rf, command } = await open();
		expect(await rf('050010')).toBe('01000000');
		await command('0002030f03');
		expect(await rf('050010')).toBe('80000000');
	});

	it('turns the field on for InCommRF and resets the card when the field goes off', async () => {
		const { rf, activate, command, card, model } = await open();
		await activate();
		await command('0600');
		expect(card.resets).toBe(1);
		expect(await rf(`02${toHex(SELECT)}`)).toBe('80000000');
		expect(model.rfFieldOn).toBe(true);
		expect((await rf('050010')).startsWith('00000000:50')).toBe(true);
	});

	it('times out after the card is removed mid-session', async () => {
		const { rf, activate, model, card } = await open();
		await activate();
		model.removeCard();
		expect(card.resets).toBe(1);
		expect(await rf(`02${toHex(SELECT)}`)).toBe('80000000');
		expect(await rf('b2')).toBe('80000000');
	});
});

describe('RC-S380 model: faults', () => {
	it('removes the card after N RF exchanges', async () => {
		const { rf, setupTypeB, model } = await open({ faults: [{ type: 'remove-card', afterExchanges: 2 }] });
		await setupTypeB();
		expect((await rf('050010')).startsWith('00000000:')).toBe(true);
		expect(await rf(`1d${PUPI}00080100`)).toBe('00000000:00');
		expect(model.hasCard()).toBe(false);
		expect(await rf(`02${toHex(SELECT)}`)).toBe('80000000');
	});

	it('WTX storm: the card asks for N waiting time extensions, each echoed by the host', async () => {
		const { rf, activate, model } = await open();
		await activate();
		model.injectFault({ type: 'wtx-storm', count: 3, wtxm: 4 });
		expect(await rf(`02${toHex(SELECT)}`)).toBe('00000000:f204');
		expect(await rf('f204')).toBe('00000000:f204');
		expect(await rf('f204')).toBe('00000000:f204');
		expect(await rf('f204')).toBe('00000000:029000');
	});

	it('CRC error once: status 04 00 00 00, then R(NAK) gets the block again', async () => {
		const { rf, activate, model } = await open();
		await activate();
		model.injectFault({ type: 'crc-error' });
		expect(await rf(`02${toHex(SELECT)}`)).toBe('04000000');
		expect(await rf('b2')).toBe('00000000:029000');
	});

	it('corrupt frame: the next response has a wrong DCS, the one after is fine', async () => {
		const { write, read, model, command } = await open();
		model.injectFault({ type: 'corrupt-frame' });
		await write(encodePort100Frame(fromHex('d620')));
		expect(toHex(await read())).toBe(toHex(PORT100_ACK));
		expect(parsePort100Frame(await read())).toMatchObject({ ok: false, reason: 'DCS does not match DATA' });
		expect(await command('20')).toBe('d7211101');
	});

	it('busy: the next command is swallowed; after an ACK the host repeats it', async () => {
		const { write, command, model } = await open({ faults: [{ type: 'busy', count: 1 }] });
		await write(encodePort100Frame(fromHex('d620')));
		expect(model.counters).toMatchObject({ framesIn: 1, framesOut: 0 });
		await write(PORT100_ACK);
		expect(await command('20')).toBe('d7211101');
	});

	it('fails a pending read with NetworkError when unplugged during a long InCommRF', async () => {
		const { write, read, device, setupTypeB, model } = await open({ timeScale: 1 });
		await setupTypeB();
		model.removeCard();
		await write(encodePort100Frame(fromHex('d604ffff050010')));
		await read();
		const pending = device.transferIn(1, 512);
		device.unplug();
		await expect(pending).rejects.toMatchObject({ name: 'NetworkError' });
	});
});

describe('RC-S380 model: robustness', () => {
	it('answers every well-framed command with ACK and a response or the error frame, never hangs', async () => {
		const commandCode = fc.constantFrom(0x00, 0x02, 0x04, 0x06, 0x12, 0x20, 0x22, 0x24, 0x26, 0x28, 0x2a, 0x40, 0xf0, 0x99);
		await fc.assert(
			fc.asyncProperty(fc.array(fc.tuple(commandCode, fc.uint8Array({ maxLength: 24 })), { minLength: 1, maxLength: 8 }), async (commands) => {
				const { write, read } = await open();
				for (const [code, params] of commands) {
					await write(encodePort100Frame(concatBytes(new Uint8Array([0xd6, code]), params)));
					expect(toHex(await read())).toBe(toHex(PORT100_ACK));
					const parsed = parsePort100Frame(await read());
					expect(parsed.ok).toBe(true);
					if (parsed.ok && parsed.frame.type === 'data') expect(toHex(parsed.frame.data.subarray(0, 2))).toBe(`d7${(code + 1).toString(16).padStart(2, '0')}`);
					else expect(parsed.ok && parsed.frame.type).toBe('error');
				}
			}),
			{ numRuns: 100 }
		);
	});
});
