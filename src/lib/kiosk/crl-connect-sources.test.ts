import { describe, expect, it } from 'vitest';
import { crlConnectSources, kioskCrlConnectSources } from './crl-connect-sources.js';

describe('crlConnectSources', () => {
	it('adds nothing when no CRL URL is configured (the default build stays connect-src self)', () => {
		expect(crlConnectSources({})).toEqual([]);
		expect(crlConnectSources({ crl: { urls: [] } })).toEqual([]);
		expect(crlConnectSources(null)).toEqual([]);
	});

	it('gives each distinct https origin once, with its port, and nothing of the path', () => {
		expect(
			crlConnectSources({
				crl: { urls: ['https://crl.example.lg.jp/jpki/auth.crl', 'https://crl.example.lg.jp/jpki/sign.crl', 'https://mirror.example.jp:8443/a/b.crl?x=1'] }
			})
		).toEqual(['https://crl.example.lg.jp', 'https://mirror.example.jp:8443']);
	});

	it('never widens the policy for a malformed entry', () => {
		expect(
			crlConnectSources({ crl: { urls: ['http://crl.example.jp/a.crl', 'https://u:p@crl.example.jp/a.crl', '*', 'https://*.example.jp/a.crl', 42, "https://a.example.jp'; script-src *"] } })
		).toEqual([]);
	});

	it('reads the file named by KIOSK_CONFIG, else the shipped one', () => {
		const files: Record<string, string> = { 'static/kiosk-config.json': '{"crl":{"urls":[]}}', '/etc/kiosk.json': '{"crl":{"urls":["https://crl.example.jp/a.crl"]}}' };
		const readText = (path: string) => files[path];
		expect(kioskCrlConnectSources({ env: {}, readText, defaultPath: 'static/kiosk-config.json' })).toEqual([]);
		expect(kioskCrlConnectSources({ env: { KIOSK_CONFIG: '/etc/kiosk.json' }, readText, defaultPath: 'static/kiosk-config.json' })).toEqual(['https://crl.example.jp']);
		expect(() => kioskCrlConnectSources({ env: { KIOSK_CONFIG: '/missing.json' }, readText, defaultPath: 'static/kiosk-config.json' })).toThrow(/KIOSK_CONFIG/);
		expect(() => kioskCrlConnectSources({ env: {}, readText: () => '{', defaultPath: 'x.json' })).toThrow(/not valid JSON/);
	});
});
