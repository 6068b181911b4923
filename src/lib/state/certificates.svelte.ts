import type { Remote } from 'comlink';
import type { PinStatus } from '../card/pin-guard';
import type { CardWorkerApi } from '../card/worker-api';
import { ErrorKind, type ErrorData } from '../errors';
import type { CertificateInfo } from '../pki/certificate-info';
import type { ChainResult } from '../pki/chain';
import type { JpkiBasicInfo } from '../pki/jpki-profile';
import type { PkiWorkerApi } from '../pki/worker-api';
import { cardClient, type CardClient } from './card-client';

/** The four certificates on the card, in the order the /certificates page shows them. */
export const CARD_CERTIFICATES = ['auth', 'sign', 'auth-ca', 'sign-ca'] as const;
export type CardCertificateKind = (typeof CARD_CERTIFICATES)[number];

/** The CA certificate on the card that issued each end-entity certificate (passed as an intermediate). */
export const ISSUING_CA = { auth: 'auth-ca', sign: 'sign-ca' } as const satisfies Record<string, CardCertificateKind>;

/** Errors that mean the card (or the reader) went away: the page then forgets what it showed. */
const CARD_GONE_KINDS: readonly string[] = [ErrorKind.CardRemoved, ErrorKind.CardAbsent, ErrorKind.ReaderUnplugged, ErrorKind.NoReader];

/** The PKI worker's verdict on one certificate. */
export type CertificateCheck =
	| { readonly state: 'checking' }
	| { readonly state: 'done'; readonly result: ChainResult }
	| { readonly state: 'failed'; readonly error: ErrorData };

export interface ShownCertificate {
	readonly kind: CardCertificateKind;
	/** The DER as read from the card (the signing certificate's holds the 4 information: wiped with the page). */
	readonly der: Uint8Array;
	readonly info: CertificateInfo;
	check: CertificateCheck;
}

/** How reading the signing certificate with the signing password ended, when it did not work. */
export type SignReadOutcome =
	| { readonly result: 'wrong'; readonly triesLeft: number }
	| { readonly result: 'blocked'; readonly justBlocked: boolean }
	| { readonly result: 'last-try' }
	| { readonly result: 'failed'; readonly error: ErrorData };

/**
 * Adapts the card and PKI workers for the /certificates page: reads the certificates that need no PIN (the
 * authentication certificate and both CA certificates) and the signing password's counter (no try spent), reads the
 * signing certificate after the password, and has the PKI worker verify each one (chain to the anchors, validity,
 * revocation from the cached CRLs). Follows the reader holding the card (`use`); forgets everything when the card
 * goes or the page is left (`wipe`). Never holds the password: `readSign` passes it straight to the worker.
 */
export class CertificatesState {
	certificates: Partial<Record<CardCertificateKind, ShownCertificate>> = $state({});
	/** Per-certificate read failures (e.g. a CA file the card lacks). */
	failures: Partial<Record<CardCertificateKind, ErrorData>> = $state({});
	loading = $state(false);
	/** The signing password's counter, read with the empty VERIFY. */
	signPin: PinStatus | undefined = $state();
	/** The card has no signing certificate (children under 15, or not requested). */
	signAbsent = $state(false);
	readingSign = $state(false);
	signOutcome: SignReadOutcome | undefined = $state();
	/** The 4 information from the signing certificate, only while the user asked to see it. */
	basicInfo: JpkiBasicInfo | undefined = $state();
	basicInfoError: ErrorData | undefined = $state();
	/** The card was taken away (or the reader unplugged) while this page showed it. */
	cardGone = $state(false);

	readonly #card: Remote<CardWorkerApi>;
	readonly #pki: Remote<PkiWorkerApi>;
	#readerKey: string | undefined;
	#client: CardClient | undefined;
	#generation = 0;
	#operationId: string | undefined;
	#nextOperation = 1;

	constructor(card: Remote<CardWorkerApi>, pki: Remote<PkiWorkerApi>) {
		this.#card = card;
		this.#pki = pki;
	}

	get readerKey(): string | undefined {
		return this.#readerKey;
	}

	/** Follows the active reader: a new key reads the card; undefined (card removed) forgets everything. */
	use(readerKey: string | undefined): void {
		if (readerKey === this.#readerKey) return;
		const hadCard = this.#readerKey !== undefined;
		this.wipe();
		this.#readerKey = readerKey;
		this.#client = readerKey === undefined ? undefined : cardClient(this.#card, readerKey);
		this.cardGone = hadCard && readerKey === undefined;
		if (readerKey !== undefined) void this.load();
	}

	/** Reads what needs no PIN, one card operation at a time, then verifies each certificate. */
	async load(): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const generation = this.#generation;
		this.loading = true;
		for (const kind of ['auth', 'auth-ca', 'sign-ca'] as const) {
			const answer = await client.readCertificate(kind);
			if (generation !== this.#generation) return;
			if (!answer.ok) {
				if (this.#gone(answer.error)) return;
				this.failures[kind] = answer.error;
				continue;
			}
			await this.#show(kind, answer.certificate.der, generation);
			if (generation !== this.#generation) return;
		}
		const status = await client.pinStatus('sign');
		if (generation !== this.#generation) return;
		if (status.ok) {
			this.signPin = status.status;
			this.signAbsent = status.status.state === 'absent';
		} else if (this.#gone(status.error)) return;
		else this.failures.sign = status.error;
		this.loading = false;
		for (const kind of CARD_CERTIFICATES) void this.#check(kind, generation);
	}

	/**
	 * VERIFY of the signing password (behind the card layer's guard) and READ of the signing certificate.
	 * `confirmLastTry` only after the user ticked the last-try confirmation. The counter is read again afterwards.
	 * An empty `pin` reads without VERIFY (when the password was already verified in this card session).
	 */
	async readSign(pin: string, confirmLastTry: boolean): Promise<boolean> {
		const client = this.#client;
		if (!client || this.readingSign) return false;
		const generation = this.#generation;
		const operationId = `certificates-sign-${this.#nextOperation++}`;
		this.#operationId = operationId;
		this.readingSign = true;
		this.signOutcome = undefined;
		const answer = await client.readCertificate('sign', pin === '' ? { operationId } : { pin, confirmLastTry, operationId });
		if (generation !== this.#generation) return false;
		this.readingSign = false;
		this.#operationId = undefined;
		if (answer.ok) {
			await this.#show('sign', answer.certificate.der, generation);
			if (generation !== this.#generation) return false;
			void this.#check('sign', generation);
			await this.#refreshSignPin(generation);
			return this.certificates.sign !== undefined;
		}
		const error = answer.error;
		if (this.#gone(error)) return false;
		if (error.kind === ErrorKind.FileNotFound && error.details?.['reason'] === 'no-signing-certificate') {
			this.signAbsent = true;
			return false;
		}
		this.signOutcome = toOutcome(error);
		await this.#refreshSignPin(generation);
		return false;
	}

	/** Stops a running signing-certificate read (it then ends as `aborted`). */
	cancelSign(): void {
		const id = this.#operationId;
		if (id) void this.#client?.cancel(id);
	}

	/** Verifies every shown certificate again (e.g. after a CRL was imported). */
	recheck(): void {
		const generation = this.#generation;
		for (const kind of CARD_CERTIFICATES) void this.#check(kind, generation);
	}

	/** The 4 information from the signing certificate's SAN, read only because the user asked. Never stored. */
	async showBasicInfo(): Promise<void> {
		const sign = this.certificates.sign;
		if (!sign) return;
		const generation = this.#generation;
		this.basicInfoError = undefined;
		const answer = await this.#pki.readBasicInfo(sign.der);
		if (generation !== this.#generation) return;
		if (answer.ok && answer.info) this.basicInfo = answer.info;
		else this.basicInfoError = answer.ok ? { kind: ErrorKind.FileNotFound, message: 'no 4 information' } : answer.error;
	}

	hideBasicInfo(): void {
		this.basicInfo = undefined;
		this.basicInfoError = undefined;
	}

	/** Forgets everything read from the card (and zeroes the certificate bytes); late answers are dropped. */
	wipe(): void {
		this.#generation++;
		if (this.#operationId) void this.#client?.cancel(this.#operationId);
		for (const shown of Object.values(this.certificates)) shown?.der.fill(0);
		this.certificates = {};
		this.failures = {};
		this.loading = false;
		this.signPin = undefined;
		this.signAbsent = false;
		this.readingSign = false;
		this.signOutcome = undefined;
		this.basicInfo = undefined;
		this.basicInfoError = undefined;
		this.#operationId = undefined;
	}

	async #show(kind: CardCertificateKind, der: Uint8Array, generation: number): Promise<void> {
		const info = await this.#pki.readCertificate(der);
		if (generation !== this.#generation) {
			der.fill(0);
			return;
		}
		if (!info.ok) {
			this.failures[kind] = info.error;
			return;
		}
		delete this.failures[kind];
		this.certificates[kind] = { kind, der, info: info.certificate, check: { state: 'checking' } };
	}

	async #check(kind: CardCertificateKind, generation: number): Promise<void> {
		const shown = this.certificates[kind];
		if (!shown) return;
		shown.check = { state: 'checking' };
		const ca = kind === 'auth' || kind === 'sign' ? this.certificates[ISSUING_CA[kind]] : undefined;
		const answer = await this.#pki.verifyCertificate({ leaf: shown.der, ...(ca ? { intermediates: [ca.der] } : {}) });
		if (generation !== this.#generation) return;
		const live = this.certificates[kind];
		if (!live) return;
		live.check = answer.ok ? { state: 'done', result: answer.result } : { state: 'failed', error: answer.error };
	}

	async #refreshSignPin(generation: number): Promise<void> {
		const status = await this.#client?.pinStatus('sign');
		if (!status || generation !== this.#generation) return;
		if (status.ok) this.signPin = status.status;
		else this.#gone(status.error);
	}

	#gone(error: ErrorData): boolean {
		if (!CARD_GONE_KINDS.includes(error.kind)) return false;
		this.wipe();
		this.cardGone = true;
		return true;
	}
}

function toOutcome(error: ErrorData): SignReadOutcome {
	const tries = error.details?.['triesLeft'];
	switch (error.kind) {
		case ErrorKind.PinWrong:
			return { result: 'wrong', triesLeft: typeof tries === 'number' ? tries : 0 };
		case ErrorKind.PinBlocked:
			return { result: 'blocked', justBlocked: error.details?.['justBlocked'] === true };
		case ErrorKind.PinLastTry:
			return { result: 'last-try' };
		default:
			return { result: 'failed', error };
	}
}
