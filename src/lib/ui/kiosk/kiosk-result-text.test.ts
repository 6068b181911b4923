import '$lib/i18n/kiosk-messages';
import { describe, expect, it } from 'vitest';
import { translate, type MessageKey, type MessageParams } from '$lib/i18n';
import type { CertificateInfo } from '$lib/pki/certificate-info';
import type { ChainResult } from '$lib/pki/chain';
import { basicInfoSpeech, certificatePlainStatus, daysLine, pinLine } from './kiosk-result-text';

function certificate(expired: boolean, daysLeft: number): CertificateInfo {
	return { validity: { expired, notYetValid: false, daysLeft, notBefore: '', notAfter: '', renewalOpensAt: '', renewalOpen: false } } as unknown as CertificateInfo;
}

const done = (result: Partial<ChainResult>) => ({ state: 'done' as const, result: { at: '', ...result } as ChainResult });

describe('certificatePlainStatus', () => {
	it('valid only with a current CRL; no CRL is "unknown", never "valid"', () => {
		expect(certificatePlainStatus(certificate(false, 100), done({ status: 'valid' }))).toBe('valid');
		expect(certificatePlainStatus(certificate(false, 100), done({ status: 'revocation-unknown' }))).toBe('unknown');
	});

	it('expired and revoked in plain words; an expired certificate without a CRL is still "expired"', () => {
		expect(certificatePlainStatus(certificate(true, -3), done({ status: 'expired' }))).toBe('expired');
		expect(certificatePlainStatus(certificate(true, -3), done({ status: 'revocation-unknown' }))).toBe('expired');
		expect(certificatePlainStatus(certificate(false, 10), done({ status: 'revoked', revocation: { date: '', reason: 'keyCompromise' } as never }))).toBe('revoked');
	});

	it('an untrusted chain or a failed check is a problem for staff, not "valid"', () => {
		expect(certificatePlainStatus(certificate(false, 10), done({ status: 'untrusted' as never }))).toBe('problem');
		expect(certificatePlainStatus(certificate(false, 10), { state: 'failed', error: { kind: 'internal', message: 'x' } })).toBe('problem');
	});
});

describe('lines', () => {
	const t = (key: MessageKey, params?: MessageParams) => translate('ja', key, params);
	it('days left, or days since expiry', () => {
		expect(t(daysLine(certificate(false, 12)).key, daysLine(certificate(false, 12)).params)).toBe('あと12日');
		expect(t(daysLine(certificate(true, -2)).key, daysLine(certificate(true, -2)).params)).toBe('2日前に切れました');
	});

	it('PIN counters', () => {
		const line = pinLine({ pin: 'auth', state: 'ready', triesLeft: 2, maxTries: 3, lastTry: false });
		expect(t(line.key, line.params)).toBe('残り2回');
		expect(pinLine({ pin: 'sign', state: 'blocked', triesLeft: 0, maxTries: 5, lastTry: false }).key).toBe('kiosk.result.pins.blocked');
	});

	it('the 4 info are spoken as labels only', () => {
		expect(basicInfoSpeech(['name', 'address'], t, true)).toBe('氏名、住所は、画面に表示しています。読み上げはしません。');
		const en = (key: MessageKey, params?: MessageParams) => translate('en', key, params);
		expect(basicInfoSpeech(['name', 'birthDate', 'sex'], en, false)).toBe('Your name, date of birth and sex are shown on the screen. They are not read aloud.');
	});
});
