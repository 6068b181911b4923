import { concatBytes } from '../../../bytes';
import { ErrorKind, MynaError, isMynaError } from '../../../errors';
import type { ApduCard } from '../../card/apdu-card';
import type { InterfaceSpec } from '../../usb/usb-descriptors';
import { STALL, type ControlSetup, type Stall } from '../../usb/usb-function-model';
import { apduLengthForm, ApduLengthForm } from './apdu-length-form';
import { AtrFault, parseAtrT1Parameters, t1BlockWaitingTimeMs, type AtrT1Parameters } from './atr-t1-parameters';
import { encodeCcidClassDescriptor } from './ccid-class-descriptor';
import {
	CCID_HARDWARE_ERROR_OVERCURRENT,
	CCID_RESPONSE_FOR,
	CCID_VOLTAGE_SUPPORT_BIT,
	CcidChainParameter,
	CcidCommandStatus,
	CcidCommandType,
	CcidControlRequest,
	CcidErrorCode,
	CcidExchangeLevel,
	CcidFeature,
	CcidIccStatus,
	CcidPowerSelect,
	CcidProtocol,
	CcidResponseType,
	exchangeLevelOf,
	isCcidCommandType
} from './ccid-constants';
import { decodeCcidCommand, encodeCcidResponse, encodeHardwareError, encodeNotifySlotChange, type CcidCommand } from './ccid-message';
import type { CcidEscapeHandler, CcidInterfaceProfile } from './ccid-reader-profiles';
import { CHAIN_IDLE, CcidSlot, DEFAULT_T0_PARAMETERS, DEFAULT_T1_PARAMETERS } from './ccid-slot';
import { T1CardEngine } from './t1-card-engine';
import { WaitableQueue } from './waitable-queue';


export interface CcidInterfaceOptions {
	interfaceNumber?: number;
	/**
	 * How long the reader waits for a mute card before it answers bError 0xFE. Default: the block waiting time
	 * from the card's ATR (TB3, else BWI 4) at the profile's dwDefaultClock, times bBWI when the host sets it.
	 */
	muteTimeoutMs?: number;
	/**
	 * Emulator bound on the virtual card's own computation (it cannot send WTX by itself): past it the reader
	 * answers 0xFE as for a mute card. Default 30 s.
	 */
	cardTimeoutMs?: number;
	/** Overrides the profile's Escape handler. */
	escape?: CcidEscapeHandler;
}

const DEFAULT_CARD_TIMEOUT_MS = 30_000;
/** Longest command APDU: extended case 4 with 65535 data bytes. */
const MAX_COMMAND_APDU = 4 + 3 + 0xffff + 2;
/** Short APDU responses carry at most 256 data bytes and SW1 SW2. */
const MAX_SHORT_RESPONSE = 256 + 2;

/** Commands whose abData must be empty (CCID §6.1). */
const EMPTY_COMMANDS: readonly number[] = [
	CcidCommandType.IccPowerOn,
	CcidCommandType.IccPowerOff,
	CcidCommandType.GetSlotStatus,
	CcidCommandType.GetParameters,
	CcidCommandType.ResetParameters,
	CcidCommandType.Abort
];

const FALLBACK_ATR_PARAMETERS: AtrT1Parameters = {
	protocols: [CcidProtocol.T1],
	fiDi: 0x11,
	guardTime: 0,
	ifsc: 32,
	bwi: 4,
	cwi: 13,
	edc: 'lrc',
	historical: new Uint8Array(0)
};

interface Job {
	readonly slot: number;
	readonly seq: number;
	settled: boolean;
}

type Outcome<T> = { kind: 'answer'; value: T } | { kind: 'removed' } | { kind: 'mute' } | { kind: 'stopped' };

interface Reply {
	status?: number;
	error?: number;
	specific?: number;
	data?: Uint8Array;
}

/**
 * The device side of one CCID interface (CCID rev 1.1): its endpoints (bulk OUT, bulk IN, interrupt IN), slots,
 * and the exchange level its dwFeatures announce. A reader model routes its endpoints here; a reader with more
 * interfaces (ACR1251 Dual, RC-S300) composes several of these or adds its own.
 *
 * Checks in the order a message meets them: framing (bError 0x01), message type (0x00), bSlot (0x05), slot
 * busy (0xE0), a pending hardware error (0xFB), then the command's own parameters (their header offset).
 */
export class CcidInterfaceFunction {
	readonly profile: CcidInterfaceProfile;
	readonly interfaceNumber: number;
	readonly level: CcidExchangeLevel;
	readonly interfaceSpec: InterfaceSpec;
	readonly #slots: CcidSlot[];
	readonly #options: CcidInterfaceOptions;
	readonly #responses = new WaitableQueue<Uint8Array>();
	readonly #interrupts = new WaitableQueue<() => Uint8Array>();
	#slotChangeQueued = false;
	readonly #busy = new Map<number, Job>();
	#stop = new AbortController();

	constructor(profile: CcidInterfaceProfile, options: CcidInterfaceOptions = {}) {
		this.profile = profile;
		this.#options = options;
		this.interfaceNumber = options.interfaceNumber ?? 0;
		this.level = exchangeLevelOf(profile.descriptor.dwFeatures);
		this.#slots = Array.from({ length: profile.descriptor.bMaxSlotIndex + 1 }, (_, i) => new CcidSlot(i));
		const { bulkOut, bulkIn, interruptIn } = profile.endpoints;
		this.interfaceSpec = {
			interfaceNumber: this.interfaceNumber,
			alternates: [
				{
					alternateSetting: 0,
					interfaceClass: profile.interfaceClass,
					interfaceSubclass: 0,
					interfaceProtocol: 0,
					interfaceName: profile.interfaceName,
					classDescriptor: encodeCcidClassDescriptor(profile.descriptor),
					endpoints: [
						{ endpointNumber: bulkOut, direction: 'out', type: 'bulk', packetSize: 64 },
						{ endpointNumber: bulkIn, direction: 'in', type: 'bulk', packetSize: 64 },
						{ endpointNumber: interruptIn, direction: 'in', type: 'interrupt', packetSize: 8 }
					]
				}
			]
		};
	}

	get slotCount(): number {
		return this.#slots.length;
	}

	ownsEndpoint(direction: USBDirection, endpointNumber: number): boolean {
		const { bulkOut, bulkIn, interruptIn } = this.profile.endpoints;
		return direction === 'out' ? endpointNumber === bulkOut : endpointNumber === bulkIn || endpointNumber === interruptIn;
	}

	// ---- USB function side -------------------------------------------------------------------------------

	transferOut(endpointNumber: number, data: Uint8Array): void | Stall {
		if (endpointNumber !== this.profile.endpoints.bulkOut) return STALL;
		// A zero-length packet carries no message; the reader ignores it.
		if (data.length === 0) return;
		this.#handle(data);
	}

	async transferIn(endpointNumber: number, _length: number, signal: AbortSignal): Promise<Uint8Array | Stall> {
		if (endpointNumber === this.profile.endpoints.bulkIn) return this.#responses.shift(signal);
		if (endpointNumber === this.profile.endpoints.interruptIn) return (await this.#interrupts.shift(signal))();
		return STALL;
	}

	/** Class request ABORT (CCID §5.3.1) is accepted; anything else stalls. */
	async controlTransferOut(setup: ControlSetup, _data: Uint8Array): Promise<void | Stall> {
		if (setup.requestType === 'class' && setup.recipient === 'interface' && (setup.index & 0xff) === this.interfaceNumber) {
			if (setup.request === CcidControlRequest.Abort) return;
		}
		return STALL;
	}

	/** GET_CLOCK_FREQUENCIES / GET_DATA_RATES stall, as most of the dumps report ("IFD does not support"). */
	async controlTransferIn(_setup: ControlSetup, _length: number): Promise<Uint8Array | Stall> {
		return STALL;
	}

	/** The host closed the device: pending responses and exchanges are dropped; cards keep their power. */
	closed(): void {
		this.#dropTransactions();
	}

	/** USB reset: as closed, and every slot is powered down. */
	deviceReset(): void {
		this.#dropTransactions();
		for (const slot of this.#slots) slot.deactivate();
	}

	// ---- cards and faults ----------------------------------------------------------------------------------

	insertCard(card: ApduCard, slotIndex = 0): void {
		const slot = this.#slot(slotIndex);
		if (slot.card) this.removeCard(slotIndex);
		slot.card = card;
		slot.changed = true;
		if (this.#hasFeature(CcidFeature.AutoActivation)) {
			try {
				this.#activate(slot);
			} catch (error) {
				// A card whose ATR does not parse stays inactive; IccPowerOn then reports it.
				if (!isMynaError(error, ErrorKind.Malformed)) throw error;
			}
		}
		this.#notifySlotChange();
	}

	removeCard(slotIndex = 0): void {
		const slot = this.#slot(slotIndex);
		if (!slot.card) return;
		slot.card = undefined;
		slot.atr = undefined;
		slot.deactivate();
		slot.faults.muted = false;
		slot.changed = true;
		slot.removal.abort();
		slot.removal = new AbortController();
		this.#notifySlotChange();
	}

	hasCard(slotIndex = 0): boolean {
		return this.#slot(slotIndex).card !== undefined;
	}

	/** The next XfrBlock that reaches the card is answered `count` times with bStatus 0x80, bError = multiplier, first. */
	timeExtensions(count: number, multiplier: number, slotIndex = 0): void {
		checkCount(count, multiplier);
		this.#slot(slotIndex).faults.timeExtensions = { count, multiplier };
	}

	/** TPDU level: the card precedes its next `count` answers with S(WTX request, multiplier). */
	wtxRequests(count: number, multiplier: number, slotIndex = 0): void {
		this.#requireTpdu('wtxRequests');
		checkCount(count, multiplier);
		this.#slot(slotIndex).faults.wtx = { count, multiplier };
	}

	/** TPDU level: the card's next block has a bad LRC/CRC; the host must send R(error) and gets it again. */
	corruptNextBlockLrc(slotIndex = 0): void {
		this.#requireTpdu('corruptNextBlockLrc');
		this.#slot(slotIndex).faults.corruptEdc = true;
	}

	/** The card stops answering until it is reset (IccPowerOn) or removed: exchanges end with bError 0xFE after the reader's timeout. */
	muteCard(slotIndex = 0): void {
		this.#slot(slotIndex).faults.muted = true;
	}

	/**
	 * Overcurrent: RDR_to_PC_HardwareError on the interrupt endpoint, the card is deactivated, and the exchange in
	 * progress (else the next command to the slot) fails with bError 0xFB.
	 */
	hardwareError(slotIndex = 0): void {
		const slot = this.#slot(slotIndex);
		this.#queueInterrupt(() => encodeHardwareError(slot.index, slot.lastSeq, CCID_HARDWARE_ERROR_OVERCURRENT));
		slot.deactivate();
		const job = this.#busy.get(slot.index);
		if (job) this.#finish(job, CcidResponseType.DataBlock, failed(slot, CcidErrorCode.HardwareError));
		else slot.faults.hardwareError = true;
	}

	/** The reader's wait for a mute card, in ms (see `CcidInterfaceOptions.muteTimeoutMs`). */
	readerTimeoutMs(slotIndex = 0, bBWI = 0): number {
		const slot = this.#slot(slotIndex);
		const base = this.#options.muteTimeoutMs ?? t1BlockWaitingTimeMs(slot.atr ?? FALLBACK_ATR_PARAMETERS, this.profile.descriptor.dwDefaultClock);
		return Math.ceil(base * Math.max(1, bBWI));
	}

	// ---- message handling --------------------------------------------------------------------------------

	#handle(bytes: Uint8Array): void {
		const type = bytes[0]!;
		const slotIndex = bytes[5] ?? 0;
		const seq = bytes[6] ?? 0;
		const responseType = isCcidCommandType(type) ? CCID_RESPONSE_FOR[type] : CcidResponseType.SlotStatus;
		const slot = this.#slots[slotIndex];
		const absent = { status: CcidCommandStatus.Failed | CcidIccStatus.Absent };
		let command: CcidCommand;
		try {
			command = decodeCcidCommand(bytes, this.profile.descriptor.dwMaxCCIDMessageLength);
		} catch (error) {
			if (!isMynaError(error, ErrorKind.Protocol)) throw error;
			const status = slot ? failed(slot, CcidErrorCode.BadLength) : { ...absent, error: CcidErrorCode.BadLength };
			this.#send(responseType, slotIndex, seq, status);
			return;
		}
		if (!isCcidCommandType(type)) {
			this.#send(responseType, slotIndex, seq, slot ? failed(slot, CcidErrorCode.CommandNotSupported) : { ...absent, error: CcidErrorCode.CommandNotSupported });
			return;
		}
		if (!slot) {
			this.#send(responseType, slotIndex, seq, { ...absent, error: CcidErrorCode.BadSlot });
			return;
		}
		slot.lastSeq = seq;
		if (type === CcidCommandType.Abort) {
			this.#abort(slot, command);
			return;
		}
		if (this.#busy.has(slotIndex) || this.#busy.size >= this.profile.descriptor.bMaxCCIDBusySlots) {
			this.#send(responseType, slotIndex, seq, failed(slot, CcidErrorCode.SlotBusy));
			return;
		}
		if (slot.faults.hardwareError) {
			slot.faults.hardwareError = false;
			this.#send(responseType, slotIndex, seq, failed(slot, CcidErrorCode.HardwareError));
			return;
		}
		if (EMPTY_COMMANDS.includes(type) && command.data.length !== 0) {
			this.#send(responseType, slotIndex, seq, failed(slot, CcidErrorCode.BadLength));
			return;
		}
		const reply = (answer: Reply) => this.#send(responseType, slotIndex, seq, answer);
		switch (type) {
			case CcidCommandType.IccPowerOn:
				return reply(this.#powerOn(slot, command.specific[0]));
			case CcidCommandType.IccPowerOff:
				slot.deactivate();
				return reply({ status: slot.iccStatus });
			case CcidCommandType.GetSlotStatus:
				return reply({ status: slot.iccStatus });
			case CcidCommandType.XfrBlock:
				return this.#xfrBlock(slot, command);
			case CcidCommandType.SetParameters:
				return reply(this.#setParameters(slot, command));
			case CcidCommandType.GetParameters:
				return reply(slot.card ? { status: slot.iccStatus, specific: slot.protocol, data: slot.parameters } : failed(slot, CcidErrorCode.IccMute));
			case CcidCommandType.ResetParameters:
				this.#resetParameters(slot);
				return reply({ status: slot.iccStatus, specific: slot.protocol, data: slot.parameters });
			case CcidCommandType.Escape:
				return reply(this.#escape(slot, command.data));
			default:
				return reply(failed(slot, CcidErrorCode.CommandNotSupported));
		}
	}

	#powerOn(slot: CcidSlot, powerSelect: number): Reply {
		const automaticAllowed = this.#hasFeature(CcidFeature.AutoVoltage) || this.#hasFeature(CcidFeature.AutoActivation);
		const voltageBit = CCID_VOLTAGE_SUPPORT_BIT[powerSelect];
		const voltageOk =
			powerSelect === CcidPowerSelect.Automatic
				? automaticAllowed
				: voltageBit !== undefined && (this.profile.descriptor.bVoltageSupport & voltageBit) !== 0;
		if (!voltageOk) return failed(slot, CcidErrorCode.BadByte7);
		if (!slot.card) return failed(slot, CcidErrorCode.IccMute);
		try {
			this.#activate(slot);
		} catch (error) {
			if (!isMynaError(error, ErrorKind.Malformed)) throw error;
			return failed(slot, error.details.fault === AtrFault.BadTs ? CcidErrorCode.BadAtrTs : CcidErrorCode.BadAtrTck);
		}
		return { status: slot.iccStatus, data: slot.card.atr.slice() };
	}

	/** Cold or warm reset of the card; throws MynaError kind Malformed when its ATR does not parse. */
	#activate(slot: CcidSlot): void {
		const card = slot.card!;
		slot.deactivate();
		slot.atr = parseAtrT1Parameters(card.atr);
		card.reset();
		slot.faults.muted = false;
		slot.powered = true;
		this.#resetParameters(slot);
		if (this.level === CcidExchangeLevel.Tpdu) {
			const readerDidPps = this.#hasFeature(CcidFeature.AutoPps) || this.#hasFeature(CcidFeature.AutoParameterNegotiation);
			slot.engine = new T1CardEngine(card, { acceptPps: !readerDidPps });
		}
	}

	#resetParameters(slot: CcidSlot): void {
		const atr = slot.atr;
		const supportsT1 = this.#supportsProtocol(CcidProtocol.T1);
		const protocol = atr
			? (atr.protocols.find((t) => this.#supportsProtocol(t)) ?? CcidProtocol.T1)
			: supportsT1
				? CcidProtocol.T1
				: CcidProtocol.T0;
		slot.protocol = protocol;
		if (protocol === CcidProtocol.T0) {
			slot.parameters = new Uint8Array(DEFAULT_T0_PARAMETERS);
			if (atr) slot.parameters[0] = atr.fiDi;
			return;
		}
		slot.parameters = atr
			? new Uint8Array([atr.fiDi, 0x10 | (atr.edc === 'crc' ? 1 : 0), atr.guardTime, (atr.bwi << 4) | atr.cwi, 0x00, atr.ifsc, 0x00])
			: new Uint8Array(DEFAULT_T1_PARAMETERS);
	}

	/** SetParameters (CCID §6.1.7): bError is the offset of the first bad field (10 + index in abData). */
	#setParameters(slot: CcidSlot, command: CcidCommand): Reply {
		const protocol = command.specific[0];
		const data = command.data;
		const fail = (error: number): Reply => ({ ...failed(slot, error), specific: slot.protocol });
		if ((protocol !== CcidProtocol.T0 && protocol !== CcidProtocol.T1) || !this.#supportsProtocol(protocol)) {
			return fail(CcidErrorCode.BadByte7);
		}
		if (data.length !== (protocol === CcidProtocol.T1 ? 7 : 5)) return fail(CcidErrorCode.BadLength);
		if (protocol === CcidProtocol.T1) {
			if ((data[1]! & 0xfe) !== 0x10) return fail(11);
			if (data[3]! >> 4 > 9) return fail(13);
			if (data[4]! > 3) return fail(14);
			if (data[5]! === 0x00 || data[5]! === 0xff) return fail(15);
		} else {
			if (data[1]! !== 0x00 && data[1]! !== 0x02) return fail(11);
			if (data[4]! > 3) return fail(14);
		}
		if (slot.atr && !slot.atr.protocols.includes(protocol)) return fail(CcidErrorCode.ProtocolNotSupported);
		slot.protocol = protocol;
		slot.parameters = data.slice();
		return { status: slot.iccStatus, specific: protocol, data: slot.parameters };
	}

	#escape(slot: CcidSlot, data: Uint8Array): Reply {
		const handler = this.#options.escape ?? this.profile.escape;
		let answer: Uint8Array | undefined;
		try {
			answer = handler?.(data, slot.index);
		} catch {
			answer = undefined;
		}
		return answer ? { status: slot.iccStatus, data: answer } : failed(slot, CcidErrorCode.CommandNotSupported);
	}

	/** PC_to_RDR_Abort (CCID §6.1.13): the command in progress ends with bError 0xFF, chaining is dropped. */
	#abort(slot: CcidSlot, command: CcidCommand): void {
		if (command.data.length !== 0) {
			this.#send(CcidResponseType.SlotStatus, slot.index, command.seq, failed(slot, CcidErrorCode.BadLength));
			return;
		}
		const job = this.#busy.get(slot.index);
		if (job) this.#finish(job, CcidResponseType.DataBlock, failed(slot, CcidErrorCode.CommandAborted));
		slot.chain = CHAIN_IDLE;
		this.#send(CcidResponseType.SlotStatus, slot.index, command.seq, { status: slot.iccStatus });
	}

	// ---- XfrBlock at each exchange level ------------------------------------------------------------------

	#xfrBlock(slot: CcidSlot, command: CcidCommand): void {
		const dataBlock = (reply: Reply) => this.#send(CcidResponseType.DataBlock, slot.index, command.seq, reply);
		if (!slot.card || !slot.powered) return dataBlock(failed(slot, CcidErrorCode.IccMute));
		switch (this.level) {
			case CcidExchangeLevel.Tpdu: {
				const engine = slot.engine!;
				this.#applyEngineFaults(slot, engine);
				return this.#cardJob(slot, command, () => engine.receive(command.data), (block) => ({ status: slot.iccStatus, data: block }));
			}
			case CcidExchangeLevel.ShortApdu:
				if (apduLengthForm(command.data) !== ApduLengthForm.Short) return dataBlock(failed(slot, CcidErrorCode.WrongApduLength));
				return this.#apduJob(slot, command, command.data, (response) =>
					response.length > MAX_SHORT_RESPONSE ? failed(slot, CcidErrorCode.Overrun) : { status: slot.iccStatus, data: response }
				);
			case CcidExchangeLevel.ExtendedApdu:
				return this.#extendedXfrBlock(slot, command, dataBlock);
			default:
				return dataBlock(failed(slot, CcidErrorCode.CommandNotSupported));
		}
	}

	/** wLevelParameter chaining (CCID §6.1.4; libccid CmdXfrBlockAPDU_extended). */
	#extendedXfrBlock(slot: CcidSlot, command: CcidCommand, dataBlock: (reply: Reply) => void): void {
		const level = command.specific[1] | (command.specific[2] << 8);
		const chain = slot.chain;
		const badLevel = () => {
			slot.chain = CHAIN_IDLE;
			dataBlock(failed(slot, CcidErrorCode.BadLevelParameter));
		};
		const continueCommand = () => dataBlock({ status: slot.iccStatus, specific: CcidChainParameter.Empty });
		switch (level) {
			case CcidChainParameter.Whole:
				if (chain.kind !== 'idle') return badLevel();
				return this.#extendedApdu(slot, command, command.data);
			case CcidChainParameter.Begins:
				if (chain.kind !== 'idle' || command.data.length === 0) return badLevel();
				slot.chain = { kind: 'command', parts: [command.data], length: command.data.length };
				return continueCommand();
			case CcidChainParameter.Continues:
			case CcidChainParameter.Ends: {
				if (chain.kind !== 'command' || command.data.length === 0) return badLevel();
				if (chain.length + command.data.length > MAX_COMMAND_APDU) {
					slot.chain = CHAIN_IDLE;
					return dataBlock(failed(slot, CcidErrorCode.WrongApduLength));
				}
				chain.parts.push(command.data);
				chain.length += command.data.length;
				if (level === CcidChainParameter.Continues) return continueCommand();
				slot.chain = CHAIN_IDLE;
				return this.#extendedApdu(slot, command, concatBytes(...chain.parts));
			}
			case CcidChainParameter.Empty:
				if (chain.kind !== 'response' || command.data.length !== 0) return badLevel();
				return dataBlock(this.#nextResponseChunk(slot));
			default:
				return badLevel();
		}
	}

	#extendedApdu(slot: CcidSlot, command: CcidCommand, apdu: Uint8Array): void {
		if (apduLengthForm(apdu) === ApduLengthForm.Invalid) {
			this.#send(CcidResponseType.DataBlock, slot.index, command.seq, failed(slot, CcidErrorCode.WrongApduLength));
			return;
		}
		this.#apduJob(slot, command, apdu, (response) => {
			slot.chain = { kind: 'response', data: response, offset: 0 };
			return this.#nextResponseChunk(slot);
		});
	}

	#nextResponseChunk(slot: CcidSlot): Reply {
		const chain = slot.chain;
		if (chain.kind !== 'response') return failed(slot, CcidErrorCode.BadLevelParameter);
		const room = this.profile.descriptor.dwMaxCCIDMessageLength - 10;
		const first = chain.offset === 0;
		const end = Math.min(chain.offset + room, chain.data.length);
		const data = chain.data.slice(chain.offset, end);
		const last = end >= chain.data.length;
		chain.offset = end;
		if (last) slot.chain = CHAIN_IDLE;
		const specific = first
			? last
				? CcidChainParameter.Whole
				: CcidChainParameter.Begins
			: last
				? CcidChainParameter.Ends
				: CcidChainParameter.Continues;
		return { status: slot.iccStatus, specific, data };
	}

	#apduJob(slot: CcidSlot, command: CcidCommand, apdu: Uint8Array, toReply: (response: Uint8Array) => Reply): void {
		const card = slot.card!;
		this.#cardJob(slot, command, () => card.transmit(apdu.slice()), toReply);
	}

	#applyEngineFaults(slot: CcidSlot, engine: T1CardEngine): void {
		const { wtx } = slot.faults;
		if (wtx.count > 0) {
			engine.requestWtx(wtx.count, wtx.multiplier);
			slot.faults.wtx = { count: 0, multiplier: 1 };
		}
		if (slot.faults.corruptEdc) {
			engine.corruptNextEdc();
			slot.faults.corruptEdc = false;
		}
	}

	/**
	 * An exchange with the card, answered later: time extensions first if armed, then the card's answer, or
	 * bError 0xFE once the reader gives up on a mute card, at once if the card is pulled out.
	 */
	#cardJob(slot: CcidSlot, command: CcidCommand, exchange: () => Promise<Uint8Array | undefined>, toReply: (answer: Uint8Array) => Reply): void {
		const job: Job = { slot: slot.index, seq: command.seq, settled: false };
		this.#busy.set(slot.index, job);
		const { timeExtensions } = slot.faults;
		for (let i = 0; i < timeExtensions.count; i++) {
			this.#send(CcidResponseType.DataBlock, slot.index, command.seq, {
				status: CcidCommandStatus.TimeExtension | slot.iccStatus,
				error: timeExtensions.multiplier
			});
		}
		slot.faults.timeExtensions = { count: 0, multiplier: 1 };
		void this.#runJob(slot, command, job, exchange, toReply);
	}

	async #runJob(
		slot: CcidSlot,
		command: CcidCommand,
		job: Job,
		exchange: () => Promise<Uint8Array | undefined>,
		toReply: (answer: Uint8Array) => Reply
	): Promise<void> {
		const muteWait = this.readerTimeoutMs(slot.index, command.specific[0]);
		let outcome: Outcome<Uint8Array | undefined> = slot.faults.muted
			? await this.#wait(slot, muteWait)
			: await this.#wait(slot, this.#options.cardTimeoutMs ?? DEFAULT_CARD_TIMEOUT_MS, Promise.resolve().then(exchange));
		if (outcome.kind === 'answer' && outcome.value === undefined) outcome = await this.#wait(slot, muteWait);
		if (job.settled || outcome.kind === 'stopped') return;
		if (outcome.kind === 'answer' && outcome.value !== undefined) {
			let reply: Reply;
			try {
				reply = toReply(outcome.value);
			} catch {
				reply = failed(slot, CcidErrorCode.IccMute);
			}
			this.#finish(job, CcidResponseType.DataBlock, reply);
			return;
		}
		this.#finish(job, CcidResponseType.DataBlock, failed(slot, CcidErrorCode.IccMute));
	}

	/** Waits for `work` (if any) for at most `timeoutMs`, and no longer than the card stays in and the host stays. */
	#wait<T>(slot: CcidSlot, timeoutMs: number, work?: Promise<T>): Promise<Outcome<T>> {
		const removal = slot.removal.signal;
		const stop = this.#stop.signal;
		return new Promise((resolve) => {
			let done = false;
			const finish = (outcome: Outcome<T>) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				removal.removeEventListener('abort', onRemoved);
				stop.removeEventListener('abort', onStopped);
				resolve(outcome);
			};
			const onRemoved = () => finish({ kind: 'removed' });
			const onStopped = () => finish({ kind: 'stopped' });
			const timer = setTimeout(() => finish({ kind: 'mute' }), timeoutMs);
			removal.addEventListener('abort', onRemoved, { once: true });
			stop.addEventListener('abort', onStopped, { once: true });
			if (removal.aborted) onRemoved();
			if (stop.aborted) onStopped();
			work?.then(
				(value) => finish({ kind: 'answer', value }),
				() => finish({ kind: 'mute' })
			);
		});
	}

	#finish(job: Job, type: number, reply: Reply): void {
		if (job.settled) return;
		job.settled = true;
		if (this.#busy.get(job.slot) === job) this.#busy.delete(job.slot);
		this.#send(type, job.slot, job.seq, reply);
	}

	// ---- endpoints' queues ---------------------------------------------------------------------------------

	#send(type: number, slot: number, seq: number, reply: Reply): void {
		const bytes = encodeCcidResponse({
			messageType: type,
			slot,
			seq,
			status: reply.status ?? 0,
			error: reply.error ?? 0,
			specific: reply.specific ?? 0,
			data: reply.data ?? new Uint8Array(0)
		});
		this.#responses.push(bytes);
	}

	#queueInterrupt(make: () => Uint8Array): void {
		this.#interrupts.push(make);
	}

	/** One NotifySlotChange stands for every change since the host last read one (CCID §6.3.1). */
	#notifySlotChange(): void {
		if (this.#slotChangeQueued) return;
		this.#slotChangeQueued = true;
		this.#queueInterrupt(() => {
			this.#slotChangeQueued = false;
			const message = encodeNotifySlotChange(this.#slots.map((s) => ({ present: s.card !== undefined, changed: s.changed })));
			for (const slot of this.#slots) slot.changed = false;
			return message;
		});
	}

	#dropTransactions(): void {
		for (const job of this.#busy.values()) job.settled = true;
		this.#busy.clear();
		this.#stop.abort();
		this.#stop = new AbortController();
		this.#responses.clear();
		for (const slot of this.#slots) slot.chain = CHAIN_IDLE;
	}

	// ---- helpers ---------------------------------------------------------------------------------------------

	#slot(index: number): CcidSlot {
		const slot = this.#slots[index];
		if (!slot) throw new MynaError(ErrorKind.Internal, 'no such slot on this reader', { slot: index, slots: this.#slots.length });
		return slot;
	}

	#hasFeature(bit: number): boolean {
		return (this.profile.descriptor.dwFeatures & bit) !== 0;
	}

	#supportsProtocol(protocol: number): boolean {
		return protocol >= 0 && protocol < 32 && (this.profile.descriptor.dwProtocols & (1 << protocol)) !== 0;
	}

	#requireTpdu(fault: string): void {
		if (this.level !== CcidExchangeLevel.Tpdu) {
			throw new MynaError(ErrorKind.Unsupported, 'this fault needs a TPDU-level reader', { fault, level: this.level });
		}
	}
}

function failed(slot: CcidSlot, error: number): Reply {
	return { status: CcidCommandStatus.Failed | slot.iccStatus, error };
}

function checkCount(count: number, multiplier: number): void {
	if (!Number.isInteger(count) || count < 0 || !Number.isInteger(multiplier) || multiplier < 1 || multiplier > 255) {
		throw new MynaError(ErrorKind.Internal, 'fault count must be ≥ 0 and multiplier 1..255', { count, multiplier });
	}
}
