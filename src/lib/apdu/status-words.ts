import { toHex } from '../bytes';

/** Named status words (SW1 SW2 as one 16-bit number) that code branches on. */
export const StatusWord = {
	Ok: 0x9000,
	EndOfFileReached: 0x6282,
	FileDeactivated: 0x6283,
	VerificationFailed: 0x6300,
	MemoryFailure: 0x6581,
	WrongLength: 0x6700,
	LogicalChannelNotSupported: 0x6881,
	SecureMessagingNotSupported: 0x6882,
	CommandNotAllowed: 0x6900,
	IncompatibleFileStructure: 0x6981,
	SecurityStatusNotSatisfied: 0x6982,
	AuthenticationMethodBlocked: 0x6983,
	ReferenceDataNotUsable: 0x6984,
	ConditionsOfUseNotSatisfied: 0x6985,
	NoCurrentEf: 0x6986,
	SecureMessagingRejected: 0x69fc,
	IncorrectData: 0x6a80,
	FunctionNotSupported: 0x6a81,
	FileNotFound: 0x6a82,
	RecordNotFound: 0x6a83,
	IncorrectP1P2: 0x6a86,
	ReferencedDataNotFound: 0x6a88,
	WrongP1P2: 0x6b00,
	InstructionNotSupported: 0x6d00,
	ClassNotSupported: 0x6e00,
	NoPreciseDiagnosis: 0x6f00
} as const;

/** SW1 values whose SW2 is a count rather than a reason. */
export const StatusWord1 = {
	/** 61xx: xx more bytes wait for GET RESPONSE (00 = 256). */
	BytesAvailable: 0x61,
	/** 63Cx: a PIN retry counter, x tries left. */
	Warning: 0x63,
	/** 6Cxx: wrong Le, resend with Le = xx (00 = 256). */
	WrongLe: 0x6c
} as const;

export type StatusWordLocale = 'ja' | 'en';

interface StatusWordMeaning {
	readonly ja: string;
	readonly en: string;
}

/**
 * Meanings by pattern: four hex digits for one SW, `..CX` for a low-nibble counter, `..XX` for everything else
 * under that SW1, `9XXX` for proprietary codes and `XXXX` as the last resort. `{n}` is the count carried in SW2,
 * `{sw}` the status word itself. Sources: ISO/IEC 7816-4 §5.6 tables 5–6; 69FC from a report that the My Number
 * Card answers CLA 08 (secure messaging) with it (facts/jpki.md §4, one source).
 */
export const StatusWordMeanings = {
	'9000': { ja: '正常に終了しました', en: 'Success' },
	'61XX': {
		ja: 'まだ{n}バイトの応答データがあります（GET RESPONSE で受け取ります）',
		en: '{n} more response bytes are available (fetched with GET RESPONSE)'
	},
	'6200': { ja: '警告：詳しい情報はありません（カードの状態は変わっていません）', en: 'Warning: no information given (card state unchanged)' },
	'6281': { ja: '返されたデータの一部が壊れている可能性があります', en: 'Part of the returned data may be corrupted' },
	'6282': {
		ja: '指定した長さを読み終える前にファイルの終わりに達しました',
		en: 'End of file or record reached before reading Le bytes'
	},
	'6283': { ja: '選択したファイルは無効化されています', en: 'The selected file is deactivated' },
	'6284': { ja: 'ファイル制御情報の形式が正しくありません', en: 'File control information is not formatted correctly' },
	'62XX': { ja: '警告（カードの状態は変わっていません）', en: 'Warning (card state unchanged)' },
	'6300': { ja: '照合に失敗しました', en: 'Verification failed' },
	'6381': { ja: '最後の書き込みでファイルがいっぱいになりました', en: 'File filled up by the last write' },
	'63CX': {
		ja: '暗証番号が一致しないか、まだ照合されていません（残り{n}回）',
		en: 'PIN wrong or not yet verified ({n} tries left)'
	},
	'63XX': { ja: '警告（カードの状態が変わった可能性があります）', en: 'Warning (card state may have changed)' },
	'6401': {
		ja: 'カードが即時の応答を求めています（リーダーによってはカードから応答がなかったことを示します）',
		en: 'Immediate response required by the card (some readers use it for "no answer from the card")'
	},
	'64XX': { ja: '実行エラー（カードの状態は変わっていません）', en: 'Execution error (card state unchanged)' },
	'6581': { ja: 'カードのメモリ障害が発生しました', en: 'Memory failure' },
	'65XX': { ja: '実行エラー（カードの状態が変わった可能性があります）', en: 'Execution error (card state may have changed)' },
	'66XX': { ja: 'セキュリティに関するエラーが発生しました', en: 'Security-related error' },
	'6700': { ja: 'コマンドの長さ（Lc または Le）が正しくありません', en: 'Wrong length (Lc or Le)' },
	'67XX': { ja: 'コマンドの長さが正しくありません', en: 'Wrong length' },
	'6800': { ja: 'CLA で指定した機能に対応していません', en: 'Functions in CLA not supported' },
	'6881': { ja: '論理チャネルに対応していません', en: 'Logical channel not supported' },
	'6882': { ja: 'セキュアメッセージングに対応していません', en: 'Secure messaging not supported' },
	'6883': { ja: 'コマンドチェーンの最後のコマンドが必要です', en: 'Last command of the chain expected' },
	'6884': { ja: 'コマンドチェーンに対応していません', en: 'Command chaining not supported' },
	'68XX': { ja: 'CLA で指定した機能に対応していません', en: 'Functions in CLA not supported' },
	'6900': { ja: 'このコマンドは実行できません', en: 'Command not allowed' },
	'6981': { ja: 'ファイルの構造に合わないコマンドです', en: 'Command incompatible with the file structure' },
	'6982': {
		ja: 'セキュリティ条件を満たしていません（暗証番号の照合が必要です）',
		en: 'Security status not satisfied (PIN verification required)'
	},
	'6983': {
		ja: '暗証番号がロックされています（入力できる回数の上限に達しました）',
		en: 'Authentication method blocked (the PIN is locked)'
	},
	'6984': {
		ja: '参照データが使えません（暗証番号がロックされている可能性があります）',
		en: 'Reference data not usable (the PIN may be locked)'
	},
	'6985': {
		ja: '使用条件を満たしていません（コマンドの順序が正しくない可能性があります）',
		en: 'Conditions of use not satisfied (the command may be out of order)'
	},
	'6986': { ja: 'コマンドを実行できません（ファイルが選択されていません）', en: 'Command not allowed (no current EF)' },
	'6987': { ja: 'セキュアメッセージングのデータが足りません', en: 'Expected secure messaging data objects missing' },
	'6988': { ja: 'セキュアメッセージングのデータが正しくありません', en: 'Secure messaging data objects incorrect' },
	'69FC': {
		ja: 'このカードはセキュアメッセージングに対応していません（カード独自のステータス）',
		en: 'Secure messaging not supported (card-specific status)'
	},
	'69XX': { ja: 'このコマンドは実行できません', en: 'Command not allowed' },
	'6A80': { ja: 'データフィールドの内容が正しくありません', en: 'Incorrect parameters in the data field' },
	'6A81': { ja: 'この機能には対応していません', en: 'Function not supported' },
	'6A82': { ja: 'ファイルまたはアプリケーションが見つかりません', en: 'File or application not found' },
	'6A83': { ja: 'レコードが見つかりません', en: 'Record not found' },
	'6A84': { ja: 'ファイルの空き容量が足りません', en: 'Not enough memory space in the file' },
	'6A86': { ja: 'パラメータ P1・P2 が正しくありません', en: 'Incorrect parameters P1-P2' },
	'6A87': { ja: 'データの長さが P1・P2 と合っていません', en: 'Lc inconsistent with P1-P2' },
	'6A88': { ja: '指定したデータ（鍵や暗証番号など）が見つかりません', en: 'Referenced data (key or PIN) not found' },
	'6AXX': { ja: 'パラメータが正しくありません', en: 'Wrong parameters' },
	'6B00': {
		ja: 'パラメータ P1・P2 が正しくありません（ファイルの範囲外を指定しています）',
		en: 'Wrong parameters P1-P2 (offset outside the file)'
	},
	'6CXX': {
		ja: '要求した長さ（Le）が正しくありません（正しい長さは{n}バイトです）',
		en: 'Wrong Le: exactly {n} bytes are available'
	},
	'6D00': { ja: 'カードはこの命令（INS）に対応していません', en: 'Instruction code not supported' },
	'6E00': { ja: 'カードはこの命令クラス（CLA）に対応していません', en: 'Class not supported' },
	'6F00': { ja: 'カード内部でエラーが発生しました（詳細は不明です）', en: 'No precise diagnosis' },
	'6FXX': { ja: 'カード内部でエラーが発生しました', en: 'Internal card error' },
	'9XXX': { ja: 'カード独自のステータス（{sw}）です', en: 'Card-specific status {sw}' },
	XXXX: { ja: '不明なステータス（{sw}）です', en: 'Unknown status {sw}' }
} as const satisfies Record<string, StatusWordMeaning>;

export type StatusWordPattern = keyof typeof StatusWordMeanings;

/** The status word as four upper-case hex digits, e.g. `6A82`. */
export function formatStatusWord(sw: number): string {
	return toHex(new Uint8Array([(sw >>> 8) & 0xff, sw & 0xff])).toUpperCase();
}

function isPattern(key: string): key is StatusWordPattern {
	return Object.hasOwn(StatusWordMeanings, key);
}

/** The most specific entry of `StatusWordMeanings` that covers `sw`. */
export function statusWordPattern(sw: number): StatusWordPattern {
	if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) return 'XXXX';
	const hex = formatStatusWord(sw);
	for (const key of [hex, `${hex.slice(0, 3)}X`, `${hex.slice(0, 2)}XX`, `${hex.slice(0, 1)}XXX`]) {
		if (isPattern(key)) return key;
	}
	return 'XXXX';
}

/** The count SW2 carries for 61xx / 6Cxx (bytes, 00 = 256) and 63Cx (tries left); otherwise SW2 itself. */
export function statusWordCount(sw: number): number {
	const sw1 = sw >>> 8;
	const sw2 = sw & 0xff;
	if (sw1 === StatusWord1.BytesAvailable || sw1 === StatusWord1.WrongLe) return sw2 || 256;
	if (sw1 === StatusWord1.Warning && (sw2 & 0xf0) === 0xc0) return sw2 & 0x0f;
	return sw2;
}

export function describeStatusWord(sw: number, locale: StatusWordLocale = 'ja'): string {
	const pattern = statusWordPattern(sw);
	const label = Number.isInteger(sw) && sw >= 0 && sw <= 0xffff ? formatStatusWord(sw) : String(sw);
	return StatusWordMeanings[pattern][locale].replace('{n}', String(statusWordCount(sw))).replace('{sw}', label);
}

export function isOkStatus(sw: number): boolean {
	return sw === StatusWord.Ok;
}

/** Tries left as the card reports it: 63Cx gives x, a blocked PIN (6983, 6984) gives 0, anything else undefined. */
export function pinRetriesFromStatusWord(sw: number): number | undefined {
	if (sw >>> 8 === StatusWord1.Warning && (sw & 0xf0) === 0xc0) return sw & 0x0f;
	if (sw === StatusWord.AuthenticationMethodBlocked || sw === StatusWord.ReferenceDataNotUsable) return 0;
	return undefined;
}
