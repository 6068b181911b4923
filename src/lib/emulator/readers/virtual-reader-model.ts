import type { ApduCard } from '../card/apdu-card';
import type { DeviceSpec } from '../usb/usb-descriptors';
import type { UsbFunctionModel } from '../usb/usb-function-model';

/**
 * A reader model: the device side of one real reader (its descriptors and protocol), holding at most one card
 * per slot. Models reproduce the real reader's limits (message length, IFSD/FSC, time extension, WTX,
 * slot-change interrupts) from `facts/readers.md`.
 */
export interface ReaderModel extends UsbFunctionModel {
	readonly spec: DeviceSpec;
	/** Puts a card in the slot or field (fires the slot-change interrupt where the reader has one). */
	insertCard(card: ApduCard, slot?: number): void;
	/** Takes it out; an exchange in progress fails as on the real reader (card absent / mute / RF timeout). */
	removeCard(slot?: number): void;
	hasCard(slot?: number): boolean;
}
