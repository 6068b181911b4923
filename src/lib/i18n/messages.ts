/**
 * Every UI message, by feature (one file each in ./messages). Japanese is the default; each feature file types its
 * English table by its Japanese keys, so a missing translation is a type error.
 */
import * as certificates from './messages/certificates';
import * as common from './messages/common';
import * as crls from './messages/crls';
import * as diagnostics from './messages/diagnostics';
import * as info from './messages/info';
import type * as kiosk from './messages/kiosk';
import type * as kioskOperator from './messages/kiosk-operator';
import * as nfc from './messages/nfc';
import * as pins from './messages/pins';
import * as readers from './messages/readers';
import * as sign from './messages/sign';

export const ja = {
	...common.ja,
	...readers.ja,
	...certificates.ja,
	...pins.ja,
	...info.ja,
	...sign.ja,
	...crls.ja,
	...diagnostics.ja,
	...nfc.ja
} as const;

/** Keys of the tables every page loads. */
export type CoreMessageKey = keyof typeof ja;

/**
 * The kiosk's tables (kiosk page and operator side) load with the kiosk route only (`./kiosk-messages.ts`), so the
 * resident's pages do not carry them; their keys are still checked everywhere.
 */
export type KioskMessageKey = keyof typeof kiosk.ja | keyof typeof kioskOperator.ja;

export type MessageKey = CoreMessageKey | KioskMessageKey;

export const en: Record<CoreMessageKey, string> = {
	...common.en,
	...readers.en,
	...certificates.en,
	...pins.en,
	...info.en,
	...sign.en,
	...crls.en,
	...diagnostics.en,
	...nfc.en
};
