import { ErrorKind, MynaError } from '../../errors';
import { SmartCardResponseCode } from './smart-card-api';

/**
 * What each `SmartCardError.responseCode` means for the user, as the app's typed errors (chosen so the message for
 * the kind tells the user what to do next):
 * - `no-smartcard` → CardAbsent (nothing in the reader: "place your card");
 * - `removed-card`, `reset-card` → CardRemoved (the card left, or another program reset it, during our session:
 *   the session's verified PINs are gone; place it again and retry — the USB routes give CardRemoved too);
 * - `unresponsive-card`, `unpowered-card` → CardMute (the card is in but does not answer);
 * - `unsupported-card` → NotMynaCard (the reader cannot talk to this card at all);
 * - `reader-unavailable`, `unknown-reader` → ReaderUnplugged (the reader left the PC/SC list);
 * - `sharing-violation`, `server-too-busy` → ReaderBusy (another program holds the card or the service);
 * - `no-service` → NoReader (the PC/SC service is not running; Windows stops it when no reader is plugged in);
 * - `not-ready` → Transport, `proto-mismatch`, `not-transacted` → Protocol;
 * - `system-cancelled` → Aborted (the system cancelled: logoff, shutdown);
 * - `unsupported-feature` → Unsupported.
 */
export const SMART_CARD_RESPONSE_KINDS = {
	[SmartCardResponseCode.NoService]: ErrorKind.NoReader,
	[SmartCardResponseCode.NoSmartcard]: ErrorKind.CardAbsent,
	[SmartCardResponseCode.NotReady]: ErrorKind.Transport,
	[SmartCardResponseCode.NotTransacted]: ErrorKind.Protocol,
	[SmartCardResponseCode.ProtoMismatch]: ErrorKind.Protocol,
	[SmartCardResponseCode.ReaderUnavailable]: ErrorKind.ReaderUnplugged,
	[SmartCardResponseCode.RemovedCard]: ErrorKind.CardRemoved,
	[SmartCardResponseCode.ResetCard]: ErrorKind.CardRemoved,
	[SmartCardResponseCode.ServerTooBusy]: ErrorKind.ReaderBusy,
	[SmartCardResponseCode.SharingViolation]: ErrorKind.ReaderBusy,
	[SmartCardResponseCode.SystemCancelled]: ErrorKind.Aborted,
	[SmartCardResponseCode.UnknownReader]: ErrorKind.ReaderUnplugged,
	[SmartCardResponseCode.UnpoweredCard]: ErrorKind.CardMute,
	[SmartCardResponseCode.UnresponsiveCard]: ErrorKind.CardMute,
	[SmartCardResponseCode.UnsupportedCard]: ErrorKind.NotMynaCard,
	[SmartCardResponseCode.UnsupportedFeature]: ErrorKind.Unsupported
} as const satisfies Record<SmartCardResponseCode, ErrorKind>;

/**
 * DOMException names the API throws besides SmartCardError:
 * - SecurityError (the page's permissions policy lacks `smart-card`, or not an isolated context) and
 *   NotAllowedError (the user denied the reader at `connect`) → PermissionDenied;
 * - AbortError (our signal) → Aborted;
 * - InvalidStateError (an operation already in progress on the context or connection, or a connection used after
 *   `disconnect`) → Transport: the exchange did not happen, and trying again is the way out;
 * - NotSupportedError → Unsupported.
 */
export const SMART_CARD_EXCEPTION_KINDS = {
	SecurityError: ErrorKind.PermissionDenied,
	NotAllowedError: ErrorKind.PermissionDenied,
	AbortError: ErrorKind.Aborted,
	InvalidStateError: ErrorKind.Transport,
	NotSupportedError: ErrorKind.Unsupported
} as const satisfies Record<string, ErrorKind>;

function isResponseCode(value: unknown): value is SmartCardResponseCode {
	return typeof value === 'string' && Object.hasOwn(SMART_CARD_RESPONSE_KINDS, value);
}

/** The name and response code of anything thrown by the API (or crossing from the page as plain `{name, message, responseCode}`). */
export function smartCardErrorFields(error: unknown): { name: string; responseCode?: SmartCardResponseCode } {
	if (typeof error !== 'object' || error === null) return { name: typeof error };
	const { name, responseCode } = error as { name?: unknown; responseCode?: unknown };
	const plainName = typeof name === 'string' && name.length <= 64 ? name : 'Error';
	return isResponseCode(responseCode) ? { name: plainName, responseCode } : { name: plainName };
}

/**
 * Any failure of a Web Smart Card API call as a MynaError of the kind above. `operation` (e.g. `transmit`) goes in
 * the details with the response code; the API's own message is dropped (it may quote the reader's name).
 */
export function smartCardError(error: unknown, operation: string): MynaError {
	if (error instanceof MynaError) return error;
	const { name, responseCode } = smartCardErrorFields(error);
	if (responseCode) {
		return new MynaError(SMART_CARD_RESPONSE_KINDS[responseCode], `Web Smart Card API ${operation} failed: ${responseCode}.`, { operation, responseCode });
	}
	const kind = Object.hasOwn(SMART_CARD_EXCEPTION_KINDS, name) ? SMART_CARD_EXCEPTION_KINDS[name as keyof typeof SMART_CARD_EXCEPTION_KINDS] : ErrorKind.Internal;
	return new MynaError(kind, `Web Smart Card API ${operation} failed: ${name}.`, { operation, exception: name });
}
