import { PinKind } from './pin-specs';

/** Where a blocked PIN can be reset (landscape.md F6; glossary.md "ロック"). */
export const RecoveryPlace = {
	/** A convenience-store kiosk, after starting in the smartphone app 「JPKI暗証番号リセット」. */
	ConvenienceStore: 'convenience-store',
	/** The municipal office where the holder is registered (住民票のある市区町村の窓口). */
	MunicipalOffice: 'municipal-office'
} as const;
export type RecoveryPlace = (typeof RecoveryPlace)[keyof typeof RecoveryPlace];

/** What a resident can do about one blocked PIN; plain data, shown as is in the UI. */
export interface PinRecoveryHint {
	readonly pin: PinKind;
	readonly places: readonly RecoveryPlace[];
	/** The convenience-store route needs this other PIN known and not blocked. */
	readonly convenienceStoreNeeds?: PinKind;
	readonly ja: string;
	readonly en: string;
}

const OFFICE_JA = 'マイナンバーカードを持って、住民票のある市区町村の窓口で再設定してください。';
const OFFICE_EN = 'Take your My Number Card to the municipal office where you are registered to reset it.';

const KIOSK_JA =
	'がわかる場合は、スマートフォン専用アプリ「JPKI暗証番号リセット」で手続きを始めてから、コンビニエンスストアのキオスク端末で再設定できます（キオスク端末の利用時間は6:30〜23:00、アプリでの手続きから24時間以内）。わからない場合は、';
const KIOSK_EN =
	', you can reset it at a convenience-store kiosk after starting in the smartphone app “JPKI暗証番号リセット” (kiosk hours 6:30–23:00, within 24 hours of the app step). Otherwise, ';

/** The other JPKI PIN that opens the convenience-store route (F6: "provided the other PIN is known"). */
const KIOSK_PARTNER: Partial<Record<PinKind, PinKind>> = { auth: PinKind.Sign, sign: PinKind.Auth };

const LOCKED = {
	auth: { ja: '利用者証明用電子証明書の暗証番号がロックされています。', en: 'The authentication PIN is locked.' },
	sign: { ja: '署名用電子証明書の暗証番号（パスワード）がロックされています。', en: 'The signing password is locked.' },
	text: {
		ja: '券面事項入力補助用の暗証番号がロックされています。再設定は市区町村の窓口でのみできます。',
		en: 'The card-information PIN is locked. It can be reset only at the municipal office.'
	},
	'text-a': {
		ja: '券面事項入力補助用の暗証番号Aの入力回数が上限に達しました。',
		en: 'Card-information code A has no tries left.'
	},
	'text-b': {
		ja: '券面事項入力補助用の暗証番号Bの入力回数が上限に達しました。',
		en: 'Card-information code B has no tries left.'
	},
	'visual-a': { ja: '照合番号Aの入力回数が上限に達しました。', en: 'Card-face code A has no tries left.' },
	'visual-b': { ja: '照合番号Bの入力回数が上限に達しました。', en: 'Card-face code B has no tries left.' }
} as const satisfies Record<PinKind, { ja: string; en: string }>;

const PARTNER_NAME = {
	auth: { ja: '利用者証明用電子証明書の暗証番号', en: 'If you know your authentication PIN' },
	sign: { ja: '署名用電子証明書の暗証番号（パスワード）', en: 'If you know your signing password' }
} as const;

/**
 * The recovery route for a blocked PIN. The authentication PIN and the signing password can be reset at a
 * convenience-store kiosk when the other one is known (and not blocked itself); every other PIN, and those two when
 * the other is blocked too, only at the municipal office. For the A/B codes no source says more than "the office"
 * (UNSURE).
 */
export function pinRecoveryHint(pin: PinKind, context: { otherPinBlocked?: boolean } = {}): PinRecoveryHint {
	const partner = KIOSK_PARTNER[pin];
	const locked = LOCKED[pin];
	if (partner && !context.otherPinBlocked && (partner === PinKind.Auth || partner === PinKind.Sign)) {
		const name = PARTNER_NAME[partner];
		return {
			pin,
			places: [RecoveryPlace.ConvenienceStore, RecoveryPlace.MunicipalOffice],
			convenienceStoreNeeds: partner,
			ja: `${locked.ja}${name.ja}${KIOSK_JA}${OFFICE_JA}`,
			en: `${locked.en} ${name.en}${KIOSK_EN}${OFFICE_EN.charAt(0).toLowerCase()}${OFFICE_EN.slice(1)}`
		};
	}
	return { pin, places: [RecoveryPlace.MunicipalOffice], ja: `${locked.ja}${OFFICE_JA}`, en: `${locked.en} ${OFFICE_EN}` };
}
