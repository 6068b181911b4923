import { sleep } from '../iso-dep/abortable-wait';
import type { IsoDepFrameExchange } from '../iso-dep/iso-dep-protocol';
import { activateTypeB, pollTypeB, type TypeBActivation, type TypeBLinkLimits } from '../type-b/type-b-activation';
import type { TypeBLink } from '../type-b/type-b-reader-connection';
import { releaseVendorInterface, type UsbTransferCounts, type VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import type { ReaderInfo } from '../reader-connection';
import { Port100ProtocolSetting, Port100RfSetting, type Port100Chipset } from './port100-chipset';
import { PORT100_MAX_DATA } from './port100-frame';

/**
 * Frame limits of the RC-S380: 290 data bytes per Port-100 frame either way. An InCommRF answer carries
 * `D7 05`, 4 status bytes and 1 more before the card's frame, which arrives without its 2 CRC bytes.
 */
export const RCS380_LIMITS: TypeBLinkLimits = {
	maxSendFrame: PORT100_MAX_DATA - 4 + 2,
	maxReceiveFrame: PORT100_MAX_DATA - 7 + 2
};

/** Field off before a new activation, so a card left ACTIVE or HALT by an earlier session starts over. */
export const RF_RESET_MS = 30;

/**
 * Type B over the Port-100 chipset. RF and protocol settings (InSetRF 106B, InSetProtocol defaults + Type B) go
 * out once when the field is set up; after that every ISO-DEP block is a single InCommRF.
 */
export class Rcs380TypeBLink implements TypeBLink {
	readonly info: ReaderInfo;
	readonly #chipset: Port100Chipset;
	readonly #pipe: VendorUsbPipe;
	readonly #device: USBDevice;
	readonly #interfaceNumber: number;
	#fieldReady = false;

	constructor(device: USBDevice, interfaceNumber: number, pipe: VendorUsbPipe, chipset: Port100Chipset, info: ReaderInfo) {
		this.#device = device;
		this.#interfaceNumber = interfaceNumber;
		this.#pipe = pipe;
		this.#chipset = chipset;
		this.info = info;
	}

	get transfers(): Readonly<UsbTransferCounts> {
		return this.#pipe.transfers;
	}

	readonly exchange: IsoDepFrameExchange = (frame, timeoutMs) => this.#chipset.inCommRf(frame, timeoutMs);

	async #setUpField(): Promise<void> {
		if (this.#fieldReady) return;
		await this.#chipset.inSetRf(Port100RfSetting.TypeB106);
		await this.#chipset.inSetProtocol(Port100ProtocolSetting.Defaults);
		await this.#chipset.inSetProtocol(Port100ProtocolSetting.TypeB);
		this.#fieldReady = true;
	}

	async activate(signal?: AbortSignal): Promise<TypeBActivation | undefined> {
		this.#fieldReady = false;
		await this.#chipset.switchRf(false);
		await sleep(RF_RESET_MS, signal);
		await this.#setUpField();
		return activateTypeB(this.exchange, RCS380_LIMITS, { signal });
	}

	async detect(signal?: AbortSignal, options: { resetField?: boolean } = {}): Promise<boolean> {
		if (options.resetField) {
			this.#fieldReady = false;
			await this.#chipset.switchRf(false);
			await sleep(RF_RESET_MS, signal);
		}
		await this.#setUpField();
		return (await pollTypeB(this.exchange, { signal })) !== undefined;
	}

	async close(): Promise<void> {
		await this.#chipset.close();
		await releaseVendorInterface(this.#device, this.#interfaceNumber);
	}
}
