import type { Remote } from 'comlink';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CardWorkerApi } from '../card/worker-api';
import { DEFAULT_KIOSK_CONFIG } from '../kiosk/kiosk-config';
import type { PkiWorkerApi } from '../pki/worker-api';
import { KioskSession, type KioskReaderView, type KioskSpeech } from './kiosk.svelte';

const HANAKO = { name: '見本　花子', address: '見本県夢見市さくら町一丁目2番地3', birthDate: '1985-06-15', sex: 'female' } as const;

function view(partial: Partial<KioskReaderView> = {}): KioskReaderView {
	return { activeKey: 'r1', cardPresent: true, cardReading: false, readyReaders: 1, unpluggedKeys: [], cardProblem: undefined, readerProblem: undefined, ...partial };
}

const TEXT_STATUS = { pin: 'text', state: 'ready', triesLeft: 3, maxTries: 3, lastTry: false } as const;

/** A card worker that answers `call(readerKey, op, ...args)` from a table; records every call (args included). */
function fakeCard(answers: Record<string, (...args: unknown[]) => unknown>) {
	const calls: { op: string; args: unknown[] }[] = [];
	const api = {
		call: vi.fn(async (_key: string, op: string, ...args: unknown[]) => {
			calls.push({ op, args });
			const answer = answers[op];
			if (!answer) throw new Error(`unexpected ${op}`);
			return answer(...args);
		})
	};
	return { api: api as unknown as Remote<CardWorkerApi>, calls };
}

function session(answers: Record<string, (...args: unknown[]) => unknown>, speech?: KioskSpeech) {
	const card = fakeCard({ cancel: () => ({ ok: true }), pinStatus: () => ({ ok: true, status: TEXT_STATUS }), ...answers });
	const s = new KioskSession({
		card: card.api,
		pki: {} as Remote<PkiWorkerApi>,
		timers: globalThis,
		now: () => Date.UTC(2026, 10, 25),
		speech,
		config: DEFAULT_KIOSK_CONFIG
	});
	return { s, calls: card.calls };
}

async function readInfo(s: KioskSession, pin = [1, 2, 3, 4]) {
	await s.choose('basic-info');
	expect(s.step).toBe('pin');
	for (const d of pin) s.pinDigit(d);
	await s.submitPin();
}

describe('KioskSession', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('insert card → choose; the 4 info with the PIN from the pad, then the buffer is empty', async () => {
		const { s, calls } = session({ readBasicInfo: () => ({ ok: true, info: HANAKO }) });
		expect(s.step).toBe('insert-card');
		s.observe(view());
		expect(s.step).toBe('choose');
		await readInfo(s);
		expect(s.step).toBe('result');
		expect(s.result).toMatchObject({ flow: 'basic-info', info: HANAKO });
		const read = calls.find((c) => c.op === 'readBasicInfo')!;
		expect(read.args[0]).toBe('1234');
		expect(read.args[1]).toMatchObject({ fields: ['name', 'address', 'birthDate', 'sex'], confirmLastTry: false });
		expect(s.pinLength).toBe(0);
		expect(JSON.stringify(s)).not.toContain('1234');
	});

	it('only the fields the resident left ticked are asked for', async () => {
		const { s, calls } = session({ readBasicInfo: () => ({ ok: true, info: { name: HANAKO.name } }) });
		s.observe(view());
		await s.choose('basic-info');
		s.toggleField('sex', false);
		s.toggleField('birthDate', false);
		s.toggleField('address', false);
		for (const d of [1, 2, 3, 4]) s.pinDigit(d);
		await s.submitPin();
		expect(calls.find((c) => c.op === 'readBasicInfo')!.args[1]).toMatchObject({ fields: ['name'] });
	});

	it('a wrong PIN stays on the PIN screen with the tries left; nothing is retried', async () => {
		const { s, calls } = session({
			readBasicInfo: () => ({ ok: false, error: { kind: 'pin-wrong', message: 'Wrong PIN', details: { pin: 'text', triesLeft: 2 } } }),
			pinStatus: () => ({ ok: true, status: { ...TEXT_STATUS, triesLeft: 2 } })
		});
		s.observe(view());
		await readInfo(s, [9, 9, 9, 9]);
		expect(s.step).toBe('pin');
		expect(s.pinNotice).toEqual({ kind: 'wrong', triesLeft: 2 });
		expect(calls.filter((c) => c.op === 'readBasicInfo')).toHaveLength(1);
	});

	it('the last try needs the confirmation before anything is sent', async () => {
		const { s, calls } = session({
			pinStatus: () => ({ ok: true, status: { ...TEXT_STATUS, triesLeft: 1, lastTry: true } }),
			readBasicInfo: () => ({ ok: true, info: HANAKO })
		});
		s.observe(view());
		await readInfo(s);
		expect(s.pinNotice).toEqual({ kind: 'need-confirm' });
		expect(calls.some((c) => c.op === 'readBasicInfo')).toBe(false);
	});

	it('a blocked PIN goes to the error screen before any PIN is asked', async () => {
		const { s } = session({ pinStatus: () => ({ ok: true, status: { ...TEXT_STATUS, state: 'blocked', triesLeft: 0 } }) });
		s.observe(view());
		await s.choose('basic-info');
		expect(s.step).toBe('error');
		expect(s.error?.kind).toBe('pin-blocked');
	});

	it('card removal on the result screen wipes the 4 info', async () => {
		const { s } = session({ readBasicInfo: () => ({ ok: true, info: HANAKO }) });
		s.observe(view());
		await readInfo(s);
		s.observe(view({ activeKey: undefined, cardPresent: false }));
		expect(s.result).toBeUndefined();
		expect(s.step).toBe('insert-card');
		expect(s.cleared).toBe('finished');
	});

	it('unplug wipes and says so; a card on the reader again brings the choice back', async () => {
		const { s } = session({ readBasicInfo: () => ({ ok: true, info: HANAKO }) });
		s.observe(view());
		await readInfo(s);
		s.observe(view({ activeKey: undefined, cardPresent: false, readyReaders: 0, unpluggedKeys: ['r1'] }));
		expect(s.result).toBeUndefined();
		expect(s.step).toBe('error');
		expect(s.error?.kind).toBe('reader-unplugged');
		s.observe(view({ activeKey: 'r2' }));
		expect(s.step).toBe('choose');
	});

	it('a card taken out of its reader is a plain removal even while another, spare reader is listed as unplugged', async () => {
		const { s } = session({ readBasicInfo: () => ({ ok: true, info: HANAKO }) });
		s.observe(view({ unpluggedKeys: ['spare'] }));
		await readInfo(s);
		s.observe(view({ activeKey: undefined, cardPresent: false, unpluggedKeys: ['spare'] }));
		expect(s.result).toBeUndefined();
		expect(s.step).toBe('insert-card');
		expect(s.error).toBeUndefined();
	});

	it('an answer that arrives after the card left is dropped', async () => {
		let resolve: (v: unknown) => void = () => undefined;
		const { s } = session({ readBasicInfo: () => new Promise((r) => (resolve = r)) });
		s.observe(view());
		await s.choose('basic-info');
		for (const d of [1, 2, 3, 4]) s.pinDigit(d);
		const reading = s.submitPin();
		expect(s.step).toBe('working');
		s.observe(view({ activeKey: undefined, cardPresent: false }));
		expect(s.error?.kind).toBe('card-removed');
		resolve({ ok: true, info: HANAKO });
		await reading;
		expect(s.result).toBeUndefined();
		expect(s.step).toBe('error');
	});

	it('idle: warning after the timeout, extend keeps the result, expiry wipes and asks for the card back', async () => {
		const speech = { speak: vi.fn(), cancel: vi.fn() };
		const { s } = session({ readBasicInfo: () => ({ ok: true, info: HANAKO }) }, speech);
		s.observe(view());
		await readInfo(s);
		vi.advanceTimersByTime(DEFAULT_KIOSK_CONFIG.idle.timeoutSeconds * 1000);
		expect(s.idleSecondsLeft).toBe(DEFAULT_KIOSK_CONFIG.idle.warningSeconds);
		s.extendIdle();
		expect(s.idleSecondsLeft).toBeUndefined();
		expect(s.result).toBeDefined();
		vi.advanceTimersByTime((DEFAULT_KIOSK_CONFIG.idle.timeoutSeconds + DEFAULT_KIOSK_CONFIG.idle.warningSeconds) * 1000);
		expect(s.result).toBeUndefined();
		expect(s.step).toBe('remove-card');
		expect(s.cleared).toBe('idle');
		expect(speech.cancel).toHaveBeenCalled();
		s.observe(view({ activeKey: undefined, cardPresent: false }));
		expect(s.step).toBe('insert-card');
	});

	it('input resets the quiet period', async () => {
		const { s } = session({});
		s.observe(view());
		vi.advanceTimersByTime(100_000);
		s.activity();
		vi.advanceTimersByTime(100_000);
		expect(s.idleSecondsLeft).toBeUndefined();
		expect(s.step).toBe('choose');
	});

	it('the staff screen does not stop the idle wipe: the 4 info left behind it is wiped, the staff screen closed', async () => {
		const { s } = session({ readBasicInfo: () => ({ ok: true, info: HANAKO }) });
		s.observe(view());
		await readInfo(s);
		s.openStaff();
		expect(s.step).toBe('staff');
		vi.advanceTimersByTime(DEFAULT_KIOSK_CONFIG.idle.timeoutSeconds * 1000);
		expect(s.idleSecondsLeft).toBe(DEFAULT_KIOSK_CONFIG.idle.warningSeconds);
		vi.advanceTimersByTime(DEFAULT_KIOSK_CONFIG.idle.warningSeconds * 1000);
		expect(s.result).toBeUndefined();
		expect(s.step).toBe('remove-card');
		s.closeStaff();
		expect(s.result).toBeUndefined();
	});

	it('a card that is not a My Number Card is explained, and forgotten when taken away', () => {
		const { s } = session({});
		s.observe(view({ activeKey: undefined, cardProblem: { kind: 'not-myna-card', message: 'x' } }));
		expect(s.step).toBe('error');
		expect(s.error?.kind).toBe('not-myna-card');
		s.observe(view({ activeKey: undefined, cardPresent: false }));
		expect(s.step).toBe('insert-card');
	});

	it('a reader busy in another program is explained; once usable, the kiosk waits for the card', () => {
		const { s } = session({});
		s.observe(view({ activeKey: undefined, cardPresent: false, readyReaders: 0, readerProblem: { kind: 'reader-busy', message: 'x' } }));
		expect(s.step).toBe('error');
		expect(s.error?.kind).toBe('reader-busy');
		s.observe(view({ activeKey: undefined, cardPresent: false }));
		expect(s.step).toBe('insert-card');
	});

	it('cancelling the PIN zeroes what was typed', async () => {
		const { s } = session({});
		s.observe(view());
		await s.choose('basic-info');
		s.pinDigit(5);
		s.pinDigit(6);
		s.cancelPin();
		expect(s.pinLength).toBe(0);
		expect(s.step).toBe('choose');
	});
});
