/**
 * Every UI message, by feature (one file each in ./messages). Japanese is the default; each feature file types its
 * English table by its Japanese keys, so a missing translation is a type error.
 */
import * as certificates from './messages/certificates';
import * as common from './messages/common';
import * as crls from './messages/crls';
import * as diagnostics from './messages/diagnostics';
import * as info from './messages/info';
import * as kiosk from './messages/kiosk';
import * as kioskOperator from './messages/kiosk-operator';
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
	...kiosk.ja,
	...kioskOperator.ja,
	...nfc.ja
} as const;

export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
	...common.en,
	...readers.en,
	...certificates.en,
	...pins.en,
	...info.en,
	...sign.en,
	...crls.en,
	...diagnostics.en,
	...kiosk.en,
	...kioskOperator.en,
	...nfc.en
};
