import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { RfFailure, rfFailureOf } from '../iso-dep/rf-link-error';
import { findVendorInterface, claimVendorInterface, VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import { inCommRfTimeoutUnits, Port100Chipset } from './port100-chipset';
import { encodePort100Frame, PORT100_ACK } from './port100-frame';
import { createTestRcs380 } from './test-rcs380-function';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ');
const ACK = '00 00 ff 00 ff 00';

async function chipset() {
	const { model, device } = createTestRcs380();
	const selection = findVendorInterface(device)!;
	await claimVendorInterface(device, selection);
	const pipe = new VendorUsbPipe(device, selection, 512);
	return { model, device, pipe, chip: new Port100Chipset(pipe, { ackMs: 50, commandMs: 50, rfMarginMs: 50, drainMs: 5 }) };
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

describe('Port100Chipset', () => {
	it('initialises with ACK, SetCommandType(1), GetFirmwareVersion, GetPDDataVersion, SwitchRF off', async () => {
		const { model, chip } = await chipset();
		await chip.initialize();
		expect(model.sent).toEqual([
			ACK,
			'00 00 ff ff ff 03 00 fd d6 2a 01 ff 00',
			'00 00 ff ff ff 02 00 fe d6 20 0a 00',
			'00 00 ff ff ff 02 00 fe d6 22 08 00',
			'00 00 ff ff ff 03 00 fd d6 06 00 24 00'
		]);
		expect(chip.firmwareVersion).toBe('1.11');
		expect(chip.pdDataVersion).toBe('1.00');
	});

	it('drains frames left over from an earlier session before the first command', async () => {
		const { model, chip } = await chipset();
		model.push(encodePort100Frame(fromHex('d7 05 80 00 00 00 00')));
		model.push(PORT100_ACK);
		await chip.initialize();
		expect(chip.firmwareVersion).toBe('1.11');
	});

	it('sends InCommRF with the timeout in 0.1 ms units, little-endian', async () => {
		expect(inCommRfTimeoutUnits(30)).toBe(300);
		expect(inCommRfTimeoutUnits(8.4578)).toBe(85);
		expect(inCommRfTimeoutUnits(10_000)).toBe(0xffff);
		const { model, chip } = await chipset();
		await chip.initialize();
		await expect(chip.inCommRf(fromHex('05 00 08'), 30)).rejects.toBeInstanceOf(MynaError);
		expect(model.sent.at(-1)).toBe('00 00 ff ff ff 07 00 f9 d6 04 2c 01 05 00 08 ec 00');
	});

	it('maps the InCommRF status: receive timeout, transmission errors, and hardware errors', async () => {
		const { model, chip } = await chipset();
		await chip.initialize();
		const answers: Record<string, string> = {
			timeout: 'd7 05 80 00 00 00 00',
			timeoutStatusOnly: 'd7 05 80 00 00 00',
			crc: 'd7 05 04 00 00 00 00',
			parity: 'd7 05 02 00 00 00 00',
			length: 'd7 05 00 00 00 80 00',
			rfOff: 'd7 05 00 04 00 00 00',
			ok: 'd7 05 00 00 00 00 00 02 90 00'
		};
		const outcome: Record<string, string> = {};
		for (const [name, answer] of Object.entries(answers)) {
			model.silent = true;
			const pending = chip.inCommRf(fromHex('02 00'), 5).then(
				(data) => 'data ' + hex(data),
				(error: MynaError) => `${error.kind} ${rfFailureOf(error) ?? ''}`.trim()
			);
			await Promise.resolve();
			model.push(PORT100_ACK);
			model.push(encodePort100Frame(fromHex(answer)));
			outcome[name] = await pending;
		}
		expect(outcome).toEqual({
			timeout: `timeout ${RfFailure.Timeout}`,
			timeoutStatusOnly: `timeout ${RfFailure.Timeout}`,
			crc: `protocol ${RfFailure.Transmission}`,
			parity: `protocol ${RfFailure.Transmission}`,
			length: `protocol ${RfFailure.Transmission}`,
			rfOff: 'reader-hardware',
			ok: 'data 02 90 00'
		});
	});

	it('rejects an answer with a bad DCS as a Protocol error and resynchronises with ACK before the next command', async () => {
		const { model, chip } = await chipset();
		await chip.initialize();
		model.corruptNextAnswer = true;
		const error = await rejection(chip.switchRf(false));
		expect(error.kind).toBe(ErrorKind.Protocol);
		expect(error.details['port100']).toBe('data checksum');
		await chip.switchRf(false);
		expect(model.sent.slice(-2)).toEqual([ACK, '00 00 ff ff ff 03 00 fd d6 06 00 24 00']);
	});

	it('skips a stale answer to an earlier command and times out a hung chip with a typed error', async () => {
		const { model, chip } = await chipset();
		await chip.initialize();
		model.push(encodePort100Frame(fromHex('d7 07 00')));
		await chip.inSetRf(fromHex('03 07 0f 07'));
		model.silent = true;
		const error = await rejection(chip.switchRf(true));
		expect(error.kind).toBe(ErrorKind.Timeout);
		model.silent = false;
		await chip.switchRf(false);
		expect(model.sent.slice(-2)).toEqual([ACK, '00 00 ff ff ff 03 00 fd d6 06 00 24 00']);
	});

	it('cancels a command the chip did not acknowledge with ACK and sends it once more', async () => {
		const { model, chip } = await chipset();
		await chip.initialize();
		model.swallow = 1;
		await chip.switchRf(true);
		expect(model.sent.slice(-3)).toEqual(['00 00 ff ff ff 03 00 fd d6 06 01 23 00', ACK, '00 00 ff ff ff 03 00 fd d6 06 01 23 00']);
	});

	it('reports a refused command with its status as a ReaderHardware error', async () => {
		const { model, chip } = await chipset();
		await chip.initialize();
		model.silent = true;
		const pending = rejection(chip.inSetProtocol(fromHex('00 18')));
		await Promise.resolve();
		model.push(PORT100_ACK);
		model.push(encodePort100Frame(fromHex('d7 03 01')));
		const error = await pending;
		expect(error.kind).toBe(ErrorKind.ReaderHardware);
		expect(error.details).toEqual({ command: 2, status: 1 });
	});
});
