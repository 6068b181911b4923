import { concatBytes, equalBytes, toHex } from '../../bytes';
import type { DeviceSpec } from '../../emulator/usb/usb-descriptors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import type { TestTypeBCard } from '../type-b/test-type-b-card';
import { TestUsbFunction } from '../type-b/test-usb-function';
import { Port100ProtocolSetting, Port100RfSetting } from './port100-chipset';
import { decodePort100Frame, encodePort100Frame, PORT100_ACK } from './port100-frame';

export const RCS380_TEST_SPEC: DeviceSpec = {
	vendorId: 0x054c,
	productId: 0x06c1,
	productName: 'RC-S380/S',
	configurations: [
		{
			configurationValue: 1,
			interfaces: [
				{
					interfaceNumber: 0,
					alternates: [
						{
							alternateSetting: 0,
							interfaceClass: 0xff,
							interfaceSubclass: 0,
							interfaceProtocol: 0,
							endpoints: [
								{ endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
								{ endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 }
							]
						}
					]
				}
			]
		}
	]
};

/**
 * Test double for the RC-S380's Port-100 chip in front of a TestTypeBCard: ACK then answer for every command,
 * InCommRF passed to the card only once 106B and the Type B protocol settings are in place. `onCommRf` runs before
 * each InCommRF (to take the card away mid-APDU); `corruptNextAnswer` spoils the next answer's DCS.
 */
export class TestRcs380Function extends TestUsbFunction {
	readonly spec = RCS380_TEST_SPEC;
	card: TestTypeBCard | undefined;
	/** InCommRF payloads (timeout and frame), hex. */
	readonly commRf: string[] = [];
	onCommRf: ((frame: Uint8Array) => void) | undefined;
	corruptNextAnswer = false;
	/** Every command goes unanswered (a hung chip). */
	silent = false;
	/** This many next command frames are swallowed: no ACK, no answer. */
	swallow = 0;
	#rf: Uint8Array | undefined;
	#protocol: Uint8Array[] = [];

	protected answer(data: Uint8Array): Uint8Array[] {
		if (equalBytes(data, PORT100_ACK)) return [];
		const frame = decodePort100Frame(data);
		if (frame.type !== 'data' || frame.data[0] !== 0xd6) throw new Error('the host sent a bad Port-100 frame: ' + toHex(data));
		if (this.silent) return [];
		if (this.swallow > 0) {
			this.swallow--;
			return [];
		}
		const code = frame.data[1]!;
		const params = frame.data.subarray(2);
		const answer = encodePort100Frame(concatBytes(Uint8Array.of(0xd7, code + 1), this.#execute(code, params)));
		if (this.corruptNextAnswer) {
			this.corruptNextAnswer = false;
			answer[answer.length - 2]! ^= 0x5a;
		}
		return [PORT100_ACK, answer];
	}

	#execute(code: number, params: Uint8Array): Uint8Array {
		switch (code) {
			case 0x2a:
			case 0x00:
				if (code === 0x00) this.#rf = params.slice();
				return Uint8Array.of(0);
			case 0x02:
				this.#protocol.push(params.slice());
				return Uint8Array.of(0);
			case 0x06:
				if (params[0] === 0) {
					this.card?.powerOff();
					this.#rf = undefined;
					this.#protocol = [];
				}
				return Uint8Array.of(0);
			case 0x20:
				return Uint8Array.of(0x11, 0x01);
			case 0x22:
				return Uint8Array.of(0x00, 0x01);
			case 0x04:
				return this.#commRf(params);
			default:
				return Uint8Array.of(1);
		}
	}

	#commRf(params: Uint8Array): Uint8Array {
		this.commRf.push(toHex(params, ' '));
		const frame = params.subarray(2);
		this.onCommRf?.(frame);
		const configured =
			this.#rf !== undefined &&
			equalBytes(this.#rf, Port100RfSetting.TypeB106) &&
			this.#protocol.length === 2 &&
			equalBytes(this.#protocol[0]!, Port100ProtocolSetting.Defaults) &&
			equalBytes(this.#protocol[1]!, Port100ProtocolSetting.TypeB);
		const status = (value: number, data: Uint8Array = new Uint8Array(0)) =>
			concatBytes(Uint8Array.of(value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24, 0x00), data);
		if (!configured) return status(0x01);
		const reply = this.card ? this.card.receive(frame) : 'timeout';
		if (reply === 'timeout') return status(0x80);
		if (reply === 'garbled') return status(0x04);
		return status(0, reply);
	}
}

export function createTestRcs380(options: { claimedElsewhere?: boolean } = {}) {
	const model = new TestRcs380Function();
	const device = new VirtualUsbDevice(model.spec, model, options);
	return { model, device };
}
