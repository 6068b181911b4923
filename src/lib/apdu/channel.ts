/**
 * The seam everything above the readers speaks (design §3). A channel carries one command APDU and returns
 * the response data followed by SW1 SW2. External conformance harnesses implement and call this shape.
 */
export interface TransmitOptions {
	signal?: AbortSignal;
}

export interface CardChannel {
	transmit(command: Uint8Array, options?: TransmitOptions): Promise<Uint8Array>;
	readonly atr?: Uint8Array;
	/** What the channel can carry; absent means short APDUs only. */
	readonly capabilities?: ChannelCapabilities;
}

export interface ChannelCapabilities {
	/** The channel carries extended-length APDUs (Lc/Le up to 65535) end to end. */
	extendedLength: boolean;
	/** Largest response data the channel returns to one command (256 for short-only). */
	maxResponseData: number;
}
