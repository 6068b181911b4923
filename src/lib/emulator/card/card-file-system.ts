import { fromHex } from '../../bytes';
import type { RsaCrtPrivateKey } from './rsa-crt-private-key';
import type { VirtualCardPinId } from './virtual-card-pin';

/** Application identifiers (facts/jpki.md §1). */
export const MynaApplicationAid = {
	/** 公的個人認証AP (JPKI-AP). */
	jpki: 'D392F000260100000001',
	/** 券面事項入力補助AP (text AP). */
	text: 'D3921000310001010408',
	/** 券面AP / 券面事項確認AP (visual AP). */
	visual: 'D3921000310001010402',
	/** 住基AP (UNSURE which AID carries PIN EF 001C; emulator data says this one). */
	juki: 'D3921000310001010401',
	/** Common / unknown AP: not modelled, SELECT answers 6A82. */
	common: 'D3921000310001010100'
} as const;
export type MynaApplicationName = Exclude<keyof typeof MynaApplicationAid, 'common'>;

/** JPKI-AP EFs (facts/jpki.md §2). */
export const JpkiApFile = {
	signCertificate: 0x0001,
	signCaCertificate: 0x0002,
	tokenInfo: 0x0006,
	certificatePresence: 0x0008,
	authCertificate: 0x000a,
	authCaCertificate: 0x000b,
	authKey: 0x0017,
	authPin: 0x0018,
	signKey: 0x001a,
	signPin: 0x001b
} as const;

/** 券面事項入力補助AP EFs (facts/jpki.md §5). */
export const TextApFile = {
	myNumber: 0x0001,
	basicFourInfo: 0x0002,
	apBasicInfo: 0x0005,
	pin: 0x0011,
	pinA: 0x0014,
	pinB: 0x0015
} as const;

/** 券面AP EFs (facts/jpki.md §6). */
export const VisualApFile = {
	cardFace: 0x0002,
	basicInfo: 0x0003,
	pinB: 0x0012,
	pinA: 0x0013
} as const;

/** 住基AP EFs. */
export const JukiApFile = { pin: 0x001c } as const;

/** Who may READ BINARY an EF: anyone, or a session in which any one of the listed PINs was verified. */
export type CardFileAccess = { readonly kind: 'always' } | { readonly kind: 'pin'; readonly anyOf: readonly VirtualCardPinId[] };

export const ALWAYS: CardFileAccess = { kind: 'always' };

export function needsPin(...anyOf: VirtualCardPinId[]): CardFileAccess {
	return { kind: 'pin', anyOf };
}

export type CardElementaryFile =
	| { readonly type: 'data'; readonly fid: number; readonly content: Uint8Array; readonly read: CardFileAccess }
	| { readonly type: 'pin'; readonly fid: number; readonly pin: VirtualCardPinId }
	| { readonly type: 'key'; readonly fid: number; readonly key: RsaCrtPrivateKey; readonly use: VirtualCardPinId };

export interface CardApplication {
	readonly name: MynaApplicationName;
	readonly aid: Uint8Array;
	readonly files: ReadonlyMap<number, CardElementaryFile>;
}

export function cardApplication(name: MynaApplicationName, files: readonly CardElementaryFile[]): CardApplication {
	return { name, aid: fromHex(MynaApplicationAid[name]), files: new Map(files.map((file) => [file.fid, file])) };
}
