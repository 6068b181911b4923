import type { CardChannel, ChannelCapabilities, TransmitOptions } from '../../apdu/channel';
import { CcidExchangeLevel } from '../../usb/ccid-class-descriptor';
import type { CcidSlotSession } from './ccid-slot-session';

const EXTENDED: ChannelCapabilities = { extendedLength: true, maxResponseData: 65_536 };
const SHORT: ChannelCapabilities = { extendedLength: false, maxResponseData: 256 };

/**
 * The CardChannel of one CCID slot. APDU-level readers get the APDU as it is (extended ones with
 * wLevelParameter chaining), TPDU readers through host T=1 (which chains any length). Nothing is added to the
 * command: the empty VERIFY `00 20 00 80` reaches the reader as those 4 bytes.
 */
export class CcidChannel implements CardChannel {
	readonly #session: CcidSlotSession;

	constructor(session: CcidSlotSession) {
		this.#session = session;
	}

	/** The ATR of the powered card, undefined when none is. */
	get atr(): Uint8Array | undefined {
		return this.#session.atr;
	}

	get capabilities(): ChannelCapabilities {
		return this.#session.exchangeLevel === CcidExchangeLevel.ShortApdu ? SHORT : EXTENDED;
	}

	transmit(command: Uint8Array, options: TransmitOptions = {}): Promise<Uint8Array> {
		return this.#session.transmit(command, options.signal ? { signal: options.signal } : {});
	}
}
