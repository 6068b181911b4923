import { ErrorKind, MynaError } from '../../../errors';
import type { ApduCard } from '../../card/apdu-card';
import type { DeviceSpec } from '../../usb/usb-descriptors';
import { STALL, type ControlSetup, type Stall } from '../../usb/usb-function-model';
import type { ReaderModel } from '../virtual-reader-model';
import { CcidInterfaceFunction } from './ccid-interface-function';
import {
	CCID_READER_PROFILES,
	isCcidReaderProfileId,
	type CcidEscapeHandler,
	type CcidMedium, type CcidReaderProfile, type CcidReaderProfileId } from './ccid-reader-profiles';

export interface CcidReaderModelOptions {
	/** See `CcidInterfaceOptions.muteTimeoutMs`; applies to every interface. */
	muteTimeoutMs?: number;
	/** See `CcidInterfaceOptions.cardTimeoutMs`. */
	cardTimeoutMs?: number;
	serialNumber?: string;
	/** Escape handlers by interface number; without one, Escape answers "command not supported". */
	escape?: Readonly<Record<number, CcidEscapeHandler>>;
}

/** Where a model slot number lands: an interface and its bSlot. */
export interface CcidSlotAddress {
	readonly interfaceNumber: number;
	readonly bSlot: number;
	readonly medium: CcidMedium;
}

/**
 * A CCID reader (device side), one per profile: a USB device with one CCID interface per profile interface.
 * Model slot numbers run over the interfaces in order, then their bSlots: on the ACR1251 Dual, slot 0 is the
 * PICC interface and slot 1 the contact interface; on the SCR331-DI-NTTCom, slots 0 and 1 are bSlot 0 and 1.
 */
export class CcidReaderModel implements ReaderModel {
	readonly profile: CcidReaderProfile;
	readonly spec: DeviceSpec;
	readonly interfaces: readonly CcidInterfaceFunction[];
	readonly slots: readonly CcidSlotAddress[];

	constructor(profile: CcidReaderProfile, options: CcidReaderModelOptions = {}) {
		this.profile = profile;
		this.interfaces = profile.interfaces.map(
			(itf, interfaceNumber) =>
				new CcidInterfaceFunction(itf, {
					interfaceNumber,
					muteTimeoutMs: options.muteTimeoutMs,
					cardTimeoutMs: options.cardTimeoutMs,
					escape: options.escape?.[interfaceNumber]
				})
		);
		this.slots = profile.interfaces.flatMap((itf, interfaceNumber) =>
			itf.slotMedia.map((medium, bSlot) => ({ interfaceNumber, bSlot, medium }))
		);
		this.spec = {
			vendorId: profile.vendorId,
			productId: profile.productId,
			deviceVersion: [...profile.deviceVersion],
			manufacturerName: profile.manufacturerName,
			productName: profile.productName,
			serialNumber: options.serialNumber,
			configurations: [{ configurationValue: 1, interfaces: this.interfaces.map((f) => f.interfaceSpec) }]
		};
	}

	transferOut(endpointNumber: number, data: Uint8Array): void | Stall {
		const owner = this.interfaces.find((f) => f.ownsEndpoint('out', endpointNumber));
		return owner ? owner.transferOut(endpointNumber, data) : STALL;
	}

	async transferIn(endpointNumber: number, length: number, signal: AbortSignal): Promise<Uint8Array | Stall> {
		const owner = this.interfaces.find((f) => f.ownsEndpoint('in', endpointNumber));
		return owner ? owner.transferIn(endpointNumber, length, signal) : STALL;
	}

	async controlTransferIn(setup: ControlSetup, length: number): Promise<Uint8Array | Stall> {
		return this.#interfaceFor(setup)?.controlTransferIn(setup, length) ?? STALL;
	}

	async controlTransferOut(setup: ControlSetup, data: Uint8Array): Promise<void | Stall> {
		const owner = this.#interfaceFor(setup);
		return owner ? owner.controlTransferOut(setup, data) : STALL;
	}

	closed(): void {
		for (const f of this.interfaces) f.closed();
	}

	deviceReset(): void {
		for (const f of this.interfaces) f.deviceReset();
	}

	insertCard(card: ApduCard, slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.insertCard(card, bSlot);
	}

	removeCard(slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.removeCard(bSlot);
	}

	hasCard(slot = 0): boolean {
		const { target, bSlot } = this.#route(slot);
		return target.hasCard(bSlot);
	}

	// ---- protocol faults (one-shot unless said otherwise) ---------------------------------------------------

	/** The next XfrBlock that reaches the card gets `count` DataBlocks with bStatus 0x80 and bError = multiplier first. */
	timeExtensions(count: number, multiplier: number, slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.timeExtensions(count, multiplier, bSlot);
	}

	/** TPDU readers: the card sends S(WTX request, multiplier) `count` times before its next answer. */
	wtxRequests(count: number, multiplier: number, slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.wtxRequests(count, multiplier, bSlot);
	}

	/** TPDU readers: the card's next T=1 block has a bad EDC; the host's R(error) gets it again, intact. */
	corruptNextBlockLrc(slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.corruptNextBlockLrc(bSlot);
	}

	/** The card stops answering until IccPowerOn or removal; each exchange ends with bError 0xFE after the reader's timeout. */
	muteCard(slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.muteCard(bSlot);
	}

	/** Overcurrent: interrupt RDR_to_PC_HardwareError, the card is deactivated, and the current or next command fails with bError 0xFB. */
	hardwareError(slot = 0): void {
		const { target, bSlot } = this.#route(slot);
		target.hardwareError(bSlot);
	}

	#route(slot: number): { target: CcidInterfaceFunction; bSlot: number } {
		const address = this.slots[slot];
		if (!address) throw new MynaError(ErrorKind.Internal, 'no such slot on this reader', { slot, slots: this.slots.length });
		return { target: this.interfaces[address.interfaceNumber]!, bSlot: address.bSlot };
	}

	#interfaceFor(setup: ControlSetup): CcidInterfaceFunction | undefined {
		if (setup.recipient !== 'interface') return undefined;
		return this.interfaces.find((f) => f.interfaceNumber === (setup.index & 0xff));
	}
}

export function createCcidReaderModel(profileId: CcidReaderProfileId, options: CcidReaderModelOptions = {}): CcidReaderModel {
	if (!isCcidReaderProfileId(profileId)) throw new MynaError(ErrorKind.Unsupported, 'unknown CCID reader profile', { profileId: String(profileId) });
	return new CcidReaderModel(CCID_READER_PROFILES[profileId], options);
}
