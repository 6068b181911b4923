import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, FrameLocator, Page } from '@playwright/test';
import decodeQR from 'qr/decode.js';
import { expectNoAxeViolations } from './axe';
import { KIOSK_PERSONA as HANAKO, KIOSK_TEXT_PIN as TEXT_PIN, serveKioskConfig as serveConfig } from './fixtures/kiosk';
import { expect, test } from './fixtures/lab';
import { TestPki } from '../src/lib/emulator/card';

/**
 * The kiosk's operator side: the counter's form (another origin) embeds the kiosk and receives exactly the configured
 * 4 info by postMessage; a parent that is not configured receives nothing; the QR code decodes to the same payload;
 * a broken configuration stops the kiosk with a staff screen; a stale CRL shows the banner.
 */
test.use({ isolated: true, serviceWorkers: 'block', viewport: { width: 1400, height: 1100 } });

const PORT = Number(process.env.E2E_PORT ?? 4174);
/** The kiosk, as the playwright config serves it. */
const KIOSK = `http://localhost:${PORT}`;
/** The counter's form: another origin (same server address, different host name), served by page.route. */
const COUNTER = `http://127.0.0.1:${PORT}`;
const AUTH_CA = TestPki.certificateAuthority('auth');

let dir: string;
const files: Record<string, string> = {};
test.beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'myna-handoff-'));
	for (const [name, bytes] of [
		['auth-ca.cer', AUTH_CA.certificate],
		['auth-stale.crl', AUTH_CA.crls.stale.der]
	] as const) {
		files[name] = join(dir, name);
		writeFileSync(files[name], bytes);
	}
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The counter's form on another origin: embeds the kiosk and records every message it receives. */
async function openCounter(page: Page, path = '/kiosk'): Promise<{ kiosk: FrameLocator; frame: () => Frame }> {
	const html = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>窓口の申請フォーム</title></head><body>
<h1>窓口の申請フォーム</h1>
<iframe id="kiosk" title="マイナンバーカード読み取り" src="${KIOSK}${path}" allow="usb; fullscreen" style="width:1300px;height:1000px;border:0"></iframe>
<script>window.received = []; addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));</script>
</body></html>`;
	// A page fulfilled by page.route has no address of its own, so Chromium's Local Network Access checks would block
	// its loopback iframe; a counter system on the office network gets the same permission from policy.
	await page.context().grantPermissions(['local-network-access'], { origin: COUNTER });
	await page.route(`${COUNTER}/counter.html`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
	await page.goto(`${COUNTER}/counter.html`);
	const frame = () => page.frames().find((f) => f.url().startsWith(`${KIOSK}${path}`))!;
	return { kiosk: page.frameLocator('#kiosk'), frame };
}

function received(page: Page): Promise<{ origin: string; data: unknown }[]> {
	return page.evaluate(() => (window as unknown as { received: { origin: string; data: unknown }[] }).received);
}

/**
 * Card on an emulated reader (the lab in the kiosk's frame: a CCID reader over WebUSB, or a PC/SC reader through the
 * Web Smart Card API), then 4 info with the 券面事項入力補助用暗証番号.
 */
async function readBasicInfo(kiosk: FrameLocator | Page, frame: Frame | Page, route: 'webusb' | 'smart-card' = 'webusb') {
	const screen = kiosk.getByTestId('kiosk-screen');
	await expect(screen).toHaveAttribute('data-step', 'insert-card', { timeout: 15_000 });
	const readerId = await frame.evaluate(
		(r) => (r === 'smart-card' ? window.mynaLab.addSmartCardReader('SCM Microsystems SCR3310 00 00') : window.mynaLab.addReader('acr39u', { granted: true })),
		route
	);
	await frame.evaluate((r) => window.mynaLab.insertCard(r, {}), readerId);
	await expect(screen).toHaveAttribute('data-step', 'choose', { timeout: 20_000 });
	await kiosk.getByTestId('kiosk-flow-basic-info').click();
	await expect(screen).toHaveAttribute('data-step', 'pin');
	for (const digit of TEXT_PIN) await kiosk.getByTestId(`pin-key-${digit}`).click();
	await kiosk.getByTestId('kiosk-pin-submit').click();
	await expect(screen).toHaveAttribute('data-step', 'result', { timeout: 20_000 });
	await expect(kiosk.getByTestId('kiosk-result')).toBeVisible();
	return readerId;
}

/** PNG bytes → RGBA pixels, decoded by the browser in a blank page (no PNG decoder needed in Node). */
async function pngPixels(page: Page, png: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
	const blank = await page.context().newPage();
	try {
		const pixels = await blank.evaluate(async (base64) => {
			const image = new Image();
			image.src = `data:image/png;base64,${base64}`;
			await image.decode();
			const canvas = document.createElement('canvas');
			canvas.width = image.naturalWidth;
			canvas.height = image.naturalHeight;
			const context = canvas.getContext('2d')!;
			context.drawImage(image, 0, 0);
			const data = context.getImageData(0, 0, canvas.width, canvas.height);
			return { width: data.width, height: data.height, data: Array.from(data.data) };
		}, png.toString('base64'));
		return { width: pixels.width, height: pixels.height, data: Uint8Array.from(pixels.data) };
	} finally {
		await blank.close();
	}
}

test.describe('kiosk hand-off to the counter (Isolated Web App, CCID reader)', () => {
	test('the embedding counter receives exactly the configured fields by postMessage; the QR code decodes to the same payload', async ({ page, lab }) => {
		void lab;
		await serveConfig(page, { handoff: { fields: ['name', 'birthDate'], postMessageOrigins: [COUNTER], print: true, qr: true } });
		const { kiosk, frame } = await openCounter(page);
		const readerId = await readBasicInfo(kiosk, frame());

		const handoff = kiosk.getByTestId('kiosk-handoff');
		await expect(handoff).toBeVisible();
		await kiosk.getByTestId('kiosk-handoff-send').click();
		const expected = { type: 'myna-kiosk/basic-info', version: 1, fields: { name: HANAKO.name, birthDate: HANAKO.birthDate } };
		await expect.poll(() => received(page)).toEqual([{ origin: KIOSK, data: expected }]);
		const status = kiosk.getByTestId('kiosk-handoff-status');
		await expect(status).toHaveAttribute('data-outcome', 'sent');
		await expect(status).toContainText('窓口の画面に送りました。送った項目：氏名、生年月日');
		await expect(status).toContainText(`送信先：${COUNTER}`);

		await kiosk.getByTestId('kiosk-handoff-qr').click();
		const code = kiosk.getByTestId('kiosk-handoff-qr-code');
		await expect(code).toBeVisible();
		// Every hand-off control is at least 44×44 CSS px; axe passes with the QR code on screen.
		const small = await frame().evaluate(() =>
			[...document.querySelectorAll<HTMLElement>('[data-testid="kiosk-handoff"] button')]
				.map((el) => ({ id: el.dataset['testid'], box: el.getBoundingClientRect() }))
				.filter(({ box }) => box.width < 44 || box.height < 44)
				.map(({ id }) => id)
		);
		expect(small).toEqual([]);
		await expectNoAxeViolations(page);
		await expect(code).toHaveAttribute('data-qr-ecc', 'medium');
		const pixels = await pngPixels(page, await code.locator('svg').screenshot());
		expect(JSON.parse(decodeQR(pixels))).toEqual(expected);

		// Removing the card wipes the kiosk: the QR code and every value leave the DOM.
		await frame().evaluate((r) => window.mynaLab.removeCard(r, 0), readerId);
		await expect(kiosk.getByTestId('kiosk-handoff-qr-code')).toHaveCount(0);
		const html = await frame().evaluate(() => document.documentElement.outerHTML);
		expect(html).not.toContain(HANAKO.name);
		expect(html).not.toContain('<path d="M');
	});

	test('only /kiosk may be embedded, and only by the counter: a resident page in a frame is refused (clickjacking)', async ({ page }) => {
		await openCounter(page, '/pins');
		// frame-ancestors 'none' on every page but /kiosk: Chromium shows its error page in the frame instead.
		await expect.poll(() => page.frames().some((f) => f.url().startsWith('chrome-error://'))).toBe(true);
		expect(page.frames().some((f) => f.url().startsWith(`${KIOSK}/`))).toBe(false);
	});

	test('a counter on an origin that is not configured receives nothing, and the kiosk says why', async ({ page, lab }) => {
		void lab;
		await serveConfig(page, { handoff: { postMessageOrigins: ['https://counter.city.example.lg.jp'] } });
		const { kiosk, frame } = await openCounter(page);
		await readBasicInfo(kiosk, frame());
		await kiosk.getByTestId('kiosk-handoff-send').click();
		const status = kiosk.getByTestId('kiosk-handoff-status');
		await expect(status).toHaveAttribute('data-outcome', 'origin-not-allowed');
		await expect(status).toContainText('送信先として許可されていない画面に組み込まれているため、送りませんでした。');
		await expect(status).toContainText(`埋め込み元 ${COUNTER} は設定ファイルの handoff.postMessageOrigins にありません`);
		// Give a stray message time to arrive: none may.
		await page.waitForTimeout(300);
		expect(await received(page)).toEqual([]);
	});

	test('the printed sheet is all that prints, with the date and time and a note for the counter', async ({ page, lab }) => {
		await serveConfig(page, { handoff: { fields: ['name', 'address'], postMessageOrigins: [], print: true, qr: false } });
		await page.goto('/kiosk');
		await readBasicInfo(page, page);
		void lab;
		await expect(page.getByTestId('kiosk-handoff-send')).toHaveCount(0);
		await expect(page.getByTestId('kiosk-handoff-qr')).toHaveCount(0);
		await page.getByTestId('kiosk-handoff-print').click();
		await expect(page.getByTestId('kiosk-handoff-status')).toContainText('印刷された用紙を窓口にお渡しください');
		const sheet = page.getByTestId('kiosk-handoff-sheet');
		await expect(sheet).toBeHidden();
		await page.emulateMedia({ media: 'print' });
		await expect(sheet).toBeVisible();
		await expect(sheet).toContainText(HANAKO.name);
		await expect(sheet).toContainText(HANAKO.address);
		await expect(sheet).toContainText(/印刷日時：\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}/);
		await expect(sheet).toContainText('この用紙を窓口の職員にお渡しください。');
		// Nothing else of the page is visible in print.
		await expect(page.getByTestId('kiosk-handoff-print')).toBeHidden();
		await expect(page.getByTestId('kiosk-result')).toBeHidden();
		await page.screenshot({ path: '/tmp/pw-kiosk-handoff-print.png' });
		await page.emulateMedia({ media: 'screen' });
		await expectNoAxeViolations(page);
	});
});

test.describe('kiosk hand-off to the counter (Isolated Web App, Web Smart Card API)', () => {
	test.use({ smartCard: true });

	test('the embedding counter receives exactly the configured fields by postMessage', async ({ page, lab }) => {
		void lab;
		await serveConfig(page, { handoff: { fields: ['name', 'address'], postMessageOrigins: [COUNTER], print: false, qr: false } });
		const { kiosk, frame } = await openCounter(page);
		await readBasicInfo(kiosk, frame(), 'smart-card');
		await expect(kiosk.getByTestId('kiosk-handoff-qr')).toHaveCount(0);
		await kiosk.getByTestId('kiosk-handoff-send').click();
		const expected = { type: 'myna-kiosk/basic-info', version: 1, fields: { name: HANAKO.name, address: HANAKO.address } };
		await expect.poll(() => received(page)).toEqual([{ origin: KIOSK, data: expected }]);
	});
});

test.describe('kiosk operator configuration and CRL', () => {
	test('a broken configuration stops the kiosk with every problem and where it is', async ({ page }) => {
		await serveConfig(page, { idel: { timeoutSeconds: 60 }, idle: { timeoutSeconds: 5 }, handoff: { postMessageOrigins: ['https://*.example.jp'] }, crl: { updateTime: '6時' } });
		await page.goto('/kiosk');
		await expect(page.getByTestId('kiosk-screen')).toHaveAttribute('data-step', 'config-error', { timeout: 15_000 });
		const screen = page.getByTestId('kiosk-config-problems');
		await expect(screen.getByRole('heading', { level: 1 })).toHaveText('キオスクの設定ファイルに誤りがあります');
		await expect(screen).toContainText('設定ファイル（kiosk-config.json）を直すまで、このキオスクは起動しません。');
		const problems = screen.getByTestId('kiosk-config-problem');
		await expect(problems).toHaveCount(4);
		await expect(problems.nth(0)).toContainText('idel');
		await expect(problems.nth(0)).toContainText('「idle」の書き間違いではありませんか。');
		await expect(problems.nth(1)).toContainText('idle.timeoutSeconds');
		await expect(problems.nth(1)).toContainText('30〜1800 の範囲で指定してください。現在の値：5');
		await expect(problems.nth(2)).toContainText('handoff.postMessageOrigins[0]');
		await expect(problems.nth(2)).toHaveAttribute('data-code', 'origin-wildcard');
		await expect(problems.nth(3)).toContainText('crl.updateTime');
		await expect(page.getByTestId('kiosk-flow-certificate')).toHaveCount(0);
		await expectNoAxeViolations(page);
	});

	test('not JSON at all: the staff screen says so', async ({ page }) => {
		await serveConfig(page, '{ "idle": { "timeoutSeconds": 60, } }');
		await page.goto('/kiosk');
		const problem = page.getByTestId('kiosk-config-problem');
		await expect(problem).toHaveAttribute('data-code', 'not-json', { timeout: 15_000 });
		await expect(problem).toContainText('/kiosk-config.json が JSON として読めません。');
	});

	test('a stale CRL shows the banner with its date; certificate results say revocation was not checked', async ({ page, lab }) => {
		await page.goto('/crls');
		const anchors = page.getByTestId('trust-anchors');
		await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(files['auth-ca.cer']!);
		await anchors.getByRole('button', { name: '追加する' }).click();
		await expect(anchors.getByTestId('anchor-outcome')).toBeVisible();
		await page.getByLabel('失効リストのファイルを選ぶ').setInputFiles(files['auth-stale.crl']!);
		await expect(page.getByTestId('crl-progress-file')).toHaveAttribute('data-finished', 'true');

		await serveConfig(page, {});
		await page.goto('/kiosk');
		const banner = page.getByTestId('kiosk-crl-banner');
		await expect(banner).toHaveAttribute('data-health', 'stale', { timeout: 15_000 });
		const thisUpdate = AUTH_CA.crls.stale.thisUpdate;
		const date = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'long', timeZone: 'Asia/Tokyo' }).format(thisUpdate);
		await expect(banner).toContainText(`失効リストが古くなっています（${date} 時点のもの）。`);
		await expect(banner).toContainText('電子証明書の確認結果は「失効確認できず」となります。');
		await expect(banner).toContainText('設定ファイルの crl.urls が空のため自動取得はしません。');
		await expect(page.locator('[role="status"]').filter({ has: banner })).toHaveCount(1);
		await expectNoAxeViolations(page);

		// And the result says so: in date, but whether it was revoked could not be checked.
		const readerId = await lab.addReader('acr39u', { granted: true });
		await lab.insertCard(readerId);
		await expect(page.getByTestId('kiosk-screen')).toHaveAttribute('data-step', 'choose', { timeout: 20_000 });
		await page.getByTestId('kiosk-flow-certificate').click();
		await expect(page.getByTestId('kiosk-screen')).toHaveAttribute('data-step', 'result', { timeout: 20_000 });
		await expect(page.getByTestId('kiosk-certificate-status')).toHaveAttribute('data-status', 'unknown');
		await expect(banner).toBeVisible();
	});
});
