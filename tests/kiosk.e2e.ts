import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { expect, test, type LabHandle } from './fixtures/lab';
import {
	expectKioskStep as expectStep,
	expectNoPersonalText,
	KIOSK_PERSONA as HANAKO,
	KIOSK_TEXT_PIN as TEXT_PIN,
	kioskScreen as screen,
	PERSONAL_TEXT as PERSONAL,
	serveKioskConfig as serveConfig
} from './fixtures/kiosk';
import { TestPki, type VirtualCardOptions } from '../src/lib/emulator/card';

/**
 * The kiosk (/kiosk) over standard CCID readers in the emulated Isolated Web App context (usb-unrestricted), as a
 * municipal office's self-service terminal runs it. Screenshots go to tests/screenshots/kiosk-*.png.
 */
test.use({ isolated: true, serviceWorkers: 'block' });

const SHOTS = 'tests/screenshots';
const AUTH_CA = TestPki.certificateAuthority('auth');

let dir: string;
const files: Record<string, string> = {};
test.beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'myna-kiosk-'));
	for (const [name, bytes] of [
		['auth-ca.cer', AUTH_CA.certificate],
		['auth-current.crl', AUTH_CA.crls.current.der]
	] as const) {
		files[name] = join(dir, name);
		writeFileSync(files[name], bytes);
	}
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** As the operator does on /crls before the kiosk opens: trust the emulated authentication CA, import its CRL. */
async function prepareTrust(page: Page) {
	await page.goto('/crls');
	const anchors = page.getByTestId('trust-anchors');
	await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(files['auth-ca.cer']!);
	await anchors.getByRole('button', { name: '追加する' }).click();
	await expect(anchors.getByTestId('anchor-outcome')).toBeVisible();
	await page.getByLabel('失効リストのファイルを選ぶ').setInputFiles(files['auth-current.crl']!);
	await expect(page.getByTestId('crl-outcome-file')).toContainText('取り込みました');
}

async function openKiosk(page: Page, lab: LabHandle, model: 'acr39u' | 'acr1252u' = 'acr39u', card: VirtualCardOptions = {}) {
	await page.goto('/kiosk');
	await expect(screen(page)).toHaveAttribute('data-step', 'insert-card', { timeout: 15_000 });
	const readerId = await lab.addReader(model, { granted: true });
	const cardId = await lab.insertCard(readerId, card);
	await expect(screen(page)).toHaveAttribute('data-step', 'choose', { timeout: 20_000 });
	return { readerId, cardId };
}

/** axe, and every control at least 44×44 CSS px (WCAG 2.5.5 / 2.5.8), on the screen as it is now. */
async function checkScreen(page: Page, shot?: string) {
	await expectNoAxeViolations(page);
	const small = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('button, input, a[href], select, textarea, [role="button"]')]
			.filter((el) => el.getClientRects().length > 0)
			.map((el) => ({ el: el.dataset['testid'] ?? el.textContent?.trim() ?? el.tagName, box: el.getBoundingClientRect() }))
			.filter(({ box }) => box.width < 44 || box.height < 44)
			.map(({ el, box }) => `${el}: ${Math.round(box.width)}×${Math.round(box.height)}`)
	);
	expect(small).toEqual([]);
	if (shot) await page.screenshot({ path: `${SHOTS}/kiosk-${shot}.png`, fullPage: true });
}

async function typePin(page: Page, pin: string) {
	for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
}

async function startBasicInfo(page: Page) {
	await page.getByTestId('kiosk-flow-basic-info').click();
	await expectStep(page, 'pin');
}

/** Everything the origin could have stored: Web Storage, every IndexedDB store's records, Cache Storage bodies. */
async function storedText(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const parts: string[] = [];
		for (const storage of [localStorage, sessionStorage]) {
			for (let i = 0; i < storage.length; i++) parts.push(storage.key(i)!, storage.getItem(storage.key(i)!) ?? '');
		}
		const decoder = new TextDecoder();
		const flatten = (value: unknown): string => {
			if (value instanceof ArrayBuffer) return decoder.decode(value);
			if (ArrayBuffer.isView(value)) return decoder.decode(value as Uint8Array);
			if (value && typeof value === 'object') return Object.values(value).map(flatten).join('\n');
			return String(value);
		};
		for (const info of await indexedDB.databases()) {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open(info.name!);
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			for (const name of db.objectStoreNames) {
				const all = await new Promise<unknown[]>((resolve, reject) => {
					const request = db.transaction(name).objectStore(name).getAll();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
				parts.push(name, ...all.map(flatten));
			}
			db.close();
		}
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const request of await cache.keys()) parts.push(request.url, (await (await cache.match(request))?.text()) ?? '');
		}
		return parts.join('\n');
	});
}

/** Records what the kiosk asks the Web Speech API to say (instead of speaking). */
async function recordSpeech(page: Page) {
	await page.addInitScript(() => {
		const spoken: string[] = [];
		Object.assign(window, { __spoken: spoken });
		SpeechSynthesis.prototype.speak = function (utterance: SpeechSynthesisUtterance) {
			spoken.push(`${utterance.lang}|${utterance.text}`);
		};
		SpeechSynthesis.prototype.cancel = () => undefined;
	});
}

function spoken(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);
}

function cardTries(page: Page, cardId: string, pin: string): Promise<number> {
	return page.evaluate(([c, p]) => (window.mynaLab.card(c) as unknown as { triesLeft(pin: string): number }).triesLeft(p), [cardId, pin] as const);
}

test.describe('/kiosk over a CCID reader (Isolated Web App, usb-unrestricted)', () => {
	test('start screens; a certificate the kiosk cannot trust is not called valid', async ({ page, lab }) => {
		await page.goto('/kiosk');
		await expectStep(page, 'insert-card');
		await expect(page.locator('.site-header')).toHaveCount(0);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('マイナンバーカードをセットしてください');
		await checkScreen(page, 'insert-card-ja');
		const readerId = await lab.addReader('acr39u', { granted: true });
		await lab.insertCard(readerId);
		await expectStep(page, 'choose', 20_000);
		await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
		await checkScreen(page, 'choose-ja');
		// The emulated CA is not a J-LIS anchor and this kiosk was given no other: the chain cannot be checked.
		await page.getByTestId('kiosk-flow-certificate').click();
		await expectStep(page, 'result');
		await expect(page.getByTestId('kiosk-certificate-status')).toHaveAttribute('data-status', 'problem');
		await expect(page.getByTestId('kiosk-certificate-status')).toHaveText('この電子証明書を確認できませんでした。職員にお声がけください。');
		await page.getByTestId('kiosk-finish').click();
		await expectStep(page, 'remove-card');
		await checkScreen(page);
		await lab.removeCard(readerId);
		await expectStep(page, 'insert-card');
		await expect(page.getByTestId('kiosk-status')).toHaveText('前の方の表示は消去しました。');
	});

	test('certificate: valid against the operator’s anchor and CRL, expiry date and days left; read aloud; English', async ({ page, lab }) => {
		await recordSpeech(page);
		await prepareTrust(page);
		await openKiosk(page, lab);
		await page.getByTestId('kiosk-flow-certificate').click();
		await expectStep(page, 'result');
		const result = page.getByTestId('kiosk-result');
		await expect(result).toHaveAttribute('data-flow', 'certificate');
		await expect(result.getByTestId('kiosk-certificate-status')).toHaveAttribute('data-status', 'valid');
		await expect(result.getByTestId('kiosk-certificate-status')).toHaveText('有効です。今も使えます。');
		await expect(result.getByTestId('kiosk-certificate-expiry')).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日（あと[\d,]+日）$/);
		await checkScreen(page, 'result-certificate-ja');

		await page.getByTestId('kiosk-read-aloud').click();
		const said = await spoken(page);
		expect(said).toHaveLength(1);
		expect(said[0]).toMatch(/^ja-JP\|りようしゃしょうめいようでんししょうめいしょ。有効です。今も使えます。ゆうこうきげん: \d{4}年/);

		await page.getByRole('button', { name: '表示言語を英語に切り替える' }).click();
		await expect(result.getByTestId('kiosk-certificate-status')).toHaveText('Valid. You can use it.');
		await expect(result.getByTestId('kiosk-certificate-expiry')).toHaveText(/^\d{1,2} \w+ \d{4} \([\d,]+ days? left\)$/);
		await checkScreen(page, 'result-certificate-en');
	});

	test('PIN tries left: each PIN, and none spent', async ({ page, lab }) => {
		const { cardId } = await openKiosk(page, lab, 'acr1252u', { triesLeft: { sign: 4 } });
		await page.getByTestId('kiosk-flow-pin-status').click();
		await expectStep(page, 'result');
		const tries = page.getByTestId('kiosk-pin-tries');
		await expect(tries).toHaveText(['残り3回', '残り4回', '残り3回']);
		await expect(tries.nth(1)).toHaveAttribute('data-pin', 'sign');
		expect(await cardTries(page, cardId, 'auth')).toBe(3);
		expect(await cardTries(page, cardId, 'sign')).toBe(4);
		expect(await cardTries(page, cardId, 'text')).toBe(3);
		await checkScreen(page, 'result-pin-status-ja');
	});

	test('basic 4 info: untick a field, PIN on the pad (never echoed), only the chosen fields; nothing stored; removal wipes', async ({ page, lab }) => {
		const { readerId } = await openKiosk(page, lab);
		await startBasicInfo(page);
		await expect(page.getByTestId('kiosk-pin-tries-left')).toContainText('残り3回');
		await page.getByTestId('kiosk-field-sex').uncheck();
		await checkScreen(page, 'pin-ja');
		await typePin(page, TEXT_PIN.slice(0, 2));
		await expect(page.getByTestId('kiosk-pin-dots')).toHaveText('●●○○');
		await expect(page.getByTestId('kiosk-pin-count')).toHaveText('2桁入力済み');
		// A physical keyboard types into the same pad.
		await page.keyboard.press(TEXT_PIN[2]!);
		await expect(page.getByTestId('kiosk-pin-count')).toHaveText('3桁入力済み');
		await page.keyboard.press('Backspace');
		await expect(page.getByTestId('kiosk-pin-count')).toHaveText('2桁入力済み');
		await typePin(page, TEXT_PIN.slice(2));
		await expect(page.getByTestId('kiosk-pin-dots')).toHaveText('●●●●');
		const html = await page.evaluate(() => document.documentElement.outerHTML);
		expect(html).not.toContain(TEXT_PIN);
		await checkScreen(page, 'pin-entered-ja');
		await page.getByTestId('kiosk-pin-submit').click();

		await expectStep(page, 'result');
		const info = page.getByTestId('kiosk-basic-info');
		await expect(info.locator('[data-field="name"]')).toHaveText(HANAKO.name);
		await expect(info.locator('[data-field="address"]')).toHaveText(HANAKO.address);
		await expect(info.locator('[data-field="birthDate"]')).toHaveText('1985年6月15日');
		await expect(info.locator('[data-field="sex"]')).toHaveCount(0);
		await expect(info.locator('dt')).toHaveText(['氏名', '住所', '生年月日']);
		await checkScreen(page, 'result-basic-info-ja');
		expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(TEXT_PIN);

		const stored = await storedText(page);
		for (const value of [...PERSONAL, TEXT_PIN]) expect(stored).not.toContain(value);

		await lab.removeCard(readerId);
		await expectStep(page, 'insert-card');
		await expectNoPersonalText(page);
		await checkScreen(page);
	});

	test('read-aloud of the 4 info says the labels, never the values', async ({ page, lab }) => {
		await recordSpeech(page);
		await openKiosk(page, lab);
		await startBasicInfo(page);
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result');
		await page.getByTestId('kiosk-read-aloud').click();
		const said = (await spoken(page)).join('\n');
		expect(said).toContain('氏名、住所、生年月日、性別は、画面に表示しています');
		for (const value of PERSONAL) expect(said).not.toContain(value);
	});

	test('a wrong PIN says how many tries are left; the last try needs a confirmation; the right PIN then reads', async ({ page, lab }) => {
		const { cardId } = await openKiosk(page, lab, 'acr1252u', { triesLeft: { text: 2 } });
		await startBasicInfo(page);
		await expect(page.getByTestId('kiosk-pin-tries-left')).toContainText('残り2回');
		await typePin(page, '9999');
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'pin');
		await expect(page.getByTestId('kiosk-pin-notice')).toHaveText('暗証番号が違います。残り1回です。もう一度、ゆっくり入力してください。');
		expect(await cardTries(page, cardId, 'text')).toBe(1);
		await expect(page.getByTestId('kiosk-pin-count')).toHaveText('0桁入力済み');
		await expect(page.getByTestId('kiosk-confirm-last-try')).toBeVisible();
		await checkScreen(page, 'pin-wrong-ja');

		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expect(page.getByTestId('kiosk-pin-notice')).toContainText('確認にチェックを入れてください');
		expect(await cardTries(page, cardId, 'text')).toBe(1);
		await page.getByTestId('kiosk-confirm-last-try').check();
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result');
		await expect(page.getByTestId('kiosk-basic-info').locator('[data-field="name"]')).toHaveText(HANAKO.name);
	});

	test('a blocked PIN: no PIN pad, where to go instead', async ({ page, lab }) => {
		await openKiosk(page, lab, 'acr39u', { triesLeft: { text: 0 } });
		await startBasicInfoExpectError(page);
		await expect(page.getByTestId('kiosk-error')).toHaveAttribute('data-error-kind', 'pin-blocked');
		await expect(page.getByTestId('kiosk-error')).toContainText('市区町村の窓口');
		await expect(page.getByTestId('pin-key-1')).toHaveCount(0);
		await checkScreen(page, 'error-blocked-ja');
		await page.getByTestId('kiosk-finish').click();
		await expectStep(page, 'choose');
	});

	test('not a My Number Card: said so; the right card then works without a reload', async ({ page, lab }) => {
		await page.goto('/kiosk');
		const readerId = await lab.addReader('acr39u', { granted: true });
		await lab.insertCard(readerId, { variant: 'juki' });
		await expectStep(page, 'error', 20_000);
		await expect(page.getByTestId('kiosk-error')).toHaveAttribute('data-error-kind', 'not-myna-card');
		await checkScreen(page);
		await lab.removeCard(readerId);
		await expectStep(page, 'insert-card');
		await lab.insertCard(readerId);
		await expectStep(page, 'choose', 20_000);
	});

	test('idle: a warning with a countdown; extending keeps the result; timing out wipes everything', async ({ page, lab }) => {
		await page.clock.install();
		const { readerId } = await openKiosk(page, lab);
		await startBasicInfo(page);
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result');
		// From here the page's time moves only when the test says so (the countdown is then exact).
		await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));

		await page.clock.runFor(119_000);
		const warning = page.getByTestId('kiosk-idle-warning');
		await expect(warning).toBeVisible();
		await expect(warning).toHaveAttribute('role', 'alertdialog');
		await expect(page.getByTestId('kiosk-idle-extend')).toBeFocused();
		await expect(warning).toContainText('あと30秒で');
		await page.clock.runFor(5_000);
		await expect(warning).toContainText('あと25秒で');
		// axe needs timers: let time run on by itself again.
		await page.clock.resume();
		await checkScreen(page, 'idle-warning-ja');
		await page.getByTestId('kiosk-idle-extend').click();
		await expect(warning).toHaveCount(0);
		await expect(page.getByTestId('kiosk-basic-info').locator('[data-field="name"]')).toHaveText(HANAKO.name);

		await page.clock.runFor(120_000 + 30_000);
		await expectStep(page, 'remove-card');
		await expectNoPersonalText(page);
		await checkScreen(page, 'remove-card-ja');
		await lab.removeCard(readerId);
		await expectStep(page, 'insert-card');
		await expectNoPersonalText(page);
	});

	test('reader unplugged on the result screen: wiped, told what to do; plugged back in, ready again', async ({ page, lab }) => {
		const { readerId } = await openKiosk(page, lab, 'acr1252u');
		await startBasicInfo(page);
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result');
		await lab.unplug(readerId);
		await expectStep(page, 'error');
		await expect(page.getByTestId('kiosk-error')).toHaveAttribute('data-error-kind', 'reader-unplugged');
		await expect(page.getByTestId('kiosk-error')).toContainText('職員を呼んでください');
		await expectNoPersonalText(page);
		await checkScreen(page, 'error-unplugged-ja');
		await lab.replug(readerId);
		await expectStep(page, 'choose', 20_000);
	});

	test('card removed mid-read: a clear message, nothing personal, ready after re-insertion', async ({ page, lab }) => {
		const { readerId, cardId } = await openKiosk(page, lab);
		await startBasicInfo(page);
		await typePin(page, TEXT_PIN);
		await lab.armFault(readerId, { atCommand: 3, action: 'remove-card' });
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'error');
		await expect(page.getByTestId('kiosk-error')).toHaveAttribute('data-error-kind', 'card-removed');
		await expect(page.getByTestId('kiosk-error')).toContainText('もう一度カードをセットして');
		await expectNoPersonalText(page);
		await lab.reinsertCard(readerId, cardId);
		await expectStep(page, 'choose', 20_000);
	});

	test('furigana: readings as <ruby> when on, plain text when off', async ({ page, lab }) => {
		await openKiosk(page, lab);
		await expect(page.locator('ruby')).toHaveCount(0);
		await page.getByTestId('kiosk-furigana').click();
		await expect(page.getByTestId('kiosk-furigana')).toHaveAttribute('aria-pressed', 'true');
		const flow = page.getByTestId('kiosk-flow-pin-status');
		await expect(flow.locator('ruby')).toHaveCount(1);
		await expect(flow.locator('ruby rt')).toHaveText('あんしょうばんごう');
		await expect(page.getByTestId('kiosk-flow-certificate').locator('rt')).toHaveText(['でんししょうめいしょ', 'ゆうこうきげん']);
		await checkScreen(page, 'choose-furigana-ja');
		await startBasicInfo(page);
		await expect(page.locator('rt', { hasText: 'けんめんじこうにゅうりょくほじょようあんしょうばんごう' }).first()).toBeVisible();
		await checkScreen(page, 'pin-furigana-ja');
		await page.getByTestId('kiosk-furigana').click();
		await expect(page.locator('ruby')).toHaveCount(0);
	});

	test('shuffled PIN pad: the keys move, the PIN still works', async ({ page, lab }) => {
		await openKiosk(page, lab);
		await startBasicInfo(page);
		const order = () => page.locator('[data-testid^="pin-key-"]:not([data-testid="pin-key-clear"]):not([data-testid="pin-key-back"])').evaluateAll((keys) => keys.map((k) => k.textContent));
		expect(await order()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']);
		await page.getByTestId('kiosk-shuffle').click();
		await expect(page.getByTestId('kiosk-shuffle')).toHaveAttribute('aria-pressed', 'true');
		const shuffled = await order();
		expect([...shuffled].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
		// 1 in 10! that a fair shuffle gives the identity; a broken one always does.
		expect(shuffled.join('')).not.toBe('1234567890');
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result');
	});

	test('staff assist: a calm screen, the kiosk state for staff without personal data, and back', async ({ page, lab }) => {
		await openKiosk(page, lab);
		await startBasicInfo(page);
		await page.getByTestId('kiosk-staff').click();
		await expectStep(page, 'staff');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('職員が参ります');
		await expect(page.getByTestId('kiosk-staff-step')).toHaveText('pin');
		await expect(page.getByTestId('kiosk-staff-readers')).toContainText('使用できます／カード：マイナンバーカード');
		await expect(page.getByTestId('kiosk-staff-readers').locator('li')).toHaveAttribute('data-status', 'ready');
		await checkScreen(page, 'staff-ja');
		await page.getByTestId('kiosk-staff-back').click();
		await expectStep(page, 'pin');
	});
});

async function startBasicInfoExpectError(page: Page) {
	await page.getByTestId('kiosk-flow-basic-info').click();
	await expectStep(page, 'error');
}

test.describe('/kiosk: the operator’s configuration', () => {
	const CONFIG = {
		language: 'ja',
		flows: ['certificate', 'pin-status', 'basic-info'],
		idle: { timeoutSeconds: 120, warningSeconds: 30 },
		handoff: { fields: ['name', 'address', 'birthDate', 'sex'], postMessageOrigins: [], print: true, qr: true },
		crl: { urls: [], updateTime: '06:00' },
		furigana: false,
		shufflePinPad: false
	};

	test('English by default, only the configured flows and fields, furigana and shuffled pad from the start', async ({ page, lab }) => {
		await serveConfig(page, { ...CONFIG, language: 'en', flows: ['basic-info'], handoff: { ...CONFIG.handoff, fields: ['name', 'birthDate'] }, furigana: true, shufflePinPad: true });
		await page.goto('/kiosk');
		await expectStep(page, 'insert-card');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Please insert your My Number Card');
		const readerId = await lab.addReader('acr39u', { granted: true });
		await lab.insertCard(readerId);
		await expectStep(page, 'choose', 20_000);
		await expect(page.getByTestId('kiosk-flow-certificate')).toHaveCount(0);
		await expect(page.getByTestId('kiosk-flow-pin-status')).toHaveCount(0);
		await expect(page.getByTestId('kiosk-furigana')).toHaveAttribute('aria-pressed', 'true');
		await startBasicInfo(page);
		await expect(page.getByTestId('kiosk-shuffle')).toHaveAttribute('aria-pressed', 'true');
		await expect(page.locator('[data-testid^="kiosk-field-"]')).toHaveCount(2);
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result');
		const info = page.getByTestId('kiosk-basic-info');
		await expect(info.locator('dt')).toHaveText(['Name', 'Date of birth']);
		await expect(info.locator('[data-field="birthDate"]')).toHaveText('15 June 1985');
		await expect(page.locator('main')).not.toContainText(HANAKO.address);
		await checkScreen(page, 'result-basic-info-en');
	});

	test('a configuration with errors: the kiosk does not start and says why, for staff', async ({ page }) => {
		await serveConfig(page, { ...CONFIG, idle: { timeoutSeconds: 5, warningSeconds: 30 } });
		await page.goto('/kiosk');
		await expectStep(page, 'config-error');
		await expect(page.getByTestId('kiosk-config-problem').first()).toContainText('idle.timeoutSeconds');
		await expect(page.getByTestId('kiosk-flow-certificate')).toHaveCount(0);
		await checkScreen(page, 'config-error-ja');
	});
});


test.describe('/kiosk over the Web Smart Card API (Isolated Web App, PC/SC reader)', () => {
	test.use({ smartCard: true });

	test('4 info on the PIN pad; idle warning, extend, then the idle wipe; removal brings the start screen back', async ({ page, lab }) => {
		await page.clock.install();
		await page.goto('/kiosk');
		await expectStep(page, 'insert-card');
		const readerId = await lab.addSmartCardReader('Identiv uTrust 3700 F CL Reader 00 00');
		await lab.insertCard(readerId);
		await expectStep(page, 'choose', 20_000);
		await startBasicInfo(page);
		await typePin(page, TEXT_PIN);
		await page.getByTestId('kiosk-pin-submit').click();
		await expectStep(page, 'result', 20_000);
		await expect(page.getByTestId('kiosk-basic-info').locator('[data-field="name"]')).toHaveText(HANAKO.name);

		await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
		await page.clock.runFor(119_000);
		await expect(page.getByTestId('kiosk-idle-warning')).toBeVisible();
		await page.getByTestId('kiosk-idle-extend').click();
		await expect(page.getByTestId('kiosk-idle-warning')).toHaveCount(0);
		await expect(page.getByTestId('kiosk-basic-info').locator('[data-field="name"]')).toHaveText(HANAKO.name);

		await page.clock.runFor(120_000 + 30_000);
		await expectStep(page, 'remove-card');
		await expectNoPersonalText(page);
		await page.clock.resume();
		await checkScreen(page);
		await lab.removeCard(readerId);
		await expectStep(page, 'insert-card');
		await expectNoPersonalText(page);
		expect(await storedText(page)).not.toContain(HANAKO.name);
	});
});

test.describe('/kiosk?demo: try the kiosk without hardware', () => {
	test('the emulated reader and demo card, labelled as fictitious; the PIN tries flow works', async ({ page }) => {
		await page.goto('/kiosk?demo');
		await expect(page.getByTestId('demo-banner')).toContainText('架空');
		await expectStep(page, 'choose', 20_000);
		await page.getByTestId('kiosk-flow-pin-status').click();
		await expectStep(page, 'result');
		await expect(page.getByTestId('kiosk-result')).toContainText('残り3回');
		await checkScreen(page);
	});
});
