import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fromHex } from '../bytes';
import { ErrorKind, MynaError } from '../errors';
import { encodeConfigurationDescriptor, type ConfigurationSpec } from '../emulator/usb/usb-descriptors';
import type { UsbFunctionModel } from '../emulator/usb/usb-function-model';
import { VirtualUsbDevice } from '../emulator/usb/virtual-usb-device';
import { parseConfigurationDescriptor, readConfigurationDescriptor } from './configuration-descriptor';
import { ccidInterfaceSpec, deviceSpec, encodeCcidClassDescriptor, libccidReader } from './testing/libccid-reader-fixtures';

const silentModel: UsbFunctionModel = { transferOut: () => undefined, transferIn: () => new Promise(() => undefined) };

/** RC-S300/S as libccid dumps interface 0, plus the vendor interface 1 (bulk OUT 2 / IN 0x82). */
function rcs300Configuration(): ConfigurationSpec {
	return {
		configurationValue: 1,
		interfaces: [
			ccidInterfaceSpec(0, 0x0b, encodeCcidClassDescriptor(libccidReader('SONY_FeliCa_RC-S300_S').values)),
			{
				interfaceNumber: 1,
				alternates: [
					{
						alternateSetting: 0,
						interfaceClass: 0xff,
						interfaceSubclass: 0,
						interfaceProtocol: 0,
						endpoints: [
							{ endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
							{ endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 }
						]
					}
				]
			}
		]
	};
}

describe('parseConfigurationDescriptor', () => {
	it('walks a hand-written configuration: interface, class descriptor, endpoints', () => {
		const bytes = fromHex(
			'09 02 2C 00 01 01 00 80 32' + // configuration, wTotalLength 0x2C
				'09 04 00 00 02 0B 00 00 00' + // interface 0, class 0x0B, 2 endpoints
				'05 21 01 02 03' + // a (short) class descriptor
				'07 05 02 02 40 00 00' + // bulk OUT 2, 64 bytes
				'07 05 82 02 40 00 00' + // bulk IN 2
				'07 05 83 03 08 00 10' // interrupt IN 3, not counted in bNumEndpoints
		);
		const config = parseConfigurationDescriptor(bytes);
		expect(config).toMatchObject({ configurationValue: 1, totalLength: 0x2c, interfaceCount: 1, attributes: 0x80, maxPower: 0x32 });
		expect(config.interfaces).toHaveLength(1);
		const itf = config.interfaces[0]!;
		expect(itf).toMatchObject({ interfaceNumber: 0, alternateSetting: 0, interfaceClass: 0x0b, declaredEndpointCount: 2 });
		expect(itf.extra).toEqual([{ type: 0x21, bytes: fromHex('05 21 01 02 03') }]);
		expect(itf.endpoints).toEqual([
			{ address: 0x02, endpointNumber: 2, direction: 'out', type: 'bulk', maxPacketSize: 64, interval: 0 },
			{ address: 0x82, endpointNumber: 2, direction: 'in', type: 'bulk', maxPacketSize: 64, interval: 0 },
			{ address: 0x83, endpointNumber: 3, direction: 'in', type: 'interrupt', maxPacketSize: 8, interval: 0x10 }
		]);
	});

	it('keeps the CCID descriptor with its interface and the vendor interface apart', () => {
		const config = parseConfigurationDescriptor(encodeConfigurationDescriptor(rcs300Configuration()));
		expect(config.interfaces.map((i) => [i.interfaceNumber, i.interfaceClass, i.endpoints.length, i.extra.length])).toEqual([
			[0, 0x0b, 3, 1],
			[1, 0xff, 2, 0]
		]);
		expect(config.interfaces[0]!.extra[0]!.bytes).toHaveLength(54);
	});

	it.each([
		['shorter than the header', '09 02 09 00'],
		['not a configuration', '09 04 09 00 01 01 00 80 32'],
		['wTotalLength larger than the bytes', '09 02 20 00 01 01 00 80 32'],
		['wTotalLength smaller than the bytes', '09 02 09 00 01 01 00 80 32 00'],
		['a zero-length descriptor', '09 02 0B 00 01 01 00 80 32 00 04'],
		['a descriptor running past the end', '09 02 0C 00 01 01 00 80 32 09 04 00'],
		['a lone byte at the end', '09 02 0A 00 01 01 00 80 32 05'],
		['a short interface descriptor', '09 02 10 00 01 01 00 80 32 07 04 00 00 00 0B 00'],
		['an endpoint outside an interface', '09 02 10 00 01 01 00 80 32 07 05 82 02 40 00 00'],
		['a short endpoint descriptor', '09 02 1B 00 01 01 00 80 32 09 04 00 00 01 0B 00 00 00 06 05 82 02 40 00 00']
	])('rejects %s with a Protocol error', (_name, hex) => {
		expect(() => parseConfigurationDescriptor(fromHex(hex))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('never fails other than with a Protocol error, whatever the bytes (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (body, fixHeader) => {
				const bytes = fixHeader && body.length >= 4 ? Uint8Array.from(body) : body;
				if (fixHeader && bytes.length >= 4) {
					bytes[0] = 9;
					bytes[1] = 2;
					bytes[2] = bytes.length & 0xff;
					bytes[3] = bytes.length >> 8;
				}
				try {
					const config = parseConfigurationDescriptor(bytes);
					expect(config.totalLength).toBe(bytes.length);
				} catch (error) {
					expect(error).toBeInstanceOf(MynaError);
					expect((error as MynaError).kind).toBe(ErrorKind.Protocol);
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('parses back every interface and endpoint the emulator encodes (property)', () => {
		const endpoint = fc.record({
			endpointNumber: fc.integer({ min: 1, max: 15 }),
			direction: fc.constantFrom<USBDirection>('in', 'out'),
			type: fc.constantFrom<USBEndpointType>('bulk', 'interrupt', 'isochronous'),
			packetSize: fc.integer({ min: 0, max: 1023 })
		});
		const alternate = fc.record({
			alternateSetting: fc.integer({ min: 0, max: 3 }),
			interfaceClass: fc.integer({ min: 0, max: 255 }),
			interfaceSubclass: fc.integer({ min: 0, max: 255 }),
			interfaceProtocol: fc.integer({ min: 0, max: 255 }),
			endpoints: fc.array(endpoint, { maxLength: 4 }),
			classDescriptor: fc.option(
				fc.uint8Array({ minLength: 0, maxLength: 60 }).map((body) => Uint8Array.of(body.length + 2, 0x21, ...body)),
				{ nil: undefined }
			)
		});
		const config = fc.record({
			configurationValue: fc.integer({ min: 1, max: 255 }),
			interfaces: fc.array(fc.record({ interfaceNumber: fc.integer({ min: 0, max: 7 }), alternates: fc.array(alternate, { minLength: 1, maxLength: 2 }) }), { maxLength: 4 })
		});
		fc.assert(
			fc.property(config, (spec) => {
				const parsed = parseConfigurationDescriptor(encodeConfigurationDescriptor(spec as ConfigurationSpec));
				const alternates = spec.interfaces.flatMap((i) => i.alternates.map((a) => ({ i, a })));
				expect(parsed.interfaces).toHaveLength(alternates.length);
				parsed.interfaces.forEach((itf, k) => {
					const { i, a } = alternates[k]!;
					expect(itf.interfaceNumber).toBe(i.interfaceNumber);
					expect(itf.interfaceClass).toBe(a.interfaceClass);
					expect(itf.endpoints.map((e) => [e.endpointNumber, e.direction, e.type, e.maxPacketSize])).toEqual(
						a.endpoints.map((e) => [e.endpointNumber, e.direction, e.type, e.packetSize])
					);
					expect(itf.extra.map((d) => d.bytes)).toEqual(a.classDescriptor ? [a.classDescriptor] : []);
				});
			}),
			{ numRuns: 300 }
		);
	});
});

describe('readConfigurationDescriptor', () => {
	function openDevice(usbUnrestricted = false) {
		const device = new VirtualUsbDevice(deviceSpec(0x054c, 0x0dc8, rcs300Configuration().interfaces), silentModel, { context: { usbUnrestricted } });
		return device;
	}

	it('sends only two standard device-level GET_DESCRIPTOR requests with wIndex 0 (allowed on a protected reader)', async () => {
		const device = openDevice(false);
		await device.open();
		await device.selectConfiguration(1);
		const spy = vi.spyOn(device, 'controlTransferIn');
		const config = await readConfigurationDescriptor(device);
		const total = encodeConfigurationDescriptor(rcs300Configuration()).length;
		expect(spy.mock.calls).toEqual([
			[{ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, 9],
			[{ requestType: 'standard', recipient: 'device', request: 6, value: 0x0200, index: 0 }, total]
		]);
		expect(config.totalLength).toBe(total);
		expect(device.configuration?.interfaces.some((i) => i.claimed)).toBe(false);
	});

	it('asks for configuration index n in the low byte of wValue', async () => {
		const device = openDevice();
		await device.open();
		const spy = vi.spyOn(device, 'controlTransferIn');
		await expect(readConfigurationDescriptor(device, { index: 1 })).rejects.toMatchObject({ kind: ErrorKind.Transport, details: { status: 'stall' } });
		expect(spy.mock.calls[0]![0]).toMatchObject({ value: 0x0201, index: 0 });
	});

	it('maps a device that is gone to ReaderUnplugged', async () => {
		const device = openDevice();
		await device.open();
		device.unplug();
		await expect(readConfigurationDescriptor(device)).rejects.toMatchObject({ kind: ErrorKind.ReaderUnplugged, details: { operation: 'control-in' } });
	});

	it('rejects a device that returns fewer bytes than wTotalLength', async () => {
		const device = openDevice();
		await device.open();
		const real = device.controlTransferIn.bind(device);
		vi.spyOn(device, 'controlTransferIn').mockImplementation(async (setup, length) => {
			const result = await real(setup, length);
			if (length === 9) return result;
			const data = result.data!;
			return { status: 'ok', data: new DataView(data.buffer, data.byteOffset, data.byteLength - 1) } as USBInTransferResult;
		});
		await expect(readConfigurationDescriptor(device)).rejects.toMatchObject({ kind: ErrorKind.Protocol });
	});

	it('honours an aborted signal before any request', async () => {
		const device = openDevice();
		await device.open();
		const spy = vi.spyOn(device, 'controlTransferIn');
		await expect(readConfigurationDescriptor(device, { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(spy).not.toHaveBeenCalled();
	});
});
