import { ApduStatusError, Instruction, isApduStatusError, StatusWord } from '../apdu';
import { toHex, wipe } from '../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import { CardApplication, JpkiFile } from './card-applications';
import { CardCommand } from './card-commands';
import { ReadLimit, type CardSession, type SigningKeyKind } from './card-session';
import { buildDigestInfo, HashAlgorithms, isHashAlgorithm, type HashAlgorithm } from './digest-info';
import { CardKind, classifyTokenLabel, parseTokenLabel, TOKEN_LABEL_LENGTH, type PhonePlatform } from './jpki-token-info';
import type { PinGuard, PinOptions } from './pin-guard';
import { PinKind } from './pin-specs';
import { verifyPkcs1v15 } from './rsa-pkcs1-verify';
import { certificatePublicKey, type RsaPublicKey } from './rsa-public-key';

export const CertificateKind = {
	/** 利用者証明用電子証明書: readable without a PIN (on phone tokens only after the auth PIN). */
	Auth: 'auth',
	/** 署名用電子証明書: readable only after the signing password; absent on children's cards. */
	Sign: 'sign',
	AuthCa: 'auth-ca',
	SignCa: 'sign-ca'
} as const;
export type CertificateKind = (typeof CertificateKind)[keyof typeof CertificateKind];

/** JPKI certificates are 1–2 KB; anything above this is a corrupt header, not a certificate. */
export const MAX_CERTIFICATE_LENGTH = 0x4000;

const CertificateFiles = {
	auth: { fid: JpkiFile.AuthCertificate, pin: PinKind.Auth, en: 'user authentication certificate' },
	sign: { fid: JpkiFile.SignCertificate, pin: PinKind.Sign, en: 'signing certificate' },
	'auth-ca': { fid: JpkiFile.AuthCaCertificate, pin: undefined, en: 'user authentication CA certificate' },
	'sign-ca': { fid: JpkiFile.SignCaCertificate, pin: undefined, en: 'signing CA certificate' }
} as const satisfies Record<CertificateKind, { fid: number; pin: SigningKeyKind | undefined; en: string }>;

const KeyFiles = { auth: JpkiFile.AuthKey, sign: JpkiFile.SignKey } as const satisfies Record<SigningKeyKind, number>;

export interface CardDetection {
	readonly kind: CardKind;
	/** The token label as read (e.g. `JPKIAPICCTOKEN2`); absent when there is no JPKI-AP or no readable label. */
	readonly tokenLabel?: string;
	readonly platform?: PhonePlatform;
	/** The ATR as upper-case hex, for diagnostics only: detection never depends on it. */
	readonly atr?: string;
}

export interface CardCertificate {
	readonly kind: CertificateKind;
	readonly der: Uint8Array;
}

export interface CardSignature {
	readonly keyKind: SigningKeyKind;
	readonly hashAlgorithm: HashAlgorithm;
	/** PKCS#1 v1.5 signature, checked against the certificate's public key before it was returned. */
	readonly signature: Uint8Array;
	/** True for SHA-1: made only for compatibility with systems that still require it. */
	readonly compatibilityOnly: boolean;
}

export interface ReadCertificateOptions extends PinOptions {
	/** The matching PIN, verified first (the signing password for `sign`; the auth PIN for `auth` on phone tokens). */
	pin?: string;
}

export interface SignOptions extends PinOptions {
	/** The matching PIN, verified first; without it the PIN must have been verified earlier in this session. */
	pin?: string;
	/** SHA-1 is refused unless this is set. */
	allowSha1?: boolean;
}

/** The JPKI-AP (公的個人認証AP): detection by token label, certificates, and signatures with either key. */
export class JpkiSession {
	readonly #session: CardSession;
	readonly #guard: PinGuard;
	readonly #atr: () => Uint8Array | undefined;

	/** `atr` is asked at detection time: a channel may learn it only when the card is powered. */
	constructor(session: CardSession, guard: PinGuard, atr: () => Uint8Array | undefined = () => undefined) {
		this.#session = session;
		this.#guard = guard;
		this.#atr = atr;
	}

	/** SELECT the JPKI-AP and read the token label; never looks at the ATR to decide. */
	async detect(signal?: AbortSignal): Promise<CardDetection> {
		const atrBytes = this.#atr();
		const atr = atrBytes && atrBytes.length > 0 ? { atr: toHex(atrBytes).toUpperCase() } : {};
		let found: boolean;
		try {
			found = await this.#session.selectApplication(CardApplication.Jpki, signal);
		} catch (error) {
			// 6D00, 6E00, 6A86 …: a card that does not even understand the selection is not a JPKI token.
			if (isApduStatusError(error)) return { kind: CardKind.NotJpki, ...atr };
			throw error;
		}
		if (!found) return { kind: CardKind.NotJpki, ...atr };
		let label: string | undefined;
		if (await this.#session.selectFile(JpkiFile.TokenInfo, signal)) {
			try {
				label = parseTokenLabel(await this.#session.readStart(TOKEN_LABEL_LENGTH, signal));
			} catch (error) {
				if (!isApduStatusError(error)) throw error;
			}
		}
		return { ...classifyTokenLabel(label), ...(label === undefined ? {} : { tokenLabel: label }), ...atr };
	}

	async readCertificate(kind: CertificateKind, options: ReadCertificateOptions = {}): Promise<CardCertificate> {
		const file = CertificateFiles[kind];
		if (!file) throw new MynaError(ErrorKind.Unsupported, 'Unknown certificate kind', { reason: 'certificate-kind' });
		throwIfAborted(options.signal);
		if (options.pin !== undefined && file.pin !== undefined) await this.#guard.verify(file.pin, options.pin, options);
		return { kind, der: await this.#readCertificate(kind, options.signal) };
	}

	async sign(kind: SigningKeyKind, digest: Uint8Array, hashAlgorithm: HashAlgorithm, options: SignOptions = {}): Promise<CardSignature> {
		if (kind !== PinKind.Auth && kind !== PinKind.Sign) {
			throw new MynaError(ErrorKind.Unsupported, 'Only the auth and sign keys can sign', { reason: 'key-kind' });
		}
		if (!isHashAlgorithm(hashAlgorithm)) throw new MynaError(ErrorKind.Unsupported, 'Unknown hash algorithm', { reason: 'hash-algorithm' });
		const { compatibilityOnly } = HashAlgorithms[hashAlgorithm];
		if (compatibilityOnly && options.allowSha1 !== true) {
			throw new MynaError(ErrorKind.Unsupported, 'SHA-1 signatures are made only for compatibility, with allowSha1', {
				reason: 'sha1-not-allowed'
			});
		}
		const digestInfo = buildDigestInfo(hashAlgorithm, digest);
		throwIfAborted(options.signal);
		if (options.pin !== undefined) await this.#guard.verify(kind, options.pin, options);
		// The verified set is emptied whenever another application is selected, so this also means the JPKI-AP is current.
		if (!this.#session.verified.has(kind)) throw notVerified(kind);
		const key = await this.#publicKey(kind, options.signal);
		if (!(await this.#session.selectFile(KeyFiles[kind], options.signal))) {
			throw new MynaError(ErrorKind.FileNotFound, `This card has no ${kind === PinKind.Sign ? 'signing' : 'authentication'} key`, {
				key: kind
			});
		}
		const response = await this.#session.send(CardCommand.computeDigitalSignature(digestInfo), options.signal);
		if (response.sw === StatusWord.SecurityStatusNotSatisfied) throw notVerified(kind);
		if (response.sw !== StatusWord.Ok) throw new ApduStatusError(response.sw, { ins: Instruction.PerformSecurityOperation });
		if (!verifyPkcs1v15(key, digestInfo, response.data)) {
			throw new MynaError(ErrorKind.SignatureInvalid, "The card's signature does not verify with its certificate", {
				key: kind,
				length: response.data.length
			});
		}
		return { keyKind: kind, hashAlgorithm, signature: response.data, compatibilityOnly };
	}

	async #readCertificate(kind: CertificateKind, signal?: AbortSignal): Promise<Uint8Array> {
		const file = CertificateFiles[kind];
		await this.#session.requireApplication(CardApplication.Jpki, signal);
		if (!(await this.#session.selectFile(file.fid, signal))) throw missingCertificate(kind);
		if (kind === CertificateKind.Sign && !this.#session.verified.has(PinKind.Sign)) throw notVerified(PinKind.Sign);
		try {
			return await this.#session.readObject(ReadLimit.LargeObjectProbe, signal, MAX_CERTIFICATE_LENGTH);
		} catch (error) {
			if (isApduStatusError(error, StatusWord.SecurityStatusNotSatisfied) && file.pin !== undefined) throw notVerified(file.pin);
			throw error;
		}
	}

	async #publicKey(kind: SigningKeyKind, signal?: AbortSignal): Promise<RsaPublicKey> {
		const cached = this.#session.publicKeys.get(kind);
		if (cached) return cached;
		const der = await this.#readCertificate(kind, signal);
		try {
			const key = certificatePublicKey(der);
			this.#session.publicKeys.set(kind, key);
			return key;
		} finally {
			// The signing certificate carries the 4 info: keep only its public key.
			wipe(der);
		}
	}
}

function notVerified(pin: SigningKeyKind): MynaError {
	const what = pin === PinKind.Sign ? 'signing password' : 'authentication PIN';
	return new MynaError(ErrorKind.SecurityStatus, `The card needs the ${what} verified in this session first`, { requires: pin });
}

function missingCertificate(kind: CertificateKind): MynaError {
	if (kind === CertificateKind.Sign) {
		return new MynaError(
			ErrorKind.FileNotFound,
			'This card has no signing certificate: it is not issued to children under 15, or was not requested',
			{ certificate: kind, reason: 'no-signing-certificate' }
		);
	}
	return new MynaError(ErrorKind.FileNotFound, `This card has no ${CertificateFiles[kind].en}`, { certificate: kind });
}
