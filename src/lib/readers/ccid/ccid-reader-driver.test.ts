import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import type { DeviceSpec } from '../../emulator/usb/usb-descriptors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import {
	ccidInterfaceSpec,
	deviceSpec,
	encodeCcidClassDescriptor,
	libccidDeviceSpec,
	libccidReader,
	type CcidDescriptorValues
} from '../../usb/testing/libccid-reader-fixtures';
import type { CardPresenceEvent, ReaderConnection } from '../reader-connection';
import { lrc } from '../t1/t1-block';
import { CcidReaderDriver, ccidReaderDriver } from './ccid-reader-driver';
import type { CcidExchangeEvent } from './ccid-transport';
import { ScriptedCcidReader, dataBlock, failed, parameters, slotStatus } from './testing/scripted-ccid-reader';

const open: ReaderConnection[] = [];
const readers: ScriptedCcidReader[] = [];
afterEach(async () => {
	for (const connection of open.splice(0)) await connection.close();
	for (const reader of readers.splice(0)) expect(reader.mismatches).toEqual([]);
});

function rig(spec: DeviceSpec, options: { usbUnrestricted?: boolean; claimedElsewhere?: boolean } = {}) {
	const reader = new ScriptedCcidReader();
	readers.push(reader);
	const device = new VirtualUsbDevice(spec, reader, { context: { usbUnrestricted: options.usbUnrestricted ?? true }, claimedElsewhere: options.claimedElsewhere ?? false });
	return { reader, device };
}

async function connect(device: USBDevice, driver = ccidReaderDriver, slot = 0) {
	const connection = await driver.open(device, { slot });
	open.push(connection);
	return connection;
}

const ATR = '3B E0 00 FF 81 31 FE 45 14';
const SELECT_JPKI = '00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01';
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
/** A T=1 block with its LRC. */
const block = (text: string) => {
	const bytes = fromHex(text);
	return toHex(Uint8Array.of(...bytes, lrc(bytes)));
};
/** An XfrBlock carrying `data` with bSeq `seq`. */
const xfr = (seq: number, data: string, bwi = 0) => {
	const bytes = fromHex(data);
	return `6f ${hex2(bytes.length)}000000 00 ${hex2(seq)} ${hex2(bwi)} 0000 ${toHex(bytes)}`;
};
const powerOff = (seq: number) => `63 00000000 00 ${hex2(seq)} 00 0000`;

describe('CcidReaderDriver at APDU level (RC-S300 interface 0, usb-unrestricted)', () => {
	const spec = () => libccidDeviceSpec(libccidReader('SONY_FeliCa_RC-S300_S'));

	it('opens, powers the card on automatically, passes APDUs unchanged, and closes cleanly', async () => {
		const { reader, device } = rig(spec());
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on(xfr(1, SELECT_JPKI), dataBlock(1, '90 00'))
			.on('6F 04000000 00 02 00 0000 00 20 00 80', dataBlock(2, '63 C3'))
			.on(powerOff(3), slotStatus(3, { status: 0x01 }));
		const controlIn = vi.spyOn(device, 'controlTransferIn');
		const controlOut = vi.spyOn(device, 'controlTransferOut');
		const connection = await connect(device);
		expect(connection.info).toEqual({
			vendorId: 0x054c,
			productId: 0x0dc8,
			name: 'Sony PaSoRi RC-S300/S',
			route: 'ccid-apdu',
			interfaceNumber: 0,
			slot: 0,
			slotCount: 1,
			medium: 'contactless',
			extendedApdu: true
		});
		expect(connection.channel.capabilities).toEqual({ extendedLength: true, maxResponseData: 65536 });
		const { atr } = await connection.connectCard();
		expect(toHex(atr!)).toBe('3be000ff8131fe4514');
		expect(toHex(connection.channel.atr!)).toBe('3be000ff8131fe4514');
		expect(toHex(await connection.channel.transmit(fromHex(SELECT_JPKI)))).toBe('9000');
		expect(toHex(await connection.channel.transmit(fromHex('00 20 00 80')))).toBe('63c3');
		await connection.close();
		await connection.close();
		expect(reader.pendingSteps).toBe(0);
		expect(device.opened).toBe(false);
		// only standard GET_DESCRIPTOR to the device, wIndex 0: nothing Chrome blocks on a protected interface
		expect(controlIn.mock.calls.map(([setup]) => setup)).toEqual([
			{ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 },
			{ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }
		]);
		expect(controlOut).not.toHaveBeenCalled();
	});

	it('refuses APDUs before connectCard with CardAbsent, without USB traffic', async () => {
		const { reader, device } = rig(spec());
		reader.on(powerOff(0), slotStatus(0));
		const connection = await connect(device);
		await expect(connection.channel.transmit(fromHex('00 20 00 80'))).rejects.toMatchObject({ kind: ErrorKind.CardAbsent });
		await expect(connection.channel.transmit(fromHex('00 20'))).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		expect(reader.sent).toEqual([]);
	});

	it('says CardAbsent when connectCard finds no card', async () => {
		const { reader, device } = rig(spec());
		reader.on('62 00000000 00 00 00 0000', failed(0x80, 0, 0xfe, 2)).on(powerOff(1), slotStatus(1, { status: 2 }));
		const connection = await connect(device);
		await expect(connection.connectCard()).rejects.toMatchObject({ kind: ErrorKind.CardAbsent });
	});

	it('turns a card pulled mid-exchange into CardRemoved, reports presence, and works again after re-insertion', async () => {
		const { reader, device } = rig(spec());
		const events: CardPresenceEvent[] = [];
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.onRequest({
				expect: xfr(1, SELECT_JPKI),
				reply: [{ bytes: failed(0x80, 1, 0xfe, 2) }],
				then: () => reader.notify('50 02')
			})
			.on('62 00000000 00 02 00 0000', dataBlock(2, ATR))
			.on(xfr(3, SELECT_JPKI), dataBlock(3, '90 00'))
			.on(powerOff(4), slotStatus(4));
		const connection = await connect(device);
		connection.onPresence((e) => events.push(e));
		await connection.connectCard();
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI))).rejects.toMatchObject({ kind: ErrorKind.CardRemoved, details: { ccidError: 0xfe } });
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI))).rejects.toMatchObject({ kind: ErrorKind.CardRemoved });
		await vi.waitFor(() => expect(events).toEqual([{ presence: 'absent' }]));
		reader.notify('50 03');
		await vi.waitFor(() => expect(events).toEqual([{ presence: 'absent' }, { presence: 'present' }]));
		await connection.connectCard();
		expect(toHex(await connection.channel.transmit(fromHex(SELECT_JPKI)))).toBe('9000');
	});

	it('marks the card removed when NotifySlotChange says so between commands', async () => {
		const { reader, device } = rig(spec());
		reader.on('62 00000000 00 00 00 0000', dataBlock(0, ATR)).on(powerOff(1), slotStatus(1));
		const connection = await connect(device);
		const events: CardPresenceEvent[] = [];
		connection.onPresence((e) => events.push(e));
		await connection.connectCard();
		reader.notify('50 02');
		await vi.waitFor(() => expect(events).toHaveLength(1));
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI))).rejects.toMatchObject({ kind: ErrorKind.CardRemoved });
		expect(connection.channel.atr).toBeUndefined();
	});

	it('rejects everything with ReaderUnplugged when the reader goes, promptly, and still closes without throwing', async () => {
		const { reader, device } = rig(spec());
		reader.on('62 00000000 00 00 00 0000', dataBlock(0, ATR)).on(xfr(1, SELECT_JPKI));
		const connection = await connect(device);
		const events: CardPresenceEvent[] = [];
		connection.onPresence((e) => events.push(e));
		await connection.connectCard();
		const pending = connection.channel.transmit(fromHex(SELECT_JPKI));
		const started = Date.now();
		setTimeout(() => device.unplug(), 20);
		await expect(pending).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(events).toEqual([{ presence: 'absent' }]);
		await expect(connection.connectCard()).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI))).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged });
		await expect(connection.close()).resolves.toBeUndefined();
	});

	it('cancels a transmit on abort; the connection goes on', async () => {
		const { reader, device } = rig(spec());
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on(xfr(1, SELECT_JPKI), { bytes: dataBlock(1, '90 00'), delayMs: 60 })
			.on('6F 04000000 00 02 00 0000 00 20 00 80', dataBlock(2, '63 C3'))
			.on(powerOff(3), slotStatus(3));
		const connection = await connect(device);
		await connection.connectCard();
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 10);
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI), { signal: controller.signal })).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(toHex(await connection.channel.transmit(fromHex('00 20 00 80')))).toBe('63c3');
	});

	it('close() does not wait for a slow transmit: it cancels it, powers off and releases', async () => {
		const { reader, device } = rig(spec());
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on(xfr(1, SELECT_JPKI), { bytes: dataBlock(1, '90 00'), delayMs: 200 })
			.on(powerOff(2), slotStatus(2));
		const connection = await connect(device);
		await connection.connectCard();
		const pending = connection.channel.transmit(fromHex(SELECT_JPKI));
		await new Promise((r) => setTimeout(r, 10));
		const started = Date.now();
		await connection.close();
		await expect(pending).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(reader.sent.at(-1)).toBe('63000000000002000000');
		expect(device.opened).toBe(false);
	});

	it('shows traces with the PIN masked while the reader gets the real bytes', async () => {
		const events: CcidExchangeEvent[] = [];
		const { reader, device } = rig(spec());
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on('6F 09000000 00 01 00 0000 00 20 00 81 04 31 32 33 34', dataBlock(1, '90 00'))
			.on('6F 04000000 00 02 00 0000 00 20 00 81', dataBlock(2, '63 C3'))
			.on(powerOff(3), slotStatus(3));
		const connection = await connect(device, new CcidReaderDriver({ onExchange: (e) => events.push(e) }));
		await connection.connectCard();
		await connection.channel.transmit(fromHex('00 20 00 81 04 31 32 33 34'));
		await connection.channel.transmit(fromHex('00 20 00 81'));
		const out = events.filter((e) => e.direction === 'out').map((e) => [toHex(e.bytes), e.redacted]);
		expect(out).toEqual([
			['62000000000000000000', undefined],
			['6f090000000001000000' + '0020008104' + '2a2a2a2a', true],
			['6f04000000000200000000200081', undefined]
		]);
	});
});

describe('CcidReaderDriver at TPDU level (host T=1)', () => {
	it('ACR39U: 5 V refused → 3 V, SetParameters from the ATR, IFSD 247, then APDUs in T=1 blocks', async () => {
		const { reader, device } = rig(libccidDeviceSpec(libccidReader('ACS_ACR39U_ICC_Reader')));
		reader
			.on('62 00000000 00 00 01 0000', failed(0x80, 0, 0xf5, 1))
			.on('62 00000000 00 01 02 0000', dataBlock(1, ATR))
			.on('61 07000000 00 02 01 0000 11 10 FF 45 00 FE 00', parameters(2, '11 10 FF 45 00 FE 00', { parameter: 1 }))
			.on(xfr(3, '00 C1 01 F7 37'), dataBlock(3, block('00 E1 01 F7')))
			.on(xfr(4, block(`00 00 0F ${SELECT_JPKI}`)), dataBlock(4, block('00 00 02 90 00')))
			.on(xfr(5, block('00 40 04 00 20 00 80')), dataBlock(5, block('00 40 02 63 C3')))
			.on(powerOff(6), slotStatus(6));
		const connection = await connect(device);
		expect(connection.info).toMatchObject({ name: 'ACS ACR39U', route: 'ccid-tpdu', medium: 'contact', extendedApdu: true });
		expect(connection.channel.capabilities?.extendedLength).toBe(true);
		await connection.connectCard();
		expect(toHex(await connection.channel.transmit(fromHex(SELECT_JPKI)))).toBe('9000');
		expect(toHex(await connection.channel.transmit(fromHex('00 20 00 80')))).toBe('63c3');
	});

	it('a TPDU reader without automatic PPS sends PPS through XfrBlock, then SetParameters at the new speed', async () => {
		const values: CcidDescriptorValues = { ...libccidReader('SCR3310').values, features: 0x0001003a };
		const { reader, device } = rig(deviceSpec(0x04e6, 0x5116, [ccidInterfaceSpec(0, 0x0b, encodeCcidClassDescriptor(values))]));
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, '3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B'))
			.on(xfr(1, 'FF 11 13 FD'), dataBlock(1, 'FF 11 13 FD'))
			.on('61 07000000 00 02 01 0000 13 10 FF 46 00 FB 00', parameters(2, '13 10 FF 46 00 FB 00', { parameter: 1 }))
			.on(xfr(3, '00 C1 01 FC 3C'), dataBlock(3, block('00 E1 01 FC')))
			.on(powerOff(4), slotStatus(4));
		await (await connect(device)).connectCard();
	});

	it('fails connectCard when the card rejects PPS', async () => {
		const values: CcidDescriptorValues = { ...libccidReader('SCR3310').values, features: 0x0001003a };
		const { reader, device } = rig(deviceSpec(0x04e6, 0x5116, [ccidInterfaceSpec(0, 0x0b, encodeCcidClassDescriptor(values))]));
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, '3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B'))
			.on(xfr(1, 'FF 11 13 FD'), dataBlock(1, 'FF 10 12 FD'))
			.on(powerOff(2), slotStatus(2));
		const connection = await connect(device);
		await expect(connection.connectCard()).rejects.toMatchObject({ kind: ErrorKind.Protocol });
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI))).rejects.toMatchObject({ kind: ErrorKind.CardAbsent });
	});

	it('SCR3310-NTTCom (vendor class) works in a normal page; a card pulled mid-T=1 gives CardRemoved and T=1 restarts on reconnect', async () => {
		const { reader, device } = rig(libccidDeviceSpec(libccidReader('SCR3310-NTTCom')), { usbUnrestricted: false });
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on('61 07000000 00 01 01 0000 11 10 FF 45 00 FE 00', parameters(1, '11 10 FF 45 00 FE 00'))
			.on(xfr(2, '00 C1 01 FC 3C'), dataBlock(2, block('00 E1 01 FC')))
			.on(xfr(3, block(`00 00 0F ${SELECT_JPKI}`)), failed(0x80, 3, 0xfe, 2))
			.on('62 00000000 00 04 00 0000', dataBlock(4, ATR))
			.on('61 07000000 00 05 01 0000 11 10 FF 45 00 FE 00', parameters(5, '11 10 FF 45 00 FE 00'))
			.on(xfr(6, '00 C1 01 FC 3C'), dataBlock(6, block('00 E1 01 FC')))
			.on(xfr(7, block(`00 00 0F ${SELECT_JPKI}`)), dataBlock(7, block('00 00 02 90 00')))
			.on(powerOff(8), slotStatus(8));
		const connection = await connect(device);
		expect(connection.info).toMatchObject({ name: 'NTT Com SCR3310-NTTCom', route: 'ccid-tpdu', interfaceNumber: 0 });
		await connection.connectCard();
		await expect(connection.channel.transmit(fromHex(SELECT_JPKI))).rejects.toMatchObject({ kind: ErrorKind.CardRemoved });
		await connection.connectCard();
		expect(toHex(await connection.channel.transmit(fromHex(SELECT_JPKI)))).toBe('9000');
	});

	it('answers a parity error reported by the reader with R(EDC error), and WTX with bBWI on the next XfrBlock', async () => {
		const { reader, device } = rig(libccidDeviceSpec(libccidReader('SCR3310-NTTCom')));
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on('61 07000000 00 01 01 0000 11 10 FF 45 00 FE 00', parameters(1, '11 10 FF 45 00 FE 00'))
			.on(xfr(2, '00 C1 01 FC 3C'), dataBlock(2, block('00 E1 01 FC')))
			.on(xfr(3, block(`00 00 0F ${SELECT_JPKI}`)), failed(0x80, 3, 0xfd, 0))
			.on(xfr(4, '00 81 00 81'), dataBlock(4, block('00 C3 01 05')))
			.on(xfr(5, block('00 E3 01 05'), 5), dataBlock(5, block('00 00 02 90 00')))
			.on(powerOff(6), slotStatus(6));
		const connection = await connect(device);
		await connection.connectCard();
		expect(toHex(await connection.channel.transmit(fromHex(SELECT_JPKI)))).toBe('9000');
	});

	it('masks the PIN and the EDC of the I-block in traces', async () => {
		const events: CcidExchangeEvent[] = [];
		const { reader, device } = rig(libccidDeviceSpec(libccidReader('SCR3310-NTTCom')));
		reader
			.on('62 00000000 00 00 00 0000', dataBlock(0, ATR))
			.on('61 07000000 00 01 01 0000 11 10 FF 45 00 FE 00', parameters(1, '11 10 FF 45 00 FE 00'))
			.on(xfr(2, '00 C1 01 FC 3C'), dataBlock(2, block('00 E1 01 FC')))
			.on(xfr(3, block('00 00 09 00 20 00 81 04 31 32 33 34')), dataBlock(3, block('00 00 02 90 00')))
			.on(powerOff(4), slotStatus(4));
		const connection = await connect(device, new CcidReaderDriver({ onExchange: (e) => events.push(e) }));
		await connection.connectCard();
		await connection.channel.transmit(fromHex('00 20 00 81 04 31 32 33 34'));
		const verify = events.find((e) => e.direction === 'out' && e.redacted)!;
		expect(toHex(verify.bytes)).toBe('6f0d00000000030000000000090020008104' + '2a2a2a2a' + '2a');
	});
});

describe('CcidReaderDriver: sharing, slots, refusals', () => {
	it('SCR331-DI-NTTCom: two slots share one transport; each slot its own bSlot and events; the device closes with the last', async () => {
		const { reader, device } = rig(libccidDeviceSpec(libccidReader('SCR331-DI-NTTCom')));
		const claim = vi.spyOn(device, 'claimInterface');
		const contact = await connect(device, ccidReaderDriver, 0);
		const contactless = await connect(device, ccidReaderDriver, 1);
		expect(claim).toHaveBeenCalledTimes(1);
		expect(contact.info).toMatchObject({ slot: 0, slotCount: 2, medium: 'contact', name: 'NTT Com SCR331-DI-NTTCom' });
		expect(contactless.info).toMatchObject({ slot: 1, slotCount: 2, medium: 'contactless' });
		const events: [number, CardPresenceEvent][] = [];
		contact.onPresence((e) => events.push([0, e]));
		contactless.onPresence((e) => events.push([1, e]));
		reader.notify('50 0C');
		await vi.waitFor(() => expect(events).toEqual([[1, { presence: 'present' }]]));
		reader.on('62 00000000 01 00 00 0000', failed(0x80, 0, 0xfe, 2, 1)).on(powerOff(1), slotStatus(1)).on('63 00000000 01 02 00 0000', slotStatus(2, { slot: 1 }));
		await expect(contactless.connectCard()).rejects.toMatchObject({ kind: ErrorKind.CardAbsent, details: { slot: 1 } });
		await expect(ccidReaderDriver.open(device, { slot: 1 })).rejects.toMatchObject({ kind: ErrorKind.ReaderBusy });
		await expect(ccidReaderDriver.open(device, { slot: 2 })).rejects.toMatchObject({ kind: ErrorKind.Unsupported, details: { slot: 2 } });
		await contact.close();
		expect(device.opened).toBe(true);
		await contactless.close();
		expect(device.opened).toBe(false);
	});

	it('says ReaderBusy when another tab or program holds the reader, and leaves the device closed', async () => {
		const { device } = rig(libccidDeviceSpec(libccidReader('SCR3310-NTTCom')), { claimedElsewhere: true });
		await expect(ccidReaderDriver.open(device)).rejects.toMatchObject({ kind: ErrorKind.ReaderBusy, details: { operation: 'claim-interface' } });
		expect(device.opened).toBe(false);
	});

	it('says ProtectedInterface for a class 0x0B reader in a normal page, with the device and interface', async () => {
		const { device } = rig(libccidDeviceSpec(libccidReader('ACS_ACR39U_ICC_Reader')), { usbUnrestricted: false });
		await expect(ccidReaderDriver.open(device)).rejects.toMatchObject({
			kind: ErrorKind.ProtectedInterface,
			details: { vendorId: 0x072f, productId: 0xb100, interfaceNumber: 0 }
		});
		expect(device.opened).toBe(false);
	});

	it('fails before any USB call when told the page may not use usb-unrestricted', async () => {
		const { device } = rig(libccidDeviceSpec(libccidReader('ACS_ACR39U_ICC_Reader')), { usbUnrestricted: false });
		const openSpy = vi.spyOn(device, 'open');
		await expect(new CcidReaderDriver({ usbUnrestricted: false }).open(device)).rejects.toMatchObject({ kind: ErrorKind.ProtectedInterface });
		expect(openSpy).not.toHaveBeenCalled();
	});

	it('picks the SAM (contact) interface of a dual reader on request, a short-APDU channel', async () => {
		const picc = encodeCcidClassDescriptor(libccidReader('ACS_ACR1252_Dual_Reader (PICC)').values);
		const icc = encodeCcidClassDescriptor(libccidReader('ACS_ACR1252_Dual_Reader (ICC/SAM)').values);
		const spec = deviceSpec(0x072f, 0x223b, [ccidInterfaceSpec(0, 0x0b, picc, { bulkOut: 2, bulkIn: 2, interruptIn: 1 }), ccidInterfaceSpec(1, 0x0b, icc)]);
		const { reader, device } = rig(spec);
		reader.on(powerOff(0), slotStatus(0));
		const connection = await connect(device, new CcidReaderDriver({ interfaceNumber: 1 }));
		expect(connection.info).toMatchObject({ name: 'ACS ACR1252 Dual Reader (SAM)', interfaceNumber: 1, medium: 'contact', extendedApdu: false, route: 'ccid-apdu' });
		expect(connection.channel.capabilities).toEqual({ extendedLength: false, maxResponseData: 256 });
	});

	it('refuses a character-level reader', async () => {
		const values: CcidDescriptorValues = { ...libccidReader('SCR3310').values, features: 0x000000ba };
		const { device } = rig(deviceSpec(0x1234, 0x0001, [ccidInterfaceSpec(0, 0xff, encodeCcidClassDescriptor(values))]));
		await expect(ccidReaderDriver.open(device)).rejects.toMatchObject({ kind: ErrorKind.Unsupported });
		expect(device.opened).toBe(false);
	});

	it('refuses a device without a CCID interface', async () => {
		const itf = ccidInterfaceSpec(0, 0xff, new Uint8Array(0));
		delete itf.alternates[0]!.classDescriptor;
		const { device } = rig(deviceSpec(0x054c, 0x06c1, [itf]));
		await expect(ccidReaderDriver.open(device)).rejects.toMatchObject({ kind: ErrorKind.Unsupported });
		expect(device.opened).toBe(false);
	});

	it('opens again after an unplug and replug of the same device object', async () => {
		const { reader, device } = rig(libccidDeviceSpec(libccidReader('SCR3310-NTTCom')));
		const first = await connect(device);
		device.unplug();
		await vi.waitFor(() => expect(first.connectCard()).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged }));
		await first.close();
		device.replug();
		reader.on(powerOff(0), slotStatus(0));
		const second = await connect(device);
		expect(second.info.name).toBe('NTT Com SCR3310-NTTCom');
	});
});
