import type { InterfaceSpec } from '../../usb/usb-descriptors';
import { CcidInterfaceFunction, type CcidInterfaceOptions } from './ccid-interface-function';
import { RCS300_CCID_INTERFACE_PROFILE, type CcidInterfaceProfile } from './ccid-reader-profiles';

/** USB identity of the Sony RC-S300/S (readers/SONY_FeliCa_RC-S300_S.txt); the /P is 054C:0DC9 with the same descriptors. */
export const RCS300_DEVICE_IDENTITY = {
	vendorId: 0x054c,
	productId: 0x0dc8,
	manufacturerName: 'SONY',
	productName: 'FeliCa Port/PaSoRi 4.0',
	deviceVersion: [1, 0, 0] as [number, number, number]
} as const;

export interface Rcs300CcidInterface {
	/** Interface 0 for the device's configuration: class 0x0B, the CCID class descriptor, three endpoints. */
	readonly interfaceSpec: InterfaceSpec;
	/** Route interface 0's endpoints (`handler.ownsEndpoint`), its class requests and the lifecycle hooks here. */
	readonly handler: CcidInterfaceFunction;
	readonly profile: CcidInterfaceProfile;
}

/**
 * The CCID side (interface 0) of a Sony RC-S300, for the RC-S300 model to combine with its vendor interface 1:
 * extended APDU level, 522-byte messages, automatic activation (a card in the field is powered at once).
 * Its endpoints are bulk OUT 1, bulk IN 1 and interrupt IN 3, clear of interface 1's bulk endpoint 2.
 */
export function createRcs300CcidInterface(options: Omit<CcidInterfaceOptions, 'interfaceNumber'> = {}): Rcs300CcidInterface {
	const handler = new CcidInterfaceFunction(RCS300_CCID_INTERFACE_PROFILE, { ...options, interfaceNumber: 0 });
	return { interfaceSpec: handler.interfaceSpec, handler, profile: RCS300_CCID_INTERFACE_PROFILE };
}
