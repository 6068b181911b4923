import { ErrorKind, MynaError, isMynaError, throwIfAborted } from '../../errors';
import { CcidExchangeLevel, CcidFeature, CcidVoltageSupport, hasCcidFeature } from '../../usb/ccid-class-descriptor';
import { parseAtr, tryParseAtr, type Atr } from '../t1/atr';
import { checkPpsResponse } from '../t1/pps';
import { T1Protocol, T1_RECEIVE_ERROR, type T1BlockExchange } from '../t1/t1-protocol';
import { redactApduForTrace } from './apdu-trace-redaction';
import { AsyncMutex } from './async-mutex';
import { exchangeExtendedApdu, exchangeShortApdu } from './ccid-apdu-exchange';
import { CcidPowerSelect } from './ccid-message';
import {
	CCID_CONTROL_TIMEOUT_MS,
	apduTimeoutMs,
	planNegotiation,
	t0ParameterStructure,
	t1ParameterStructure,
	t1SettingsFor
} from './ccid-protocol-negotiation';
import { CcidSlotError } from './ccid-slot-error';
import type { CcidTransport } from './ccid-transport';

/** inactive: no card powered; active: powered, APDUs flow; removed: the powered card went away. */
export type CcidSlotState = 'inactive' | 'active' | 'removed';

/** 5 V → 3 V → 1.8 V, as the reader supports them (libccid CmdPowerOn); all three when it declares none. */
export function powerOnSequence(voltageSupport: number, features: number): CcidPowerSelect[] {
	if (hasCcidFeature({ features }, CcidFeature.AutoVoltage) || hasCcidFeature({ features }, CcidFeature.AutoActivation)) {
		return [CcidPowerSelect.Automatic];
	}
	const all: [number, CcidPowerSelect][] = [
		[CcidVoltageSupport.V5, CcidPowerSelect.V5],
		[CcidVoltageSupport.V3, CcidPowerSelect.V3],
		[CcidVoltageSupport.V1_8, CcidPowerSelect.V1_8]
	];
	const supported = all.filter(([bit]) => voltageSupport & bit).map(([, select]) => select);
	return supported.length > 0 ? supported : all.map(([, select]) => select);
}

/** Failures after which the next voltage is worth a try (the card did not come up at this one). */
const RETRY_AT_NEXT_VOLTAGE: ReadonlySet<string> = new Set([ErrorKind.CardMute, ErrorKind.Protocol, ErrorKind.ReaderHardware]);

/**
 * One slot of a CCID reader: power, protocol parameters and the APDU path chosen by the exchange level
 * (short or extended APDU in XfrBlock, or host T=1 over TPDU XfrBlocks). Operations on the slot run one at a time.
 */
export class CcidSlotSession {
	readonly transport: CcidTransport;
	readonly slot: number;
	readonly #mutex = new AsyncMutex();
	readonly #closing = new AbortController();
	#state: CcidSlotState = 'inactive';
	#atr: Uint8Array | undefined;
	#t1: T1Protocol | undefined;
	#apduTimeoutMs = 0;

	constructor(transport: CcidTransport, slot: number) {
		this.transport = transport;
		this.slot = slot;
	}

	get state(): CcidSlotState {
		return this.#state;
	}

	get atr(): Uint8Array | undefined {
		return this.#atr?.slice();
	}

	get exchangeLevel(): CcidExchangeLevel {
		return this.transport.descriptor.exchangeLevel;
	}

	/** From NotifySlotChange: a powered card that leaves turns the slot to 'removed' until the next power-on. */
	cardPresenceChanged(present: boolean): void {
		if (!present && this.#state === 'active') this.#forget('removed');
	}

	/** Powers the card on (a warm start when it already was), sets the protocol parameters, returns the ATR. */
	powerOn(options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
		const signal = this.#signal(options.signal);
		return this.#mutex.run(async () => {
			throwIfAborted(signal);
			this.#forget('inactive');
			const atr = await this.#activate(signal);
			await this.#negotiate(atr, signal);
			this.#atr = atr;
			this.#state = 'active';
			return atr.slice();
		});
	}

	/** IccPowerOff; the slot is inactive afterwards whatever the reader says. */
	powerOff(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
		return this.#mutex.run(async () => {
			this.#forget('inactive');
			await this.transport.iccPowerOff(this.slot, { timeoutMs: options.timeoutMs ?? CCID_CONTROL_TIMEOUT_MS, ...signalOption(options.signal) });
		});
	}

	transmit(apdu: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
		if (apdu.length < 4) return Promise.reject(new MynaError(ErrorKind.Protocol, 'A command APDU has at least 4 bytes.', { length: apdu.length }));
		const signal = this.#signal(options.signal);
		return this.#mutex.run(async () => {
			throwIfAborted(signal);
			if (this.transport.state === 'unplugged') throw new MynaError(ErrorKind.ReaderUnplugged, 'The card reader was unplugged.', { slot: this.slot });
			if (this.#state === 'removed') throw new MynaError(ErrorKind.CardRemoved, 'The card was removed.', { slot: this.slot });
			if (this.#state !== 'active') throw new MynaError(ErrorKind.CardAbsent, 'No card is connected.', { slot: this.slot });
			const traceApdu = this.transport.tracing ? redactApduForTrace(apdu) : undefined;
			const exchange = { timeoutMs: this.#apduTimeoutMs, signal, ...(traceApdu ? { traceApdu } : {}) };
			try {
				switch (this.exchangeLevel) {
					case CcidExchangeLevel.ShortApdu:
						return await exchangeShortApdu(this.transport, this.slot, apdu, exchange);
					case CcidExchangeLevel.ExtendedApdu:
						return await exchangeExtendedApdu(this.transport, this.slot, apdu, exchange);
					default:
						return await this.#t1!.transceive(apdu, { signal, ...(traceApdu ? { traceApdu } : {}) });
				}
			} catch (error) {
				if (isMynaError(error, ErrorKind.CardAbsent)) {
					this.#forget('removed');
					throw new MynaError(ErrorKind.CardRemoved, 'The card was removed.', { ...error.details }, { cause: error });
				}
				throw error;
			}
		});
	}

	/**
	 * For close(): cancels the operation in progress (promptly, not after its timeout) and any queued ones, then
	 * powers the slot off. Never throws.
	 */
	async shutdown(): Promise<void> {
		this.#closing.abort();
		if (this.transport.state !== 'open') return;
		await this.powerOff().catch(() => undefined);
	}

	#signal(user: AbortSignal | undefined): AbortSignal {
		return user ? AbortSignal.any([user, this.#closing.signal]) : this.#closing.signal;
	}

	#forget(state: CcidSlotState): void {
		this.#state = state;
		this.#atr = undefined;
		this.#t1 = undefined;
	}

	async #activate(signal: AbortSignal | undefined): Promise<Uint8Array> {
		const descriptor = this.transport.descriptor;
		let lastError: unknown;
		for (const powerSelect of powerOnSequence(descriptor.voltageSupport, descriptor.features)) {
			throwIfAborted(signal);
			try {
				const atr = await this.transport.iccPowerOn(this.slot, powerSelect, { timeoutMs: CCID_CONTROL_TIMEOUT_MS, ...signalOption(signal) });
				if (atr.length === 0) throw new MynaError(ErrorKind.CardMute, 'The card did not answer to reset.', { slot: this.slot });
				return atr;
			} catch (error) {
				if (!isMynaError(error) || !RETRY_AT_NEXT_VOLTAGE.has(error.kind)) throw error;
				lastError = error;
			}
		}
		throw lastError;
	}

	async #negotiate(atrBytes: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
		const descriptor = this.transport.descriptor;
		const hostT1 = this.exchangeLevel === CcidExchangeLevel.Tpdu || this.exchangeLevel === CcidExchangeLevel.Character;
		const atr: Atr | undefined = hostT1 ? parseAtr(atrBytes) : tryParseAtr(atrBytes);
		const plan = planNegotiation(atr, descriptor);
		const control = { timeoutMs: CCID_CONTROL_TIMEOUT_MS, ...signalOption(signal) };
		let fiDi = plan.fiDi;
		if (plan.pps) {
			const answer = await this.transport.xfrBlock(this.slot, plan.pps, control);
			fiDi = checkPpsResponse(plan.pps, answer.data).fiDi;
		}
		if (atr && plan.setParameters) {
			const structure = plan.protocol === 1 ? t1ParameterStructure(atr, fiDi) : t0ParameterStructure(atr, fiDi);
			await this.transport.setParameters(this.slot, plan.protocol, structure, control);
		}
		this.#apduTimeoutMs = apduTimeoutMs(atr, { ...plan, fiDi }, descriptor);
		if (hostT1 && atr) {
			const settings = t1SettingsFor(atr, fiDi, descriptor);
			const t1 = new T1Protocol(this.#blockExchange(), settings);
			if (!hasCcidFeature(descriptor, CcidFeature.AutoIfsd)) await t1.negotiateIfsd(settings.ifsd, signalOption(signal));
			this.#t1 = t1;
		}
	}

	/** T=1 blocks in TPDU XfrBlocks; the WTX multiplier rides in bBWI; a parity error is a garbled block. */
	#blockExchange(): T1BlockExchange {
		return async (block, options) => {
			try {
				const answer = await this.transport.xfrBlock(this.slot, block, {
					timeoutMs: options.timeoutMs,
					bwi: options.waitingTimeExtension,
					...signalOption(options.signal),
					...(options.traceView ? { traceData: options.traceView } : {})
				});
				return answer.data;
			} catch (error) {
				if (isMynaError(error, ErrorKind.Protocol) && error.details.ccidError === CcidSlotError.ParityError) return T1_RECEIVE_ERROR;
				throw error;
			}
		};
	}
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
	return signal ? { signal } : {};
}
