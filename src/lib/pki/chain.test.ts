import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type ChainResult } from './chain';
import { Der } from './der-writer';
import { createTestPki, makeCertificate, makeCrl, testKey, TestNames, type CrlEntrySpec, type CrlSpec, type TestKey, type TestPki } from './fixtures/test-pki';
import { Oid } from './oids';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
const at = new Date(NOW);
const LEAF_SERIAL = Uint8Array.of(0x12, 0x34, 0x56, 0x78);

let pki: TestPki;
let stranger: TestKey;
let rootB: TestKey;

beforeAll(async () => {
	pki = await createTestPki(NOW);
	[stranger, rootB] = await Promise.all([testKey('stranger'), testKey('rootB')]);
});

function rootCrl(overrides: Partial<CrlSpec> = {}, entries: CrlEntrySpec[] = []): Promise<Uint8Array> {
	return makeCrl({ issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 10, entries, ...overrides });
}

function verifyLeaf(crls: Uint8Array[], leaf = pki.signLeaf, extra: { at?: Date; anchors?: Uint8Array[] } = {}): Promise<ChainResult> {
	return verifyChain({ leaf, anchors: extra.anchors ?? [pki.root, pki.authRoot], crls, at: extra.at ?? at });
}

describe('verifyChain', () => {
	it('is valid when the path verifies and a current, verified CRL covers every certificate', async () => {
		const result = await verifyLeaf([await rootCrl({}, [{ serial: 99, revoked: NOW - DAY, reason: 1 }])]);
		expect(result).toMatchObject({ status: 'valid', at: at.toISOString() });
		expect(result.path?.map((p) => p.role)).toEqual(['leaf', 'anchor']);
		expect(result.crls).toEqual([expect.objectContaining({ source: 'input', crlNumber: '0A', crlIssuer: expect.stringContaining('JPKI for digital signature') })]);
		expect(structuredClone(result)).toEqual(result);
	});

	it('is never valid without a usable CRL', async () => {
		const none = await verifyLeaf([]);
		expect(none).toMatchObject({ status: 'revocation-unknown', revocationProblems: [expect.objectContaining({ problem: 'no-crl' })] });
		const unparsable = await verifyLeaf([Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)]);
		expect(unparsable.status).toBe('revocation-unknown');
		const otherIssuer = await verifyLeaf([await makeCrl({ issuer: TestNames.authCa, signer: pki.keys.auth, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1 })]);
		expect(otherIssuer.status).toBe('revocation-unknown');
	});

	it('reports a stale CRL, and how old it is', async () => {
		const stale = await rootCrl({ thisUpdate: NOW - 3 * DAY, nextUpdate: NOW - 2 * DAY });
		const result = await verifyLeaf([stale]);
		expect(result.status).toBe('revocation-unknown');
		expect(result.revocationProblems).toEqual([expect.objectContaining({ problem: 'crl-stale', overdueHours: 48, nextUpdate: new Date(NOW - 2 * DAY).toISOString() })]);
		const noNextUpdate = await rootCrl({ nextUpdate: undefined });
		expect((await verifyLeaf([noNextUpdate])).revocationProblems?.[0]?.problem).toBe('crl-stale');
		const future = await rootCrl({ thisUpdate: NOW + DAY, nextUpdate: NOW + 2 * DAY });
		expect((await verifyLeaf([future])).revocationProblems?.[0]?.problem).toBe('crl-not-yet-valid');
		expect((await verifyLeaf([stale, await rootCrl()])).status).toBe('valid');
	});

	it('refuses a CRL it cannot verify or must not half-support', async () => {
		const forged = await rootCrl({ signer: stranger });
		expect((await verifyLeaf([forged])).revocationProblems?.[0]).toMatchObject({ problem: 'crl-unverifiable' });
		const badSignature = await rootCrl({ corruptSignature: true }, [{ serial: LEAF_SERIAL, revoked: NOW - DAY, reason: 1 }]);
		expect((await verifyLeaf([badSignature])).status).toBe('revocation-unknown');
		expect((await verifyLeaf([badSignature, await rootCrl()])).status).toBe('valid');
		const unknownCritical = await rootCrl({ extensions: [{ oid: '1.2.3.4', critical: true, value: Der.null() }] });
		expect((await verifyLeaf([unknownCritical])).revocationProblems?.[0]).toMatchObject({ problem: 'crl-refused', detail: expect.stringContaining('1.2.3.4') });
		const unknownEntry = await rootCrl({}, [{ serial: 5, revoked: NOW - DAY, extensions: [{ oid: '1.2.3.5', critical: true, value: Der.null() }] }]);
		expect((await verifyLeaf([unknownEntry])).revocationProblems?.[0]?.problem).toBe('crl-refused');
		const delta = await rootCrl({ extensions: [{ oid: Oid.deltaCrlIndicator, critical: true, value: Der.integer(9) }] });
		expect((await verifyLeaf([delta])).revocationProblems?.[0]?.detail).toContain('delta');
		const mismatch = await rootCrl({ tbsSignatureAlgorithm: Der.sequence(Der.oid(Oid.sha384WithRsa), Der.null()) });
		expect((await verifyLeaf([mismatch])).revocationProblems?.[0]?.detail).toContain('algorithms differ');
		const onlySomeReasons = Der.sequence(Der.context(3, Uint8Array.of(0x07, 0x80)));
		const partitioned = await rootCrl({ extensions: [{ oid: Oid.issuingDistributionPoint, critical: true, value: onlySomeReasons }] });
		expect((await verifyLeaf([partitioned])).revocationProblems?.[0]?.detail).toContain('reason');
	});

	it.each([
		[0, 'unspecified', '署名用電子証明書は失効しています（理由の指定なし）'],
		[1, 'keyCompromise', 'カードの紛失や秘密鍵の漏えいのおそれにより、署名用電子証明書が失効しました'],
		[2, 'cACompromise', '認証局の鍵の安全性が損なわれたため、署名用電子証明書が失効しました'],
		[3, 'affiliationChanged', '住所・氏名などの変更により、署名用電子証明書が失効しました'],
		[4, 'superseded', '更新（新しい電子証明書の発行）により、署名用電子証明書が失効しました'],
		[5, 'cessationOfOperation', '本人の申請などにより利用が終了したため、署名用電子証明書が失効しました'],
		[6, 'certificateHold', '署名用電子証明書は一時停止されています。一時停止は解除されないため、失効として扱います'],
		[9, 'privilegeWithdrawn', '利用資格の取消しにより、署名用電子証明書が失効しました'],
		[10, 'aACompromise', '属性認証局の鍵の安全性が損なわれたため、署名用電子証明書が失効しました'],
		[undefined, 'notGiven', '署名用電子証明書は失効しています（理由の記載なし）']
	])('reports revocation with reason %s (%s) in plain words', async (reason, name, ja) => {
		const revokedAt = NOW - 5 * DAY;
		const crl = await rootCrl({}, [{ serial: LEAF_SERIAL, revoked: revokedAt, ...(reason === undefined ? {} : { reason }), invalidityDate: NOW - 6 * DAY }]);
		const result = await verifyLeaf([crl]);
		expect(result.status).toBe('revoked');
		expect(result.revocation).toMatchObject({
			certificate: 'leaf',
			serialNumber: '12345678',
			date: new Date(revokedAt).toISOString(),
			invalidityDate: new Date(NOW - 6 * DAY).toISOString(),
			reason: { code: reason ?? null, name, ja }
		});
		expect(result.revocation?.reason.en.length).toBeGreaterThan(10);
		expect(result.revocation?.reason.nextStepJa.length).toBeGreaterThan(5);
	});

	it('speaks of the authentication certificate for an auth leaf', async () => {
		const crl = await makeCrl({ issuer: TestNames.authCa, signer: pki.keys.auth, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1, entries: [{ serial: Uint8Array.of(0x0a, 0xbc, 0xde), revoked: NOW - DAY, reason: 4 }] });
		const result = await verifyLeaf([crl], pki.authLeaf);
		expect(result.revocation?.reason).toMatchObject({ ja: '更新（新しい電子証明書の発行）により、利用者証明用電子証明書が失効しました', en: expect.stringContaining('user authentication certificate') });
	});

	it('reports expired and not-yet-valid certificates', async () => {
		const crl = await rootCrl({ thisUpdate: pki.leafNotAfter + DAY, nextUpdate: pki.leafNotAfter + 3 * DAY });
		expect(await verifyLeaf([crl], pki.signLeaf, { at: new Date(pki.leafNotAfter + 2 * DAY) })).toMatchObject({ status: 'expired', code: 'expired', detail: expect.stringContaining('the certificate expired') });
		const early = await rootCrl({ thisUpdate: pki.notBefore - 3 * DAY, nextUpdate: pki.notBefore });
		expect((await verifyLeaf([early], pki.signLeaf, { at: new Date(pki.notBefore - DAY) })).status).toBe('not-yet-valid');
	});

	it('is untrusted without a path to a configured anchor, and names an unknown CA generation', async () => {
		expect(await verifyLeaf([await rootCrl()], pki.signLeaf, { anchors: [pki.authRoot] })).toMatchObject({ status: 'untrusted', code: 'no-path' });
		const otherGeneration = await makeCertificate({
			issuer: TestNames.signCa,
			subject: TestNames.signCa,
			serial: 0x0132c4ab,
			notBefore: NOW - 100 * DAY,
			notAfter: NOW + 3000 * DAY,
			subjectKey: rootB,
			signer: rootB,
			ca: true
		});
		expect(await verifyLeaf([await rootCrl()], pki.signLeaf, { anchors: [otherGeneration] })).toMatchObject({ status: 'untrusted', code: 'unknown-ca-generation' });
		// With both generations configured the right one is found by key.
		expect((await verifyLeaf([await rootCrl()], pki.signLeaf, { anchors: [otherGeneration, pki.root] })).status).toBe('valid');
	});

	it('reports a bad signature, and malformed input', async () => {
		const forgedLeaf = await makeCertificate({
			issuer: TestNames.signCa,
			subject: TestNames.signLeaf,
			serial: 8,
			notBefore: NOW - DAY,
			notAfter: NOW + DAY,
			subjectKey: pki.keys.leaf,
			signer: pki.keys.root,
			corruptSignature: true
		});
		expect(await verifyLeaf([await rootCrl()], forgedLeaf)).toMatchObject({ status: 'invalid-signature', code: 'signature' });
		const strangerLeaf = await makeCertificate({ issuer: TestNames.signCa, subject: TestNames.signLeaf, serial: 8, notBefore: NOW - DAY, notAfter: NOW + DAY, subjectKey: pki.keys.leaf, signer: stranger });
		expect((await verifyLeaf([await rootCrl()], strangerLeaf)).status).toBe('untrusted');
		expect(await verifyLeaf([], Uint8Array.of(1, 2, 3))).toMatchObject({ status: 'malformed', code: 'malformed' });
	});

	it('checks the leaf key usage and unknown critical extensions', async () => {
		const base = { issuer: TestNames.signCa, subject: TestNames.signLeaf, serial: 8, notBefore: NOW - DAY, notAfter: NOW + DAY, subjectKey: pki.keys.leaf, signer: pki.keys.root } as const;
		const encipherOnly = await makeCertificate({ ...base, keyUsage: ['keyEncipherment'] });
		expect(await verifyLeaf([await rootCrl()], encipherOnly)).toMatchObject({ status: 'untrusted', code: 'leaf-key-usage' });
		const critical = await makeCertificate({ ...base, extraExtensions: [{ oid: '1.2.3.4.9', critical: true, value: Der.null() }] });
		expect(await verifyLeaf([await rootCrl()], critical)).toMatchObject({ status: 'untrusted', code: 'unknown-critical-extension' });
		const nonCritical = await makeCertificate({ ...base, extraExtensions: [{ oid: '1.2.3.4.9', value: Der.null() }] });
		expect((await verifyLeaf([await rootCrl()], nonCritical)).status).toBe('valid');
	});

	it('validates a three-level path: revocation for each certificate below the anchor, pathLen, CA revoked', async () => {
		const intermediateCrl = (entries: CrlEntrySpec[] = []) =>
			makeCrl({ issuer: TestNames.intermediate, signer: pki.keys.intermediate, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 3, entries });
		const input = { leaf: pki.deepLeaf, intermediates: [pki.intermediate, pki.authLeaf], anchors: [pki.root], at };
		const valid = await verifyChain({ ...input, crls: [await rootCrl(), await intermediateCrl()] });
		expect(valid.status).toBe('valid');
		expect(valid.path?.map((p) => p.role)).toEqual(['leaf', 'intermediate', 'anchor']);
		expect(valid.crls).toHaveLength(2);
		expect((await verifyChain({ ...input, crls: [await intermediateCrl()] })).status).toBe('revocation-unknown');
		const caRevoked = await verifyChain({ ...input, crls: [await rootCrl({}, [{ serial: 2, revoked: NOW - DAY, reason: 2 }]), await intermediateCrl()] });
		expect(caRevoked).toMatchObject({ status: 'revoked', revocation: { certificate: 'ca', reason: { name: 'cACompromise' } } });
		const subCa = await makeCertificate({
			issuer: TestNames.intermediate,
			subject: [['CN', 'Too deep CA']],
			serial: 5,
			notBefore: NOW - DAY,
			notAfter: NOW + DAY,
			subjectKey: pki.keys.leaf,
			signer: pki.keys.intermediate,
			ca: true
		});
		const tooDeep = await makeCertificate({ issuer: [['CN', 'Too deep CA']], subject: [['CN', 'x']], serial: 6, notBefore: NOW - DAY, notAfter: NOW + DAY, subjectKey: pki.keys.leaf, signer: pki.keys.leaf });
		expect(await verifyChain({ ...input, leaf: tooDeep, intermediates: [pki.intermediate, subCa] })).toMatchObject({ status: 'untrusted', code: 'path-length' });
	});

	it('accepts a configured anchor itself, and treats a card CA certificate only as equal to a pinned one', async () => {
		expect(await verifyChain({ leaf: pki.root, anchors: [pki.root], at })).toMatchObject({ status: 'valid', code: 'anchor' });
		expect((await verifyChain({ leaf: pki.root, anchors: [pki.authRoot], at })).status).not.toBe('valid');
	});
});
