import { concatBytes, readUint32LE, toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { SerialQueue } from '../iso-dep/serial-queue';
import { rfTimeoutError, rfTransmissionError } from '../iso-dep/rf-link-error';
import type { VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import { decodePort100Frame, encodePort100Frame, PORT100_ACK, PORT100_MAX_DATA } from './port100-frame';

/** Command codes: the command frame carries `D6 <code>`, the answer `D7 <code + 1>` (readers.md §5.2). */
export const Port100Command = {
	InSetRF: 0x00,
	InSetProtocol: 0x02,
	InCommRF: 0x04,
	SwitchRF: 0x06,
	GetFirmwareVersion: 0x20,
	GetPDDataVersion: 0x22,
	SetCommandType: 0x2a
} as const;
export type Port100Command = (typeof Port100Command)[keyof typeof Port100Command];

const COMMAND_PREFIX = 0xd6;
const RESPONSE_PREFIX = 0xd7;

/** InSetRF settings: send setting, send bit rate, receive setting, receive bit rate. */
export const Port100RfSetting = {
	TypeB106: Uint8Array.of(0x03, 0x07, 0x0f, 0x07)
} as const;

/** InSetProtocol (key, value) pairs: the chip defaults, then Type B (initial guard time 20, SOF/EOF on). */
export const Port100ProtocolSetting = {
	Defaults: Uint8Array.of(
		0x00, 0x18, 0x01, 0x01, 0x02, 0x01, 0x03, 0x00, 0x04, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x08, 0x08, 0x00, 0x09, 0x00,
		0x0a, 0x00, 0x0b, 0x00, 0x0c, 0x00, 0x0e, 0x04, 0x0f, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13, 0x06
	),
	TypeB: Uint8Array.of(0x0b, 0x01, 0x09, 0x01, 0x0c, 0x01, 0x0a, 0x01, 0x00, 0x14)
} as const;

/** InCommRF status bits (nfcpy rcs380.py `CommunicationError`). */
export const Port100CommStatus = {
	Protocol: 0x0000_0001,
	Parity: 0x0000_0002,
	Crc: 0x0000_0004,
	Collision: 0x0000_0008,
	Overflow: 0x0000_0010,
	Temperature: 0x0000_0040,
	ReceiveTimeout: 0x0000_0080,
	Crypto1: 0x0000_0100,
	Rfca: 0x0000_0200,
	RfOff: 0x0000_0400,
	TransmitTimeout: 0x0000_0800,
	ReceiveLength: 0x8000_0000
} as const;

const TRANSMISSION_ERRORS: readonly [number, string][] = [
	[Port100CommStatus.Crc, 'crc'],
	[Port100CommStatus.Parity, 'parity'],
	[Port100CommStatus.Protocol, 'framing'],
	[Port100CommStatus.Collision, 'collision'],
	[Port100CommStatus.Overflow, 'overflow'],
	[Port100CommStatus.ReceiveLength, 'length']
];

export const Port100Timing = {
	/** The chip acknowledges at once; this only bounds a reader that hangs. */
	ackMs: 500,
	/** Answer to a command other than InCommRF. */
	commandMs: 1000,
	/** Added to InCommRF's own RF timeout for the USB round trip. */
	rfMarginMs: 500,
	/** Quiet time that ends the drain of stale frames. */
	drainMs: 20
} as const;
export type Port100Timing = { [K in keyof typeof Port100Timing]: number };

/** Stale frames skipped while waiting for an ACK or an answer (left over from a command that timed out). */
const MAX_STALE_FRAMES = 4;
const MAX_DRAINED_FRAMES = 16;

/** InCommRF timeout field: units of 0.1 ms, at most 0xFFFF (6.5535 s). */
export function inCommRfTimeoutUnits(timeoutMs: number): number {
	return Math.min(0xffff, Math.max(1, Math.ceil(timeoutMs * 10)));
}

/**
 * The Port-100 chipset command layer: every command is one frame out, the chip's ACK in, the answer in. Commands
 * run one at a time. A command the chip does not acknowledge is cancelled with an ACK and sent once more. After a
 * reader timeout or a damaged frame the next command first sends an ACK (which cancels whatever the chip is doing)
 * and drains what it still had queued.
 */
export class Port100Chipset {
	readonly #pipe: VendorUsbPipe;
	readonly #timing: Port100Timing;
	readonly #queue = new SerialQueue();
	#resync = false;
	#firmwareVersion: string | undefined;
	#pdDataVersion: string | undefined;

	constructor(pipe: VendorUsbPipe, timing: Partial<Port100Timing> = {}) {
		this.#pipe = pipe;
		this.#timing = { ...Port100Timing, ...timing };
	}

	get firmwareVersion(): string | undefined {
		return this.#firmwareVersion;
	}

	get pdDataVersion(): string | undefined {
		return this.#pdDataVersion;
	}

	/** ACK (soft reset), drain, SetCommandType(1), firmware and PD data versions, RF off (nfcpy `Chipset.__init__`). */
	async initialize(): Promise<void> {
		await this.#queue.run(async () => {
			await this.#pipe.write(PORT100_ACK);
			await this.#drain();
		});
		await this.#simple(Port100Command.SetCommandType, Uint8Array.of(0x01));
		this.#firmwareVersion = version(await this.command(Port100Command.GetFirmwareVersion, new Uint8Array(0)));
		this.#pdDataVersion = version(await this.command(Port100Command.GetPDDataVersion, new Uint8Array(0)));
		await this.switchRf(false);
	}

	/** One command; resolves the answer's data after `D7 <code + 1>`. */
	command(code: Port100Command, params: Uint8Array, responseTimeoutMs = this.#timing.commandMs): Promise<Uint8Array> {
		return this.#queue.run(() => this.#command(code, params, responseTimeoutMs));
	}

	inSetRf(setting: Uint8Array): Promise<void> {
		return this.#simple(Port100Command.InSetRF, setting);
	}

	inSetProtocol(pairs: Uint8Array): Promise<void> {
		return this.#simple(Port100Command.InSetProtocol, pairs);
	}

	switchRf(on: boolean): Promise<void> {
		return this.#simple(Port100Command.SwitchRF, Uint8Array.of(on ? 0x01 : 0x00));
	}

	/**
	 * InCommRF: one frame to the card, its answer back. The chip's status maps to the RF link errors the ISO-DEP
	 * layer recovers from (receive timeout; CRC, parity, framing, collision, overflow, length); others are hardware.
	 */
	async inCommRf(frame: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
		const units = inCommRfTimeoutUnits(timeoutMs);
		const params = concatBytes(Uint8Array.of(units & 0xff, units >> 8), frame);
		if (params.length + 2 > PORT100_MAX_DATA) throw new MynaError(ErrorKind.Internal, 'Frame too long for the RC-S380', { length: frame.length });
		const answer = await this.command(Port100Command.InCommRF, params, units / 10 + this.#timing.rfMarginMs);
		// The status is 4 bytes; one more byte precedes the card's frame (nfcpy reads `data[5:]`), possibly only on success.
		if (answer.length < 4) throw new MynaError(ErrorKind.Protocol, 'The reader’s InCommRF answer is too short.', { length: answer.length });
		const status = readUint32LE(answer, 0);
		if (status === 0) {
			if (answer.length < 5) throw new MynaError(ErrorKind.Protocol, 'The reader’s InCommRF answer is too short.', { length: answer.length });
			return answer.slice(5);
		}
		if (status & Port100CommStatus.ReceiveTimeout) throw rfTimeoutError();
		const transmission = TRANSMISSION_ERRORS.find(([bit]) => (status & bit) !== 0);
		if (transmission) throw rfTransmissionError(transmission[1]);
		throw new MynaError(ErrorKind.ReaderHardware, 'The reader reported an RF error.', { status: `0x${status.toString(16).padStart(8, '0')}` });
	}

	/** RF off and a final ACK (nfcpy `Chipset.close`). Never throws. */
	async close(): Promise<void> {
		try {
			await this.switchRf(false);
		} catch {
			// Unplugged or hung: nothing more to switch off.
		}
		try {
			await this.#queue.run(() => this.#pipe.write(PORT100_ACK));
		} catch {
			// As above.
		}
	}

	async #simple(code: Port100Command, params: Uint8Array): Promise<void> {
		const answer = await this.command(code, params);
		if (answer.length < 1) throw new MynaError(ErrorKind.Protocol, 'The reader’s answer has no status.', { command: code });
		if (answer[0] !== 0) throw new MynaError(ErrorKind.ReaderHardware, 'The reader refused a command.', { command: code, status: answer[0]! });
	}

	async #drain(): Promise<void> {
		for (let i = 0; i < MAX_DRAINED_FRAMES; i++) {
			if (!(await this.#pipe.read(this.#timing.drainMs))) return;
		}
	}

	async #command(code: Port100Command, params: Uint8Array, responseTimeoutMs: number): Promise<Uint8Array> {
		if (this.#resync) {
			await this.#pipe.write(PORT100_ACK);
			await this.#drain();
			this.#resync = false;
		}
		const data = concatBytes(Uint8Array.of(COMMAND_PREFIX, code), params);
		if (data.length > PORT100_MAX_DATA) throw new MynaError(ErrorKind.Internal, 'Port-100 command too long', { length: data.length });
		const frame = encodePort100Frame(data);
		try {
			await this.#pipe.write(frame);
			if (!(await this.#awaitAck(code))) {
				// Not acknowledged, so not accepted: cancel whatever the chip holds and send the command once more.
				await this.#pipe.write(PORT100_ACK);
				await this.#drain();
				await this.#pipe.write(frame);
				if (!(await this.#awaitAck(code))) throw new MynaError(ErrorKind.Timeout, 'The reader did not acknowledge a command.', { command: code });
			}
			return await this.#awaitAnswer(code, responseTimeoutMs);
		} catch (error) {
			if (error instanceof MynaError && (error.kind === ErrorKind.Timeout || error.details['port100'] !== undefined)) this.#resync = true;
			throw error;
		}
	}

	/** `false` when no ACK came in time. */
	async #awaitAck(code: Port100Command): Promise<boolean> {
		for (let i = 0; i <= MAX_STALE_FRAMES; i++) {
			const bytes = await this.#pipe.read(this.#timing.ackMs);
			if (!bytes) return false;
			const frame = decodePort100Frame(bytes);
			if (frame.type === 'ack') return true;
			if (frame.type === 'error') throw new MynaError(ErrorKind.Protocol, 'The reader could not read a command frame.', { command: code, port100: 'error frame' });
		}
		throw new MynaError(ErrorKind.Protocol, 'The reader did not acknowledge a command.', { command: code, port100: 'no ACK' });
	}

	async #awaitAnswer(code: Port100Command, timeoutMs: number): Promise<Uint8Array> {
		for (let i = 0; i <= MAX_STALE_FRAMES; i++) {
			const bytes = await this.#pipe.read(timeoutMs);
			if (!bytes) throw new MynaError(ErrorKind.Timeout, 'The reader did not answer a command.', { command: code });
			const frame = decodePort100Frame(bytes);
			if (frame.type === 'error') throw new MynaError(ErrorKind.Protocol, 'The reader reported a frame error.', { command: code, port100: 'error frame' });
			if (frame.type === 'data' && frame.data.length >= 2 && frame.data[0] === RESPONSE_PREFIX && frame.data[1] === code + 1) {
				return frame.data.slice(2);
			}
		}
		throw new MynaError(ErrorKind.Protocol, 'The reader answered a different command.', { command: code, port100: 'answer code' });
	}
}

/** `minor major` → "major.minor" in hex, as nfcpy prints it. */
function version(answer: Uint8Array): string {
	if (answer.length < 2) throw new MynaError(ErrorKind.Protocol, 'The reader’s version answer is too short.', { bytes: toHex(answer) });
	return `${answer[1]!.toString(16)}.${answer[0]!.toString(16).padStart(2, '0')}`;
}
