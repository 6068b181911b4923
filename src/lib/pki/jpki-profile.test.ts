import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { jlisAnchorCertificates } from './anchors';
import { parseCertificate } from './certificate';
import { jpkiSubjectAltName, makeCertificate, testKey, TEST_PERSON, TestNames, type TestKey } from './fixtures/test-pki';
import { certificateKind, parseBirthDate, readJpkiBasicInfo, renewalOpensAt, validityInfo } from './jpki-profile';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
let root: TestKey;
let leaf: TestKey;

beforeAll(async () => {
	[root, leaf] = await Promise.all([testKey('rootA'), testKey('signLeaf')]);
});

function signCert(subjectAltName: Uint8Array | undefined) {
	return makeCertificate({
		issuer: TestNames.signCa,
		subject: TestNames.signLeaf,
		serial: 3,
		notBefore: NOW - DAY,
		notAfter: NOW + 1000 * DAY,
		subjectKey: leaf,
		signer: root,
		...(subjectAltName ? { subjectAltName } : {})
	});
}

describe('JPKI profile', () => {
	it('reads the 4 information by OID, whatever the order on the card', async () => {
		for (const order of [
			['name', 'birthDate', 'sex', 'address', 'nameFlags', 'addressFlags'],
			['addressFlags', 'address', 'sex', 'nameFlags', 'birthDate', 'name']
		] as const) {
			const cert = await parseCertificate(await signCert(jpkiSubjectAltName(TEST_PERSON, order)));
			expect(certificateKind(cert)).toBe('jpki-sign');
			expect(readJpkiBasicInfo(cert)).toEqual({
				name: '試験　花子',
				nameSubstitution: { flags: '00100', substituted: [false, false, true, false, false] },
				address: '東京都千代田区テスト町一丁目１番地',
				addressSubstitution: { flags: '0000000000000000', substituted: new Array(16).fill(false) },
				birthDate: { raw: '319800217', era: { digit: '3', ja: '昭和', en: 'Shōwa' }, date: '1980-02-17', wareki: '昭和55年2月17日' },
				sex: { code: '2', ja: '女性', en: 'female' }
			});
		}
	});

	it('has no 4 information on an authentication certificate, and refuses an incomplete set', async () => {
		expect(readJpkiBasicInfo(await parseCertificate(await signCert(undefined)))).toBeUndefined();
		const partial = await parseCertificate(await signCert(jpkiSubjectAltName(TEST_PERSON, ['name', 'nameFlags'])));
		expect(() => readJpkiBasicInfo(partial)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
		const badFlags = await parseCertificate(await signCert(jpkiSubjectAltName({ ...TEST_PERSON, nameFlags: '0x1' })));
		expect(() => readJpkiBasicInfo(badFlags)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('reads the era digit and the Gregorian date of the birth date', () => {
		expect(parseBirthDate('419890108')).toMatchObject({ era: { ja: '平成' }, date: '1989-01-08', wareki: '平成元年1月8日' });
		expect(parseBirthDate('520190501')).toMatchObject({ era: { en: 'Reiwa' }, date: '2019-05-01', wareki: '令和元年5月1日' });
		expect(parseBirthDate('019800217')).toEqual({ raw: '019800217', era: { digit: '0', ja: '不明', en: 'unknown' }, date: '1980-02-17' });
		expect(parseBirthDate('319800230')).toEqual({ raw: '319800230', era: { digit: '3', ja: '昭和', en: 'Shōwa' } });
		expect(parseBirthDate('1980-02-17')).toEqual({ raw: '1980-02-17' });
	});

	it('tells the J-LIS anchors apart by purpose', async () => {
		const kinds = await Promise.all(jlisAnchorCertificates().map(async (der) => certificateKind(await parseCertificate(der))));
		expect(kinds).toEqual(['jpki-sign-ca', 'jpki-sign-ca', 'jpki-auth-ca', 'jpki-auth-ca']);
	});

	it('counts days left in Japan time and opens renewal 3 months before expiry', () => {
		const notAfter = Date.UTC(2033, 6, 15, 14, 59, 59); // 2033-07-15 23:59:59 JST
		expect(new Date(renewalOpensAt(notAfter)).toISOString()).toBe('2033-04-14T15:00:00.000Z'); // 2033-04-15 00:00 JST
		const notBefore = Date.UTC(2028, 6, 16);
		const lastDay = validityInfo(notBefore, notAfter, Date.UTC(2033, 6, 15, 1, 0, 0));
		expect(lastDay).toMatchObject({ daysLeft: 0, expired: false, renewalOpen: true });
		expect(validityInfo(notBefore, notAfter, Date.UTC(2033, 6, 14, 14, 59, 0)).daysLeft).toBe(1);
		expect(validityInfo(notBefore, notAfter, Date.UTC(2033, 3, 14, 14, 59, 59)).renewalOpen).toBe(false);
		expect(validityInfo(notBefore, notAfter, Date.UTC(2033, 3, 14, 15, 0, 0)).renewalOpen).toBe(true);
		expect(validityInfo(notBefore, notAfter, notAfter + 1000)).toMatchObject({ expired: true, renewalOpen: false, daysLeft: -1 });
		expect(validityInfo(notBefore, notAfter, notAfter + 2 * DAY)).toMatchObject({ expired: true, daysLeft: -2 });
		expect(validityInfo(notBefore, notAfter, notBefore - 1)).toMatchObject({ notYetValid: true, renewalOpen: false });
		// A 31 May expiry opens renewal on the last day of February.
		expect(new Date(renewalOpensAt(Date.UTC(2029, 4, 31, 14, 59, 59))).toISOString()).toBe('2029-02-27T15:00:00.000Z');
		expect(new Date(renewalOpensAt(Date.UTC(2028, 4, 31, 14, 59, 59))).toISOString()).toBe('2028-02-28T15:00:00.000Z');
		// A January expiry opens renewal in October of the year before.
		expect(new Date(renewalOpensAt(Date.UTC(2030, 0, 10, 14, 59, 59))).toISOString()).toBe('2029-10-09T15:00:00.000Z');
	});
});
