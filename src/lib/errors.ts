/**
 * One error hierarchy for every layer. A `kind` says what happened in words a UI can map to a message in
 * Japanese and English; `details` carries plain, non-personal values (never a PIN, never personal data).
 * Worker boundaries carry errors as `ErrorData` (comlink loses custom classes).
 */
export const ErrorKind = {
	// platform and USB
	Unsupported: 'unsupported',
	NoReader: 'no-reader',
	ProtectedInterface: 'protected-interface',
	ReaderBusy: 'reader-busy',
	/** The operating system refused to let the browser open the reader (Linux udev permissions, a Windows driver). */
	ReaderAccessDenied: 'reader-access-denied',
	/** The browser refused the page a reader: the user denied the permission, or the page's policy lacks the feature (Web Smart Card API). */
	PermissionDenied: 'permission-denied',
	ReaderUnplugged: 'reader-unplugged',
	Transport: 'transport',
	Timeout: 'timeout',
	Aborted: 'aborted',
	// reader protocol (CCID, T=1, ISO-DEP, Port-100, RC-S300 session)
	Protocol: 'protocol',
	ReaderHardware: 'reader-hardware',
	// card
	CardAbsent: 'card-absent',
	CardRemoved: 'card-removed',
	CardMute: 'card-mute',
	NotMynaCard: 'not-myna-card',
	CardStatus: 'card-status',
	FileNotFound: 'file-not-found',
	SecurityStatus: 'security-status',
	// PIN guard
	PinFormat: 'pin-format',
	PinWrong: 'pin-wrong',
	PinBlocked: 'pin-blocked',
	PinLastTry: 'pin-last-try',
	// certificates, CRLs, storage
	Malformed: 'malformed',
	SignatureInvalid: 'signature-invalid',
	CrlRejected: 'crl-rejected',
	QuotaExceeded: 'quota-exceeded',
	Storage: 'storage',
	Internal: 'internal'
} as const;

export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export type ErrorDetail = string | number | boolean;

/** Plain data for an error, safe to cross a worker boundary and to show in a diagnostics report. */
export interface ErrorData {
	kind: ErrorKind;
	message: string;
	details?: Record<string, ErrorDetail>;
}

export class MynaError extends Error {
	override readonly name = 'MynaError';
	readonly kind: ErrorKind;
	readonly details: Readonly<Record<string, ErrorDetail>>;

	constructor(kind: ErrorKind, message: string, details: Record<string, ErrorDetail> = {}, options?: { cause?: unknown }) {
		super(message, options);
		this.kind = kind;
		this.details = details;
	}

	toData(): ErrorData {
		return Object.keys(this.details).length > 0
			? { kind: this.kind, message: this.message, details: { ...this.details } }
			: { kind: this.kind, message: this.message };
	}
}

export function isMynaError(error: unknown, kind?: ErrorKind): error is MynaError {
	return error instanceof MynaError && (kind === undefined || error.kind === kind);
}

/** Any thrown value as plain error data. Unknown errors keep only their name, never their stack. */
export function toErrorData(error: unknown): ErrorData {
	if (error instanceof MynaError) return error.toData();
	if (error instanceof DOMException && error.name === 'AbortError') {
		return { kind: ErrorKind.Aborted, message: 'The operation was cancelled.' };
	}
	const name = error instanceof Error ? error.name : typeof error;
	return { kind: ErrorKind.Internal, message: `Unexpected ${name}` };
}

export function fromErrorData(data: ErrorData): MynaError {
	return new MynaError(data.kind, data.message, data.details ?? {});
}

/** The result shape used across worker boundaries. */
export type Result<T> = ({ ok: true } & T) | { ok: false; error: ErrorData };

export async function asResult<T extends object>(work: () => Promise<T>): Promise<Result<T>> {
	try {
		return { ok: true, ...(await work()) };
	} catch (error) {
		return { ok: false, error: toErrorData(error) };
	}
}

/**
 * The `name` of anything a platform API threw (a DOMException such as WebUSB's NetworkError or Web NFC's
 * NotAllowedError). Read by name, not by class: errors bridged across a worker boundary, or from node-usb, arrive as
 * plain `{ name, message }` objects.
 */
export function thrownName(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const name = (error as { name?: unknown }).name;
	return typeof name === 'string' ? name : undefined;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new MynaError(ErrorKind.Aborted, 'The operation was cancelled.');
}
