import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../bytes';
import { TestCrlReason, TestPki } from './test-pki';
import { TEST_PERSONAS, certificateBirthDate } from './test-personas';

const Oid = {
	keyUsage: '2.5.29.15',
	subjectAltName: '2.5.29.17',
	basicConstraints: '2.5.29.19',
	crlDistributionPoints: '2.5.29.31',
	subjectKeyIdentifier: '2.5.29.14',
	authorityKeyIdentifier: '2.5.29.35',
	crlNumber: '2.5.29.20',
	crlReason: '2.5.29.21',
	sha256WithRsa: '1.2.840.113549.1.1.11'
} as const;

const signCa = TestPki.certificateAuthority('sign');
const authCa = TestPki.certificateAuthority('auth');
const signCaCert = pkijs.Certificate.fromBER(signCa.certificate);
const authCaCert = pkijs.Certificate.fromBER(authCa.certificate);

function extension(certificate: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
	return certificate.extensions?.find((e) => e.extnID === oid);
}

function dn(certificate: pkijs.Certificate, which: 'subject' | 'issuer'): string {
	return certificate[which].typesAndValues.map((tv) => `${tv.type}=${String(tv.value.valueBlock.value)}`).join(', ');
}

function serialHex(certificate: pkijs.Certificate): string {
	return toHex(certificate.serialNumber.valueBlock.valueHexView).toUpperCase();
}

/** The keyUsage bit string as its first content byte. */
function keyUsageByte(certificate: pkijs.Certificate): number {
	const ext = extension(certificate, Oid.keyUsage)!;
	const bitString = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
	return bitString.valueBlock.valueHexView[0]!;
}

/** SAN otherName entries as { oid → UTF8String }. */
function otherNames(certificate: pkijs.Certificate): Map<string, string> {
	const san = asn1js.fromBER(extension(certificate, Oid.subjectAltName)!.extnValue.valueBlock.valueHexView).result as asn1js.Sequence;
	const out = new Map<string, string>();
	for (const name of san.valueBlock.value as asn1js.Constructed[]) {
		expect(name.idBlock.tagClass).toBe(3);
		expect(name.idBlock.tagNumber).toBe(0);
		const [typeId, wrapped] = name.valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Constructed];
		expect(wrapped.idBlock.tagNumber).toBe(0); // [0] EXPLICIT
		const value = wrapped.valueBlock.value[0] as asn1js.Utf8String;
		expect(value).toBeInstanceOf(asn1js.Utf8String);
		out.set(typeId.valueBlock.toString(), value.valueBlock.value);
	}
	return out;
}

describe('test PKI — CA certificates mirror the J-LIS profile under fake names', () => {
	it.each([
		['sign', signCaCert, 'TEST JPKI for digital signature'],
		['auth', authCaCert, 'TEST JPKI for user authentication']
	] as const)('%s CA: self-signed RSA-2048 / sha256WithRSAEncryption with the CA extensions', async (_kind, certificate, ou) => {
		expect(dn(certificate, 'subject')).toBe(`2.5.4.6=JP, 2.5.4.10=JPKI TEST, 2.5.4.11=${ou}, 2.5.4.11=Emulated Agency (NOT J-LIS)`);
		expect(dn(certificate, 'issuer')).toBe(dn(certificate, 'subject'));
		expect(certificate.signatureAlgorithm.algorithmId).toBe(Oid.sha256WithRsa);
		expect(certificate.signatureAlgorithm.algorithmParams).toBeInstanceOf(asn1js.Null);
		expect(await certificate.verify()).toBe(true);
		const publicKey = certificate.subjectPublicKeyInfo.parsedKey as pkijs.RSAPublicKey;
		const modulus = publicKey.modulus.convertFromDER().valueBlock.valueHexView;
		expect(modulus.length).toBe(256); // 2048 bits
		expect(modulus[0]! & 0x80).toBe(0x80);
		expect(extension(certificate, Oid.keyUsage)!.critical).toBe(true);
		expect(keyUsageByte(certificate)).toBe(0x06); // keyCertSign, cRLSign
		expect(extension(certificate, Oid.basicConstraints)!.critical).toBe(true);
		expect((extension(certificate, Oid.basicConstraints)!.parsedValue as pkijs.BasicConstraints).cA).toBe(true);
		const san = extension(certificate, Oid.subjectAltName)!.parsedValue as pkijs.AltName;
		expect(san.altNames[0]!.type).toBe(4); // directoryName
		const crldp = extension(certificate, Oid.crlDistributionPoints)!.parsedValue as pkijs.CRLDistributionPoints;
		const fullName = crldp.distributionPoints[0]!.distributionPoint as pkijs.GeneralName[];
		expect(fullName[0]!.type).toBe(4);
		expect((fullName[0]!.value as pkijs.RelativeDistinguishedNames).isEqual(certificate.subject)).toBe(true);
		expect(extension(certificate, Oid.subjectKeyIdentifier)).toBeDefined();
	});

	it('never uses the J-LIS names', () => {
		for (const certificate of [signCaCert, authCaCert]) {
			expect(dn(certificate, 'subject')).not.toMatch(/O=JPKI,|Japan Agency for Local Authority/);
		}
	});
});

describe('test PKI — end-entity certificates', () => {
	const sets = TestPki.availableSets().map(({ persona, set }) => TestPki.certificateSet(persona, set)!);

	it('has the fixture sets the card uses', () => {
		expect(TestPki.availableSets().map((s) => `${s.persona}/${s.set}`)).toEqual([
			'hanako/valid',
			'hanako/expired',
			'hanako/revoked',
			'hanako/not-yet-valid',
			'hanako/lost',
			'taro/valid',
			'sakura/valid'
		]);
		expect(TestPki.certificateSet('taro', 'lost')).toBeUndefined();
	});

	it('every certificate parses and chains to its test CA (signature verified)', async () => {
		for (const set of sets) {
			for (const [entity, issuer] of [
				[set.sign, signCaCert],
				[set.auth, authCaCert]
			] as const) {
				if (!entity) continue;
				const certificate = pkijs.Certificate.fromBER(entity.certificate);
				expect(await certificate.verify(issuer)).toBe(true);
				expect(certificate.issuer.isEqual(issuer.subject)).toBe(true);
				expect(serialHex(certificate)).toBe(entity.serial);
				expect(certificate.notBefore.value).toEqual(entity.notBefore);
				expect(certificate.notAfter.value).toEqual(entity.notAfter);
				const aki = extension(certificate, Oid.authorityKeyIdentifier)!.parsedValue as pkijs.AuthorityKeyIdentifier;
				const issuerSki = extension(issuer, Oid.subjectKeyIdentifier)!.parsedValue as asn1js.OctetString;
				expect(toHex(aki.keyIdentifier!.valueBlock.valueHexView)).toBe(toHex(issuerSki.valueBlock.valueHexView));
				// A wrong issuer does not verify.
				expect(await certificate.verify(issuer === signCaCert ? authCaCert : signCaCert)).toBe(false);
			}
		}
	});

	it('the signing certificate carries the 4 info in SAN otherNames 1.2.392.200149.8.5.5.1–.6', () => {
		const set = TestPki.certificateSet('hanako', 'valid')!;
		const certificate = pkijs.Certificate.fromBER(set.sign!.certificate);
		const names = otherNames(certificate);
		const hanako = TEST_PERSONAS.hanako;
		expect([...names.keys()]).toEqual([1, 4, 3, 5, 2, 6].map((n) => `1.2.392.200149.8.5.5.${n}`));
		expect(names.get('1.2.392.200149.8.5.5.1')).toBe('見本　花子');
		expect(names.get('1.2.392.200149.8.5.5.2')).toBe('00000');
		expect(names.get('1.2.392.200149.8.5.5.3')).toBe('2');
		expect(names.get('1.2.392.200149.8.5.5.4')).toBe('319850615'); // 昭和 (3) + 1985-06-15
		expect(names.get('1.2.392.200149.8.5.5.5')).toBe(hanako.address);
		expect(names.get('1.2.392.200149.8.5.5.6')).toBe('0'.repeat([...hanako.address].length));
		expect(keyUsageByte(certificate)).toBe(0xc0); // digitalSignature, nonRepudiation
		expect(extension(certificate, Oid.keyUsage)!.critical).toBe(true);

		const taro = otherNames(pkijs.Certificate.fromBER(TestPki.certificateSet('taro', 'valid')!.sign!.certificate));
		expect(taro.get('1.2.392.200149.8.5.5.4')).toBe(certificateBirthDate('19900217'));
		expect(taro.get('1.2.392.200149.8.5.5.4')).toBe('419900217'); // 平成
		expect(taro.get('1.2.392.200149.8.5.5.6')).toBe('0000001000000000');
	});

	it('the authentication certificate has no 4 info and keyUsage digitalSignature only', () => {
		for (const set of sets) {
			const certificate = pkijs.Certificate.fromBER(set.auth.certificate);
			expect(extension(certificate, Oid.subjectAltName)).toBeUndefined();
			expect(keyUsageByte(certificate)).toBe(0x80);
			expect(dn(certificate, 'subject')).not.toContain('見本');
		}
	});

	it('validity matches the set: valid now, expired in 2024, not yet valid until 2040', () => {
		const now = new Date('2026-11-25T00:00:00Z');
		const within = (e: { notBefore: Date; notAfter: Date }) => e.notBefore <= now && now <= e.notAfter;
		expect(within(TestPki.certificateSet('hanako', 'valid')!.sign!)).toBe(true);
		expect(TestPki.certificateSet('hanako', 'expired')!.sign!.notAfter.getUTCFullYear()).toBe(2024);
		expect(TestPki.certificateSet('hanako', 'not-yet-valid')!.auth.notBefore > now).toBe(true);
		expect(TestPki.certificateSet('sakura', 'valid')!.sign).toBeNull();
	});

	it('each private key belongs to its certificate (WebCrypto sign with the JWK, verify with the certificate)', async () => {
		const message = new TextEncoder().encode('key pair check');
		for (const set of sets) {
			for (const entity of [set.sign, set.auth]) {
				if (!entity) continue;
				const privateKey = await crypto.subtle.importKey('jwk', entity.privateKeyJwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
				const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, message);
				const spki = pkijs.Certificate.fromBER(entity.certificate).subjectPublicKeyInfo.toSchema().toBER();
				const publicKey = await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
				expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, signature, message)).toBe(true);
			}
		}
	});
});

describe('test PKI — CRLs', () => {
	it.each([
		['sign', signCa, signCaCert],
		['auth', authCa, authCaCert]
	] as const)('%s CA: current and stale CRLs are v2, signed by the CA, with CRL number and AKI', async (_kind, ca, caCert) => {
		for (const which of ['current', 'stale'] as const) {
			const info = ca.crls[which];
			const crl = pkijs.CertificateRevocationList.fromBER(info.der);
			expect(crl.version).toBe(1);
			expect(await crl.verify({ issuerCertificate: caCert })).toBe(true);
			expect(crl.issuer.isEqual(caCert.subject)).toBe(true);
			expect(crl.signatureAlgorithm.algorithmId).toBe(Oid.sha256WithRsa);
			expect(crl.thisUpdate.value).toEqual(info.thisUpdate);
			expect(crl.nextUpdate!.value).toEqual(info.nextUpdate);
			const number = crl.crlExtensions!.extensions.find((e) => e.extnID === Oid.crlNumber)!;
			expect((number.parsedValue as asn1js.Integer).valueBlock.valueDec).toBe(info.crlNumber);
			const aki = crl.crlExtensions!.extensions.find((e) => e.extnID === Oid.authorityKeyIdentifier)!.parsedValue as pkijs.AuthorityKeyIdentifier;
			expect(toHex(aki.keyIdentifier!.valueBlock.valueHexView).toUpperCase()).toBe(ca.subjectKeyIdentifier);
			const listed = (crl.revokedCertificates ?? []).map((entry) => {
				const reason = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === Oid.crlReason);
				return {
					serial: toHex(entry.userCertificate.valueBlock.valueHexView).toUpperCase(),
					date: entry.revocationDate.value,
					reason: reason ? (asn1js.fromBER(reason.extnValue.valueBlock.valueHexView).result as asn1js.Enumerated).valueBlock.valueDec : 0
				};
			});
			expect(listed).toEqual(info.entries.map((e) => ({ serial: e.serial, date: e.date, reason: e.reason })));
		}
		expect(ca.crls.current.crlNumber).toBeGreaterThan(ca.crls.stale.crlNumber);
		expect(ca.crls.current.nextUpdate.getUTCFullYear()).toBe(2049);
		expect(ca.crls.stale.nextUpdate < new Date('2025-01-01')).toBe(true);
	});

	it('the current signing CRL lists the revoked set’s signing certificate (affiliationChanged) but not its auth certificate', async () => {
		const revoked = TestPki.certificateSet('hanako', 'revoked')!;
		const crl = pkijs.CertificateRevocationList.fromBER(signCa.crls.current.der);
		expect(crl.isCertificateRevoked(pkijs.Certificate.fromBER(revoked.sign!.certificate))).toBe(true);
		const entry = signCa.crls.current.entries.find((e) => e.serial === revoked.sign!.serial)!;
		expect(entry.reason).toBe(TestCrlReason.affiliationChanged);
		expect(entry.date).toEqual(revoked.sign!.revocation!.date);
		expect(revoked.auth.revocation).toBeNull();
		const authCrl = pkijs.CertificateRevocationList.fromBER(authCa.crls.current.der);
		expect(authCrl.isCertificateRevoked(pkijs.Certificate.fromBER(revoked.auth.certificate))).toBe(false);
		// The stale CRL predates the revocation.
		expect(pkijs.CertificateRevocationList.fromBER(signCa.crls.stale.der).isCertificateRevoked(pkijs.Certificate.fromBER(revoked.sign!.certificate))).toBe(false);
	});

	it('the lost set is revoked on both CRLs (keyCompromise); the valid set on neither', () => {
		const lost = TestPki.certificateSet('hanako', 'lost')!;
		const valid = TestPki.certificateSet('hanako', 'valid')!;
		const signCrl = pkijs.CertificateRevocationList.fromBER(signCa.crls.current.der);
		const authCrl = pkijs.CertificateRevocationList.fromBER(authCa.crls.current.der);
		expect(signCrl.isCertificateRevoked(pkijs.Certificate.fromBER(lost.sign!.certificate))).toBe(true);
		expect(authCrl.isCertificateRevoked(pkijs.Certificate.fromBER(lost.auth.certificate))).toBe(true);
		expect(lost.sign!.revocation!.reason).toBe(TestCrlReason.keyCompromise);
		expect(signCrl.isCertificateRevoked(pkijs.Certificate.fromBER(valid.sign!.certificate))).toBe(false);
		expect(authCrl.isCertificateRevoked(pkijs.Certificate.fromBER(valid.auth.certificate))).toBe(false);
	});

	it('pkijs chain validation: valid passes with the current CRL, revoked fails, stale CRL gives no answer', async () => {
		const checkDate = new Date('2026-11-25T00:00:00Z');
		const validate = (leaf: Uint8Array<ArrayBuffer>, crl: Uint8Array<ArrayBuffer>) =>
			new pkijs.CertificateChainValidationEngine({
				trustedCerts: [signCaCert],
				certs: [pkijs.Certificate.fromBER(leaf)],
				crls: [pkijs.CertificateRevocationList.fromBER(crl)],
				checkDate
			}).verify();
		const valid = await validate(TestPki.certificateSet('hanako', 'valid')!.sign!.certificate, signCa.crls.current.der);
		expect(valid.result).toBe(true);
		const revoked = await validate(TestPki.certificateSet('hanako', 'revoked')!.sign!.certificate, signCa.crls.current.der);
		expect(revoked.result).toBe(false);
		const stale = await validate(TestPki.certificateSet('hanako', 'valid')!.sign!.certificate, signCa.crls.stale.der);
		expect(stale.result).toBe(false); // pkijs skips a CRL past nextUpdate and then has no revocation data
	});

	it('hands out copies: changing returned bytes does not change the fixtures', () => {
		const first = TestPki.certificateAuthority('sign');
		first.certificate.fill(0);
		expect(TestPki.certificateAuthority('sign').certificate[0]).toBe(0x30);
	});
});
