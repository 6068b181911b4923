import { ApduStatusError, Instruction, pinRetriesFromStatusWord, StatusWord } from '../apdu';
import { wipe } from '../bytes';
import { ErrorKind, isMynaError, MynaError, throwIfAborted } from '../errors';
import { CardApplication } from './card-applications';
import { CardCommand } from './card-commands';
import type { CardSession } from './card-session';
import { encodePin } from './pin-format';
import { pinRecoveryHint, type PinRecoveryHint } from './pin-recovery';
import { ALL_PIN_KINDS, PinKind, PinSpecs, type ChangeablePinKind } from './pin-specs';

export const PinState = {
	/** Usable; `triesLeft` says how many tries remain. */
	Ready: 'ready',
	/** Already verified in this session (the card answered 9000 to the counter read; the count is then not given). */
	Verified: 'verified',
	/** No tries left; see `recovery`. */
	Blocked: 'blocked',
	/** The card has no such PIN (no such application, or e.g. no signing password on a child's card). */
	Absent: 'absent'
} as const;
export type PinState = (typeof PinState)[keyof typeof PinState];

export interface PinStatus {
	readonly pin: PinKind;
	readonly state: PinState;
	readonly triesLeft?: number;
	readonly maxTries: number;
	/** Exactly one try left: a VERIFY now needs `confirmLastTry`. */
	readonly lastTry: boolean;
	readonly recovery?: PinRecoveryHint;
}

export interface PinOptions {
	signal?: AbortSignal;
	/** Required when one try is left: the caller has asked the user and the user accepted the risk of locking. */
	confirmLastTry?: boolean;
}

export interface PinVerification {
	readonly pin: PinKind;
	readonly verified: true;
	/** A correct PIN restores the full count. */
	readonly triesLeft: number;
}

export interface PinChange {
	readonly pin: ChangeablePinKind;
	readonly changed: true;
}

const KIOSK_PARTNER: Partial<Record<PinKind, PinKind>> = { auth: PinKind.Sign, sign: PinKind.Auth };

const APPLICATION_ORDER = [CardApplication.Jpki, CardApplication.Text, CardApplication.Visual] as const;

/**
 * The PIN rules of design §5, in one place: the format is checked before anything is sent; the retry counter is read
 * (empty VERIFY, no try spent) right before every VERIFY; a blocked PIN is refused before sending it (without any
 * APDU when this session already saw it blocked); the last try needs `confirmLastTry`; nothing is ever retried.
 * PIN bytes are zeroed as soon as the card has answered.
 */
export class PinGuard {
	readonly #session: CardSession;

	constructor(session: CardSession) {
		this.#session = session;
	}

	/** The counter of one PIN, spending no try. */
	async status(kind: PinKind, signal?: AbortSignal): Promise<PinStatus> {
		const spec = PinSpecs[kind];
		if (!(await this.#session.selectApplication(spec.application, signal))) return this.#absent(kind);
		return this.#readCounter(kind, signal);
	}

	/** Several counters (default: every PIN), grouped by application so each application is selected once. */
	async statuses(kinds: readonly PinKind[] = ALL_PIN_KINDS, signal?: AbortSignal): Promise<PinStatus[]> {
		const wanted = new Set(kinds);
		const current = this.#session.application;
		const order = [...APPLICATION_ORDER].sort((a, b) => Number(b === current) - Number(a === current));
		const found = new Map<PinKind, PinStatus>();
		for (const application of order) {
			const mine = ALL_PIN_KINDS.filter((kind) => wanted.has(kind) && PinSpecs[kind].application === application);
			if (mine.length === 0) continue;
			const present = await this.#session.selectApplication(application, signal);
			for (const kind of mine) found.set(kind, present ? await this.#readCounter(kind, signal) : this.#absent(kind));
		}
		return kinds.map((kind) => {
			const status = found.get(kind)!;
			return status.state === PinState.Blocked ? { ...status, recovery: this.recoveryHint(kind) } : status;
		});
	}

	/** VERIFY behind every guard. Throws PinFormat, PinBlocked, PinLastTry, PinWrong; never retries. */
	async verify(kind: PinKind, pin: string, options: PinOptions = {}): Promise<PinVerification> {
		const bytes = encodePin(kind, pin);
		try {
			throwIfAborted(options.signal);
			if (this.#session.blocked.has(kind)) throw this.#blockedError(kind, false);
			const spec = PinSpecs[kind];
			await this.#session.requireApplication(spec.application, options.signal);
			const status = await this.#readCounter(kind, options.signal);
			if (status.state === PinState.Absent) throw absentError(kind);
			if (status.state === PinState.Blocked) throw this.#blockedError(kind, false);
			// After a 9000 (already verified) the card gives no count; the last one it gave, or the full count after
			// the VERIFY that succeeded, is what holds.
			const triesLeft = status.triesLeft ?? this.#session.triesSeen.get(kind) ?? spec.maxTries;
			if (triesLeft <= 1 && options.confirmLastTry !== true) {
				throw new MynaError(ErrorKind.PinLastTry, `One try is left for the ${spec.en}; a wrong entry locks it. Confirm to try.`, {
					pin: kind,
					triesLeft
				});
			}
			return await this.#sendVerify(kind, bytes, options.signal);
		} finally {
			wipe(bytes);
		}
	}

	/** VERIFY of the current PIN (with every guard), then CHANGE REFERENCE DATA with the new one. */
	async change(kind: ChangeablePinKind, currentPin: string, newPin: string, options: PinOptions = {}): Promise<PinChange> {
		if (!PinSpecs[kind]?.changeable) {
			throw new MynaError(ErrorKind.Unsupported, 'This PIN cannot be changed', { reason: 'pin-not-changeable', pin: String(kind) });
		}
		const next = encodeNewPin(kind, newPin);
		try {
			await this.verify(kind, currentPin, options);
			const response = await this.#session.send(CardCommand.changeReferenceData(next), options.signal);
			if (response.sw === StatusWord.Ok) return { pin: kind, changed: true };
			if (response.sw === StatusWord.IncorrectData) {
				throw new MynaError(ErrorKind.PinFormat, `The card refused the new ${PinSpecs[kind].en}`, { pin: kind, which: 'new' });
			}
			throw new ApduStatusError(response.sw, { ins: Instruction.ChangeReferenceData });
		} finally {
			wipe(next);
		}
	}

	/** The recovery route for a blocked PIN, using what this session knows about the other JPKI PIN. */
	recoveryHint(kind: PinKind): PinRecoveryHint {
		const partner = KIOSK_PARTNER[kind];
		return pinRecoveryHint(kind, { otherPinBlocked: partner !== undefined && this.#session.blocked.has(partner) });
	}

	async #readCounter(kind: PinKind, signal?: AbortSignal): Promise<PinStatus> {
		if (!(await this.#session.selectFile(PinSpecs[kind].fid, signal))) return this.#absent(kind);
		const response = await this.#session.send(CardCommand.pinCounter(), signal);
		const maxTries = PinSpecs[kind].maxTries;
		if (response.sw === StatusWord.Ok) {
			this.#session.verified.add(kind);
			return { pin: kind, state: PinState.Verified, maxTries, lastTry: false };
		}
		const triesLeft = pinRetriesFromStatusWord(response.sw);
		if (triesLeft === undefined) throw new ApduStatusError(response.sw, { ins: Instruction.Verify });
		this.#session.triesSeen.set(kind, triesLeft);
		if (triesLeft === 0) {
			this.#session.blocked.add(kind);
			return { pin: kind, state: PinState.Blocked, triesLeft: 0, maxTries, lastTry: false, recovery: this.recoveryHint(kind) };
		}
		return { pin: kind, state: PinState.Ready, triesLeft, maxTries, lastTry: triesLeft === 1 };
	}

	async #sendVerify(kind: PinKind, bytes: Uint8Array, signal?: AbortSignal): Promise<PinVerification> {
		const session = this.#session;
		const spec = PinSpecs[kind];
		session.verified.delete(kind);
		const response = await session.send(CardCommand.verify(bytes), signal);
		if (response.sw === StatusWord.Ok) {
			session.verified.add(kind);
			session.triesSeen.set(kind, spec.maxTries);
			return { pin: kind, verified: true, triesLeft: spec.maxTries };
		}
		const triesLeft = pinRetriesFromStatusWord(response.sw);
		if (triesLeft === undefined) throw new ApduStatusError(response.sw, { ins: Instruction.Verify });
		session.triesSeen.set(kind, triesLeft);
		if (triesLeft === 0) {
			session.blocked.add(kind);
			throw this.#blockedError(kind, response.sw >>> 8 === 0x63);
		}
		throw new MynaError(ErrorKind.PinWrong, `Wrong ${spec.en}; ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`, {
			pin: kind,
			triesLeft,
			maxTries: spec.maxTries
		});
	}

	#blockedError(kind: PinKind, justBlocked: boolean): MynaError {
		const hint = this.recoveryHint(kind);
		return new MynaError(ErrorKind.PinBlocked, `The ${PinSpecs[kind].en} is locked`, {
			pin: kind,
			triesLeft: 0,
			justBlocked,
			recovery: hint.places.join(','),
			recoveryJa: hint.ja,
			recoveryEn: hint.en
		});
	}

	#absent(kind: PinKind): PinStatus {
		return { pin: kind, state: PinState.Absent, maxTries: PinSpecs[kind].maxTries, lastTry: false };
	}
}

function encodeNewPin(kind: ChangeablePinKind, pin: string): Uint8Array {
	try {
		return encodePin(kind, pin);
	} catch (error) {
		if (isMynaError(error, ErrorKind.PinFormat)) {
			throw new MynaError(ErrorKind.PinFormat, error.message.replace('The ', 'The new '), { ...error.details, which: 'new' });
		}
		throw error;
	}
}

function absentError(kind: PinKind): MynaError {
	if (kind === PinKind.Sign) {
		return new MynaError(
			ErrorKind.FileNotFound,
			'This card has no signing password: no signing certificate was issued (as for children under 15)',
			{ pin: kind, reason: 'no-signing-certificate' }
		);
	}
	return new MynaError(ErrorKind.FileNotFound, `This card has no ${PinSpecs[kind].en}`, { pin: kind });
}
