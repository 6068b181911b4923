import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { encodeConfigurationDescriptor, type InterfaceSpec } from '../emulator/usb/usb-descriptors';
import { chooseCcidInterface, findCcidInterfaces } from './ccid-interface';
import { parseConfigurationDescriptor } from './configuration-descriptor';
import { ccidInterfaceSpec, encodeCcidClassDescriptor, libccidReader } from './testing/libccid-reader-fixtures';

const rcs300 = encodeCcidClassDescriptor(libccidReader('SONY_FeliCa_RC-S300_S').values);
const nttcom = encodeCcidClassDescriptor(libccidReader('SCR3310-NTTCom').values);

function parse(interfaces: InterfaceSpec[]) {
	return parseConfigurationDescriptor(encodeConfigurationDescriptor({ configurationValue: 1, interfaces }));
}

const vendorInterface = (n: number, classDescriptor?: Uint8Array): InterfaceSpec => ({
	interfaceNumber: n,
	alternates: [
		{
			alternateSetting: 0,
			interfaceClass: 0xff,
			interfaceSubclass: 0,
			interfaceProtocol: 0,
			endpoints: [
				{ endpointNumber: 4, direction: 'out', type: 'bulk', packetSize: 64 },
				{ endpointNumber: 5, direction: 'in', type: 'bulk', packetSize: 64 }
			],
			...(classDescriptor ? { classDescriptor } : {})
		}
	]
});

describe('findCcidInterfaces', () => {
	it('finds the class 0x0B interface of an RC-S300 and skips its vendor interface', () => {
		const found = findCcidInterfaces(parse([ccidInterfaceSpec(0, 0x0b, rcs300), vendorInterface(1)]));
		expect(found.map((f) => f.interfaceNumber)).toEqual([0]);
		expect(found[0]).toMatchObject({ bulkOut: { endpointNumber: 2, direction: 'out' }, bulkIn: { endpointNumber: 2, direction: 'in' }, interruptIn: { endpointNumber: 3 } });
		expect(found[0]!.descriptor.maxMessageLength).toBe(522);
	});

	it('finds a vendor-class 0xFF interface that carries a CCID descriptor (NTT Com readers)', () => {
		const found = findCcidInterfaces(parse([ccidInterfaceSpec(0, 0xff, nttcom)]));
		expect(found).toHaveLength(1);
		expect(found[0]!.interfaceClass).toBe(0xff);
		expect(found[0]!.descriptor.exchangeLevel).toBe('tpdu');
	});

	it('ignores a 0xFF interface whose 0x21 descriptor is not a CCID one', () => {
		expect(findCcidInterfaces(parse([vendorInterface(0, Uint8Array.of(9, 0x21, 1, 1, 0, 1, 0x22, 0x40, 0))]))).toEqual([]);
		const broken = nttcom.slice();
		broken[44] = 0;
		broken[45] = 0;
		expect(findCcidInterfaces(parse([vendorInterface(0, broken)]))).toEqual([]);
	});

	it('skips ICCD interfaces (bInterfaceProtocol 1, 2: control pipe)', () => {
		const iccd = ccidInterfaceSpec(0, 0x0b, rcs300);
		iccd.alternates[0]!.interfaceProtocol = 2;
		expect(findCcidInterfaces(parse([iccd]))).toEqual([]);
	});

	it('fails on a smart-card interface without its class descriptor or without bulk endpoints', () => {
		const bare = ccidInterfaceSpec(0, 0x0b, rcs300);
		delete bare.alternates[0]!.classDescriptor;
		expect(() => findCcidInterfaces(parse([bare]))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
		const noBulk = ccidInterfaceSpec(0, 0x0b, rcs300);
		noBulk.alternates[0]!.endpoints = noBulk.alternates[0]!.endpoints.filter((e) => e.type !== 'bulk' || e.direction !== 'in');
		expect(() => findCcidInterfaces(parse([noBulk]))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('chooses by interface number, or the first; says Unsupported when there is none', () => {
		const config = parse([ccidInterfaceSpec(0, 0x0b, rcs300), ccidInterfaceSpec(1, 0x0b, nttcom)]);
		expect(chooseCcidInterface(config).interfaceNumber).toBe(0);
		expect(chooseCcidInterface(config, 1).descriptor.exchangeLevel).toBe('tpdu');
		expect(() => chooseCcidInterface(config, 2)).toThrow(expect.objectContaining({ kind: ErrorKind.Unsupported, details: { interfaceNumber: 2 } }));
		expect(() => chooseCcidInterface(parse([vendorInterface(0)]))).toThrow(expect.objectContaining({ kind: ErrorKind.Unsupported }));
	});
});
