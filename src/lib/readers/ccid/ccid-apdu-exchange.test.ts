import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import { chooseCcidInterface } from '../../usb/ccid-interface';
import { readConfigurationDescriptor } from '../../usb/configuration-descriptor';
import { libccidDeviceSpec, libccidReader } from '../../usb/testing/libccid-reader-fixtures';
import { exchangeExtendedApdu, exchangeShortApdu } from './ccid-apdu-exchange';
import { CcidTransport, type CcidExchangeEvent } from './ccid-transport';
import { ScriptedCcidReader, dataBlock } from './testing/scripted-ccid-reader';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(file: string, onExchange?: (e: CcidExchangeEvent) => void) {
	const reader = new ScriptedCcidReader();
	const device = new VirtualUsbDevice(libccidDeviceSpec(libccidReader(file)), reader, { context: { usbUnrestricted: true } });
	await device.open();
	await device.selectConfiguration(1);
	const transport = await CcidTransport.claim(device, chooseCcidInterface(await readConfigurationDescriptor(device)), onExchange ? { onExchange } : {});
	cleanups.push(async () => {
		await transport.close();
		await device.close();
	});
	return { reader, transport };
}

const le32 = (n: number) => toHex(Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24));
/** An XfrBlock as it must appear on the wire. */
const xfr = (seq: number, level: number, data: Uint8Array) =>
	`6f${le32(data.length)}00${seq.toString(16).padStart(2, '0')}00${toHex(Uint8Array.of(level & 0xff, level >> 8))}${toHex(data)}`;
/** An extended UPDATE BINARY with n data bytes. */
function extendedApdu(n: number): Uint8Array {
	const data = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
	return concatBytes(fromHex('00 D6 00 00 00'), Uint8Array.of(n >> 8, n & 0xff), data);
}
const T = { timeoutMs: 1000 };

describe('extended APDU level: wLevelParameter / bChainParameter chaining (RC-S300, dwMaxCCIDMessageLength 522)', () => {
	it('sends an APDU that fits as it is, wLevelParameter 0000', async () => {
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S');
		const apdu = extendedApdu(505); // 512 bytes: exactly 522 − 10
		reader.on(xfr(0, 0x0000, apdu), dataBlock(0, '90 00'));
		expect(toHex(await exchangeExtendedApdu(transport, 0, apdu, T))).toBe('9000');
		expect(reader.mismatches).toEqual([]);
	});

	it('splits a longer command 01 / 03 / 02, each part but the last answered empty', async () => {
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S');
		const apdu = extendedApdu(1093); // 1100 bytes
		reader
			.on(xfr(0, 0x0001, apdu.subarray(0, 512)), dataBlock(0))
			.on(xfr(1, 0x0003, apdu.subarray(512, 1024)), dataBlock(1))
			.on(xfr(2, 0x0002, apdu.subarray(1024)), dataBlock(2, '90 00'));
		expect(toHex(await exchangeExtendedApdu(transport, 0, apdu, T))).toBe('9000');
		expect(reader.mismatches).toEqual([]);
		expect(reader.pendingSteps).toBe(0);
	});

	it('splits a command one byte too long into 01 and 02', async () => {
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S');
		const apdu = extendedApdu(506);
		reader.on(xfr(0, 0x0001, apdu.subarray(0, 512)), dataBlock(0)).on(xfr(1, 0x0002, apdu.subarray(512)), dataBlock(1, '90 00'));
		await exchangeExtendedApdu(transport, 0, apdu, T);
		expect(reader.mismatches).toEqual([]);
	});

	it('collects a chained response 01 / 03 / 10 / 02 with empty XfrBlocks, wLevelParameter 0010', async () => {
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S');
		const read = fromHex('00 B0 00 00 00 00 00');
		reader
			.on(xfr(0, 0, read), dataBlock(0, 'AA'.repeat(512), { parameter: 0x01 }))
			.on(xfr(1, 0x0010, new Uint8Array(0)), dataBlock(1, 'BB'.repeat(512), { parameter: 0x03 }))
			.on(xfr(2, 0x0010, new Uint8Array(0)), dataBlock(2, '', { parameter: 0x10 }))
			.on(xfr(3, 0x0010, new Uint8Array(0)), dataBlock(3, 'CC 90 00', { parameter: 0x02 }));
		const response = await exchangeExtendedApdu(transport, 0, read, T);
		expect(toHex(response)).toBe('aa'.repeat(512) + 'bb'.repeat(512) + 'cc9000');
		expect(reader.mismatches).toEqual([]);
	});

	it('fails on an unknown bChainParameter, and on data in the answer to a command part', async () => {
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S');
		reader.on(xfr(0, 0, fromHex('00 A4 04 00')), dataBlock(0, '90 00', { parameter: 0x04 }));
		await expect(exchangeExtendedApdu(transport, 0, fromHex('00 A4 04 00'), T)).rejects.toMatchObject({ kind: ErrorKind.Protocol, details: { chainParameter: 4 } });
		const apdu = extendedApdu(600);
		reader.on(xfr(1, 0x0001, apdu.subarray(0, 512)), dataBlock(1, '90 00'));
		await expect(exchangeExtendedApdu(transport, 0, apdu, T)).rejects.toMatchObject({ kind: ErrorKind.Protocol });
	});

	it('sends the empty VERIFY as exactly 4 bytes', async () => {
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S');
		reader.on('6F 04000000 00 00 00 0000 00 20 00 80', dataBlock(0, '63 C3'));
		expect(toHex(await exchangeExtendedApdu(transport, 0, fromHex('00 20 00 80'), T))).toBe('63c3');
		expect(reader.mismatches).toEqual([]);
	});

	it('shows each chained part with its slice of the masked APDU', async () => {
		const events: CcidExchangeEvent[] = [];
		const { reader, transport } = await setup('SONY_FeliCa_RC-S300_S', (e) => events.push(e));
		const apdu = concatBytes(fromHex('00 24 00 81 00 02 58'), new Uint8Array(600).fill(0x31));
		const masked = concatBytes(fromHex('00 24 00 81 00 02 58'), new Uint8Array(600).fill(0x2a));
		reader.on(xfr(0, 0x0001, apdu.subarray(0, 512)), dataBlock(0)).on(xfr(1, 0x0002, apdu.subarray(512)), dataBlock(1, '90 00'));
		await exchangeExtendedApdu(transport, 0, apdu, { ...T, traceApdu: masked });
		const out = events.filter((e) => e.direction === 'out');
		expect(out.map((e) => e.redacted)).toEqual([true, true]);
		expect(out.every((e) => !e.bytes.subarray(17).includes(0x31))).toBe(true);
		expect(toHex(out[0]!.bytes.subarray(10, 17))).toBe('00240081000258');
	});
});

describe('short APDU level (ACR1252 Dual ICC, dwMaxCCIDMessageLength 288)', () => {
	it('sends the APDU as it is and refuses one that does not fit in a message', async () => {
		const { reader, transport } = await setup('ACS_ACR1252_Dual_Reader (ICC/SAM)');
		const apdu = concatBytes(fromHex('00 D6 00 00 FF'), new Uint8Array(255).fill(1), fromHex('00'));
		reader.on(xfr(0, 0, apdu), dataBlock(0, '90 00'));
		expect(toHex(await exchangeShortApdu(transport, 0, apdu, T))).toBe('9000');
		await expect(exchangeShortApdu(transport, 0, new Uint8Array(279), T)).rejects.toMatchObject({ kind: ErrorKind.Protocol, details: { length: 279, max: 278 } });
		expect(reader.sent).toHaveLength(1);
	});
});
