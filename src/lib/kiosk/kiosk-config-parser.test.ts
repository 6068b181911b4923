import '../i18n/kiosk-messages';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_BASIC_INFO_FIELDS } from '../card/basic-four-info';
import { translate, type MessageKey } from '../i18n';
import { checkCrlUrl, checkOrigin, KioskConfigLimits, KioskConfigProblemCode, loadKioskConfig, parseKioskConfig } from './kiosk-config-parser';
import { DEFAULT_KIOSK_CONFIG, KioskFlow, type KioskConfig, type KioskConfigProblem } from './kiosk-config';

function problems(json: unknown): KioskConfigProblem[] {
	const result = parseKioskConfig(json);
	if (result.ok) throw new Error('expected problems');
	return result.problems;
}

function codesAt(json: unknown): string[] {
	return problems(json).map((p) => `${p.path}:${p.code}`);
}

describe('parseKioskConfig', () => {
	it('takes every default from an empty object', () => {
		expect(parseKioskConfig({})).toEqual({ ok: true, config: DEFAULT_KIOSK_CONFIG });
	});

	it('fills the missing keys of a section from the defaults', () => {
		const result = parseKioskConfig({ idle: { timeoutSeconds: 300 }, handoff: { postMessageOrigins: ['https://counter.city.example.lg.jp'] } });
		expect(result).toEqual({
			ok: true,
			config: {
				...DEFAULT_KIOSK_CONFIG,
				idle: { timeoutSeconds: 300, warningSeconds: 30 },
				handoff: { ...DEFAULT_KIOSK_CONFIG.handoff, postMessageOrigins: ['https://counter.city.example.lg.jp'] }
			}
		});
	});

	it('catches a typo in a key and suggests the right one', () => {
		const [problem] = problems({ idel: { timeoutSeconds: 60 } });
		expect(problem).toMatchObject({ path: 'idel', code: 'unknown-key', params: { key: 'idel', suggestion: 'idle' } });
		expect(problems({ idle: { timeoutSecond: 60 } })[0]).toMatchObject({ path: 'idle.timeoutSecond', params: { suggestion: 'timeoutSeconds' } });
	});

	it('collects every problem, each with its path', () => {
		expect(
			codesAt({
				language: 'fr',
				flows: [],
				idle: { timeoutSeconds: 10, warningSeconds: 30.5 },
				handoff: { fields: ['name', 'name', 'myNumber'], postMessageOrigins: ['https://*.example.jp', 'https://a.example.jp/form', 'http://a.example.jp'], print: 'yes' },
				crl: { urls: ['http://crl.example.jp/a.crl'], updateTime: '6:00' },
				furigana: 1
			})
		).toEqual([
			'language:not-one-of',
			'flows:empty',
			'idle.timeoutSeconds:out-of-range',
			'idle.warningSeconds:not-integer',
			'handoff.fields[1]:duplicate',
			'handoff.fields[2]:not-one-of',
			'handoff.postMessageOrigins[0]:origin-wildcard',
			'handoff.postMessageOrigins[1]:origin-has-path',
			'handoff.postMessageOrigins[2]:origin-not-https',
			'handoff.print:not-boolean',
			'crl.urls[0]:url-not-https',
			'crl.updateTime:time-format',
			'furigana:not-boolean'
		]);
	});

	it('enforces the documented idle ranges at both ends', () => {
		const { idleTimeoutSeconds: t, idleWarningSeconds: w } = KioskConfigLimits;
		expect(parseKioskConfig({ idle: { timeoutSeconds: t.min, warningSeconds: w.max } }).ok).toBe(true);
		expect(parseKioskConfig({ idle: { timeoutSeconds: t.max, warningSeconds: w.min } }).ok).toBe(true);
		expect(codesAt({ idle: { timeoutSeconds: t.max + 1, warningSeconds: w.min - 1 } })).toEqual(['idle.timeoutSeconds:out-of-range', 'idle.warningSeconds:out-of-range']);
		expect(problems({ idle: { timeoutSeconds: 29 } })[0]!.params).toEqual({ value: 29, min: 30, max: 1800 });
	});

	it('accepts plain http origins only for localhost and 127.0.0.1 (development)', () => {
		expect(checkOrigin('http://localhost:5173')).toEqual({ ok: true, origin: 'http://localhost:5173' });
		expect(checkOrigin('http://127.0.0.1:4183')).toEqual({ ok: true, origin: 'http://127.0.0.1:4183' });
		expect(checkOrigin('http://192.168.0.10')).toMatchObject({ ok: false, code: 'origin-not-https' });
		expect(checkOrigin('https://Counter.example.jp')).toEqual({ ok: false, code: 'origin-not-exact', expected: 'https://counter.example.jp' });
		expect(checkOrigin('https://counter.example.jp/')).toEqual({ ok: false, code: 'origin-not-exact', expected: 'https://counter.example.jp' });
		expect(checkOrigin('https://counter.example.jp?x=1')).toMatchObject({ ok: false, code: 'origin-has-path' });
		expect(checkOrigin('https://user@counter.example.jp')).toMatchObject({ ok: false, code: 'origin-has-path' });
		expect(checkOrigin('*')).toMatchObject({ ok: false, code: 'origin-wildcard' });
		expect(checkOrigin('null')).toMatchObject({ ok: false, code: 'origin-invalid' });
		expect(checkOrigin('file:///x')).toMatchObject({ ok: false, code: 'origin-invalid' });
		expect(checkOrigin('https://counter.example.jp:8443')).toEqual({ ok: true, origin: 'https://counter.example.jp:8443' });
	});

	it('accepts https CRL URLs only, without credentials or fragment', () => {
		expect(checkCrlUrl('https://crl.example.jp/jpki/auth.crl')).toEqual({ ok: true, url: 'https://crl.example.jp/jpki/auth.crl' });
		expect(checkCrlUrl('http://crl.example.jp/a.crl')).toEqual({ ok: false, code: 'url-not-https' });
		expect(checkCrlUrl('https://u:p@crl.example.jp/a.crl')).toEqual({ ok: false, code: 'url-has-credentials' });
		expect(checkCrlUrl('https://crl.example.jp/a.crl#x')).toEqual({ ok: false, code: 'url-invalid' });
		expect(checkCrlUrl('crl.example.jp/a.crl')).toEqual({ ok: false, code: 'url-invalid' });
	});

	it('checks the update time as HH:MM on the 24-hour clock', () => {
		for (const ok of ['00:00', '06:00', '23:59']) expect(parseKioskConfig({ crl: { updateTime: ok } }).ok, ok).toBe(true);
		for (const bad of ['24:00', '6:00', '06:60', '06:00:00', ' 06:00', '０６:００']) expect(codesAt({ crl: { updateTime: bad } }), bad).toEqual(['crl.updateTime:' + (bad.length > 5 ? 'too-long' : 'time-format')]);
	});

	it('bounds lists: too many origins or URLs are refused without reading them', () => {
		const origins = Array.from({ length: KioskConfigLimits.maxOrigins + 1 }, (_, i) => `https://h${i}.example.jp`);
		expect(problems({ handoff: { postMessageOrigins: origins } })).toEqual([
			{ path: 'handoff.postMessageOrigins', code: 'too-many', params: { count: KioskConfigLimits.maxOrigins + 1, max: KioskConfigLimits.maxOrigins } }
		]);
		expect(codesAt({ crl: { urls: ['https://a.example.jp/' + 'x'.repeat(KioskConfigLimits.maxUrlLength)] } })).toEqual(['crl.urls[0]:too-long']);
	});

	it('refuses duplicates and unknown values in flows and fields', () => {
		expect(codesAt({ flows: ['certificate', 'certificate'] })).toEqual(['flows[1]:duplicate']);
		expect(codesAt({ flows: ['sign'] })).toEqual(['flows[0]:not-one-of']);
		expect(codesAt({ handoff: { fields: [] } })).toEqual(['handoff.fields:empty']);
		expect(codesAt({ handoff: { fields: 'name' } })).toEqual(['handoff.fields:not-array']);
	});

	it('refuses a file that is not an object, and quotes odd keys safely', () => {
		expect(codesAt([])).toEqual([':not-object']);
		expect(codesAt(null)).toEqual([':not-object']);
		expect(codesAt({ idle: 5 })).toEqual(['idle:not-object']);
		expect(codesAt({ 'a b': 1 })).toEqual(['["a b"]:unknown-key']);
	});

	it('caps the number of problems and says more were left out', () => {
		const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
		const list = problems(many);
		expect(list).toHaveLength(KioskConfigLimits.maxProblems);
		expect(list.at(-1)).toEqual({ path: '', code: 'too-many-problems', params: { max: KioskConfigLimits.maxProblems - 1 } });
	});

	const origin = fc
		.tuple(fc.constantFrom('https://', 'http://localhost', 'http://127.0.0.1'), fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
		.map(([scheme, host, port]) => (scheme === 'https://' ? `https://${host}` : scheme) + (port === undefined ? '' : `:${port}`))
		.filter((o) => checkOrigin(o).ok);
	const crlUrl = fc.webUrl({ validSchemes: ['https'] }).filter((u) => checkCrlUrl(u).ok && new URL(u).href === u);
	const subset = <T>(all: readonly T[]) => fc.subarray([...all], { minLength: 1 });
	const validConfig: fc.Arbitrary<KioskConfig> = fc.record({
		language: fc.constantFrom('ja' as const, 'en' as const),
		flows: subset(Object.values(KioskFlow)),
		idle: fc.record({ timeoutSeconds: fc.integer({ min: 30, max: 1800 }), warningSeconds: fc.integer({ min: 10, max: 120 }) }),
		handoff: fc.record({
			fields: subset(ALL_BASIC_INFO_FIELDS),
			postMessageOrigins: fc.uniqueArray(origin, { maxLength: KioskConfigLimits.maxOrigins }),
			print: fc.boolean(),
			qr: fc.boolean()
		}),
		crl: fc.record({
			urls: fc.uniqueArray(crlUrl, { maxLength: 4 }),
			updateTime: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
		}),
		furigana: fc.boolean(),
		shufflePinPad: fc.boolean()
	});

	it('round-trips every valid configuration through JSON (property)', () => {
		fc.assert(
			fc.property(validConfig, (config) => {
				expect(parseKioskConfig(JSON.parse(JSON.stringify(config)))).toEqual({ ok: true, config });
			})
		);
	});

	it('never throws on random JSON, and every problem has a path and a known code (property)', () => {
		const codes = new Set<string>(Object.values(KioskConfigProblemCode));
		fc.assert(
			fc.property(fc.oneof(fc.jsonValue(), fc.record({ idle: fc.jsonValue(), handoff: fc.jsonValue(), crl: fc.jsonValue(), flows: fc.jsonValue() }, { requiredKeys: [] })), (json) => {
				const result = parseKioskConfig(json);
				if (result.ok) return;
				expect(result.problems.length).toBeGreaterThan(0);
				expect(result.problems.length).toBeLessThanOrEqual(KioskConfigLimits.maxProblems);
				for (const p of result.problems) {
					expect(typeof p.path).toBe('string');
					expect(codes.has(p.code), p.code).toBe(true);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('ships static/kiosk-config.json with exactly the defaults', () => {
		const shipped: unknown = JSON.parse(readFileSync(new URL('../../../static/kiosk-config.json', import.meta.url), 'utf8'));
		expect(parseKioskConfig(shipped)).toEqual({ ok: true, config: DEFAULT_KIOSK_CONFIG });
	});
});

describe('problem messages', () => {
	it('has a Japanese and an English message for every problem code, showing the values', () => {
		const params = { file: '/kiosk-config.json', status: 404, max: 9, min: 1, value: 'VALUE', key: 'KEY', known: 'a, b', count: 3, length: 99, allowed: 'x, y', expected: 'https://e.example' };
		for (const code of Object.values(KioskConfigProblemCode)) {
			for (const locale of ['ja', 'en'] as const) {
				const text = translate(locale, `kioskConfig.problem.${code}` as MessageKey, params);
				expect(text, `${locale} ${code}`).not.toMatch(/\{\w+\}/);
				expect(text.length).toBeGreaterThan(10);
			}
		}
		expect(translate('ja', 'kioskConfig.problem.origin-not-https', { value: '"http://a"' })).toContain('開発用');
		expect(translate('en', 'kioskConfig.problem.origin-not-https', { value: '"http://a"' })).toContain('development');
	});
});

describe('loadKioskConfig', () => {
	const respond = (body: string, init?: ResponseInit) => async () => new Response(body, init);

	it('loads and validates the file', async () => {
		expect(await loadKioskConfig(respond('{"idle":{"timeoutSeconds":60}}'))).toEqual({ ok: true, config: { ...DEFAULT_KIOSK_CONFIG, idle: { timeoutSeconds: 60, warningSeconds: 30 } } });
		expect(await loadKioskConfig(respond('\uFEFF{}'))).toEqual({ ok: true, config: DEFAULT_KIOSK_CONFIG });
	});

	it('turns an HTTP error, a network failure, bad JSON and an oversized file into problems', async () => {
		expect(await loadKioskConfig(respond('nope', { status: 404 }))).toEqual({ ok: false, problems: [{ path: '', code: 'http-error', params: { file: '/kiosk-config.json', status: 404 } }] });
		expect(await loadKioskConfig(() => Promise.reject(new TypeError('Failed to fetch')), '/x.json')).toEqual({ ok: false, problems: [{ path: '', code: 'unreachable', params: { file: '/x.json' } }] });
		expect(await loadKioskConfig(respond('{"idle": {,}}'))).toMatchObject({ ok: false, problems: [{ code: 'not-json' }] });
		expect(await loadKioskConfig(respond(' '.repeat(KioskConfigLimits.maxFileBytes + 1) + '{}'))).toMatchObject({ ok: false, problems: [{ code: 'too-large' }] });
	});

	it('asks for a fresh copy (an edited file takes effect on reload)', async () => {
		let init: RequestInit | undefined;
		await loadKioskConfig(async (_url, i) => {
			init = i;
			return new Response('{}');
		});
		expect(init?.cache).toBe('no-store');
	});
});
