import type { CardChannel } from '../apdu';
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import type { AgeThreshold } from './age-check';
import type { BasicFourInfo } from './basic-four-info';
import type { CardFace } from './card-face';
import { CardSession, type ExtendedLengthUse, type SigningKeyKind } from './card-session';
import type { HashAlgorithm } from './digest-info';
import {
	JpkiSession,
	type CardCertificate,
	type CardDetection,
	type CardSignature,
	type CertificateKind,
	type ReadCertificateOptions,
	type SignOptions
} from './jpki-session';
import { PinGuard, type PinChange, type PinOptions, type PinStatus, type PinVerification } from './pin-guard';
import { ALL_PIN_KINDS, isPinKind, type ChangeablePinKind, type PinKind } from './pin-specs';
import { TextApSession, type ReadBasicInfoOptions } from './text-ap-session';
import { VisualApSession, type CardFaceKey, type ReadCardFaceOptions } from './visual-ap-session';

export interface CardOperationOptions {
	signal?: AbortSignal;
}

export interface PinStatusesOptions extends CardOperationOptions {
	/** Which counters to read (default: every PIN; those the card lacks come back as `absent`). */
	pins?: readonly PinKind[];
}

function checkPinKind(kind: unknown): PinKind {
	if (!isPinKind(kind)) throw new MynaError(ErrorKind.Unsupported, 'Unknown PIN kind', { reason: 'pin-kind' });
	return kind;
}

/**
 * The My Number Card over any `CardChannel` (design §3). One operation at a time: calls queue up in order, so the
 * APDUs of two callers never interleave. Every result is plain data; every failure a `MynaError` with a `kind`.
 * A card removed mid-operation rejects the operation with the channel's CardRemoved error and no partial result.
 */
export class MynaCard {
	readonly #session: CardSession;
	readonly #guard: PinGuard;
	readonly #jpki: JpkiSession;
	readonly #text: TextApSession;
	readonly #visual: VisualApSession;
	#queue: Promise<unknown> = Promise.resolve();

	constructor(channel: CardChannel) {
		this.#session = new CardSession(channel);
		this.#guard = new PinGuard(this.#session);
		this.#jpki = new JpkiSession(this.#session, this.#guard, () => channel.atr);
		this.#text = new TextApSession(this.#session, this.#guard);
		this.#visual = new VisualApSession(this.#session, this.#guard);
	}

	/** Whether READ BINARY uses extended length in this session (diagnostics). */
	get extendedLength(): ExtendedLengthUse {
		return this.#session.extendedLength;
	}

	/** Tells a My Number Card from a 住基カード, a phone token, and a card that is none of them. */
	detect(options: CardOperationOptions = {}): Promise<CardDetection> {
		return this.#exclusive(options.signal, () => this.#jpki.detect(options.signal));
	}

	/** A JPKI certificate (DER). `sign` needs the signing password, given as `pin` or verified before in this session. */
	readCertificate(kind: CertificateKind, options: ReadCertificateOptions = {}): Promise<CardCertificate> {
		return this.#exclusive(options.signal, () => this.#jpki.readCertificate(kind, options));
	}

	/** The retry counter of one PIN, read with the empty VERIFY (`00 20 00 80`): no try is spent. */
	pinStatus(kind: PinKind, options: CardOperationOptions = {}): Promise<PinStatus> {
		return this.#exclusive(options.signal, () => this.#guard.status(checkPinKind(kind), options.signal));
	}

	/** Every counter (or the ones asked for), no try spent. Ends a verified state in other applications. */
	pinStatuses(options: PinStatusesOptions = {}): Promise<PinStatus[]> {
		return this.#exclusive(options.signal, () => this.#guard.statuses((options.pins ?? ALL_PIN_KINDS).map(checkPinKind), options.signal));
	}

	verifyPin(kind: PinKind, pin: string, options: PinOptions = {}): Promise<PinVerification> {
		return this.#exclusive(options.signal, () => this.#guard.verify(checkPinKind(kind), pin, options));
	}

	/** The auth PIN, the signing password or the card-information PIN: VERIFY of the current one, then the change. */
	changePin(kind: ChangeablePinKind, currentPin: string, newPin: string, options: PinOptions = {}): Promise<PinChange> {
		return this.#exclusive(options.signal, () => this.#guard.change(kind, currentPin, newPin, options));
	}

	/** Signs `digest` (already hashed with `hashAlgorithm`); the layer builds the DigestInfo and checks the result. */
	sign(kind: SigningKeyKind, digest: Uint8Array, hashAlgorithm: HashAlgorithm, options: SignOptions = {}): Promise<CardSignature> {
		return this.#exclusive(options.signal, () => this.#jpki.sign(kind, digest, hashAlgorithm, options));
	}

	/** The 4 info, or only `options.fields`, behind the card-information PIN. */
	readBasicInfo(pin: string, options: ReadBasicInfoOptions = {}): Promise<BasicFourInfo> {
		return this.#exclusive(options.signal, () => this.#text.readBasicInfo(pin, options));
	}

	/** The my number: only on this explicit call. */
	readMyNumber(pin: string, options: PinOptions = {}): Promise<{ myNumber: string }> {
		return this.#exclusive(options.signal, () => this.#text.readMyNumber(pin, options));
	}

	/** Whether the holder is at least 18 or 20 on the Japanese calendar day of `at`, without returning the birth date. */
	isAtLeast(pin: string, age: AgeThreshold, at: Date, options: PinOptions = {}): Promise<boolean> {
		return this.#exclusive(options.signal, () => this.#text.isAtLeast(pin, age, at, options));
	}

	/** The face photo and the name and address images (or only `options.parts`), behind 照合番号A or B. */
	readCardFace(key: CardFaceKey, options: ReadCardFaceOptions = {}): Promise<CardFace> {
		return this.#exclusive(options.signal, () => this.#visual.readCardFace(key, options));
	}

	/** Forgets what this layer knows about the card (after removal, on kiosk idle). The card itself is not touched. */
	endSession(): void {
		this.#session.reset();
	}

	#exclusive<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
		const run = this.#queue.then(() => {
			throwIfAborted(signal);
			return work();
		});
		this.#queue = run.catch(() => undefined);
		return run;
	}
}
