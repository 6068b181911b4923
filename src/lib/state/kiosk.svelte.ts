import type { Remote } from 'comlink';
import type { BasicFourInfo, BasicInfoField } from '../card/basic-four-info';
import type { PinStatus } from '../card/pin-guard';
import type { PinKind } from '../card/pin-specs';
import type { CardWorkerApi } from '../card/worker-api';
import { ErrorKind, type ErrorData } from '../errors';
import { KioskIdleWatch } from '../kiosk/idle-watch';
import type { Timers } from '../timers';
import { KioskFlow, type KioskConfig } from '../kiosk/kiosk-config';
import { KioskPinBuffer } from '../kiosk/pin-buffer';
import type { CertificateInfo } from '../pki/certificate-info';
import type { PkiWorkerApi } from '../pki/worker-api';
import { cardClient, type CardClient } from './card-client';
import type { CertificateCheck } from './certificates.svelte';
import { CARD_GONE_KINDS } from './pins.svelte';
import { CardState, ReaderStatus, type ReaderEntry } from './reader-manager.svelte';

/** The screens of the kiosk (the `data-step` contract); `loading` and `config-error` belong to the page. */
export const KioskStep = {
	InsertCard: 'insert-card',
	Choose: 'choose',
	Pin: 'pin',
	Working: 'working',
	Result: 'result',
	RemoveCard: 'remove-card',
	Error: 'error',
	Staff: 'staff'
} as const;
export type KioskStep = (typeof KioskStep)[keyof typeof KioskStep];
type KioskPhase = Exclude<KioskStep, 'staff'>;

/** The PINs the kiosk lists, in the order residents know them. */
export const KIOSK_LISTED_PINS = ['auth', 'sign', 'text'] as const satisfies readonly PinKind[];

/** The kiosk's text-AP PIN (券面事項入力補助用暗証番号): 4 digits. */
export const KIOSK_PIN_LENGTH = 4;

export type KioskResult =
	| { readonly flow: 'certificate'; readonly certificate: CertificateInfo; readonly check: CertificateCheck }
	| { readonly flow: 'pin-status'; readonly statuses: readonly PinStatus[] }
	| { readonly flow: 'basic-info'; readonly info: BasicFourInfo; readonly fields: readonly BasicInfoField[] };

/** What the PIN screen tells the resident after a VERIFY that did not pass. */
export type KioskPinNotice = { readonly kind: 'wrong'; readonly triesLeft: number } | { readonly kind: 'need-digits' } | { readonly kind: 'need-confirm' } | { readonly kind: 'no-fields' };

/** The readers as the kiosk needs to see them: plain data, so the session is testable without a ReaderManager. */
export interface KioskReaderView {
	/** The reader holding a My Number Card, read and ready. */
	readonly activeKey: string | undefined;
	/** Some card is on some reader (being read, read, or failed). */
	readonly cardPresent: boolean;
	/** A card is on a reader and being read. */
	readonly cardReading: boolean;
	/** Readers plugged in and usable. */
	readonly readyReaders: number;
	/** Readers (by entry key) that went away since they were plugged in: tells "reader unplugged" from "card removed". */
	readonly unpluggedKeys: readonly string[];
	/** Why the card on the reader cannot be used (not a My Number Card, unreadable), if so. */
	readonly cardProblem: ErrorData | undefined;
	/** Why a reader cannot be used (busy in another program, failed to open), if so. */
	readonly readerProblem: ErrorData | undefined;
}

/** The kiosk's view of ReaderManager's entries. Pure. */
export function kioskReaderView(entries: readonly ReaderEntry[], activeKey: string | undefined): KioskReaderView {
	let cardProblem: ErrorData | undefined;
	let readerProblem: ErrorData | undefined;
	for (const e of entries) {
		if (e.status === ReaderStatus.Ready && e.card === CardState.Failed && e.cardError) cardProblem ??= e.cardError;
		if (e.status === ReaderStatus.Ready && e.card === CardState.Ready && e.detection && e.detection.kind !== 'my-number-card') {
			cardProblem ??= { kind: ErrorKind.NotMynaCard, message: 'Not a My Number Card' };
		}
		if ((e.status === ReaderStatus.Failed || e.status === ReaderStatus.Unusable) && e.error) readerProblem ??= e.error;
	}
	return {
		activeKey,
		cardPresent: entries.some((e) => e.status === ReaderStatus.Ready && e.card !== CardState.Absent),
		cardReading: entries.some((e) => e.status === ReaderStatus.Ready && e.card === CardState.Reading),
		readyReaders: entries.filter((e) => e.status === ReaderStatus.Ready).length,
		unpluggedKeys: entries.filter((e) => e.status === ReaderStatus.Unplugged).map((e) => e.key),
		cardProblem,
		readerProblem
	};
}

/** The platform's speech, injected at the composition root (Web Speech API). */
export interface KioskSpeech {
	speak(text: string, lang: 'ja' | 'en'): void;
	cancel(): void;
}

export interface KioskSessionDependencies {
	readonly card: Remote<CardWorkerApi>;
	readonly pki: Remote<PkiWorkerApi>;
	readonly timers: Timers;
	/** Milliseconds since the epoch (certificate dates are judged at this time). */
	readonly now: () => number;
	readonly speech?: KioskSpeech | undefined;
	readonly config: KioskConfig;
}

/**
 * The kiosk's flow: insert card → choose → (PIN, for the 4 info) → result → remove card. Adapts the card and PKI
 * workers like the other state classes; no protocol logic here. Personal data (the 4 info) lives only in `result`,
 * only while the card is on the reader: removal, unplug, idle expiry and 「終わる」 wipe it. The PIN lives only in
 * the pad's byte buffer until the moment it is handed to the worker; the buffer is zeroed then and on every wipe.
 */
export class KioskSession {
	phase: KioskPhase = $state(KioskStep.InsertCard);
	staffOpen = $state(false);
	flow: KioskFlow | undefined = $state();
	result: KioskResult | undefined = $state();
	error: ErrorData | undefined = $state();
	/** The last error kind, for staff (no message text, no personal data). */
	lastErrorKind: string | undefined = $state();
	/** The text PIN's counter before the PIN is typed. */
	pinStatus: PinStatus | undefined = $state();
	pinNotice: KioskPinNotice | undefined = $state();
	pinLength = $state(0);
	confirmLastTry = $state(false);
	/** The 4 info the resident lets leave the kiosk (a subset of the configured ones). */
	fields: BasicInfoField[] = $state([]);
	/** Seconds left before the idle wipe, while the warning is up. */
	idleSecondsLeft: number | undefined = $state();
	/** Why the screen was just cleared (shown on the next screen). */
	cleared: 'idle' | 'finished' | undefined = $state();
	view: KioskReaderView | undefined = $state();

	readonly config: KioskConfig;
	readonly #deps: KioskSessionDependencies;
	readonly #pin = new KioskPinBuffer(KIOSK_PIN_LENGTH);
	readonly #idle: KioskIdleWatch;
	#key: string | undefined;
	#client: CardClient | undefined;
	#generation = 0;
	#operationId: string | undefined;
	#nextOperation = 1;

	constructor(deps: KioskSessionDependencies) {
		this.#deps = deps;
		this.config = deps.config;
		this.fields = [...deps.config.handoff.fields];
		this.#idle = new KioskIdleWatch(deps.timers, {
			timeoutMs: deps.config.idle.timeoutSeconds * 1000,
			warningMs: deps.config.idle.warningSeconds * 1000,
			onWarning: (seconds) => (this.idleSecondsLeft = seconds),
			onExpire: () => this.#idleExpired()
		});
	}

	get step(): KioskStep {
		return this.staffOpen ? KioskStep.Staff : this.phase;
	}

	get flows(): readonly KioskFlow[] {
		return this.config.flows;
	}

	/** Follows the readers (called on every change of ReaderManager's entries). */
	observe(view: KioskReaderView): void {
		this.view = view;
		const previous = this.#key;
		if (view.activeKey !== previous) {
			this.#key = view.activeKey;
			this.#client = view.activeKey === undefined ? undefined : cardClient(this.#deps.card, view.activeKey);
			if (previous !== undefined) this.#cardLeft(view, view.unpluggedKeys.includes(previous));
			if (view.activeKey !== undefined && (this.phase === KioskStep.InsertCard || this.phase === KioskStep.Error)) {
				this.#go(KioskStep.Choose);
				this.error = undefined;
			}
		}
		if (view.activeKey !== undefined) return;
		if (this.phase === KioskStep.RemoveCard && !view.cardPresent) this.#go(KioskStep.InsertCard);
		// A card the kiosk cannot use, or a reader it cannot use: say so; when it goes, back to the start.
		const problem = view.cardProblem ?? (view.readyReaders === 0 ? view.readerProblem : undefined);
		if (this.phase === KioskStep.InsertCard && problem) this.#fail(problem, false);
		else if (this.phase === KioskStep.Error && this.#errorFromReader && !problem) {
			this.error = undefined;
			this.#go(KioskStep.InsertCard);
		}
	}

	/** Set when the error on screen comes from the reader's state (it clears by itself), not from a flow. */
	#errorFromReader = false;

	/** Any input by the resident. */
	activity(): void {
		this.#idle.activity();
	}

	extendIdle(): void {
		this.idleSecondsLeft = undefined;
		this.#idle.extend();
	}

	/**
	 * The staff-assist screen. The idle watch keeps running under it (staff input counts as activity): a resident who
	 * presses 「職員を呼ぶ」 and walks away must not leave their 4 info for the next person behind 「画面に戻る」.
	 */
	openStaff(): void {
		this.staffOpen = true;
	}

	closeStaff(): void {
		this.staffOpen = false;
		this.#syncIdle();
	}

	async choose(flow: KioskFlow): Promise<void> {
		if (this.phase !== KioskStep.Choose || !this.config.flows.includes(flow)) return;
		this.flow = flow;
		this.cleared = undefined;
		if (flow === KioskFlow.Certificate) return this.#readCertificate();
		if (flow === KioskFlow.PinStatus) return this.#readPinStatuses();
		return this.#preparePin();
	}

	toggleField(field: BasicInfoField, on: boolean): void {
		if (!this.config.handoff.fields.includes(field)) return;
		const next = this.fields.filter((f) => f !== field);
		if (on) next.push(field);
		this.fields = this.config.handoff.fields.filter((f) => next.includes(f));
		if (this.pinNotice?.kind === 'no-fields') this.pinNotice = undefined;
	}

	pinDigit(digit: number): void {
		if (this.phase !== KioskStep.Pin) return;
		this.#pin.push(digit);
		this.pinLength = this.#pin.length;
		if (this.pinNotice?.kind === 'need-digits') this.pinNotice = undefined;
	}

	pinBackspace(): void {
		this.#pin.pop();
		this.pinLength = this.#pin.length;
	}

	pinClear(): void {
		this.#pin.clear();
		this.pinLength = 0;
	}

	/** Gives up the PIN step: back to the choice, the buffer zeroed. */
	cancelPin(): void {
		this.pinClear();
		this.pinNotice = undefined;
		this.confirmLastTry = false;
		if (this.phase === KioskStep.Pin) this.#go(KioskStep.Choose);
	}

	/** Reads the chosen 4 info with the PIN in the pad's buffer (zeroed here, whatever happens). */
	async submitPin(): Promise<void> {
		if (this.phase !== KioskStep.Pin) return;
		const client = this.#client;
		if (!client) return;
		if (this.fields.length === 0) {
			this.pinNotice = { kind: 'no-fields' };
			return;
		}
		if (!this.#pin.full) {
			this.pinNotice = { kind: 'need-digits' };
			return;
		}
		if (this.pinStatus?.lastTry && !this.confirmLastTry) {
			this.pinNotice = { kind: 'need-confirm' };
			return;
		}
		const pin = this.#pin.take();
		this.pinLength = 0;
		const fields = [...this.fields];
		const confirmLastTry = this.confirmLastTry;
		const answer = await this.#work((operationId) => client.readBasicInfo(pin, { fields, confirmLastTry, operationId }));
		if (!answer) return;
		if (answer.ok) {
			this.#show({ flow: 'basic-info', info: answer.info, fields });
			return;
		}
		const error = answer.error;
		if (error.kind === ErrorKind.PinWrong || error.kind === ErrorKind.PinLastTry) {
			const tries = error.details?.['triesLeft'];
			this.lastErrorKind = error.kind;
			this.confirmLastTry = false;
			this.#go(KioskStep.Pin);
			await this.#refreshPinStatus();
			if (this.phase !== KioskStep.Pin) return;
			this.pinNotice =
				error.kind === ErrorKind.PinWrong ? { kind: 'wrong', triesLeft: typeof tries === 'number' ? tries : (this.pinStatus?.triesLeft ?? 0) } : { kind: 'need-confirm' };
			return;
		}
		this.#fail(error, true);
	}

	/** 「終わる」: everything wiped; the card is asked back if it is still there. */
	finish(): void {
		this.#wipe();
		this.cleared = 'finished';
		this.#go(this.view?.cardPresent ? KioskStep.RemoveCard : KioskStep.InsertCard);
	}

	/** Back from an error screen to the start (the card, if any, is used again). */
	restart(): void {
		this.#wipe();
		this.error = undefined;
		this.#go(this.#key !== undefined ? KioskStep.Choose : KioskStep.InsertCard);
	}

	readAloud(text: string, lang: 'ja' | 'en'): void {
		this.#deps.speech?.cancel();
		this.#deps.speech?.speak(text, lang);
	}

	get canReadAloud(): boolean {
		return this.#deps.speech !== undefined;
	}

	/** Forgets every personal value and the PIN buffer; answers still on their way are dropped. */
	wipe(): void {
		this.#wipe();
	}

	dispose(): void {
		this.#wipe();
		this.#idle.stop();
	}

	#wipe(): void {
		this.#generation++;
		if (this.#operationId) void this.#client?.cancel(this.#operationId);
		this.#operationId = undefined;
		this.#deps.speech?.cancel();
		this.#pin.clear();
		this.pinLength = 0;
		this.result = undefined;
		this.flow = undefined;
		this.pinStatus = undefined;
		this.pinNotice = undefined;
		this.confirmLastTry = false;
		this.fields = [...this.config.handoff.fields];
		this.idleSecondsLeft = undefined;
		this.cleared = undefined;
	}

	#go(phase: KioskPhase): void {
		this.phase = phase;
		this.#syncIdle();
	}

	/** The idle watch runs while the kiosk shows anything but the start screen. */
	#syncIdle(): void {
		this.idleSecondsLeft = undefined;
		if (this.phase === KioskStep.InsertCard) this.#idle.stop();
		else if (!this.#idle.running || this.phase !== KioskStep.Working) this.#idle.start();
	}

	#idleExpired(): void {
		this.#wipe();
		this.staffOpen = false;
		this.error = undefined;
		this.cleared = 'idle';
		this.#go(this.view?.cardPresent ? KioskStep.RemoveCard : KioskStep.InsertCard);
	}

	/** The active card went: taken out, or its reader unplugged (`unplugged`; another reader's unplug does not count). */
	#cardLeft(view: KioskReaderView, unplugged: boolean): void {
		const phase = this.phase;
		const cleared = this.cleared;
		this.#wipe();
		if (phase === KioskStep.Working || phase === KioskStep.Pin || unplugged) {
			this.#fail({ kind: unplugged ? ErrorKind.ReaderUnplugged : ErrorKind.CardRemoved, message: 'The card left during the flow' }, true);
		} else if (phase !== KioskStep.Error) {
			// The next resident sees that nothing of the previous one is left.
			this.cleared = cleared ?? 'finished';
			this.#go(KioskStep.InsertCard);
		}
	}

	#fail(error: ErrorData, fromFlow: boolean): void {
		this.#wipe();
		this.error = { kind: error.kind, message: error.message };
		this.lastErrorKind = error.kind;
		this.#errorFromReader = !fromFlow;
		this.#go(KioskStep.Error);
	}

	#show(result: KioskResult): void {
		this.result = result;
		this.#go(KioskStep.Result);
	}

	/** Runs one worker call on the working screen; undefined if the card went (or the screen was wiped) meanwhile. */
	async #work<T extends { ok: boolean }>(call: (operationId: string) => Promise<T>): Promise<T | undefined> {
		const generation = this.#generation;
		const operationId = `kiosk-${this.#nextOperation++}`;
		this.#operationId = operationId;
		this.#go(KioskStep.Working);
		let answer: T;
		try {
			answer = await call(operationId);
		} catch {
			answer = { ok: false, error: { kind: ErrorKind.Internal, message: 'The card worker did not answer' } } as unknown as T;
		}
		if (generation !== this.#generation) return undefined;
		this.#operationId = undefined;
		const error = (answer as { ok: boolean; error?: ErrorData }).error;
		if (!answer.ok && error && CARD_GONE_KINDS.includes(error.kind)) {
			this.#fail(error, true);
			return undefined;
		}
		return answer;
	}

	async #readPinStatuses(): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const answer = await this.#work(() => client.pinStatuses({ pins: KIOSK_LISTED_PINS }));
		if (!answer) return;
		if (answer.ok) this.#show({ flow: 'pin-status', statuses: answer.statuses });
		else this.#fail(answer.error, true);
	}

	async #readCertificate(): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const generation = this.#generation;
		const leaf = await this.#work(() => client.readCertificate('auth'));
		if (!leaf) return;
		if (!leaf.ok) return this.#fail(leaf.error, true);
		const ca = await this.#work(() => client.readCertificate('auth-ca'));
		if (!ca) {
			leaf.certificate.der.fill(0);
			return;
		}
		const at = this.#deps.now();
		const der = leaf.certificate.der;
		const intermediates = ca.ok ? [ca.certificate.der] : [];
		try {
			const [info, check] = await Promise.all([
				this.#deps.pki.readCertificate(der, at),
				this.#deps.pki.verifyCertificate({ leaf: der, intermediates, at })
			]);
			if (generation !== this.#generation) return;
			if (!info.ok) return this.#fail(info.error, true);
			this.#show({
				flow: 'certificate',
				certificate: info.certificate,
				check: check.ok ? { state: 'done', result: check.result } : { state: 'failed', error: check.error }
			});
		} catch {
			if (generation === this.#generation) this.#fail({ kind: ErrorKind.Internal, message: 'The PKI worker did not answer' }, true);
		} finally {
			der.fill(0);
			for (const d of intermediates) d.fill(0);
		}
	}

	async #preparePin(): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const answer = await this.#work(() => client.pinStatus('text'));
		if (!answer) return;
		if (!answer.ok) return this.#fail(answer.error, true);
		if (answer.status.state === 'blocked') return this.#fail({ kind: ErrorKind.PinBlocked, message: 'The card-information PIN is blocked' }, true);
		if (answer.status.state === 'absent') return this.#fail({ kind: ErrorKind.FileNotFound, message: 'No card-information PIN' }, true);
		this.pinStatus = answer.status;
		this.flow = KioskFlow.BasicInfo;
		this.#go(KioskStep.Pin);
	}

	async #refreshPinStatus(): Promise<void> {
		const client = this.#client;
		if (!client) return;
		const generation = this.#generation;
		const answer = await client.pinStatus('text');
		if (generation !== this.#generation) return;
		if (answer.ok) {
			if (answer.status.state === 'blocked') return this.#fail({ kind: ErrorKind.PinBlocked, message: 'The card-information PIN is blocked' }, true);
			this.pinStatus = answer.status;
		} else if (CARD_GONE_KINDS.includes(answer.error.kind)) this.#fail(answer.error, true);
	}
}
