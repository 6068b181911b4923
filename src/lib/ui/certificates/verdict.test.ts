import { describe, expect, it } from 'vitest';
import { TestPki } from '$lib/emulator/card';
import { readCertificate, type CertificateInfo } from '$lib/pki/certificate-info';
import { verifyChain, type ChainResult } from '$lib/pki/chain';
import { certificateToPem, exportFileName } from './export-files';
import { crlAge, verdictOf, verdictTone } from './verdict';

const AT = new Date('2026-11-25T00:00:00Z');
const SIGN_CA = TestPki.certificateAuthority('sign');

async function check(set: 'valid' | 'revoked' | 'expired' | 'not-yet-valid', crls: Uint8Array[], anchors = [SIGN_CA.certificate]) {
	const leaf = TestPki.certificateSet('hanako', set)!.sign!.certificate;
	const info: CertificateInfo = await readCertificate(leaf, AT);
	const result: ChainResult = await verifyChain({ leaf, anchors, crls, at: AT });
	return { verdict: verdictOf({ state: 'done', result }, info), result };
}

describe('verdictOf (against the real chain verifier and the test PKI)', () => {
	it('valid, with the CRL used for the certificate itself', async () => {
		const { verdict } = await check('valid', [SIGN_CA.crls.current.der]);
		expect(verdict.kind).toBe('valid');
		expect(verdict.kind === 'valid' && verdict.crl?.thisUpdate).toBe('2026-11-01T00:00:00.000Z');
		expect(verdictTone(verdict)).toBe('ok');
	});

	it('revoked, with the date and the reason in both languages', async () => {
		const { verdict } = await check('revoked', [SIGN_CA.crls.current.der]);
		expect(verdict.kind).toBe('revoked');
		if (verdict.kind !== 'revoked') return;
		expect(verdict.revocation.date).toBe('2026-03-16T02:30:00.000Z');
		expect(verdict.revocation.reason.name).toBe('affiliationChanged');
		expect(verdict.revocation.reason.ja).toContain('住所・氏名などの変更');
		expect(verdict.revocation.reason.en).toContain('name or address changed');
		expect(verdictTone(verdict)).toBe('bad');
	});

	it('no CRL, a stale CRL: revocation unknown, never valid', async () => {
		const none = await check('valid', []);
		expect(none.verdict).toMatchObject({ kind: 'revocation-unknown', reason: 'no-crl' });
		const stale = await check('valid', [SIGN_CA.crls.stale.der]);
		expect(stale.verdict).toMatchObject({ kind: 'revocation-unknown', reason: 'stale', problem: { nextUpdate: '2024-01-06T00:00:00.000Z' } });
		expect(verdictTone(stale.verdict)).toBe('warn');
	});

	it('expired and not yet valid say whose dates', async () => {
		expect((await check('expired', [SIGN_CA.crls.current.der])).verdict).toEqual({ kind: 'expired', which: 'self' });
		expect((await check('not-yet-valid', [SIGN_CA.crls.current.der])).verdict).toEqual({ kind: 'not-yet-valid', which: 'self' });
	});

	it('untrusted without the anchor; a CA that is an anchor is "anchor"', async () => {
		const { verdict } = await check('valid', [], []);
		expect(verdict).toEqual({ kind: 'untrusted', code: 'no-path' });
		const info = await readCertificate(SIGN_CA.certificate, AT);
		const result = await verifyChain({ leaf: SIGN_CA.certificate, anchors: [SIGN_CA.certificate], at: AT });
		expect(verdictOf({ state: 'done', result }, info)).toEqual({ kind: 'anchor' });
	});

	it('checking and failed', async () => {
		const info = await readCertificate(SIGN_CA.certificate, AT);
		expect(verdictOf({ state: 'checking' }, info)).toEqual({ kind: 'checking' });
		expect(verdictOf({ state: 'failed', error: { kind: 'internal', message: 'x' } }, info).kind).toBe('error');
	});
});

describe('crlAge', () => {
	const now = Date.parse('2026-11-25T12:00:00Z');
	it('counts hours under two days, then days', () => {
		expect(crlAge('2026-11-25T09:30:00Z', now)).toEqual({ unit: 'hours', value: 2 });
		expect(crlAge('2026-11-23T13:00:00Z', now)).toEqual({ unit: 'hours', value: 47 });
		expect(crlAge('2026-11-01T00:00:00Z', now)).toEqual({ unit: 'days', value: 24 });
		expect(crlAge('2026-11-26T00:00:00Z', now)).toEqual({ unit: 'hours', value: 0 });
	});
});

describe('export files', () => {
	it('PEM is RFC 7468: 64-character base64 lines between the markers, and decodes to the DER', () => {
		const der = SIGN_CA.certificate;
		const pem = certificateToPem(der);
		const lines = pem.trimEnd().split('\n');
		expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
		expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
		expect(lines.slice(1, -1).every((l, i, all) => (i < all.length - 1 ? l.length === 64 : l.length <= 64))).toBe(true);
		expect(new Uint8Array(Buffer.from(lines.slice(1, -1).join(''), 'base64'))).toEqual(der);
	});

	it('file names carry the kind and the serial, nothing else', () => {
		expect(exportFileName('sign', '10000101', 'der')).toBe('jpki-sign-certificate-10000101.der');
		expect(exportFileName('auth-ca', '7E570002', 'pem')).toBe('jpki-auth-ca-certificate-7E570002.pem');
		expect(exportFileName('auth', '../../x', 'pem')).toBe('jpki-auth-certificate.pem');
	});
});
