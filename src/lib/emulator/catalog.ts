import { createCcidReaderModel, createRcs300CcidInterface, CCID_READER_PROFILE_IDS, type CcidReaderProfileId } from './readers/ccid';
import { createRcs300Model, createRcs380Model, type Rcs300ModelOptions, type Rcs380ModelOptions } from './readers/sony';
import type { Rcs300CcidInterface as Rcs300Interface0 } from './readers/sony/rcs300-model';
import type { ReaderModel } from './readers/virtual-reader-model';
import { VirtualReader, type VirtualReaderOptions } from './virtual-reader';

/** Every emulated reader, by id. Each models a real reader from its published descriptors (facts/readers.md). */
export const VIRTUAL_READER_MODEL_IDS = [...CCID_READER_PROFILE_IDS, 'rcs300', 'rcs300p', 'rcs380', 'rcs380p'] as const;
export type VirtualReaderModelId = (typeof VIRTUAL_READER_MODEL_IDS)[number];

export interface CatalogReaderOptions extends VirtualReaderOptions {
	/** Scales the Sony readers' real RF waits (1 = real time; tests use less). */
	timeScale?: number;
	/** RC-S300: does the reader itself send ATTRIB after the switch to Type B layer 4? (unknown on real hardware) */
	layer4Attrib?: Rcs300ModelOptions['layer4Attrib'];
	serialNumber?: string;
}

/** The RC-S300's CCID interface 0, driven by the same model as the stand-alone CCID readers. */
function rcs300Interface0(): Rcs300Interface0 {
	const { handler } = createRcs300CcidInterface();
	return {
		transferOut: (ep, data) => handler.transferOut(ep, data),
		transferIn: (ep, length, signal) => handler.transferIn(ep, length, signal),
		cardChanged: (card) => (card ? handler.insertCard(card) : handler.removeCard()),
		closed: () => handler.closed()
	};
}

export function createReaderModel(id: VirtualReaderModelId, options: CatalogReaderOptions = {}): ReaderModel {
	const serial = options.serialNumber ? { serialNumber: options.serialNumber } : {};
	switch (id) {
		case 'rcs300':
		case 'rcs300p':
			return createRcs300Model({
				variant: id === 'rcs300p' ? 'P' : 'S',
				layer4Attrib: options.layer4Attrib,
				timeScale: options.timeScale,
				ccidInterface: rcs300Interface0(),
				...serial
			});
		case 'rcs380':
		case 'rcs380p': {
			const rcs380: Rcs380ModelOptions =
				id === 'rcs380p' ? { productId: 0x06c3, productName: 'RC-S380/P' } : { productId: 0x06c1, productName: 'RC-S380/S' };
			return createRcs380Model({ ...rcs380, timeScale: options.timeScale, ...serial });
		}
		default:
			return createCcidReaderModel(id satisfies CcidReaderProfileId, serial);
	}
}

export function isVirtualReaderModelId(value: string): value is VirtualReaderModelId {
	return (VIRTUAL_READER_MODEL_IDS as readonly string[]).includes(value);
}

/** design §3 seam: `createVirtualReader(model, options?)` → a reader whose `.device` is a WebUSB USBDevice. */
export function createVirtualReader(model: VirtualReaderModelId, options: CatalogReaderOptions = {}): VirtualReader {
	if (!isVirtualReaderModelId(model)) throw new RangeError(`unknown reader model ${String(model)}`);
	return new VirtualReader(model, createReaderModel(model, options), options);
}
