import { createVirtualCard, type VirtualCard, type VirtualCardOptions } from '../emulator/card';
import { CountingChannel, emulatedChannel } from './card-test-channels';
import { MynaCard } from './myna-card';

/** Test setup (not used by production code): an emulated card, a counting channel over it, and a MynaCard. */
export interface EmulatedSetup {
	readonly card: VirtualCard;
	readonly channel: CountingChannel;
	readonly myna: MynaCard;
}

export function emulatedSetup(options: VirtualCardOptions & { channelExtendedLength?: boolean } = {}): EmulatedSetup {
	const { channelExtendedLength, ...cardOptions } = options;
	const card = createVirtualCard(cardOptions);
	const extendedLength = channelExtendedLength ?? cardOptions.extendedLength ?? false;
	const channel = new CountingChannel(emulatedChannel(card, { extendedLength }));
	return { card, channel, myna: new MynaCard(channel) };
}

/** The card's log entries that carried a PIN (VERIFY / CHANGE with data): what a guard test counts. */
export function pinCommandsSent(card: VirtualCard): number {
	return card.log.filter((entry) => entry.command.endsWith('**')).length;
}

export async function sha(hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', message: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest(hash, message.slice()));
}
