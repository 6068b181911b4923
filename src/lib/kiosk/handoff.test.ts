import fc from 'fast-check';
import decodeQR from 'qr/decode.js';
import { describe, expect, it } from 'vitest';
import type { BasicFourInfo } from '../card/basic-four-info';
import { buildHandoffPayload, handoffQr, HandoffQrLimits, parentOrigin, postHandoff, type KioskHandoffPlatform } from './handoff';

const INFO: BasicFourInfo = { name: '番号　花子', address: '東京都千代田区霞が関二丁目一番二号　中央合同庁舎第二号館', birthDate: '1985-04-01', sex: 'female' };
const COUNTER = 'https://counter.city.example.lg.jp';

function platform(options: { embedded?: boolean; ancestors?: string[] | undefined; referrer?: string } = {}) {
	const sent: { message: unknown; targetOrigin: string }[] = [];
	const fake: KioskHandoffPlatform = {
		parent: () => (options.embedded === false ? undefined : { postMessage: (message, targetOrigin) => sent.push({ message, targetOrigin }) }),
		ancestorOrigins: () => ('ancestors' in options ? options.ancestors : [COUNTER]),
		referrer: () => options.referrer ?? '',
		print: () => undefined,
		now: () => 0
	};
	return { fake, sent };
}

/** Paints the QR's path data into RGBA pixels (4 px a module) and reads it back with the library's decoder. */
function decode(qr: { size: number; path: string }): string {
	const scale = 4;
	const width = qr.size * scale;
	const data = new Uint8Array(width * width * 4).fill(255);
	for (const [, x, y, run] of qr.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
		for (let dx = 0; dx < Number(run) * scale; dx++)
			for (let dy = 0; dy < scale; dy++) {
				const i = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
				data[i] = data[i + 1] = data[i + 2] = 0;
			}
	}
	return decodeQR({ width, height: width, data });
}

describe('buildHandoffPayload', () => {
	it('carries only the allowed fields, in plain JSON', () => {
		const payload = buildHandoffPayload(INFO, ['name', 'birthDate']);
		expect(payload).toEqual({ type: 'myna-kiosk/basic-info', version: 1, fields: { name: '番号　花子', birthDate: '1985-04-01' } });
		expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
	});

	it('leaves out a field the card did not give (the resident narrowed the choice)', () => {
		expect(buildHandoffPayload({ name: 'A' }, ['name', 'address', 'sex']).fields).toEqual({ name: 'A' });
	});
});

describe('postHandoff', () => {
	const payload = buildHandoffPayload(INFO, ['name', 'address']);

	it('posts to an allowed parent with its exact origin as targetOrigin', () => {
		const { fake, sent } = platform();
		expect(postHandoff(payload, [COUNTER], fake)).toEqual({ ok: true, origin: COUNTER, fields: ['name', 'address'] });
		expect(sent).toEqual([{ message: payload, targetOrigin: COUNTER }]);
	});

	it('sends nothing to a parent whose origin is not configured, and says which origin it was', () => {
		const { fake, sent } = platform({ ancestors: ['https://evil.example'] });
		expect(postHandoff(payload, [COUNTER], fake)).toEqual({ ok: false, reason: 'origin-not-allowed', origin: 'https://evil.example' });
		expect(sent).toEqual([]);
	});

	it('sends nothing when not embedded or when the parent origin cannot be known', () => {
		expect(postHandoff(payload, [COUNTER], platform({ embedded: false }).fake)).toEqual({ ok: false, reason: 'not-embedded' });
		const opaque = platform({ ancestors: ['null'] });
		expect(postHandoff(payload, [COUNTER], opaque.fake)).toEqual({ ok: false, reason: 'origin-unknown' });
		const noReferrer = platform({ ancestors: undefined, referrer: '' });
		expect(postHandoff(payload, [COUNTER], noReferrer.fake)).toEqual({ ok: false, reason: 'origin-unknown' });
		expect(opaque.sent.length + noReferrer.sent.length).toBe(0);
	});

	it('falls back to the referrer’s origin where ancestorOrigins is missing', () => {
		expect(parentOrigin(platform({ ancestors: undefined, referrer: `${COUNTER}/form/123?x=1` }).fake)).toBe(COUNTER);
		const { fake, sent } = platform({ ancestors: undefined, referrer: `${COUNTER}/form` });
		expect(postHandoff(payload, [COUNTER], fake)).toMatchObject({ ok: true });
		expect(sent[0]!.targetOrigin).toBe(COUNTER);
	});

	it('never uses "*" as the target, whatever the configuration (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.oneof(fc.constant('*'), fc.webUrl().map((u) => new URL(u).origin))), fc.oneof(fc.constant('*'), fc.constant('null'), fc.webUrl().map((u) => new URL(u).origin)), (allowed, origin) => {
				const { fake, sent } = platform({ ancestors: [origin] });
				postHandoff(payload, allowed, fake);
				for (const s of sent) {
					expect(s.targetOrigin).not.toBe('*');
					expect(s.targetOrigin).toBe(origin);
				}
			})
		);
	});
});

describe('handoffQr', () => {
	it('encodes exactly the payload JSON (UTF-8 Japanese) and decodes back to it', () => {
		const payload = buildHandoffPayload(INFO, ['name', 'address', 'birthDate', 'sex']);
		const qr = handoffQr(payload);
		if (!qr.ok) throw new Error('expected a QR code');
		expect(qr.ecc).toBe('medium');
		expect(qr.version).toBeLessThanOrEqual(HandoffQrLimits.maxVersion);
		expect(JSON.parse(decode(qr))).toEqual(payload);
	});

	it('refuses a payload too long for a readable code instead of drawing an unreadable one', () => {
		const payload = buildHandoffPayload({ ...INFO, address: '東京都'.repeat(400) }, ['name', 'address']);
		const qr = handoffQr(payload);
		expect(qr).toEqual({ ok: false, reason: 'too-long', bytes: new TextEncoder().encode(JSON.stringify(payload)).length });
	});

	it('drops to low error correction only when medium would not fit', () => {
		// Medium holds about 1 KB at the largest allowed version; low a little more.
		const payload = buildHandoffPayload({ address: 'あ'.repeat(345) }, ['address']);
		const qr = handoffQr(payload);
		expect(qr.ok && qr.ecc).toBe('low');
		if (qr.ok) expect(JSON.parse(decode(qr))).toEqual(payload);
	});
});
