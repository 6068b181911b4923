/**
 * Web NFC (Chrome on Android), used only to notice that a card was tapped (design §2, facts/readers.md §3).
 * Web NFC is NDEF-only: a My Number Card (ISO-DEP, no NDEF) makes the reader fire `readingerror` and nothing else,
 * so no APDU can ever go through here. The watcher reports *that* something was tapped and what kind of thing it
 * was; it passes on no serial number and no record (nothing personal leaves it).
 */
import { ErrorKind, MynaError, thrownName } from '../../errors';

/** The part of the Web NFC `NDEFReader` this watcher uses (TypeScript's DOM library has no Web NFC types). */
export interface NdefReaderLike extends EventTarget {
	scan(options?: { signal?: AbortSignal }): Promise<void>;
}

export type NdefReaderConstructor = new () => NdefReaderLike;

export const NfcTapKind = {
	/** `readingerror`: a card or tag without NDEF — what a My Number Card gives. */
	NonNdefCard: 'non-ndef-card',
	/** `reading`: an NDEF tag (a sticker, a transit poster…), not a My Number Card. */
	NdefTag: 'ndef-tag'
} as const;
export type NfcTapKind = (typeof NfcTapKind)[keyof typeof NfcTapKind];

/** Why Web NFC could not start, in `MynaError.details.reason`. */
export const NfcStartFailure = {
	/** NotAllowedError: the user (or a site setting) refused NFC. */
	NotAllowed: 'not-allowed',
	/** NotSupportedError: no NFC adapter the browser can use. */
	NotSupported: 'not-supported',
	/** NotReadableError: the adapter could not be opened (NFC switched off in the phone's settings, or busy). */
	NotReadable: 'not-readable'
} as const;
export type NfcStartFailure = (typeof NfcStartFailure)[keyof typeof NfcStartFailure];

/** A DOMException (or anything thrown by `scan()`) as the app's typed error. Never passes on the browser's message. */
export function nfcStartError(error: unknown): MynaError {
	const name = thrownName(error) ?? '';
	switch (name) {
		case 'NotAllowedError':
			return new MynaError(ErrorKind.PermissionDenied, 'Web NFC: permission denied', { reason: NfcStartFailure.NotAllowed });
		case 'NotSupportedError':
			return new MynaError(ErrorKind.Unsupported, 'Web NFC: no usable NFC adapter', { reason: NfcStartFailure.NotSupported });
		case 'NotReadableError':
			return new MynaError(ErrorKind.Unsupported, 'Web NFC: the NFC adapter could not be opened', { reason: NfcStartFailure.NotReadable });
		case 'AbortError':
			return new MynaError(ErrorKind.Aborted, 'Web NFC: scan cancelled');
		default:
			return new MynaError(ErrorKind.Internal, 'Web NFC: scan failed', name ? { error: name.slice(0, 40) } : {});
	}
}

/**
 * Watches for taps until `signal` aborts. `watch()` resolves once the scan has started (after the permission prompt),
 * and rejects with a typed `MynaError` if it cannot start; every tap after that is reported through `onTap`.
 */
export class NfcTapWatcher {
	readonly #NDEFReader: NdefReaderConstructor;

	constructor(NDEFReader: NdefReaderConstructor) {
		this.#NDEFReader = NDEFReader;
	}

	async watch(onTap: (kind: NfcTapKind) => void, signal: AbortSignal): Promise<void> {
		if (signal.aborted) throw new MynaError(ErrorKind.Aborted, 'Web NFC: scan cancelled');
		let reader: NdefReaderLike;
		try {
			reader = new this.#NDEFReader();
		} catch (e) {
			throw nfcStartError(e);
		}
		const onReading = () => onTap(NfcTapKind.NdefTag);
		const onReadingError = () => onTap(NfcTapKind.NonNdefCard);
		const stop = () => {
			reader.removeEventListener('reading', onReading);
			reader.removeEventListener('readingerror', onReadingError);
		};
		reader.addEventListener('reading', onReading);
		reader.addEventListener('readingerror', onReadingError);
		signal.addEventListener('abort', stop, { once: true });
		try {
			await reader.scan({ signal });
		} catch (e) {
			stop();
			signal.removeEventListener('abort', stop);
			throw nfcStartError(e);
		}
		// A scan that resolved just as the signal aborted: the listeners are already gone.
		if (signal.aborted) stop();
	}
}
