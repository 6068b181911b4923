import { fromHex } from '../../bytes';
import { TestPki, TestCertificateSetId, type TestCertificateSet } from './test-pki';
import { TEST_PERSONAS, TestPersonaId, isValidMyNumber, type MynaPersona } from './test-personas';
import { ALL_PIN_IDS, VirtualCardPinId } from './virtual-card-pin';

/** What kind of JPKI token the virtual card is. */
export const VirtualCardVariant = {
	/** マイナンバーカード: token label JPKIAPICCTOKEN2, all three applications. */
	myna: 'myna',
	/** The old 住基カード: token label JPKIAPICCTOKEN, JPKI-AP only. */
	juki: 'juki',
	/** スマホ用電子証明書 (Android GP SE): token label JPKIAPGPSETOKEN, JPKI-AP only, auth cert needs the auth PIN. */
	phone: 'phone',
	/** A child's My Number Card: no signing certificate / key / password (SELECT 0001, 001A, 001B → 6A82). */
	child: 'child'
} as const;
export type VirtualCardVariant = (typeof VirtualCardVariant)[keyof typeof VirtualCardVariant];

/** Answer-to-reset bytes (facts/jpki.md §8). Do not gate on them; the host must detect the card by SELECT. */
export const MynaCardAtr = {
	/** The ATR OpenSC matches: 3B E0 00 FF 81 31 FE 45 14. */
	classic: '3BE000FF8131FE4514',
	/** A newer card (OpenSC issue #3021). */
	newer: '3BDA13FF8131FB468012392F31C173C601C03B'
} as const;

/** Format of 照合番号B (券面AP EF 0012). Both readings exist; neither is confirmed on a real card. */
export const VisualPinBFormat = {
	/** jpki-rs: birth date YYYYMMDD + expiry year YYYY + security code (16 digits). The default. */
	yyyymmdd: 'YYYYMMDD',
	/** birth date YYMMDD + expiry year YYYY + security code (14 digits). */
	yymmdd: 'YYMMDD'
} as const;
export type VisualPinBFormat = (typeof VisualPinBFormat)[keyof typeof VisualPinBFormat];

export interface VirtualMynaCardOptions {
	/** Default 'myna'. */
	readonly variant?: VirtualCardVariant;
	/** A fixture persona id or a full persona. Default: 'hanako' ('sakura' for the child variant). */
	readonly persona?: TestPersonaId | MynaPersona;
	/**
	 * Which fixture certificates to load. Default 'valid'. The certificates come from the fixtures of the persona's id
	 * (hanako has every set; taro and sakura only 'valid'); a custom persona whose id is not a fixture persona gets
	 * hanako's (sakura's for the child variant) — their SAN then shows that persona's 4 info, not the custom one.
	 */
	readonly certificates?: TestCertificateSetId;
	/** PIN values; defaults: auth 1234, sign ABC123, text 1234, juki 1234, A-PINs = my number, B-PINs derived. */
	readonly pins?: Partial<Record<VirtualCardPinId, string>>;
	/** Initial tries left per PIN (0 = blocked). Defaults to each PIN's maximum. */
	readonly triesLeft?: Partial<Record<VirtualCardPinId, number>>;
	/** Accept extended-length APDUs (default false: the card is proven only with short APDUs; extended → 6700). */
	readonly extendedLength?: boolean;
	/** 'classic' (default), 'newer', or explicit bytes. */
	readonly atr?: keyof typeof MynaCardAtr | Uint8Array;
	/** Empty VERIFY on a PIN already verified in this session: '9000' (ISO, default) or '63Cx' (the counter). UNSURE. */
	readonly verifiedEmptyVerify?: '9000' | '63Cx';
	/**
	 * SELECT by AID of the application that is already selected: 'reset' (default) forgets the verified PINs, as a
	 * fresh selection does on many cards; 'keep' leaves them. Selecting a different application always forgets them.
	 * UNSURE for the real card: 'reset' is the conservative model (host code that re-selects between VERIFY and READ
	 * or SIGN fails here instead of only on some cards).
	 */
	readonly securityOnReselect?: 'reset' | 'keep';
	/** Format of 照合番号B. Default 'YYYYMMDD' (16 digits). */
	readonly visualPinBFormat?: VisualPinBFormat;
	/** How many entries `card.log` keeps (oldest dropped first). Default 1000. */
	readonly logLimit?: number;
}

export interface ResolvedVirtualCardOptions {
	readonly variant: VirtualCardVariant;
	readonly persona: MynaPersona;
	readonly certificateSet: TestCertificateSet;
	readonly hasSignCredential: boolean;
	readonly pins: Readonly<Record<VirtualCardPinId, string>>;
	readonly triesLeft: Readonly<Partial<Record<VirtualCardPinId, number>>>;
	readonly extendedLength: boolean;
	readonly atr: Uint8Array;
	readonly verifiedEmptyVerify: '9000' | '63Cx';
	readonly securityOnReselect: 'reset' | 'keep';
	readonly visualPinBFormat: VisualPinBFormat;
	readonly logLimit: number;
}

const FIXTURE_PERSONAS: ReadonlySet<string> = new Set(Object.values(TestPersonaId));

export function resolveVirtualCardOptions(options: VirtualMynaCardOptions = {}): ResolvedVirtualCardOptions {
	const variant = options.variant ?? VirtualCardVariant.myna;
	if (!Object.values(VirtualCardVariant).includes(variant)) throw new RangeError('unknown card variant');
	const defaultPersona: TestPersonaId = variant === VirtualCardVariant.child ? TestPersonaId.sakura : TestPersonaId.hanako;
	const persona: MynaPersona =
		options.persona === undefined
			? TEST_PERSONAS[defaultPersona]
			: typeof options.persona === 'string'
				? personaById(options.persona)
				: options.persona;
	checkPersona(persona);

	const setId = options.certificates ?? TestCertificateSetId.valid;
	const pkiPersona = FIXTURE_PERSONAS.has(persona.id) ? (persona.id as TestPersonaId) : defaultPersona;
	const certificateSet = TestPki.certificateSet(pkiPersona, setId);
	if (!certificateSet) {
		const available = TestPki.availableSets()
			.map((s) => `${s.persona}/${s.set}`)
			.join(', ');
		throw new RangeError(`no test certificate set "${pkiPersona}/${setId}" (available: ${available})`);
	}

	const visualPinBFormat = options.visualPinBFormat ?? VisualPinBFormat.yyyymmdd;
	const collationB =
		(visualPinBFormat === VisualPinBFormat.yyyymmdd ? persona.birthDate : persona.birthDate.slice(2)) +
		persona.cardExpiryDate.slice(0, 4) +
		persona.securityCode;
	const defaults: Record<VirtualCardPinId, string> = {
		auth: '1234',
		sign: 'ABC123',
		text: '1234',
		'text-a': persona.myNumber,
		'text-b': collationB,
		'visual-a': persona.myNumber,
		'visual-b': collationB,
		juki: '1234'
	};
	const pins = { ...defaults };
	for (const id of ALL_PIN_IDS) {
		const given = options.pins?.[id];
		if (given !== undefined) pins[id] = given;
	}

	const atrOption = options.atr ?? 'classic';
	const atr = typeof atrOption === 'string' ? fromHex(MynaCardAtr[atrOption]) : atrOption.slice();

	const logLimit = options.logLimit ?? 1000;
	if (!Number.isInteger(logLimit) || logLimit < 0) throw new RangeError('logLimit must be a non-negative integer');

	return {
		variant,
		persona,
		certificateSet,
		hasSignCredential: variant !== VirtualCardVariant.child && certificateSet.sign !== null,
		pins,
		triesLeft: { ...options.triesLeft },
		extendedLength: options.extendedLength ?? false,
		atr,
		verifiedEmptyVerify: options.verifiedEmptyVerify ?? '9000',
		securityOnReselect: options.securityOnReselect ?? 'reset',
		visualPinBFormat,
		logLimit
	};
}

function personaById(id: string): MynaPersona {
	if (!FIXTURE_PERSONAS.has(id)) throw new RangeError(`unknown test persona "${id}"`);
	return TEST_PERSONAS[id as TestPersonaId];
}

function checkPersona(persona: MynaPersona): void {
	const date = /^[0-9]{8}$/;
	if (!date.test(persona.birthDate) || !date.test(persona.cardExpiryDate)) throw new TypeError('persona dates must be YYYYMMDD');
	if (!isValidMyNumber(persona.myNumber)) throw new TypeError('persona my number must be 12 digits with a valid check digit');
	if (!/^[0-9]{4}$/.test(persona.securityCode)) throw new TypeError('persona security code must be 4 digits');
	if (!['1', '2', '9'].includes(persona.sex)) throw new TypeError('persona sex must be 1, 2 or 9');
}
