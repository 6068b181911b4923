import { ErrorKind, MynaError } from '../errors';
import { describeStatusWord, formatStatusWord, StatusWord } from './status-words';

export function errorKindForStatusWord(sw: number): ErrorKind {
	switch (sw) {
		case StatusWord.FileNotFound:
			return ErrorKind.FileNotFound;
		case StatusWord.SecurityStatusNotSatisfied:
			return ErrorKind.SecurityStatus;
		case StatusWord.AuthenticationMethodBlocked:
		case StatusWord.ReferenceDataNotUsable:
			return ErrorKind.PinBlocked;
		default:
			return ErrorKind.CardStatus;
	}
}

export interface ApduStatusContext {
	/** The instruction that got this answer, for diagnostics. */
	ins?: number;
}

/**
 * The card answered with a status word the caller did not accept. `details.sw` (and `sw`) is the status word
 * as a number, so it survives a worker boundary through `toData()`. Never carries response data.
 */
export class ApduStatusError extends MynaError {
	readonly sw: number;

	constructor(sw: number, context: ApduStatusContext = {}) {
		const details: Record<string, number> = { sw };
		if (context.ins !== undefined) details.ins = context.ins;
		super(errorKindForStatusWord(sw), `Card returned SW ${formatStatusWord(sw)}: ${describeStatusWord(sw, 'en')}`, details);
		this.sw = sw;
	}
}

export function isApduStatusError(error: unknown, sw?: number): error is ApduStatusError {
	return error instanceof ApduStatusError && (sw === undefined || error.sw === sw);
}
