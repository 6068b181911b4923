import { proxy, transfer, type Remote } from 'comlink';
import type { PinStatus } from '../card/pin-guard';
import type { CardWorkerApi } from '../card/worker-api';
import { toHex } from '../bytes';
import { ErrorKind, type ErrorData } from '../errors';
import type { CertificateInfo } from '../pki/certificate-info';
import type { BuildCmsInput, CmsVerification } from '../pki/cms';
import type { PkiWorkerApi } from '../pki/worker-api';
import { cardClient, type CardClient } from './card-client';

/**
 * The sign-and-verify page's state: sign a file with the signing key (detached CMS .p7s), answer a challenge with
 * the authentication key, verify a .p7s against its file. Files are read here in chunks (with progress and
 * cancel) and never leave the browser; the card work goes to the card worker, certificates and verification to
 * the PKI worker. Nothing here is stored: results that carry personal data (the .p7s holds the signing
 * certificate, and with it the 4 information) are dropped by `cardChanged(false)` when the card is removed and by
 * `dispose()` when the page is left.
 */

/** Files larger than this are refused before reading (the file is held in memory while it is hashed). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** A .p7s is a few KB; the PKI layer refuses anything above 4 MB anyway. */
export const MAX_SIGNATURE_FILE_BYTES = 4 * 1024 * 1024;

export const FileSignStep = {
	Verify: 'verify',
	Certificate: 'certificate',
	Sign: 'sign',
	Build: 'build'
} as const;
export type FileSignStep = (typeof FileSignStep)[keyof typeof FileSignStep];

export const ChallengeStep = {
	Verify: 'verify',
	Certificate: 'certificate',
	Sign: 'sign'
} as const;
export type ChallengeStep = (typeof ChallengeStep)[keyof typeof ChallengeStep];

export const FileProblem = {
	TooLarge: 'too-large',
	ReadFailed: 'read-failed',
	Empty: 'empty'
} as const;
export type FileProblem = (typeof FileProblem)[keyof typeof FileProblem];

/** How the detached CMS is built around the card's signature (see `buildSignatureInPkiWorker`). */
export type CmsBuilder = (input: BuildCmsInput) => Promise<Uint8Array>;

export interface SignDependencies {
	card: Remote<CardWorkerApi>;
	pki: Remote<PkiWorkerApi>;
	/** The reader that holds the My Number Card (`services.readers.active?.key`). */
	readerKey: () => string | undefined;
	buildCms?: CmsBuilder;
}

export interface FileProgress {
	readonly loaded: number;
	readonly total: number;
}

export interface ChosenFile {
	readonly name: string;
	readonly size: number;
}

/**
 * The .p7s is built in the PKI worker around the card's signature: the page hands it the file's digest (never the
 * file) and the card's signer as a comlink proxy, which the worker calls back once with the signed attributes' digest.
 */
export function buildSignatureInPkiWorker(pki: Pick<Remote<PkiWorkerApi>, 'buildSignature'>): CmsBuilder {
	return async ({ sign, ...input }) => {
		const built = await pki.buildSignature(input, proxy(sign));
		if (!built.ok) throw new Error(built.error.kind);
		return built.p7s;
	};
}

function aborted(): ErrorData {
	return { kind: ErrorKind.Aborted, message: 'The operation was cancelled.' };
}

function isAbort(error: unknown): boolean {
	return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Reads a file in the chunks its stream gives, reporting progress; cancel with `signal`. The bytes are backed by
 * their own ArrayBuffer, so they can be transferred to a worker.
 */
export async function readFileInChunks(file: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
	const out = new Uint8Array(new ArrayBuffer(file.size));
	const reader = file.stream().getReader();
	const stop = () => void reader.cancel().catch(() => undefined);
	signal.addEventListener('abort', stop, { once: true });
	let offset = 0;
	try {
		for (;;) {
			if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
			const { done, value } = await reader.read();
			if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
			if (done) break;
			if (offset + value.length > out.length) throw new Error('the file grew while it was read');
			out.set(value, offset);
			offset += value.length;
			onProgress(offset);
		}
	} finally {
		signal.removeEventListener('abort', stop);
	}
	if (offset !== out.length) throw new Error('the file shrank while it was read');
	return out;
}

function newOperationId(): string {
	return crypto.randomUUID();
}

/**
 * What both card flows share: the PIN counter shown before entry, the step in progress, the operation id that
 * cancels it, and the error split into PIN errors (shown at the PIN field) and the rest. `cardChanged` and
 * `dispose` start a new generation: answers that arrive for an older one are dropped.
 */
export class PinCardFlow<Step extends string> {
	readonly #deps: SignDependencies;
	readonly pin: 'sign' | 'auth';
	pinStatus: PinStatus | undefined = $state();
	/** pin-wrong (with `details.triesLeft`), pin-blocked, pin-last-try, pin-format. */
	pinError: ErrorData | undefined = $state();
	error: ErrorData | undefined = $state();
	step: Step | undefined = $state();
	#operation: { id: string; readerKey: string } | undefined;
	#cancelled = false;
	#generation = 0;

	constructor(deps: SignDependencies, pin: 'sign' | 'auth') {
		this.#deps = deps;
		this.pin = pin;
	}

	protected get deps(): SignDependencies {
		return this.#deps;
	}

	get busy(): boolean {
		return this.step !== undefined;
	}

	get cancelled(): boolean {
		return this.#cancelled;
	}

	protected get operationId(): string {
		return this.#operation?.id ?? '';
	}

	/** Whether an answer of generation `generation` still belongs on screen. */
	protected live(generation: number): boolean {
		return generation === this.#generation;
	}

	/** Reads the PIN's counter (no try spent). */
	async loadPinStatus(): Promise<void> {
		const key = this.#deps.readerKey();
		if (key === undefined || this.busy) return;
		const generation = this.#generation;
		const result = await cardClient(this.#deps.card, key).pinStatus(this.pin);
		if (!this.live(generation) || this.#deps.readerKey() !== key) return;
		if (result.ok) this.pinStatus = result.status;
		else this.error = result.error;
	}

	/** Starts an operation on the active card: its client and generation, or undefined when there is no card. */
	protected begin(first: Step): { card: CardClient; generation: number } | undefined {
		const readerKey = this.#deps.readerKey();
		this.error = undefined;
		this.pinError = undefined;
		if (readerKey === undefined) {
			this.error = { kind: ErrorKind.CardAbsent, message: 'No My Number Card is connected.' };
			return undefined;
		}
		this.#operation = { id: newOperationId(), readerKey };
		this.#cancelled = false;
		this.step = first;
		return { card: cardClient(this.#deps.card, readerKey), generation: this.#generation };
	}

	protected end(): void {
		this.step = undefined;
		this.#operation = undefined;
	}

	/** A failed VERIFY: the PIN error stays next to the field, the counter is read again (no try spent). */
	protected async pinFailed(error: ErrorData): Promise<void> {
		this.end();
		if (error.kind === ErrorKind.PinWrong || error.kind === ErrorKind.PinBlocked || error.kind === ErrorKind.PinLastTry || error.kind === ErrorKind.PinFormat) {
			this.pinError = error;
			await this.loadPinStatus();
		} else {
			this.error = this.#cancelled ? aborted() : error;
		}
	}

	protected failed(error: ErrorData): void {
		this.end();
		this.error = this.#cancelled ? aborted() : error;
	}

	/** Stops the running operation; the card worker aborts it between APDUs (it then ends as `aborted`). */
	cancel(): void {
		const operation = this.#operation;
		if (!operation) return;
		this.#cancelled = true;
		void cardClient(this.#deps.card, operation.readerKey).cancel(operation.id);
	}

	protected resetFlow(): void {
		this.cancel();
		this.#generation++;
		this.end();
		this.pinStatus = undefined;
		this.pinError = undefined;
		this.error = undefined;
	}

	/**
	 * The active card changed: forget everything that came from the old one. When it went away during an
	 * operation, say so (the operation's own answer is dropped); an error already shown stays until a new card.
	 */
	cardChanged(present: boolean): void {
		const interrupted = this.busy;
		const error = this.error;
		this.resetFlow();
		if (!present) this.error = interrupted ? { kind: ErrorKind.CardRemoved, message: 'The card was removed during the operation.' } : error;
	}
}

export interface SignedFile {
	readonly fileName: string;
	readonly url: string;
	readonly size: number;
	readonly signer: CertificateInfo;
}

/** Sign a file with the signing key (署名用電子証明書): a detached CMS SignedData to save as `<file>.p7s`. */
export class FileSigning extends PinCardFlow<FileSignStep> {
	file: ChosenFile | undefined = $state();
	reading: FileProgress | undefined = $state();
	hashing = $state(false);
	fileProblem: FileProblem | undefined = $state();
	/** SHA-256 of the file, shown so the user can compare it. */
	digest: Uint8Array | undefined = $state();
	result: SignedFile | undefined = $state();
	#reading: AbortController | undefined;
	readonly #buildCms: CmsBuilder;

	constructor(deps: SignDependencies) {
		super(deps, 'sign');
		this.#buildCms = deps.buildCms ?? buildSignatureInPkiWorker(deps.pki);
	}

	/** Reads and hashes the chosen file (chunked, cancellable); the bytes are not kept, only the digest. */
	async choose(file: File): Promise<void> {
		this.clearFile();
		this.file = { name: file.name, size: file.size };
		if (file.size > MAX_FILE_BYTES) {
			this.fileProblem = FileProblem.TooLarge;
			return;
		}
		const controller = new AbortController();
		this.#reading = controller;
		this.reading = { loaded: 0, total: file.size };
		try {
			let shown = -1;
			const bytes = await readFileInChunks(
				file,
				(loaded) => {
					const percent = file.size === 0 ? 100 : Math.floor((loaded * 100) / file.size);
					if (percent !== shown) {
						shown = percent;
						this.reading = { loaded, total: file.size };
					}
				},
				controller.signal
			);
			this.reading = undefined;
			this.hashing = true;
			// WebCrypto hashes off the main thread; the page stays responsive while a large file is digested.
			const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
			if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError');
			this.digest = digest;
		} catch (error) {
			if (controller.signal.aborted || isAbort(error)) {
				if (this.#reading === controller) this.file = undefined;
			} else this.fileProblem = FileProblem.ReadFailed;
		} finally {
			if (this.#reading === controller) {
				this.reading = undefined;
				this.hashing = false;
				this.#reading = undefined;
			}
		}
	}

	cancelReading(): void {
		const controller = this.#reading;
		controller?.abort();
		this.reading = undefined;
		this.hashing = false;
		if (controller) this.file = undefined;
		this.#reading = undefined;
	}

	clearFile(): void {
		this.cancelReading();
		this.file = undefined;
		this.digest = undefined;
		this.fileProblem = undefined;
		this.#dropResult();
	}

	/**
	 * VERIFY the signing password, read the signing certificate (and its CA's), have the card sign the signed
	 * attributes, and build the .p7s. The PIN string is passed on once and not kept.
	 */
	async sign(pin: string, options: { confirmLastTry?: boolean } = {}): Promise<void> {
		const digest = this.digest;
		const file = this.file;
		if (!digest || !file || this.busy) return;
		this.#dropResult();
		const started = this.begin(FileSignStep.Verify);
		if (!started) return;
		const { card, generation } = started;
		const verified = await card.verifyPin('sign', pin, { operationId: this.operationId, ...(options.confirmLastTry ? { confirmLastTry: true } : {}) });
		if (!this.live(generation)) return;
		if (!verified.ok) return this.pinFailed(verified.error);
		if (this.pinStatus) this.pinStatus = { ...this.pinStatus, triesLeft: verified.verification.triesLeft, lastTry: false };
		if (this.cancelled) return this.failed(aborted());

		this.step = FileSignStep.Certificate;
		const certificate = await card.readCertificate('sign', { operationId: this.operationId });
		if (!this.live(generation)) {
			if (certificate.ok) certificate.certificate.der.fill(0);
			return;
		}
		if (!certificate.ok) return this.failed(certificate.error);
		const signerDer = certificate.certificate.der;
		try {
			const ca = await card.readCertificate('sign-ca', { operationId: this.operationId });
			const signer = await this.deps.pki.readCertificate(signerDer);
			if (!this.live(generation)) return;
			if (!signer.ok) return this.failed(signer.error);
			if (this.cancelled) return this.failed(aborted());

			this.step = FileSignStep.Sign;
			let cardError: ErrorData | undefined;
			let p7s: Uint8Array;
			try {
				p7s = await this.#buildCms({
					contentDigest: digest,
					digestAlgorithm: 'SHA-256',
					signerCertificate: signerDer,
					...(ca.ok ? { certificates: [ca.certificate.der] } : {}),
					sign: async (request) => {
						if (this.cancelled || !this.live(generation)) throw new Error('cancelled');
						// The card layer wraps this digest (of the signed attributes) in a DigestInfo and signs it.
						const signed = await card.sign('sign', request.digest, request.hashAlgorithm, { operationId: this.operationId });
						if (!signed.ok) {
							cardError = signed.error;
							throw new Error(signed.error.kind);
						}
						if (this.live(generation)) this.step = FileSignStep.Build;
						return signed.signature.signature;
					}
				});
			} catch {
				if (!this.live(generation)) return;
				return this.failed(cardError ?? (this.cancelled ? aborted() : { kind: ErrorKind.Internal, message: 'The signature file could not be built.' }));
			}
			if (!this.live(generation)) return;
			if (this.cancelled) return this.failed(aborted());
			this.end();
			const name = file.name.replace(/[\\/]/g, '_').trim() || 'file';
			this.result = {
				fileName: `${name}.p7s`,
				url: URL.createObjectURL(new Blob([p7s as Uint8Array<ArrayBuffer>], { type: 'application/pkcs7-signature' })),
				size: p7s.length,
				signer: signer.certificate
			};
		} finally {
			// The signing certificate carries the 4 information: the page keeps only the .p7s the user asked for.
			signerDer.fill(0);
		}
	}

	#dropResult(): void {
		if (this.result) URL.revokeObjectURL(this.result.url);
		this.result = undefined;
	}

	/** The result goes with the card: the .p7s carries the signing certificate, and with it the 4 information. */
	override cardChanged(present: boolean): void {
		super.cardChanged(present);
		this.#dropResult();
	}

	/** Page left: everything, the file's digest too. */
	dispose(): void {
		this.resetFlow();
		this.clearFile();
	}
}

export interface ChallengeAnswer {
	/** The challenge as signed (bytes), for display as hex. */
	readonly challenge: Uint8Array;
	readonly signature: Uint8Array;
	readonly certificate: Uint8Array;
	readonly certificateInfo: CertificateInfo | undefined;
}

/**
 * Answer a challenge with the authentication key (利用者証明用電子証明書): RSASSA-PKCS1-v1_5 with SHA-256 over the
 * challenge bytes, as a service checks it with the certificate — which carries no name and no address.
 */
export class ChallengeSigning extends PinCardFlow<ChallengeStep> {
	result: ChallengeAnswer | undefined = $state();

	constructor(deps: SignDependencies) {
		super(deps, 'auth');
	}

	async sign(challenge: Uint8Array, pin: string, options: { confirmLastTry?: boolean } = {}): Promise<void> {
		if (this.busy) return;
		this.result = undefined;
		const started = this.begin(ChallengeStep.Verify);
		if (!started) return;
		const { card, generation } = started;
		const verified = await card.verifyPin('auth', pin, { operationId: this.operationId, ...(options.confirmLastTry ? { confirmLastTry: true } : {}) });
		if (!this.live(generation)) return;
		if (!verified.ok) return this.pinFailed(verified.error);
		if (this.pinStatus) this.pinStatus = { ...this.pinStatus, triesLeft: verified.verification.triesLeft, lastTry: false };
		if (this.cancelled) return this.failed(aborted());

		this.step = ChallengeStep.Certificate;
		const certificate = await card.readCertificate('auth', { operationId: this.operationId });
		if (!this.live(generation)) return;
		if (!certificate.ok) return this.failed(certificate.error);
		const info = await this.deps.pki.readCertificate(certificate.certificate.der);
		if (!this.live(generation)) return;
		if (this.cancelled) return this.failed(aborted());

		// The signature last: the 256-byte answer (chained blocks on a contactless reader) ends the operation.
		this.step = ChallengeStep.Sign;
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', challenge as Uint8Array<ArrayBuffer>));
		const signed = await card.sign('auth', digest, 'SHA-256', { operationId: this.operationId });
		if (!this.live(generation)) return;
		if (!signed.ok) return this.failed(signed.error);
		if (this.cancelled) return this.failed(aborted());
		this.end();
		this.result = {
			challenge: challenge.slice(),
			signature: signed.signature.signature,
			certificate: certificate.certificate.der,
			certificateInfo: info.ok ? info.certificate : undefined
		};
	}

	override cardChanged(present: boolean): void {
		super.cardChanged(present);
		this.result = undefined;
	}

	dispose(): void {
		this.resetFlow();
		this.result = undefined;
	}
}

export const VerifyStep = {
	Reading: 'reading',
	Checking: 'checking'
} as const;
export type VerifyStep = (typeof VerifyStep)[keyof typeof VerifyStep];

/**
 * Verify a .p7s against its file in the PKI worker: signature, file digest, the signer's chain to the J-LIS (or
 * operator-added) anchors, revocation from the cached CRLs. Needs no card.
 */
export interface SignatureCheckDependencies {
	pki: Remote<PkiWorkerApi>;
	/** The certificates a .p7s carries, as DER (a structural read; the PKI worker has verified the file). */
	embeddedCertificates: (p7s: Uint8Array) => Uint8Array[];
}

export class SignatureCheck {
	readonly #pki: Remote<PkiWorkerApi>;
	readonly #embeddedCertificates: (p7s: Uint8Array) => Uint8Array[];
	signatureFile: File | undefined = $state();
	contentFile: File | undefined = $state();
	step: VerifyStep | undefined = $state();
	reading: FileProgress | undefined = $state();
	fileProblem: FileProblem | undefined = $state();
	error: ErrorData | undefined = $state();
	result: CmsVerification | undefined = $state();
	/** The signer's name, only after the user asked for it; dropped with the result. */
	signerName: string | undefined = $state();
	nameError: ErrorData | undefined = $state();
	#signature: Uint8Array | undefined;
	#controller: AbortController | undefined;

	constructor(deps: SignatureCheckDependencies) {
		this.#pki = deps.pki;
		this.#embeddedCertificates = deps.embeddedCertificates;
	}

	get busy(): boolean {
		return this.step !== undefined;
	}

	setSignatureFile(file: File | undefined): void {
		this.signatureFile = file;
		this.#clearResult();
	}

	setContentFile(file: File | undefined): void {
		this.contentFile = file;
		this.#clearResult();
	}

	async verify(): Promise<void> {
		const signatureFile = this.signatureFile;
		const contentFile = this.contentFile;
		if (!signatureFile || !contentFile || this.busy) return;
		this.#clearResult();
		if (signatureFile.size > MAX_SIGNATURE_FILE_BYTES || contentFile.size > MAX_FILE_BYTES) {
			this.fileProblem = FileProblem.TooLarge;
			return;
		}
		if (signatureFile.size === 0) {
			this.fileProblem = FileProblem.Empty;
			return;
		}
		const controller = new AbortController();
		this.#controller = controller;
		this.step = VerifyStep.Reading;
		const total = signatureFile.size + contentFile.size;
		this.reading = { loaded: 0, total };
		try {
			const signature = await readFileInChunks(signatureFile, (loaded) => (this.reading = { loaded, total }), controller.signal);
			let shown = -1;
			const content = await readFileInChunks(
				contentFile,
				(loaded) => {
					const percent = Math.floor(((signature.length + loaded) * 100) / total);
					if (percent !== shown) {
						shown = percent;
						this.reading = { loaded: signature.length + loaded, total };
					}
				},
				controller.signal
			);
			this.reading = undefined;
			this.step = VerifyStep.Checking;
			this.#signature = signature.slice();
			const checked = await this.#pki.verifySignature(transfer({ signature, content }, [signature.buffer, content.buffer]));
			if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError');
			if (checked.ok) this.result = checked.verification;
			else this.error = checked.error;
		} catch (error) {
			if (isAbort(error)) this.error = aborted();
			else this.fileProblem = FileProblem.ReadFailed;
		} finally {
			this.step = undefined;
			this.reading = undefined;
			if (this.#controller === controller) this.#controller = undefined;
		}
	}

	/** Stops reading; a check already in the PKI worker finishes there, but its answer is dropped. */
	cancel(): void {
		this.#controller?.abort();
	}

	/**
	 * The signer's name from the signing certificate's SAN (personal data): read in the PKI worker from the
	 * certificate the .p7s carries, only when the user asks. Only the name is kept, never the rest of the 4 info.
	 */
	async revealSignerName(): Promise<void> {
		const signer = this.result?.signer;
		const p7s = this.#signature;
		if (!signer || !p7s) return;
		this.nameError = undefined;
		for (const der of this.#embeddedCertificates(p7s)) {
			const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der as Uint8Array<ArrayBuffer>));
			if (toHex(digest).toUpperCase() !== signer.fingerprint) continue;
			const info = await this.#pki.readBasicInfo(der);
			if (info.ok && info.info) {
				this.signerName = info.info.name;
				return;
			}
			this.nameError = info.ok ? { kind: ErrorKind.FileNotFound, message: 'The certificate carries no name.' } : info.error;
			return;
		}
		this.nameError = { kind: ErrorKind.FileNotFound, message: 'The signer certificate is not in the signature file.' };
	}

	hideSignerName(): void {
		this.signerName = undefined;
	}

	#clearResult(): void {
		this.result = undefined;
		this.error = undefined;
		this.fileProblem = undefined;
		this.signerName = undefined;
		this.nameError = undefined;
		this.#signature = undefined;
	}

	dispose(): void {
		this.cancel();
		this.signatureFile = undefined;
		this.contentFile = undefined;
		this.#clearResult();
	}
}
