import { ErrorKind, MynaError } from '../../errors';

/**
 * How a reader's frame exchange tells the ISO-DEP layer that the RF link, not the USB link, failed. These two
 * failures are the ones ISO/IEC 14443-4 §7.5.5 recovers from (R(NAK) / R(ACK) retransmission); every other error
 * a link throws (unplug, USB timeout, a corrupt reader frame) ends the exchange.
 */
export const RfFailure = {
	/** No answer from the card within the wait the exchange was given. */
	Timeout: 'timeout',
	/** An answer arrived but was damaged (CRC, parity, framing, collision, length). */
	Transmission: 'transmission'
} as const;
export type RfFailure = (typeof RfFailure)[keyof typeof RfFailure];

export function rfTimeoutError(): MynaError {
	return new MynaError(ErrorKind.Timeout, 'The card did not answer in time.', { rfFailure: RfFailure.Timeout });
}

export function rfTransmissionError(reason: string): MynaError {
	return new MynaError(ErrorKind.Protocol, 'The card’s answer was damaged on the way.', { rfFailure: RfFailure.Transmission, reason });
}

export function rfFailureOf(error: unknown): RfFailure | undefined {
	if (!(error instanceof MynaError)) return undefined;
	const failure = error.details['rfFailure'];
	return failure === RfFailure.Timeout || failure === RfFailure.Transmission ? failure : undefined;
}
