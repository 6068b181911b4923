import { decodeBase64 } from './base64-codec';
import { TEST_PKI_DATA } from './fixtures/test-pki-data';
import type { RsaPrivateJwk } from './rsa-crt-private-key';
import type { TestPersonaId } from './test-personas';

/**
 * Typed access to the committed test PKI (fixtures/test-pki-data.ts, made by scripts/make-test-pki.ts).
 * Every getter returns fresh copies, so a test can change the bytes it got without touching the fixtures.
 *
 * TEST KEYS ONLY: the CA names say "JPKI TEST" / "Emulated Agency (NOT J-LIS)" and must never be trusted where real
 * cards are checked.
 */

export const TestCertificateSetId = {
	valid: 'valid',
	expired: 'expired',
	/** The signing certificate is on the current signing-CA CRL (affiliationChanged, a move); auth is not. */
	revoked: 'revoked',
	notYetValid: 'not-yet-valid',
	/** Both certificates are on the current CRLs (keyCompromise, a lost card). */
	lost: 'lost'
} as const;
export type TestCertificateSetId = (typeof TestCertificateSetId)[keyof typeof TestCertificateSetId];

export type TestCertificateKind = 'sign' | 'auth';

/** CRL reason codes (RFC 5280 §5.3.1) used in the fixtures. */
export const TestCrlReason = {
	unspecified: 0,
	keyCompromise: 1,
	affiliationChanged: 3,
	superseded: 4,
	cessationOfOperation: 5,
	certificateHold: 6
} as const;

export interface TestRevocation {
	readonly date: Date;
	readonly reason: number;
}

export interface TestEndEntity {
	/** Serial number, upper-case hex (8 digits). */
	readonly serial: string;
	readonly notBefore: Date;
	readonly notAfter: Date;
	/** Set when the serial is on the issuing CA's current CRL. */
	readonly revocation: TestRevocation | null;
	readonly certificate: Uint8Array<ArrayBuffer>;
	readonly privateKeyJwk: RsaPrivateJwk;
}

export interface TestCertificateSet {
	readonly persona: TestPersonaId;
	readonly set: TestCertificateSetId;
	/** Null for a child (no signing certificate issued). */
	readonly sign: TestEndEntity | null;
	readonly auth: TestEndEntity;
}

export interface TestCrl {
	readonly crlNumber: number;
	readonly thisUpdate: Date;
	readonly nextUpdate: Date;
	readonly entries: readonly { readonly serial: string; readonly date: Date; readonly reason: number }[];
	readonly der: Uint8Array<ArrayBuffer>;
}

export interface TestCertificateAuthority {
	readonly kind: TestCertificateKind;
	readonly serial: string;
	readonly notBefore: Date;
	readonly notAfter: Date;
	/** Upper-case hex SHA-1 of the subject public key (what the AKI of its certificates and CRLs carries). */
	readonly subjectKeyIdentifier: string;
	readonly certificate: Uint8Array<ArrayBuffer>;
	readonly privateKeyJwk: RsaPrivateJwk;
	/** `current`: thisUpdate 2026-11-01, nextUpdate 2049-12-31, CRL number 2. `stale`: Jan 2024, CRL number 1. */
	readonly crls: { readonly current: TestCrl; readonly stale: TestCrl };
}

type RawEndEntity = {
	readonly serial: string;
	readonly notBefore: string;
	readonly notAfter: string;
	readonly revocation: { readonly date: string; readonly reason: number } | null;
	readonly certificate: string;
	readonly privateKeyJwk: RsaPrivateJwk;
};
type RawCrl = {
	readonly crlNumber: number;
	readonly thisUpdate: string;
	readonly nextUpdate: string;
	readonly entries: readonly { readonly serial: string; readonly date: string; readonly reason: number }[];
	readonly der: string;
};

const endEntities: Readonly<Record<string, { readonly sign: RawEndEntity | null; readonly auth: RawEndEntity }>> =
	TEST_PKI_DATA.endEntities;

function endEntity(raw: RawEndEntity): TestEndEntity {
	return {
		serial: raw.serial,
		notBefore: new Date(raw.notBefore),
		notAfter: new Date(raw.notAfter),
		revocation: raw.revocation ? { date: new Date(raw.revocation.date), reason: raw.revocation.reason } : null,
		certificate: decodeBase64(raw.certificate),
		privateKeyJwk: { ...raw.privateKeyJwk }
	};
}

function crl(raw: RawCrl): TestCrl {
	return {
		crlNumber: raw.crlNumber,
		thisUpdate: new Date(raw.thisUpdate),
		nextUpdate: new Date(raw.nextUpdate),
		entries: raw.entries.map((e) => ({ serial: e.serial, date: new Date(e.date), reason: e.reason })),
		der: decodeBase64(raw.der)
	};
}

export const TestPki = {
	certificateAuthority(kind: TestCertificateKind): TestCertificateAuthority {
		const raw = TEST_PKI_DATA.certificateAuthorities[kind];
		return {
			kind,
			serial: raw.serial,
			notBefore: new Date(raw.notBefore),
			notAfter: new Date(raw.notAfter),
			subjectKeyIdentifier: raw.subjectKeyIdentifier,
			certificate: decodeBase64(raw.certificate),
			privateKeyJwk: { ...raw.privateKeyJwk },
			crls: { current: crl(raw.crls.current), stale: crl(raw.crls.stale) }
		};
	},

	/** The certificates of one persona in one state, or undefined when the fixtures have no such combination. */
	certificateSet(persona: TestPersonaId, set: TestCertificateSetId): TestCertificateSet | undefined {
		const raw = endEntities[`${persona}/${set}`];
		if (!raw) return undefined;
		return { persona, set, sign: raw.sign ? endEntity(raw.sign) : null, auth: endEntity(raw.auth) };
	},

	/** Every persona/set combination in the fixtures. */
	availableSets(): readonly { readonly persona: TestPersonaId; readonly set: TestCertificateSetId }[] {
		return Object.keys(endEntities).map((key) => {
			const [persona, set] = key.split('/') as [TestPersonaId, TestCertificateSetId];
			return { persona, set };
		});
	},

	/** Placeholder JP2 images for the 券面AP (uniform grey, valid JPEG 2000). */
	images(): { readonly photo: Uint8Array<ArrayBuffer>; readonly nameImage: Uint8Array<ArrayBuffer>; readonly addressImage: Uint8Array<ArrayBuffer> } {
		const raw = TEST_PKI_DATA.images;
		return { photo: decodeBase64(raw.photo), nameImage: decodeBase64(raw.nameImage), addressImage: decodeBase64(raw.addressImage) };
	}
} as const;
