import { concatBytes, readUint32LE, toHex, writeUint32LE } from '../../bytes';
import type { DeviceSpec } from '../../emulator/usb/usb-descriptors';
import { VirtualUsbDevice } from '../../emulator/usb/virtual-usb-device';
import type { TestTypeBCard } from '../type-b/test-type-b-card';
import { buildTypeBAtr } from '../type-b/type-b-atr';
import { TestUsbFunction } from '../type-b/test-usb-function';
import { encodeRcs300Tlv, parseRcs300Tlvs } from './rcs300-tlv';

export const RCS300_TEST_SPEC: DeviceSpec = {
	vendorId: 0x054c,
	productId: 0x0dc8,
	productName: 'RC-S300/S',
	configurations: [
		{
			configurationValue: 1,
			interfaces: [
				{
					interfaceNumber: 0,
					alternates: [
						{
							alternateSetting: 0,
							interfaceClass: 0x0b,
							interfaceSubclass: 0,
							interfaceProtocol: 0,
							endpoints: [
								{ endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
								{ endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
								{ endpointNumber: 3, direction: 'in', type: 'interrupt', packetSize: 8 }
							]
						}
					]
				},
				{
					interfaceNumber: 1,
					alternates: [
						{
							alternateSetting: 0,
							interfaceClass: 0xff,
							interfaceSubclass: 0,
							interfaceProtocol: 0,
							endpoints: [
								{ endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
								{ endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 }
							]
						}
					]
				}
			]
		}
	]
};

/** Which of the two behaviours rcs300.md §1.3 leaves open the fake shows after a switch to Type B layer 4. */
export type Rcs300AttribBehaviour = 'reader-sends-attrib' | 'host-sends-attrib';

const OK = Uint8Array.of(0xc0, 0x03, 0x00, 0x90, 0x00);
const SW_OK = Uint8Array.of(0x90, 0x00);

/**
 * Test double for the RC-S300's vendor interface in front of a TestTypeBCard. It answers CCID escapes with the
 * sequence number they came with, keeps the session state (a command outside a session fails), and forwards
 * transceive frames to the card only with the Type B flags 0x001C.
 */
export class TestRcs300Function extends TestUsbFunction {
	readonly spec = RCS300_TEST_SPEC;
	card: TestTypeBCard | undefined;
	attribBehaviour: Rcs300AttribBehaviour = 'host-sends-attrib';
	/** Escape payloads received, hex. */
	readonly payloads: string[] = [];
	/** RF frames passed to the card, hex, with the timer in µs. */
	readonly rf: string[] = [];
	/** Answer the next escapes with slot busy (bError E0). */
	busy = 0;
	/** Send this many time extensions before the next answer. */
	timeExtensions = 0;
	/** Send an answer with a stale bSeq before the next answer. */
	staleAnswer = false;
	/** Escapes answered with nothing at all (a hung reader). */
	silent = false;
	/** A CID the reader gives the card whatever the host asked for (rcs300.md §2: Sony's default is 2). */
	readerCid: number | undefined;
	sessionOpen = false;
	rfOn = false;
	layer: number | undefined;
	#readerActivated: Uint8Array | undefined;

	protected answer(message: Uint8Array): Uint8Array[] {
		if (message[0] !== 0x6b || message.length < 10 || readUint32LE(message, 1) !== message.length - 10 || message[5] !== 0) {
			throw new Error('the host sent a bad escape: ' + toHex(message));
		}
		const seq = message[6]!;
		const payload = message.subarray(10);
		this.payloads.push(toHex(payload, ' '));
		if (this.silent) return [];
		const out: Uint8Array[] = [];
		if (this.staleAnswer) {
			this.staleAnswer = false;
			out.push(escapeAnswer((seq + 0xff) & 0xff, 0x00, 0x00, concatBytes(OK, SW_OK)));
		}
		for (; this.timeExtensions > 0; this.timeExtensions--) out.push(escapeAnswer(seq, 0x80, 0x01, new Uint8Array(0)));
		if (this.busy > 0) {
			this.busy--;
			out.push(escapeAnswer(seq, 0x40, 0xe0, new Uint8Array(0)));
			return out;
		}
		out.push(escapeAnswer(seq, 0x00, 0x00, this.#execute(payload)));
		return out;
	}

	#execute(p: Uint8Array): Uint8Array {
		const head = toHex(p.subarray(0, 4), ' ');
		if (head === 'ff 50 00 00') return this.#manage(p[5]!);
		if (!this.sessionOpen) return Uint8Array.of(0x6a, 0x81);
		if (head === 'ff 50 00 02') return this.#switch(parseRcs300Tlvs(p.subarray(5, 5 + p[4]!)));
		if (head === 'ff 50 00 01') return this.#transceive(parseRcs300Tlvs(p.subarray(7, 7 + ((p[5]! << 8) | p[6]!))));
		if (head === 'ff ca 01 00') return this.#readerActivated ? concatBytes(this.#readerActivated, SW_OK) : Uint8Array.of(0x6a, 0x81);
		if (head === 'ff 56 00 00') return Uint8Array.of(0x01, 0x00, 0x02, 0x05, 0x90, 0x00);
		return Uint8Array.of(0x6d, 0x00);
	}

	#manage(tag: number): Uint8Array {
		const failed = concatBytes(Uint8Array.of(0xc0, 0x03, 0x01, 0x6a, 0x81), SW_OK);
		if (tag === 0x81) this.sessionOpen = true;
		else if (!this.sessionOpen) return failed;
		if (tag === 0x82) this.sessionOpen = false;
		if (tag === 0x82 || tag === 0x83) {
			this.rfOn = false;
			this.layer = undefined;
			this.#readerActivated = undefined;
			this.card?.powerOff();
		}
		if (tag === 0x84) this.rfOn = true;
		return concatBytes(OK, SW_OK);
	}

	#switch(objects: { tag: number; value: Uint8Array }[]): Uint8Array {
		const protocol = objects.find((o) => o.tag === 0x8f)?.value;
		if (!this.rfOn || !protocol || protocol[0] !== 0x01) return concatBytes(Uint8Array.of(0xc0, 0x03, 0x01, 0x6a, 0x81), SW_OK);
		this.layer = protocol[1];
		this.#readerActivated = undefined;
		if (this.layer !== 4 || this.attribBehaviour !== 'reader-sends-attrib') return concatBytes(OK, SW_OK);
		const params = objects.filter((o) => o.tag === 0xff6e).map((o) => parseRcs300Tlvs(o.value)[0]!);
		const fsdi = params.find((o) => o.tag === 0x01)?.value[0] ?? 8;
		const cid = this.readerCid ?? params.find((o) => o.tag === 0x08)?.value[0] ?? 2;
		const card = this.card;
		const sensb = card?.receive(Uint8Array.of(0x05, 0x00, 0x08));
		if (!card || !(sensb instanceof Uint8Array)) return concatBytes(Uint8Array.of(0xc0, 0x03, 0x01, 0x6a, 0x81), SW_OK);
		const attrib = card.receive(Uint8Array.of(0x1d, ...card.pupi, 0x00, fsdi, 0x01, cid));
		if (!(attrib instanceof Uint8Array)) return concatBytes(Uint8Array.of(0xc0, 0x03, 0x01, 0x6a, 0x81), SW_OK);
		this.#readerActivated = attrib;
		const atr = buildTypeBAtr({ applicationData: card.applicationData, protocolInfo: card.protocolInfo, mbli: attrib[0]! >> 4 });
		return concatBytes(OK, encodeRcs300Tlv(0x5f51, atr), SW_OK);
	}

	#transceive(objects: { tag: number; value: Uint8Array }[]): Uint8Array {
		const flags = objects.find((o) => o.tag === 0x90)?.value;
		const timer = objects.find((o) => o.tag === 0x5f46)?.value;
		const frame = objects.find((o) => o.tag === 0x95)?.value;
		if (!frame || !timer || timer.length !== 4) return Uint8Array.of(0x6a, 0x80);
		this.rf.push(`${readUint32LE(timer, 0)}us ${toHex(frame, ' ')}`);
		const typeB = flags !== undefined && toHex(flags) === '001c';
		const reply = this.rfOn && this.layer !== undefined && typeB && this.card ? this.card.receive(frame) : 'timeout';
		if (reply === 'timeout') return concatBytes(Uint8Array.of(0xc0, 0x03, 0x01, 0x64, 0x01), SW_OK);
		if (reply === 'garbled') return concatBytes(Uint8Array.of(0xc0, 0x03, 0x01, 0x6f, 0x00), SW_OK);
		return concatBytes(OK, Uint8Array.of(0x92, 0x01, 0x00, 0x96, 0x02, 0x00, 0x00), encodeRcs300Tlv(0x97, reply), SW_OK);
	}
}

function escapeAnswer(seq: number, status: number, error: number, payload: Uint8Array): Uint8Array {
	const message = new Uint8Array(10 + payload.length);
	message[0] = 0x83;
	writeUint32LE(message, 1, payload.length);
	message[6] = seq;
	message[7] = status;
	message[8] = error;
	message.set(payload, 10);
	return message;
}

export function createTestRcs300(options: { claimedElsewhere?: boolean } = {}) {
	const model = new TestRcs300Function();
	const device = new VirtualUsbDevice(model.spec, model, options);
	return { model, device };
}
