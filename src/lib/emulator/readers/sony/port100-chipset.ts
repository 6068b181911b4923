import { concatBytes, fromHex, readUint16LE, toHex, writeUint32LE } from '../../../bytes';
import { appendCrcB, hasValidCrcB } from '../contactless/crc-b';
import { scaledDelay } from './scaled-delay';
import type { SonyRfFrontEnd } from './sony-rf-front-end';

/**
 * The NFC Port-100 chipset as the host sees it through frame data: `D6 cmd params` in, `D7 cmd+1 result` out
 * (facts/readers.md §5.2; byte layouts from nfcpy rcs380.py and its tests):
 * - InSetRF, InSetProtocol, SwitchRF, SetCommandType answer one status byte (0 success, 1 parameter error, …).
 * - InCommRF `timeout(2, LE, 0.1 ms) data` answers a 4-byte LE error bitmap; on success one more byte (0x08, as
 *   every captured answer has it) and the card's frame. On error only the bitmap.
 * - GetFirmwareVersion answers `minor major`, GetPDDataVersion `minor major`, GetCommandType 8 bytes (big-endian
 *   bitmap of the command types), ResetDevice nothing.
 * Modelling choices where the facts are silent (UNSURE, documented so a driver can be tested against them):
 * - GetProperty answers an empty property list; InGetProtocol answers `key value` pairs (all, or the keys asked).
 * - InCommRF with no InSetRF since reset answers PROTOCOL_ERROR; InCommRF turns the field on, as nfcpy relies on.
 * - Type B (send 03 07, receive 0F 07) needs add/check SOF and EOF on: without them the card's answers are
 *   garbage, reported as PROTOCOL_ERROR. add_crc 0 → the card sees no CRC and stays silent; check_crc 0 → the
 *   card's CRC bytes are passed to the host.
 * - A silent card answers RECEIVE_TIMEOUT after the host's timeout (0 = no wait); 212/424 kbit/s or Type A/F
 *   settings reach the 106 kbit/s Type B card as noise (silence).
 * - Unknown commands (target mode, flash, diagnose, …) get `undefined`: the device answers an error frame.
 */

export const Port100Command = {
	inSetRf: 0x00,
	inSetProtocol: 0x02,
	inCommRf: 0x04,
	switchRf: 0x06,
	resetDevice: 0x12,
	getFirmwareVersion: 0x20,
	getPdDataVersion: 0x22,
	getProperty: 0x24,
	inGetProtocol: 0x26,
	getCommandType: 0x28,
	setCommandType: 0x2a
} as const;

export const Port100Status = {
	success: 0x00,
	parameterError: 0x01,
	pbError: 0x02,
	rfcaError: 0x03,
	temperatureError: 0x04,
	pwdError: 0x05,
	receiveError: 0x06,
	commandTypeError: 0x07
} as const;

export const Port100CommError = {
	none: 0x00000000,
	protocol: 0x00000001,
	parity: 0x00000002,
	crc: 0x00000004,
	collision: 0x00000008,
	overflow: 0x00000010,
	temperature: 0x00000040,
	receiveTimeout: 0x00000080,
	crypto1: 0x00000100,
	rfca: 0x00000200,
	rfOff: 0x00000400,
	transmitTimeout: 0x00000800,
	receiveLength: 0x80000000
} as const;

export const Port100ProtocolKey = {
	initialGuardTime: 0x00,
	addCrc: 0x01,
	checkCrc: 0x02,
	multiCard: 0x03,
	addParity: 0x04,
	checkParity: 0x05,
	bitwiseAnticollision: 0x06,
	lastByteBitCount: 0x07,
	mifareCrypto: 0x08,
	addSof: 0x09,
	checkSof: 0x0a,
	addEof: 0x0b,
	checkEof: 0x0c,
	rfu: 0x0d,
	deafTime: 0x0e,
	continuousReceiveMode: 0x0f,
	minLengthForCrm: 0x10,
	type1TagRrdd: 0x11,
	rfca: 0x12,
	guardTime: 0x13
} as const;

/** The chip's InSetProtocol values after power-up, as nfcpy restores them. */
export const PORT100_PROTOCOL_DEFAULTS = fromHex('0018 0101 0201 0300 0400 0500 0600 0708 0800 0900 0a00 0b00 0c00 0e04 0f00 1000 1100 1200 1306');

/** Largest card frame the chip sends or receives (nfcpy get_max_send_data_size / get_max_recv_data_size). */
export const PORT100_MAX_RF_DATA = 290;
/** Largest command frame data: `D6 04`, the 2-byte timeout and the RF data. */
export const PORT100_MAX_COMMAND_DATA = 4 + PORT100_MAX_RF_DATA;

/** InSetRF pairs (setting, bit rate) known from nfcpy: 212F, 424F, 106A, 212A, 424A, 106B, 212B, 424B. */
const SEND_SETTINGS = ['0101', '0102', '0203', '0404', '0505', '0307', '0308', '0309'];
const RECEIVE_RATES = [0x01, 0x02, 0x03, 0x04, 0x05, 0x07, 0x08, 0x09];
const TYPE_B_106 = '03070f07';
/** Command types 0 and 1 (GetCommandType bitmap 00..03, as in nfcpy's test vector). */
const SUPPORTED_COMMAND_TYPES: readonly number[] = [0, 1];
const IN_COMM_RF_OK_TRAILER = 0x08;
const KEY_COUNT = 0x14;

export interface Port100ChipsetOptions {
	readonly timeScale: number;
	/** [major, minor]; answered as `minor major` (nfcpy prints "NFC Port-100 v1.11" for `11 01`). */
	readonly firmwareVersion: readonly [number, number];
}

export class Port100ChipsetModel {
	readonly #rf: SonyRfFrontEnd;
	readonly #options: Port100ChipsetOptions;
	#commandType = 0;
	#rfSettings: string | undefined;
	#protocol = new Uint8Array(KEY_COUNT);

	constructor(rf: SonyRfFrontEnd, options: Port100ChipsetOptions) {
		this.#rf = rf;
		this.#options = options;
		this.reset();
	}

	get commandType(): number {
		return this.#commandType;
	}

	/** Current InSetProtocol value of a key. */
	protocolValue(key: number): number {
		return this.#protocol[key] ?? 0;
	}

	/** Power-up state: RF off, no RF settings, protocol defaults, command type 0. */
	reset(): void {
		this.#rf.setField(false);
		this.#rfSettings = undefined;
		this.#commandType = 0;
		this.#protocol = new Uint8Array(KEY_COUNT);
		this.#setProtocol(PORT100_PROTOCOL_DEFAULTS);
	}

	/** `data` is the frame data `D6 cmd params`; the answer is the response frame data, or undefined (error frame). */
	async execute(data: Uint8Array, signal: AbortSignal): Promise<Uint8Array | undefined> {
		if (data.length < 2 || data[0] !== 0xd6) return undefined;
		const command = data[1]!;
		const params = data.subarray(2);
		const answer = (...bytes: number[]) => new Uint8Array([0xd7, command + 1, ...bytes]);
		switch (command) {
			case Port100Command.inSetRf:
				return answer(this.#inSetRf(params));
			case Port100Command.inSetProtocol:
				return answer(this.#setProtocol(params));
			case Port100Command.inCommRf:
				return params.length < 2 ? undefined : concatBytes(answer(), await this.#inCommRf(params, signal));
			case Port100Command.switchRf:
				if (params.length !== 1 || params[0]! > 1) return answer(Port100Status.parameterError);
				this.#rf.setField(params[0] === 1);
				return answer(Port100Status.success);
			case Port100Command.resetDevice:
				if (params.length > 2) return answer();
				this.reset();
				return answer();
			case Port100Command.getFirmwareVersion:
				return answer(this.#options.firmwareVersion[1], this.#options.firmwareVersion[0]);
			case Port100Command.getPdDataVersion:
				return answer(0x00, 0x01);
			case Port100Command.getProperty:
				return answer();
			case Port100Command.inGetProtocol:
				return answer(...this.#inGetProtocol(params));
			case Port100Command.getCommandType: {
				const bitmap = new Uint8Array(8);
				for (const type of SUPPORTED_COMMAND_TYPES) bitmap[7 - (type >> 3)]! |= 1 << (type & 7);
				return answer(...bitmap);
			}
			case Port100Command.setCommandType:
				if (params.length !== 1 || !SUPPORTED_COMMAND_TYPES.includes(params[0]!)) return answer(Port100Status.parameterError);
				this.#commandType = params[0]!;
				return answer(Port100Status.success);
			default:
				return undefined;
		}
	}

	#inSetRf(params: Uint8Array): number {
		if (params.length !== 4) return Port100Status.parameterError;
		if (!SEND_SETTINGS.includes(toHex(params.subarray(0, 2))) || params[2] !== 0x0f || !RECEIVE_RATES.includes(params[3]!)) {
			return Port100Status.parameterError;
		}
		this.#rfSettings = toHex(params);
		return Port100Status.success;
	}

	#setProtocol(params: Uint8Array): number {
		if (params.length % 2 !== 0) return Port100Status.parameterError;
		for (let i = 0; i < params.length; i += 2) if (params[i]! >= KEY_COUNT) return Port100Status.parameterError;
		for (let i = 0; i < params.length; i += 2) this.#protocol[params[i]!] = params[i + 1]!;
		return Port100Status.success;
	}

	#inGetProtocol(keys: Uint8Array): number[] {
		const wanted = keys.length > 0 ? [...keys] : Array.from({ length: KEY_COUNT }, (_, key) => key).filter((key) => key !== Port100ProtocolKey.rfu);
		return wanted.filter((key) => key < KEY_COUNT).flatMap((key) => [key, this.#protocol[key]!]);
	}

	async #inCommRf(params: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
		const timeoutMs = readUint16LE(params, 0) / 10;
		const rfData = params.slice(2);
		if (this.#rfSettings === undefined) return status(Port100CommError.protocol);
		if (!this.#rf.fieldOn) this.#rf.setField(true);
		const typeB106 = this.#rfSettings === TYPE_B_106;
		const p = (key: number) => this.#protocol[key]!;
		if (typeB106 && [Port100ProtocolKey.addSof, Port100ProtocolKey.checkSof, Port100ProtocolKey.addEof, Port100ProtocolKey.checkEof].some((key) => p(key) !== 1)) {
			return status(Port100CommError.protocol);
		}
		// Other modulations and bit rates do not reach a 106 kbit/s Type B card.
		const air = typeB106 ? (p(Port100ProtocolKey.addCrc) === 1 ? appendCrcB(rfData) : rfData) : new Uint8Array(0);
		const result = air.length > 0 ? await this.#rf.exchange(air) : { type: 'silent' as const };
		if (result.type === 'silent') {
			await scaledDelay(timeoutMs, this.#options.timeScale, signal);
			return status(Port100CommError.receiveTimeout);
		}
		let frame = result.frame;
		if (p(Port100ProtocolKey.checkCrc) !== 0) {
			if (!hasValidCrcB(frame)) return status(Port100CommError.crc);
			frame = frame.subarray(0, frame.length - 2);
		}
		if (frame.length > PORT100_MAX_RF_DATA) return status(Port100CommError.receiveLength);
		return concatBytes(status(Port100CommError.none), new Uint8Array([IN_COMM_RF_OK_TRAILER]), frame);
	}
}

function status(bits: number): Uint8Array {
	const out = new Uint8Array(4);
	writeUint32LE(out, 0, bits);
	return out;
}
