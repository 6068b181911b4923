import { describe, expect, it } from 'vitest';
import { asciiBytes } from '../bytes';
import { CardKind } from './jpki-token-info';
import { emulatedChannel, InterceptChannel } from './card-test-channels';
import { emulatedSetup } from './card-test-setup';
import { createVirtualCard } from '../emulator/card';
import { MynaCard } from './myna-card';

const SELECT_JPKI = '00A4040C0AD392F000260100000001';

describe('MynaCard.detect', () => {
	it('recognises a My Number Card by SELECT of the JPKI-AP and the token label', async () => {
		const { myna, channel } = emulatedSetup();
		expect(await myna.detect()).toEqual({ kind: CardKind.MyNumberCard, tokenLabel: 'JPKIAPICCTOKEN2', atr: '3BE000FF8131FE4514' });
		expect(channel.commands).toEqual([SELECT_JPKI, '00A4020C020006', '00B0000020']);
	});

	it('tells a 住基カード and a phone token apart', async () => {
		expect(await emulatedSetup({ variant: 'juki' }).myna.detect()).toMatchObject({ kind: CardKind.JukiCard, tokenLabel: 'JPKIAPICCTOKEN' });
		expect(await emulatedSetup({ variant: 'phone' }).myna.detect()).toMatchObject({
			kind: CardKind.PhoneToken,
			platform: 'android',
			tokenLabel: 'JPKIAPGPSETOKEN'
		});
	});

	it('does not gate on the ATR: a newer or unknown ATR is still a My Number Card', async () => {
		expect(await emulatedSetup({ atr: 'newer' }).myna.detect()).toMatchObject({ kind: CardKind.MyNumberCard });
		expect(await emulatedSetup({ atr: Uint8Array.of(0x3b, 0x00) }).myna.detect()).toMatchObject({ kind: CardKind.MyNumberCard, atr: '3B00' });
	});

	it('says not-jpki for a card without the JPKI-AP, or one that does not understand the SELECT', async () => {
		for (const sw of [0x6a82, 0x6d00, 0x6e00, 0x6a86]) {
			const channel = { transmit: async () => Uint8Array.of(sw >>> 8, sw & 0xff) };
			expect(await new MynaCard(channel).detect()).toEqual({ kind: CardKind.NotJpki });
		}
	});

	it('says unknown-jpki-token for an unknown label or a JPKI-AP without a readable token info', async () => {
		const label = new Uint8Array(32).fill(0x20);
		label.set(asciiBytes('SOMEOTHERTOKEN'));
		const relabelled = new InterceptChannel(emulatedChannel(createVirtualCard()), (apdu) =>
			apdu[1] === 0xb0 ? Uint8Array.of(...label, 0x90, 0x00) : undefined
		);
		expect(await new MynaCard(relabelled).detect()).toMatchObject({ kind: CardKind.UnknownJpkiToken, tokenLabel: 'SOMEOTHERTOKEN' });

		const noTokenInfo = new InterceptChannel(emulatedChannel(createVirtualCard()), (apdu) =>
			apdu[1] === 0xa4 && apdu[2] === 0x02 ? Uint8Array.of(0x6a, 0x82) : undefined
		);
		expect(await new MynaCard(noTokenInfo).detect()).toEqual({ kind: CardKind.UnknownJpkiToken, atr: '3BE000FF8131FE4514' });

		const unreadable = new InterceptChannel(emulatedChannel(createVirtualCard()), (apdu) => (apdu[1] === 0xb0 ? Uint8Array.of(0x69, 0x82) : undefined));
		expect((await new MynaCard(unreadable).detect()).kind).toBe(CardKind.UnknownJpkiToken);
	});
});
