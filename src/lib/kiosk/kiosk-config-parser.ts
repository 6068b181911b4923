import { ALL_BASIC_INFO_FIELDS, type BasicInfoField } from '../card/basic-four-info';
import { DEFAULT_KIOSK_CONFIG, KioskFlow, type KioskConfigProblem, type KioskConfigResult } from './kiosk-config';

/**
 * Strict, bounded validation of the operator's `kiosk-config.json`. Every problem is collected (not just the first),
 * each with the JSON path it is about and a message code (`kioskConfig.problem.<code>` in messages/kiosk-operator.ts).
 * Missing keys take the value from DEFAULT_KIOSK_CONFIG; unknown keys are problems, so a typo never goes unnoticed.
 */

export const KioskConfigLimits = {
	/** The file as fetched (the real one is well under 2 KiB). */
	maxFileBytes: 64 * 1024,
	maxOrigins: 16,
	maxCrlUrls: 16,
	maxOriginLength: 256,
	maxUrlLength: 2048,
	/** Problems reported at most (the last one says more were left out). */
	maxProblems: 40,
	/** Characters of a bad value or key quoted back in a message. */
	maxQuoted: 80,
	idleTimeoutSeconds: { min: 30, max: 1800 },
	idleWarningSeconds: { min: 10, max: 120 }
} as const;

export const KioskConfigProblemCode = {
	NotJson: 'not-json',
	HttpError: 'http-error',
	Unreachable: 'unreachable',
	TooLarge: 'too-large',
	NotObject: 'not-object',
	UnknownKey: 'unknown-key',
	NotBoolean: 'not-boolean',
	NotInteger: 'not-integer',
	NotString: 'not-string',
	NotArray: 'not-array',
	OutOfRange: 'out-of-range',
	NotOneOf: 'not-one-of',
	Empty: 'empty',
	TooMany: 'too-many',
	TooLong: 'too-long',
	Duplicate: 'duplicate',
	OriginInvalid: 'origin-invalid',
	OriginNotHttps: 'origin-not-https',
	OriginWildcard: 'origin-wildcard',
	OriginHasPath: 'origin-has-path',
	OriginNotExact: 'origin-not-exact',
	UrlInvalid: 'url-invalid',
	UrlNotHttps: 'url-not-https',
	UrlHasCredentials: 'url-has-credentials',
	TimeFormat: 'time-format',
	TooManyProblems: 'too-many-problems'
} as const;
export type KioskConfigProblemCode = (typeof KioskConfigProblemCode)[keyof typeof KioskConfigProblemCode];

const Code = KioskConfigProblemCode;
const FLOWS: readonly string[] = Object.values(KioskFlow);
const FIELDS: readonly string[] = ALL_BASIC_INFO_FIELDS;
const LANGUAGES = ['ja', 'en'] as const;
/** Development origins that may be plain http (a kiosk in production is always served over https). */
const DEV_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

type Json = unknown;

function quote(text: string): string {
	return text.length > KioskConfigLimits.maxQuoted ? `${text.slice(0, KioskConfigLimits.maxQuoted)}…` : text;
}

function describe(value: Json): string {
	if (typeof value === 'string') return quote(JSON.stringify(value));
	if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
	return Array.isArray(value) ? 'array' : typeof value;
}

function childPath(parent: string, key: string): string {
	const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${quote(JSON.stringify(key))}]`;
	if (safe.startsWith('[')) return `${parent}${safe}`;
	return parent ? `${parent}.${safe}` : safe;
}

function isPlainObject(value: Json): value is Record<string, Json> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Edit distance, for "did you mean" on unknown keys (short keys only, so this stays cheap). */
function distance(a: string, b: string): number {
	if (a.length > 40 || b.length > 40) return Infinity;
	let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		previous = current;
	}
	return previous[b.length]!;
}

class ProblemList {
	readonly items: KioskConfigProblem[] = [];

	add(path: string, code: KioskConfigProblemCode, params?: Record<string, string | number>): void {
		const max = KioskConfigLimits.maxProblems;
		if (this.items.length < max - 1) this.items.push(params ? { path, code, params } : { path, code });
		else if (this.items.length === max - 1) this.items.push({ path: '', code: Code.TooManyProblems, params: { max: max - 1 } });
	}
}

/** The object at `path` with only `known` keys (others reported); undefined (and reported) when it is not an object. */
function section(value: Json, path: string, known: readonly string[], problems: ProblemList): Record<string, Json> | undefined {
	if (!isPlainObject(value)) {
		problems.add(path, Code.NotObject, { value: describe(value) });
		return undefined;
	}
	for (const key of Object.keys(value)) {
		if (known.includes(key)) continue;
		const suggestion = known.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
		problems.add(childPath(path, key), Code.UnknownKey, { key: quote(key), known: known.join(', '), ...(suggestion ? { suggestion } : {}) });
	}
	return value;
}

function boolean(value: Json, path: string, fallback: boolean, problems: ProblemList): boolean {
	if (value === undefined) return fallback;
	if (typeof value === 'boolean') return value;
	problems.add(path, Code.NotBoolean, { value: describe(value) });
	return fallback;
}

function integer(value: Json, path: string, fallback: number, range: { min: number; max: number }, problems: ProblemList): number {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value)) {
		problems.add(path, Code.NotInteger, { value: describe(value), min: range.min, max: range.max });
		return fallback;
	}
	if (value < range.min || value > range.max) {
		problems.add(path, Code.OutOfRange, { value, min: range.min, max: range.max });
		return fallback;
	}
	return value;
}

function oneOf<T extends string>(value: Json, path: string, allowed: readonly T[], problems: ProblemList): T | undefined {
	if (typeof value !== 'string') {
		problems.add(path, Code.NotString, { value: describe(value) });
		return undefined;
	}
	if ((allowed as readonly string[]).includes(value)) return value as T;
	problems.add(path, Code.NotOneOf, { value: describe(value), allowed: allowed.join(', ') });
	return undefined;
}

/** An array whose items are checked one by one; `undefined` when absent; bounded by `max` (longer ones are not read). */
function list<T>(
	value: Json,
	path: string,
	options: { max: number; nonEmpty: boolean },
	item: (value: Json, path: string) => T | undefined,
	problems: ProblemList
): T[] | undefined {
	if (!Array.isArray(value)) {
		problems.add(path, Code.NotArray, { value: describe(value) });
		return undefined;
	}
	if (value.length > options.max) {
		problems.add(path, Code.TooMany, { count: value.length, max: options.max });
		return undefined;
	}
	if (options.nonEmpty && value.length === 0) {
		problems.add(path, Code.Empty);
		return undefined;
	}
	const out: T[] = [];
	const seen = new Set<T>();
	value.forEach((v, i) => {
		const itemPath = `${path}[${i}]`;
		const parsed = item(v, itemPath);
		if (parsed === undefined) return;
		if (seen.has(parsed)) problems.add(itemPath, Code.Duplicate, { value: describe(v) });
		seen.add(parsed);
		out.push(parsed);
	});
	return out;
}

function boundedString(value: Json, path: string, max: number, problems: ProblemList): string | undefined {
	if (typeof value !== 'string') {
		problems.add(path, Code.NotString, { value: describe(value) });
		return undefined;
	}
	if (value.length > max) {
		problems.add(path, Code.TooLong, { length: value.length, max });
		return undefined;
	}
	return value;
}

function tryUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** An exact origin `https://host[:port]` (http only for localhost / 127.0.0.1 / [::1], for development). */
export function checkOrigin(text: string): { ok: true; origin: string } | { ok: false; code: KioskConfigProblemCode; expected?: string } {
	if (text.includes('*')) return { ok: false, code: Code.OriginWildcard };
	const url = tryUrl(text);
	if (!url || url.origin === 'null' || url.hostname === '') return { ok: false, code: Code.OriginInvalid };
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && DEV_HOSTS.has(url.hostname))) return { ok: false, code: Code.OriginNotHttps };
	if (url.username || url.password || url.search || url.hash || url.pathname !== '/' || /^[a-z]+:\/\/[^/]+\/./i.test(text)) return { ok: false, code: Code.OriginHasPath, expected: url.origin };
	if (url.origin !== text) return { ok: false, code: Code.OriginNotExact, expected: url.origin };
	return { ok: true, origin: url.origin };
}

/** An https URL without credentials or fragment, as the URL parser writes it (so comparisons are exact). */
export function checkCrlUrl(text: string): { ok: true; url: string } | { ok: false; code: KioskConfigProblemCode } {
	const url = tryUrl(text);
	if (!url || url.hostname === '') return { ok: false, code: Code.UrlInvalid };
	if (url.protocol !== 'https:') return { ok: false, code: Code.UrlNotHttps };
	if (url.username || url.password) return { ok: false, code: Code.UrlHasCredentials };
	if (url.hash || text.includes('#')) return { ok: false, code: Code.UrlInvalid };
	return { ok: true, url: url.href };
}

const TOP_KEYS = ['language', 'flows', 'idle', 'handoff', 'crl', 'furigana', 'shufflePinPad'] as const;
const IDLE_KEYS = ['timeoutSeconds', 'warningSeconds'] as const;
const HANDOFF_KEYS = ['fields', 'postMessageOrigins', 'print', 'qr'] as const;
const CRL_KEYS = ['urls', 'updateTime'] as const;

/** Validates a parsed `kiosk-config.json`. Never throws; any input yields a config or the list of its problems. */
export function parseKioskConfig(json: unknown): KioskConfigResult {
	const problems = new ProblemList();
	const d = DEFAULT_KIOSK_CONFIG;
	const root = section(json, '', TOP_KEYS, problems);
	if (!root) return { ok: false, problems: problems.items };

	const language = root['language'] === undefined ? d.language : (oneOf(root['language'], 'language', LANGUAGES, problems) ?? d.language);
	const flows =
		root['flows'] === undefined
			? d.flows
			: (list(root['flows'], 'flows', { max: FLOWS.length * 2, nonEmpty: true }, (v, p) => oneOf(v, p, FLOWS, problems) as KioskFlow | undefined, problems) ?? d.flows);

	let idle = d.idle;
	const idleInput = root['idle'] === undefined ? undefined : section(root['idle'], 'idle', IDLE_KEYS, problems);
	if (idleInput) {
		idle = {
			timeoutSeconds: integer(idleInput['timeoutSeconds'], 'idle.timeoutSeconds', d.idle.timeoutSeconds, KioskConfigLimits.idleTimeoutSeconds, problems),
			warningSeconds: integer(idleInput['warningSeconds'], 'idle.warningSeconds', d.idle.warningSeconds, KioskConfigLimits.idleWarningSeconds, problems)
		};
	}

	let handoff = d.handoff;
	const handoffInput = root['handoff'] === undefined ? undefined : section(root['handoff'], 'handoff', HANDOFF_KEYS, problems);
	if (handoffInput) {
		const fields =
			handoffInput['fields'] === undefined
				? d.handoff.fields
				: (list(
						handoffInput['fields'],
						'handoff.fields',
						{ max: FIELDS.length * 2, nonEmpty: true },
						(v, p) => oneOf(v, p, FIELDS, problems) as BasicInfoField | undefined,
						problems
					) ?? d.handoff.fields);
		const origins =
			handoffInput['postMessageOrigins'] === undefined
				? d.handoff.postMessageOrigins
				: (list(
						handoffInput['postMessageOrigins'],
						'handoff.postMessageOrigins',
						{ max: KioskConfigLimits.maxOrigins, nonEmpty: false },
						(v, p) => {
							const text = boundedString(v, p, KioskConfigLimits.maxOriginLength, problems);
							if (text === undefined) return undefined;
							const checked = checkOrigin(text);
							if (checked.ok) return checked.origin;
							problems.add(p, checked.code, { value: describe(text), ...(checked.expected ? { expected: checked.expected } : {}) });
							return undefined;
						},
						problems
					) ?? d.handoff.postMessageOrigins);
		handoff = {
			fields,
			postMessageOrigins: origins,
			print: boolean(handoffInput['print'], 'handoff.print', d.handoff.print, problems),
			qr: boolean(handoffInput['qr'], 'handoff.qr', d.handoff.qr, problems)
		};
	}

	let crl = d.crl;
	const crlInput = root['crl'] === undefined ? undefined : section(root['crl'], 'crl', CRL_KEYS, problems);
	if (crlInput) {
		const urls =
			crlInput['urls'] === undefined
				? d.crl.urls
				: (list(
						crlInput['urls'],
						'crl.urls',
						{ max: KioskConfigLimits.maxCrlUrls, nonEmpty: false },
						(v, p) => {
							const text = boundedString(v, p, KioskConfigLimits.maxUrlLength, problems);
							if (text === undefined) return undefined;
							const checked = checkCrlUrl(text);
							if (checked.ok) return checked.url;
							problems.add(p, checked.code, { value: describe(text) });
							return undefined;
						},
						problems
					) ?? d.crl.urls);
		let updateTime = d.crl.updateTime;
		if (crlInput['updateTime'] !== undefined) {
			const text = boundedString(crlInput['updateTime'], 'crl.updateTime', 5, problems);
			if (text !== undefined && HH_MM.test(text)) updateTime = text;
			else if (text !== undefined) problems.add('crl.updateTime', Code.TimeFormat, { value: describe(text) });
		}
		crl = { urls, updateTime };
	}

	const furigana = boolean(root['furigana'], 'furigana', d.furigana, problems);
	const shufflePinPad = boolean(root['shufflePinPad'], 'shufflePinPad', d.shufflePinPad, problems);

	if (problems.items.length > 0) return { ok: false, problems: problems.items };
	return { ok: true, config: { language, flows, idle, handoff, crl, furigana, shufflePinPad } };
}

export type KioskConfigFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Fetches and validates the configuration; an HTTP error, a network failure, an oversized file or bad JSON are problems too. */
export async function loadKioskConfig(fetchFn: KioskConfigFetch, url = '/kiosk-config.json'): Promise<KioskConfigResult> {
	const file = url;
	let response: Response;
	try {
		response = await fetchFn(url, { cache: 'no-store', credentials: 'same-origin' });
	} catch {
		return { ok: false, problems: [{ path: '', code: Code.Unreachable, params: { file } }] };
	}
	if (!response.ok) return { ok: false, problems: [{ path: '', code: Code.HttpError, params: { file, status: response.status } }] };
	const declared = Number(response.headers.get('content-length') ?? '0');
	const max = KioskConfigLimits.maxFileBytes;
	if (declared > max) return { ok: false, problems: [{ path: '', code: Code.TooLarge, params: { file, max } }] };
	let text: string;
	try {
		const bytes = new Uint8Array(await response.arrayBuffer());
		if (bytes.length > max) return { ok: false, problems: [{ path: '', code: Code.TooLarge, params: { file, max } }] };
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, problems: [{ path: '', code: Code.NotJson, params: { file } }] };
	}
	let json: unknown;
	try {
		json = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch {
		return { ok: false, problems: [{ path: '', code: Code.NotJson, params: { file } }] };
	}
	return parseKioskConfig(json);
}
