import type { CardChannel } from '../apdu';
import { asResult, ErrorKind, MynaError, type Result } from '../errors';
import type { AgeThreshold } from './age-check';
import type { BasicFourInfo } from './basic-four-info';
import type { CardFace } from './card-face';
import type { SigningKeyKind } from './card-session';
import type { HashAlgorithm } from './digest-info';
import type { CardCertificate, CardDetection, CardSignature, CertificateKind, ReadCertificateOptions, SignOptions } from './jpki-session';
import { MynaCard } from './myna-card';
import type { PinChange, PinOptions, PinStatus, PinVerification } from './pin-guard';
import type { ChangeablePinKind, PinKind } from './pin-specs';
import type { ReadBasicInfoOptions } from './text-ap-session';
import type { CardFaceKey, ReadCardFaceOptions } from './visual-ap-session';

/** Options that cross the worker boundary: no AbortSignal (it cannot be cloned); cancel by `operationId` instead. */
type Remote<T> = Omit<T, 'signal'> & { operationId?: string };

/**
 * What the card worker exposes (design §4), for the lead to wire into worker-api.ts: plain data in, `Result` out,
 * errors as `{ kind, message, details }`. The worker attaches the channel of the reader connection it opened, and
 * detaches it when the card is removed, the reader unplugged, or a kiosk goes idle (which forgets the session).
 */
export class CardService {
	#card: MynaCard | null = null;
	readonly #running = new Set<AbortController>();
	readonly #byId = new Map<string, AbortController>();

	attach(channel: CardChannel): void {
		this.detach();
		this.#card = new MynaCard(channel);
	}

	detach(): void {
		for (const controller of this.#running) controller.abort();
		this.#running.clear();
		this.#byId.clear();
		this.#card?.endSession();
		this.#card = null;
	}

	/** Cancels a running operation; it then fails with kind `aborted`. */
	cancel(operationId: string): void {
		this.#byId.get(operationId)?.abort();
	}

	detect(options: Remote<PinOptions> = {}): Promise<Result<{ detection: CardDetection }>> {
		return this.#run(options, async (card, signal) => ({ detection: await card.detect({ signal }) }));
	}

	readCertificate(kind: CertificateKind, options: Remote<ReadCertificateOptions> = {}): Promise<Result<{ certificate: CardCertificate }>> {
		return this.#run(options, async (card, signal) => ({ certificate: await card.readCertificate(kind, { ...options, signal }) }));
	}

	pinStatus(kind: PinKind, options: Remote<PinOptions> = {}): Promise<Result<{ status: PinStatus }>> {
		return this.#run(options, async (card, signal) => ({ status: await card.pinStatus(kind, { signal }) }));
	}

	pinStatuses(options: Remote<{ pins?: readonly PinKind[] }> = {}): Promise<Result<{ statuses: PinStatus[] }>> {
		return this.#run(options, async (card, signal) => ({ statuses: await card.pinStatuses({ pins: options.pins, signal }) }));
	}

	verifyPin(kind: PinKind, pin: string, options: Remote<PinOptions> = {}): Promise<Result<{ verification: PinVerification }>> {
		return this.#run(options, async (card, signal) => ({ verification: await card.verifyPin(kind, pin, { ...options, signal }) }));
	}

	changePin(
		kind: ChangeablePinKind,
		currentPin: string,
		newPin: string,
		options: Remote<PinOptions> = {}
	): Promise<Result<{ change: PinChange }>> {
		return this.#run(options, async (card, signal) => ({
			change: await card.changePin(kind, currentPin, newPin, { ...options, signal })
		}));
	}

	sign(
		kind: SigningKeyKind,
		digest: Uint8Array,
		hashAlgorithm: HashAlgorithm,
		options: Remote<SignOptions> = {}
	): Promise<Result<{ signature: CardSignature }>> {
		return this.#run(options, async (card, signal) => ({
			signature: await card.sign(kind, digest, hashAlgorithm, { ...options, signal })
		}));
	}

	readBasicInfo(pin: string, options: Remote<ReadBasicInfoOptions> = {}): Promise<Result<{ info: BasicFourInfo }>> {
		return this.#run(options, async (card, signal) => ({ info: await card.readBasicInfo(pin, { ...options, signal }) }));
	}

	readMyNumber(pin: string, options: Remote<PinOptions> = {}): Promise<Result<{ myNumber: string }>> {
		return this.#run(options, async (card, signal) => card.readMyNumber(pin, { ...options, signal }));
	}

	isAtLeast(pin: string, age: AgeThreshold, at: Date, options: Remote<PinOptions> = {}): Promise<Result<{ atLeast: boolean }>> {
		return this.#run(options, async (card, signal) => ({ atLeast: await card.isAtLeast(pin, age, at, { ...options, signal }) }));
	}

	readCardFace(key: CardFaceKey, options: Remote<ReadCardFaceOptions> = {}): Promise<Result<{ face: CardFace }>> {
		return this.#run(options, async (card, signal) => ({ face: await card.readCardFace(key, { ...options, signal }) }));
	}

	async #run<T extends object>(
		options: { operationId?: string },
		work: (card: MynaCard, signal: AbortSignal) => Promise<T>
	): Promise<Result<T>> {
		const controller = new AbortController();
		const id = options.operationId;
		this.#running.add(controller);
		if (id !== undefined) this.#byId.set(id, controller);
		try {
			return await asResult(async () => {
				const card = this.#card;
				if (!card) throw new MynaError(ErrorKind.CardAbsent, 'No card is connected');
				return work(card, controller.signal);
			});
		} finally {
			this.#running.delete(controller);
			if (id !== undefined && this.#byId.get(id) === controller) this.#byId.delete(id);
		}
	}
}
