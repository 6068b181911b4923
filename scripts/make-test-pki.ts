/**
 * Generates the test PKI of the virtual My Number Card and writes it as a committed TypeScript fixture:
 *
 *   npx tsx scripts/make-test-pki.ts
 *
 * → src/lib/emulator/card/fixtures/test-pki-data.ts
 *
 * What it makes (mirroring the JPKI profile of the real J-LIS CAs in shared/trust-anchors, under clearly fake names):
 * - a self-signed signing CA and authentication CA (RSA-2048, sha256WithRSAEncryption, keyUsage keyCertSign+cRLSign
 *   critical, basicConstraints CA critical, SAN DirName, CRL DP DirName = own DN, SKI);
 * - end-entity certificates per persona and certificate set (valid / expired / revoked / not-yet-valid / lost): the
 *   signing certificate carries the basic 4 info in SAN otherNames (1.2.392.200149.8.5.5.1–.6), the authentication
 *   certificate none;
 * - for each CA a current CRL (nextUpdate far in the future) and a stale one (v2, CRL number, AKI, reason codes);
 * - placeholder JP2 images for the 券面AP.
 *
 * Names and serials are deterministic; keys are random on each run (the output is committed, nothing is generated
 * at test time). All private keys written are TEST KEYS: never trust anything they sign.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createHash, generateKeyPairSync, webcrypto, type JsonWebKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPlaceholderJp2 } from '../src/lib/emulator/card/jp2-placeholder';
import {
	TEST_PERSONAS,
	certificateBirthDate,
	substitutionFlags,
	type MynaPersona,
	type TestPersonaId
} from '../src/lib/emulator/card/test-personas';

const OUTPUT = fileURLToPath(new URL('../src/lib/emulator/card/fixtures/test-pki-data.ts', import.meta.url));

const crypto = webcrypto as unknown as Crypto;
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto }));

const Oid = {
	country: '2.5.4.6',
	organization: '2.5.4.10',
	organizationalUnit: '2.5.4.11',
	locality: '2.5.4.7',
	commonName: '2.5.4.3',
	keyUsage: '2.5.29.15',
	subjectAltName: '2.5.29.17',
	basicConstraints: '2.5.29.19',
	crlDistributionPoints: '2.5.29.31',
	subjectKeyIdentifier: '2.5.29.14',
	authorityKeyIdentifier: '2.5.29.35',
	crlNumber: '2.5.29.20',
	crlReason: '2.5.29.21',
	jpkiName: '1.2.392.200149.8.5.5.1',
	jpkiNameSubstitution: '1.2.392.200149.8.5.5.2',
	jpkiSex: '1.2.392.200149.8.5.5.3',
	jpkiBirthDate: '1.2.392.200149.8.5.5.4',
	jpkiAddress: '1.2.392.200149.8.5.5.5',
	jpkiAddressSubstitution: '1.2.392.200149.8.5.5.6'
} as const;

const CrlReason = {
	unspecified: 0,
	keyCompromise: 1,
	affiliationChanged: 3,
	superseded: 4,
	cessationOfOperation: 5,
	certificateHold: 6
} as const;
type CrlReason = (typeof CrlReason)[keyof typeof CrlReason];

type Rdn = readonly [oid: string, value: string];

const CA_PROFILE = {
	sign: {
		serial: 0x7e570001,
		subject: [
			[Oid.country, 'JP'],
			[Oid.organization, 'JPKI TEST'],
			[Oid.organizationalUnit, 'TEST JPKI for digital signature'],
			[Oid.organizationalUnit, 'Emulated Agency (NOT J-LIS)']
		],
		altName: [
			[Oid.country, 'JP'],
			[Oid.organization, '公的個人認証サービス（試験用）'],
			[Oid.organizationalUnit, '公的個人認証サービス署名用（試験用）'],
			[Oid.organizationalUnit, '模擬認証局（地方公共団体情報システム機構ではありません）']
		]
	},
	auth: {
		serial: 0x7e570002,
		subject: [
			[Oid.country, 'JP'],
			[Oid.organization, 'JPKI TEST'],
			[Oid.organizationalUnit, 'TEST JPKI for user authentication'],
			[Oid.organizationalUnit, 'Emulated Agency (NOT J-LIS)']
		],
		altName: [
			[Oid.country, 'JP'],
			[Oid.organization, '公的個人認証サービス（試験用）'],
			[Oid.organizationalUnit, '公的個人認証サービス利用者証明用（試験用）'],
			[Oid.organizationalUnit, '模擬認証局（地方公共団体情報システム機構ではありません）']
		]
	}
} as const satisfies Record<'sign' | 'auth', { serial: number; subject: readonly Rdn[]; altName: readonly Rdn[] }>;

const CA_VALIDITY = { notBefore: '2019-01-01T00:00:00Z', notAfter: '2049-12-31T14:59:59Z' } as const;

interface Revocation {
	readonly date: string;
	readonly reason: CrlReason;
}

interface EndEntityPlan {
	readonly persona: TestPersonaId;
	readonly personaIndex: number;
	readonly set: 'valid' | 'expired' | 'revoked' | 'not-yet-valid' | 'lost';
	readonly setIndex: number;
	readonly notBefore: string;
	readonly notAfter: string;
	readonly withSign: boolean;
	readonly signRevoked?: Revocation;
	readonly authRevoked?: Revocation;
}

const END_ENTITIES: readonly EndEntityPlan[] = [
	{ persona: 'hanako', personaIndex: 1, set: 'valid', setIndex: 1, notBefore: '2025-01-10T01:00:00Z', notAfter: '2030-06-15T14:59:59Z', withSign: true },
	{ persona: 'hanako', personaIndex: 1, set: 'expired', setIndex: 2, notBefore: '2019-06-20T01:00:00Z', notAfter: '2024-06-15T14:59:59Z', withSign: true },
	{
		persona: 'hanako',
		personaIndex: 1,
		set: 'revoked',
		setIndex: 3,
		notBefore: '2024-11-05T01:00:00Z',
		notAfter: '2029-06-15T14:59:59Z',
		withSign: true,
		// A move: the signing certificate is revoked (affiliationChanged), the authentication one is not.
		signRevoked: { date: '2026-03-16T02:30:00Z', reason: CrlReason.affiliationChanged }
	},
	{ persona: 'hanako', personaIndex: 1, set: 'not-yet-valid', setIndex: 4, notBefore: '2040-01-10T01:00:00Z', notAfter: '2045-06-15T14:59:59Z', withSign: true },
	{
		persona: 'hanako',
		personaIndex: 1,
		set: 'lost',
		setIndex: 5,
		notBefore: '2025-02-03T01:00:00Z',
		notAfter: '2030-06-15T14:59:59Z',
		withSign: true,
		// A lost card: both certificates revoked (keyCompromise).
		signRevoked: { date: '2026-06-01T00:15:00Z', reason: CrlReason.keyCompromise },
		authRevoked: { date: '2026-06-01T00:15:00Z', reason: CrlReason.keyCompromise }
	},
	{ persona: 'taro', personaIndex: 2, set: 'valid', setIndex: 1, notBefore: '2025-04-01T01:00:00Z', notAfter: '2030-02-17T14:59:59Z', withSign: true },
	// A child under 15: no signing certificate.
	{ persona: 'sakura', personaIndex: 3, set: 'valid', setIndex: 1, notBefore: '2025-01-10T01:00:00Z', notAfter: '2030-04-01T14:59:59Z', withSign: false }
];

/** Serials: 0x10PPPPSS for signing, 0x20PPPPSS for authentication (P = persona, S = set). */
function endEntitySerial(kind: 'sign' | 'auth', plan: EndEntityPlan): number {
	return (kind === 'sign' ? 0x10000000 : 0x20000000) + plan.personaIndex * 0x100 + plan.setIndex;
}

/** Revoked serials that belong to no certificate here (other people's cards), with chosen reasons. */
const OTHER_REVOCATIONS = {
	sign: {
		current: [
			{ serial: 0x1000f001, date: '2025-05-12T03:00:00Z', reason: CrlReason.superseded },
			{ serial: 0x1000f002, date: '2025-09-30T05:00:00Z', reason: CrlReason.cessationOfOperation },
			{ serial: 0x1000f003, date: '2026-01-20T00:00:00Z', reason: CrlReason.certificateHold },
			{ serial: 0x1000f004, date: '2026-02-02T00:00:00Z', reason: CrlReason.unspecified }
		],
		stale: [{ serial: 0x1000f000, date: '2023-12-01T00:00:00Z', reason: CrlReason.superseded }]
	},
	auth: {
		current: [
			{ serial: 0x2000f001, date: '2025-07-07T07:00:00Z', reason: CrlReason.cessationOfOperation },
			{ serial: 0x2000f002, date: '2026-04-01T00:00:00Z', reason: CrlReason.superseded }
		],
		stale: [{ serial: 0x2000f000, date: '2023-11-11T00:00:00Z', reason: CrlReason.superseded }]
	}
} as const;

const CRL_TIMES = {
	current: { crlNumber: 2, thisUpdate: '2026-11-01T00:00:00Z', nextUpdate: '2049-12-31T14:59:59Z' },
	stale: { crlNumber: 1, thisUpdate: '2024-01-05T00:00:00Z', nextUpdate: '2024-01-06T00:00:00Z' }
} as const;

// ---------------------------------------------------------------------------------------------------------------

interface KeyPair {
	readonly jwk: Required<Pick<JsonWebKey, 'kty' | 'n' | 'e' | 'd' | 'p' | 'q' | 'dp' | 'dq' | 'qi'>>;
	readonly spki: Uint8Array<ArrayBuffer>;
	readonly signingKey: CryptoKey;
}

async function generateRsaKey(): Promise<KeyPair> {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
	const jwk = privateKey.export({ format: 'jwk' });
	const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
	if (kty !== 'RSA' || !n || !e || !d || !p || !q || !dp || !dq || !qi) throw new Error('unexpected JWK');
	const signingKey = await crypto.subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
	return { jwk: { kty, n, e, d, p, q, dp, dq, qi }, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), signingKey };
}

/** A Name with one attribute per RDN, C as PrintableString and the rest as UTF8String (as the J-LIS CAs do). */
function nameSchema(rdns: readonly Rdn[]): asn1js.Sequence {
	return new asn1js.Sequence({
		value: rdns.map(
			([oid, value]) =>
				new asn1js.Set({
					value: [
						new asn1js.Sequence({
							value: [
								new asn1js.ObjectIdentifier({ value: oid }),
								oid === Oid.country ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value })
							]
						})
					]
				})
		)
	});
}

function pkijsName(rdns: readonly Rdn[]): pkijs.RelativeDistinguishedNames {
	return pkijs.RelativeDistinguishedNames.fromBER(nameSchema(rdns).toBER());
}

function contextTag(tagNumber: number, value: asn1js.AsnType[]): asn1js.Constructed {
	return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
	return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

function keyUsage(bits: number, unusedBits: number): asn1js.BitString {
	return new asn1js.BitString({ valueHex: Uint8Array.of(bits).buffer, unusedBits });
}

/** GeneralNames with one directoryName. */
function directoryNames(rdns: readonly Rdn[]): asn1js.Sequence {
	return new asn1js.Sequence({ value: [contextTag(4, [nameSchema(rdns)])] });
}

/** CRLDistributionPoints: one DistributionPoint with fullName = directoryName. */
function crlDistributionPoint(rdns: readonly Rdn[]): asn1js.Sequence {
	return new asn1js.Sequence({
		value: [new asn1js.Sequence({ value: [contextTag(0, [contextTag(0, [contextTag(4, [nameSchema(rdns)])])])] })]
	});
}

function keyIdentifier(spki: Uint8Array<ArrayBuffer>): Uint8Array {
	const info = pkijs.PublicKeyInfo.fromBER(spki);
	return new Uint8Array(createHash('sha1').update(info.subjectPublicKey.valueBlock.valueHexView).digest());
}

function authorityKeyIdentifier(id: Uint8Array): asn1js.Sequence {
	return new asn1js.Sequence({
		value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: id.slice().buffer })]
	});
}

/** otherName ::= [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT UTF8String } */
function jpkiOtherName(oid: string, value: string): asn1js.Constructed {
	return contextTag(0, [new asn1js.ObjectIdentifier({ value: oid }), contextTag(0, [new asn1js.Utf8String({ value })])]);
}

function basicFourInfoAltName(persona: MynaPersona): asn1js.Sequence {
	// The order seen on one test card: 1, 4, 3, 5, 2, 6 (facts/jpki.md §7); hosts must match by OID.
	return new asn1js.Sequence({
		value: [
			jpkiOtherName(Oid.jpkiName, persona.name),
			jpkiOtherName(Oid.jpkiBirthDate, certificateBirthDate(persona.birthDate)),
			jpkiOtherName(Oid.jpkiSex, persona.sex),
			jpkiOtherName(Oid.jpkiAddress, persona.address),
			jpkiOtherName(Oid.jpkiNameSubstitution, substitutionFlags(persona.name, persona.nameSubstitutionFlags)),
			jpkiOtherName(Oid.jpkiAddressSubstitution, substitutionFlags(persona.address, persona.addressSubstitutionFlags))
		]
	});
}

function time(iso: string): pkijs.Time {
	const value = new Date(iso);
	if (Number.isNaN(value.getTime())) throw new Error(`bad date ${iso}`);
	return new pkijs.Time({ type: value.getUTCFullYear() >= 2050 ? pkijs.TimeType.GeneralizedTime : pkijs.TimeType.UTCTime, value });
}

/** sha256WithRSAEncryption with explicit NULL parameters, as the J-LIS certificates encode it (RFC 4055 §5). */
function sha256WithRsaEncryption(): pkijs.AlgorithmIdentifier {
	return new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });
}

async function signTbs(key: CryptoKey, tbs: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
	return crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, tbs);
}

async function makeCertificate(input: {
	serial: number;
	subject: readonly Rdn[];
	issuer: readonly Rdn[];
	notBefore: string;
	notAfter: string;
	spki: Uint8Array<ArrayBuffer>;
	extensions: pkijs.Extension[];
	issuerKey: CryptoKey;
}): Promise<Uint8Array> {
	const certificate = new pkijs.Certificate({
		version: 2,
		serialNumber: new asn1js.Integer({ value: input.serial }),
		issuer: pkijsName(input.issuer),
		subject: pkijsName(input.subject),
		notBefore: time(input.notBefore),
		notAfter: time(input.notAfter),
		subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(input.spki),
		extensions: input.extensions
	});
	certificate.signature = sha256WithRsaEncryption();
	certificate.signatureAlgorithm = sha256WithRsaEncryption();
	const tbs = new Uint8Array(certificate.encodeTBS().toBER());
	certificate.tbsView = tbs;
	certificate.signatureValue = new asn1js.BitString({ valueHex: await signTbs(input.issuerKey, tbs) });
	return new Uint8Array(certificate.toSchema().toBER());
}

async function makeCrl(input: {
	issuer: readonly Rdn[];
	issuerKey: CryptoKey;
	issuerKeyId: Uint8Array;
	crlNumber: number;
	thisUpdate: string;
	nextUpdate: string;
	entries: readonly { serial: number; date: string; reason: CrlReason }[];
}): Promise<Uint8Array> {
	const crl = new pkijs.CertificateRevocationList({
		version: 1,
		issuer: pkijsName(input.issuer),
		thisUpdate: time(input.thisUpdate),
		nextUpdate: time(input.nextUpdate),
		revokedCertificates: input.entries.map(
			(entry) =>
				new pkijs.RevokedCertificate({
					userCertificate: new asn1js.Integer({ value: entry.serial }),
					revocationDate: time(entry.date),
					// RFC 5280 §5.3.1: reasonCode unspecified SHOULD be absent.
					...(entry.reason === CrlReason.unspecified
						? {}
						: {
								crlEntryExtensions: new pkijs.Extensions({
									extensions: [extension(Oid.crlReason, false, new asn1js.Enumerated({ value: entry.reason }))]
								})
							})
				})
		),
		crlExtensions: new pkijs.Extensions({
			extensions: [
				extension(Oid.authorityKeyIdentifier, false, authorityKeyIdentifier(input.issuerKeyId)),
				extension(Oid.crlNumber, false, new asn1js.Integer({ value: input.crlNumber }))
			]
		})
	});
	crl.signature = sha256WithRsaEncryption();
	crl.signatureAlgorithm = sha256WithRsaEncryption();
	// encodeTBS is protected on CertificateRevocationList (public on Certificate); same method, same bytes.
	const tbs = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER());
	crl.tbsView = tbs;
	crl.signatureValue = new asn1js.BitString({ valueHex: await signTbs(input.issuerKey, tbs) });
	return new Uint8Array(crl.toSchema().toBER());
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

async function main(): Promise<void> {
	const cas = {} as Record<'sign' | 'auth', { key: KeyPair; keyId: Uint8Array; der: Uint8Array }>;
	for (const kind of ['sign', 'auth'] as const) {
		const profile = CA_PROFILE[kind];
		const key = await generateRsaKey();
		const keyId = keyIdentifier(key.spki);
		const der = await makeCertificate({
			serial: profile.serial,
			subject: profile.subject,
			issuer: profile.subject,
			...CA_VALIDITY,
			spki: key.spki,
			issuerKey: key.signingKey,
			extensions: [
				extension(Oid.keyUsage, true, keyUsage(0x06, 1)), // keyCertSign, cRLSign
				extension(Oid.subjectAltName, false, directoryNames(profile.altName)),
				extension(Oid.basicConstraints, true, new asn1js.Sequence({ value: [new asn1js.Boolean({ value: true })] })),
				extension(Oid.crlDistributionPoints, false, crlDistributionPoint(profile.subject)),
				extension(Oid.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyId.slice().buffer }))
			]
		});
		cas[kind] = { key, keyId, der };
	}

	const endEntities: Record<string, unknown> = {};
	const revokedByOurs: Record<'sign' | 'auth', { serial: number; date: string; reason: CrlReason }[]> = { sign: [], auth: [] };
	for (const plan of END_ENTITIES) {
		const persona = TEST_PERSONAS[plan.persona];
		const entry: Record<string, unknown> = {};
		for (const kind of ['sign', 'auth'] as const) {
			if (kind === 'sign' && !plan.withSign) {
				entry[kind] = null;
				continue;
			}
			const serial = endEntitySerial(kind, plan);
			const key = await generateRsaKey();
			const ca = cas[kind];
			const revocation = kind === 'sign' ? plan.signRevoked : plan.authRevoked;
			if (revocation) revokedByOurs[kind].push({ serial, ...revocation });
			const der = await makeCertificate({
				serial,
				subject: [
					[Oid.country, 'JP'],
					[Oid.locality, 'Mihon-ken (fictional)'],
					[Oid.locality, 'Yumemi-shi (fictional)'],
					[Oid.commonName, `JPKITEST${hex8(serial)}${kind === 'sign' ? 'S' : 'A'}`]
				],
				issuer: CA_PROFILE[kind].subject,
				notBefore: plan.notBefore,
				notAfter: plan.notAfter,
				spki: key.spki,
				issuerKey: ca.key.signingKey,
				extensions: [
					kind === 'sign'
						? extension(Oid.keyUsage, true, keyUsage(0xc0, 6)) // digitalSignature, nonRepudiation
						: extension(Oid.keyUsage, true, keyUsage(0x80, 7)), // digitalSignature
					...(kind === 'sign' ? [extension(Oid.subjectAltName, false, basicFourInfoAltName(persona))] : []),
					extension(Oid.crlDistributionPoints, false, crlDistributionPoint(CA_PROFILE[kind].subject)),
					extension(Oid.authorityKeyIdentifier, false, authorityKeyIdentifier(ca.keyId)),
					extension(Oid.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyIdentifier(key.spki).slice().buffer }))
				]
			});
			entry[kind] = {
				serial: hex8(serial),
				notBefore: plan.notBefore,
				notAfter: plan.notAfter,
				revocation: revocation ?? null,
				certificate: b64(der),
				privateKeyJwk: key.jwk
			};
		}
		endEntities[`${plan.persona}/${plan.set}`] = entry;
	}

	const caOut: Record<string, unknown> = {};
	for (const kind of ['sign', 'auth'] as const) {
		const ca = cas[kind];
		const crls: Record<string, unknown> = {};
		for (const which of ['current', 'stale'] as const) {
			const times = CRL_TIMES[which];
			const entries = which === 'current' ? [...OTHER_REVOCATIONS[kind].current, ...revokedByOurs[kind]] : [...OTHER_REVOCATIONS[kind].stale];
			const der = await makeCrl({ issuer: CA_PROFILE[kind].subject, issuerKey: ca.key.signingKey, issuerKeyId: ca.keyId, ...times, entries });
			crls[which] = {
				...times,
				entries: entries.map((e) => ({ serial: hex8(e.serial), date: e.date, reason: e.reason })),
				der: b64(der)
			};
		}
		caOut[kind] = {
			serial: hex8(CA_PROFILE[kind].serial),
			...CA_VALIDITY,
			subjectKeyIdentifier: Buffer.from(ca.keyId).toString('hex').toUpperCase(),
			certificate: b64(ca.der),
			privateKeyJwk: ca.key.jwk,
			crls
		};
	}

	const images = {
		photo: b64(
			buildPlaceholderJp2({ width: 96, height: 120, components: 3, comment: 'JPKI TEST placeholder face photo - not a real person', minimumSize: 3000 })
		),
		nameImage: b64(buildPlaceholderJp2({ width: 256, height: 32, components: 1, comment: 'JPKI TEST placeholder name image', minimumSize: 600 })),
		addressImage: b64(
			buildPlaceholderJp2({ width: 512, height: 64, components: 1, comment: 'JPKI TEST placeholder address image', minimumSize: 900 })
		)
	};

	const fixture = { certificateAuthorities: caOut, endEntities, images };
	const source = `/**
 * GENERATED by scripts/make-test-pki.ts — do not edit by hand; run \`npx tsx scripts/make-test-pki.ts\` instead.
 *
 * The test PKI of the virtual My Number Card: DER certificates and CRLs (base64) and the RSA private keys as JWK.
 * EVERY KEY HERE IS A TEST KEY, PUBLISHED IN THIS REPOSITORY. Nothing signed by them may ever be trusted; the CA
 * names say "JPKI TEST" / "Emulated Agency (NOT J-LIS)" and must never be accepted where real cards are checked.
 */
export const TEST_PKI_DATA = ${JSON.stringify(fixture, null, '\t')} as const;
`;
	writeFileSync(OUTPUT, source);
	console.log(`wrote ${OUTPUT} (${source.length} bytes)`);
}

await main();
