import type { CardChannel, ChannelCapabilities, TransmitOptions } from '../../apdu/channel';
import { ErrorKind, MynaError } from '../../errors';
import { SMART_CARD_MAX_RESPONSE_LENGTH } from './smart-card-api';
import { abortedError, raceAbort } from '../iso-dep/abortable-wait';
import { smartCardError } from './smart-card-errors';

/** What the channel needs of a connection: `SmartCardConnection.transmit`, or the card worker's bridge to it. */
export interface SmartCardApduLink {
	transmit(command: Uint8Array): Promise<ArrayBuffer | Uint8Array>;
}

/** Short APDUs only: what every PC/SC reader driver carries (extended length depends on the reader and driver). */
export const SMART_CARD_CHANNEL_CAPABILITIES = { extendedLength: false, maxResponseData: 256 } as const satisfies ChannelCapabilities;

/**
 * A response from `transmit`, strictly: response data then SW1 SW2, 2 to 65538 bytes (the API's receive buffer).
 * Anything else is a Protocol error; the bytes are copied, so the caller owns them.
 */
export function parseSmartCardResponse(response: ArrayBuffer | Uint8Array): Uint8Array {
	const bytes = response instanceof Uint8Array ? response : new Uint8Array(response);
	if (bytes.length < 2 || bytes.length > SMART_CARD_MAX_RESPONSE_LENGTH) {
		throw new MynaError(ErrorKind.Protocol, 'The smart card service returned a response of an impossible length.', { length: bytes.length });
	}
	return bytes.slice();
}

/**
 * `CardChannel` over a Web Smart Card API connection (PC/SC does CCID, T=1 and ISO-DEP in the OS). One command at a
 * time (the API allows one operation in progress per connection; a second would fail with InvalidStateError);
 * an abort stops the wait at once, and the next command waits until the aborted one has come back.
 */
export class SmartCardChannel implements CardChannel {
	readonly atr: Uint8Array | undefined;
	readonly capabilities: ChannelCapabilities;
	#link: SmartCardApduLink;
	#last: Promise<unknown> = Promise.resolve();

	constructor(link: SmartCardApduLink, atr?: Uint8Array, capabilities: ChannelCapabilities = SMART_CARD_CHANNEL_CAPABILITIES) {
		this.#link = link;
		this.atr = atr;
		this.capabilities = capabilities;
	}

	async transmit(command: Uint8Array, options: TransmitOptions = {}): Promise<Uint8Array> {
		const { signal } = options;
		const previous = this.#last.catch(() => undefined);
		const exchange = previous.then(() => {
			if (signal?.aborted) throw abortedError();
			return this.#link.transmit(command.slice());
		});
		this.#last = exchange;
		exchange.catch(() => undefined); // its failure is reported through `raceAbort` below (or was aborted away)
		const response = await raceAbort(exchange, signal).catch((error: unknown) => {
			throw smartCardError(error, 'transmit');
		});
		return parseSmartCardResponse(response);
	}
}
