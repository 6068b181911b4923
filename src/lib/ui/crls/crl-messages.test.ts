import { describe, expect, it } from 'vitest';
import { translate } from '$lib/i18n';
import { anchorMessage, crlImportMessage, crlNumberText, failedStep, urlMessage } from './crl-messages';

describe('crlImportMessage', () => {
	it('gives every refusal its own words', () => {
		const cases = [
			[{ kind: 'malformed', message: 'CRL: bad' }, 'crls.error.notCrl'],
			[{ kind: 'malformed', message: 'empty', details: { reason: 'empty' } }, 'crls.error.empty'],
			[{ kind: 'signature-invalid', message: 'x', details: { reason: 'signature' } }, 'crls.error.signature'],
			[{ kind: 'crl-rejected', message: 'x', details: { reason: 'unknown-issuer' } }, 'crls.error.unknownIssuer'],
			[{ kind: 'crl-rejected', message: 'x', details: { reason: 'rollback' } }, 'crls.error.rollback'],
			[{ kind: 'crl-rejected', message: 'x', details: { reason: 'unsupported', refusal: 'critical-extension' } }, 'crls.error.criticalExtension'],
			[{ kind: 'crl-rejected', message: 'x', details: { reason: 'unsupported', refusal: 'critical-extension' } }, 'crls.error.criticalExtension'],
			[{ kind: 'crl-rejected', message: 'delta critical', details: { reason: 'unsupported', refusal: 'delta' } }, 'crls.error.delta'],
			[{ kind: 'crl-rejected', message: 'CRL refused: indirect CRL', details: { reason: 'unsupported', refusal: 'other' } }, 'crls.error.unsupported'],
			[{ kind: 'crl-rejected', message: 'x', details: { reason: 'this-update-in-future' } }, 'crls.error.future'],
			[{ kind: 'crl-rejected', message: 'x', details: { reason: 'too-large' } }, 'crls.error.tooLarge'],
			[{ kind: 'quota-exceeded', message: 'x' }, 'crls.error.quota'],
			[{ kind: 'aborted', message: 'x' }, 'crls.error.aborted'],
			[{ kind: 'unsupported', message: 'CRL download is not available here.' }, 'crls.error.noNetwork'],
			[{ kind: 'transport', message: 'x', details: { status: 404 } }, 'crls.error.http'],
			[{ kind: 'internal', message: 'Unexpected TypeError' }, 'crls.error.unreachable']
		] as const;
		for (const [error, key] of cases) expect(crlImportMessage(error).key, JSON.stringify(error)).toBe(key);
	});

	it('names both CRL numbers of a rollback, in decimal', () => {
		const message = crlImportMessage({ kind: 'crl-rejected', message: 'x', details: { reason: 'rollback', storedCrlNumber: '0100', incomingCrlNumber: 'FF' } });
		expect(message).toEqual({ key: 'crls.error.rollbackNumbers', params: { stored: '256', incoming: '255' } });
		expect(translate('ja', message.key, message.params)).toContain('CRL番号 256');
		expect(translate('en', message.key, message.params)).toContain('(CRL number 255)');
	});

	it('says the quota problem left the CRL in force alone, in both languages', () => {
		expect(translate('ja', 'crls.error.quota')).toContain('いま使っている失効リストはそのまま');
		expect(translate('en', 'crls.error.quota')).toContain('unchanged');
	});

	it('reads CRL numbers', () => {
		expect(crlNumberText('02')).toBe('2');
		expect(crlNumberText(undefined)).toBeUndefined();
		expect(crlNumberText('zz')).toBeUndefined();
	});
});

describe('anchorMessage and urlMessage', () => {
	it('explain an anchor refusal', () => {
		expect(anchorMessage({ kind: 'malformed', message: 'x', details: { reason: 'not-a-ca' } }).key).toBe('crls.anchors.error.notCa');
		expect(anchorMessage({ kind: 'malformed', message: 'x', details: { max: 32 } }).key).toBe('crls.anchors.error.tooMany');
		expect(anchorMessage({ kind: 'malformed', message: 'PEM: no BEGIN/END block' }).key).toBe('crls.anchors.error.notCertificate');
		expect(anchorMessage({ kind: 'signature-invalid', message: 'x', details: { reason: 'fingerprint' } }).key).toBe('crls.anchors.error.fingerprint');
	});

	it('explain a URL refusal', () => {
		expect(urlMessage({ kind: 'malformed', message: 'x', details: { reason: 'url' } }).key).toBe('crls.urls.error.invalid');
		expect(urlMessage({ kind: 'malformed', message: 'x', details: { max: 32 } }).key).toBe('crls.urls.error.tooMany');
	});
});

describe('failedStep', () => {
	it('puts each refusal on the step that refused, whatever progress arrived last', () => {
		expect(failedStep({ kind: 'malformed', message: 'x' }, 'file', 'read')).toBe('parse');
		expect(failedStep({ kind: 'signature-invalid', message: 'x' }, 'file', 'parse')).toBe('signature');
		expect(failedStep({ kind: 'crl-rejected', message: 'x', details: { reason: 'unknown-issuer' } }, 'file', 'parse')).toBe('signature');
		expect(failedStep({ kind: 'crl-rejected', message: 'x', details: { reason: 'rollback' } }, 'file', 'signature')).toBe('store');
		expect(failedStep({ kind: 'quota-exceeded', message: 'x' }, 'file', 'index')).toBe('store');
		expect(failedStep({ kind: 'unsupported', message: 'x' }, 'url', 'download')).toBe('download');
		expect(failedStep({ kind: 'aborted', message: 'x' }, 'file', 'read')).toBe('read');
	});
});
