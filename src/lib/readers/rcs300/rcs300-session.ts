import { toHex } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { sleep } from '../iso-dep/abortable-wait';
import { SerialQueue } from '../iso-dep/serial-queue';
import type { VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import { CCID_SLOT_BUSY, CcidCommandStatus, encodePcToRdrEscape, parseRdrToPcEscape } from './ccid-escape';
import {
	checkManageSessionAnswer,
	parseSwitchProtocolAnswer,
	parseTransceiveAnswer,
	Rcs300Payload,
	splitReaderStatus,
	SW_OK,
	switchProtocolPayload,
	transceivePayload,
	type SwitchProtocolAnswer
} from './rcs300-commands';

export const Rcs300Timing = {
	/** Answer to an escape that does not touch the RF (bounds a reader that hangs). */
	answerMs: 1000,
	/** Added to a transparent exchange's own timer for the USB round trip. */
	rfMarginMs: 500,
	/** Slot busy (bError E0): wait, then ask again, a few times (rcs300.md §1.1, §6). */
	busyRetryMs: 50,
	busyRetries: 4,
	/** Field reset and guard times used by the Sony reference library (rcs300.md §1.2). */
	rfOffMs: 30,
	rfOnMs: 21,
	switchMs: 20,
	/** CCID time extensions accepted for one answer. */
	maxTimeExtensions: 16
} as const;
export type Rcs300Timing = { [K in keyof typeof Rcs300Timing]: number };

/** Answers with another bSeq (left over from an escape that timed out) skipped before giving up. */
const MAX_STALE_ANSWERS = 4;

/**
 * The RC-S300 vendor interface: CCID Escape messages carrying Sony `FF 50` pseudo-APDUs. One escape at a time;
 * answers are matched by bSeq, CCID time extensions are waited out (a bounded number of times), a busy slot is
 * asked again a few times and then reported as ReaderBusy.
 */
export class Rcs300Session {
	readonly #pipe: VendorUsbPipe;
	readonly #timing: Rcs300Timing;
	readonly #queue = new SerialQueue();
	#seq = 0;

	constructor(pipe: VendorUsbPipe, timing: Partial<Rcs300Timing> = {}) {
		this.#pipe = pipe;
		this.#timing = { ...Rcs300Timing, ...timing };
	}

	/** One escape; resolves the answer payload (ending in the reader's SW). */
	escape(payload: Uint8Array, answerTimeoutMs = this.#timing.answerMs): Promise<Uint8Array> {
		return this.#queue.run(() => this.#escape(payload, answerTimeoutMs));
	}

	/** End any earlier session (its failure ignored), start ours, field off. */
	async open(): Promise<void> {
		try {
			await this.escape(Rcs300Payload.EndSession);
		} catch (error) {
			if (error instanceof MynaError && (error.kind === ErrorKind.ReaderUnplugged || error.kind === ErrorKind.Timeout)) throw error;
		}
		checkManageSessionAnswer(await this.escape(Rcs300Payload.StartSession));
		await this.rfOff();
	}

	async rfOff(): Promise<void> {
		checkManageSessionAnswer(await this.escape(Rcs300Payload.RfOff));
	}

	async rfOn(): Promise<void> {
		checkManageSessionAnswer(await this.escape(Rcs300Payload.RfOn));
	}

	/** RF off, wait, RF on, wait: any card in the field starts over from power-up. */
	async resetField(signal?: AbortSignal): Promise<void> {
		await this.rfOff();
		await sleep(this.#timing.rfOffMs, signal);
		await this.rfOn();
		await sleep(this.#timing.rfOnMs, signal);
	}

	async switchProtocol(layer: 3 | 4, signal?: AbortSignal): Promise<SwitchProtocolAnswer> {
		const answer = parseSwitchProtocolAnswer(await this.escape(switchProtocolPayload(layer)));
		await sleep(this.#timing.switchMs, signal);
		return answer;
	}

	/** One RF frame to the card through the transparent session; RF failures come back as RF link errors. */
	async transceive(frame: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
		return parseTransceiveAnswer(await this.escape(transceivePayload(frame, timeoutMs), timeoutMs + this.#timing.rfMarginMs));
	}

	/** GET DATA `FF CA 01 00`: the card's ATTRIB answer if the reader activated it, else `undefined`. */
	async getAttribResponse(): Promise<Uint8Array | undefined> {
		const { data, sw } = splitReaderStatus(await this.escape(Rcs300Payload.GetAttribResponse));
		return sw === SW_OK && data.length > 0 ? data.slice() : undefined;
	}

	/** `FF 56 00 00`; also the keep-alive while the session is open. */
	async firmwareVersion(): Promise<string> {
		const { data, sw } = splitReaderStatus(await this.escape(Rcs300Payload.FirmwareVersion));
		if (sw !== SW_OK) throw new MynaError(ErrorKind.ReaderHardware, 'The reader did not give its firmware version.', { sw: sw.toString(16) });
		return toHex(data, '.');
	}

	/** Field off and end of session. Never throws. */
	async close(): Promise<void> {
		for (const payload of [Rcs300Payload.RfOff, Rcs300Payload.EndSession]) {
			try {
				await this.escape(payload);
			} catch (error) {
				if (error instanceof MynaError && error.kind === ErrorKind.ReaderUnplugged) return;
			}
		}
	}

	async #escape(payload: Uint8Array, answerTimeoutMs: number): Promise<Uint8Array> {
		for (let busy = 0; ; busy++) {
			const seq = this.#seq;
			this.#seq = (seq + 1) & 0xff;
			await this.#pipe.write(encodePcToRdrEscape(seq, payload));
			const answer = await this.#answer(seq, answerTimeoutMs);
			if (answer.commandStatus === CcidCommandStatus.Ok) return answer.payload;
			if (answer.error === CCID_SLOT_BUSY) {
				if (busy < this.#timing.busyRetries) {
					await sleep(this.#timing.busyRetryMs);
					continue;
				}
				throw new MynaError(ErrorKind.ReaderBusy, 'The reader is in use by another tab or program. Close it there and try again.', { bError: 'e0' });
			}
			throw new MynaError(ErrorKind.ReaderHardware, 'The reader refused a command.', { bError: answer.error.toString(16).padStart(2, '0') });
		}
	}

	async #answer(seq: number, timeoutMs: number) {
		let stale = 0;
		let extensions = 0;
		for (;;) {
			const bytes = await this.#pipe.read(timeoutMs);
			if (!bytes) throw new MynaError(ErrorKind.Timeout, 'The reader did not answer.');
			const answer = parseRdrToPcEscape(bytes);
			if (answer.slot !== 0) throw new MynaError(ErrorKind.Protocol, 'The reader answered for another slot.', { slot: answer.slot });
			if (answer.seq !== seq) {
				if (++stale > MAX_STALE_ANSWERS) throw new MynaError(ErrorKind.Protocol, 'The reader’s answers are out of sequence.');
				continue;
			}
			if (answer.commandStatus !== CcidCommandStatus.TimeExtension) return answer;
			if (++extensions > this.#timing.maxTimeExtensions) throw new MynaError(ErrorKind.Timeout, 'The reader kept asking for more time.');
		}
	}
}
