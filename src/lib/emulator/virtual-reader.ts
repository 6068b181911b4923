import type { ApduCard } from './card/apdu-card';
import type { ReaderModel } from './readers/virtual-reader-model';
import { VirtualUsbDevice, type VirtualUsbContext } from './usb/virtual-usb-device';
import type { TransferFaultRule } from './usb/usb-transfer-faults';

export interface VirtualReaderOptions {
	/** Emulate a page allowed `usb-unrestricted` (Isolated Web App): protected classes become claimable. */
	context?: VirtualUsbContext;
	/** Another tab or program holds the reader. */
	claimedElsewhere?: boolean;
}

/**
 * One emulated reader: a USB device (what the page sees through `navigator.usb`) and its reader model (what the
 * reader does with the card). Faults act at the transfer level here and at the protocol level in the model.
 */
export class VirtualReader<M extends ReaderModel = ReaderModel> {
	readonly device: VirtualUsbDevice;
	readonly model: M;
	readonly modelId: string;

	constructor(modelId: string, model: M, options: VirtualReaderOptions = {}) {
		this.modelId = modelId;
		this.model = model;
		this.device = new VirtualUsbDevice(model.spec, model, { context: options.context, claimedElsewhere: options.claimedElsewhere });
	}

	insertCard(card: ApduCard, slot = 0): void {
		this.model.insertCard(card, slot);
	}

	removeCard(slot = 0): void {
		this.model.removeCard(slot);
	}

	hasCard(slot = 0): boolean {
		return this.model.hasCard(slot);
	}

	unplug(): void {
		this.device.unplug();
	}

	/** Remove the card before or after the Nth USB transfer from now. */
	removeCardAtTransfer(nth: number, when: 'before' | 'after' = 'before', slot = 0): void {
		this.device.faults.add({ nth, when, action: { type: 'call', run: () => this.removeCard(slot) } });
	}

	/** Unplug before or after the Nth USB transfer from now. */
	unplugAtTransfer(nth: number, when: 'before' | 'after' = 'before'): void {
		this.device.faults.add({ nth, when, action: { type: 'unplug' } });
	}

	addTransferFault(rule: TransferFaultRule): void {
		this.device.faults.add(rule);
	}

	/** USB transfers carried so far (for "transfers per APDU"). */
	get transferCount(): number {
		return this.device.faults.transferCount;
	}
}
