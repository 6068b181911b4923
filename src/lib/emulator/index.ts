/**
 * The emulated hardware lab (design §3 seam): virtual USB readers and a virtual My Number Card that sit below
 * WebUSB, so the production drivers run unchanged against them — in demo mode, in Vitest and under Playwright.
 */
import { createVirtualCard, type VirtualCardOptions } from './card';
import { createVirtualReader, type CatalogReaderOptions, type VirtualReaderModelId } from './catalog';
import { EmulatorLab } from './lab';

export { createVirtualCard, type VirtualCardOptions, type VirtualCard, type VirtualMynaCardOptions } from './card';
export { createVirtualReader, VIRTUAL_READER_MODEL_IDS, type VirtualReaderModelId, type CatalogReaderOptions } from './catalog';
export { VirtualReader, type VirtualReaderOptions } from './virtual-reader';
export { EmulatorLab, installVirtualUsb, type LabReaderState } from './lab';
export { VirtualUsb, asUsb } from './usb/virtual-usb';
export { VirtualUsbDevice } from './usb/virtual-usb-device';
export type { ApduCard } from './card/apdu-card';

/** A lab with every reader model and the virtual card. */
export function createVirtualLab(): EmulatorLab<VirtualCardOptions> {
	return new EmulatorLab<VirtualCardOptions>({
		createReader: (model, options) => createVirtualReader(model as VirtualReaderModelId, options as CatalogReaderOptions),
		createCard: (options) => createVirtualCard(options)
	});
}
