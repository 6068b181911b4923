import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { TEST_PERSONAS } from '../src/lib/emulator/card/test-personas';

const PERSONA = TEST_PERSONAS.hanako; // the demo card's holder
const PIN = '1234'; // the demo card's auth PIN and card-info PIN

function utf8Hex(text: string): string {
	return [...new TextEncoder().encode(text)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/**
 * Calls one CardService operation in the card worker, through the same comlink `call` the pages use. It stands in
 * for the PIN pages (/pins, /info), which are not built yet: it sends a real VERIFY and reads the real 4 info, so
 * the trace the diagnostics page shows holds exactly what those pages would leave there.
 */
async function callCardWorker(page: Page, readerKey: string, operation: string, ...args: unknown[]): Promise<unknown> {
	const worker = page.workers().find((w) => w.url().includes('card.worker'));
	if (!worker) throw new Error('card worker not found');
	return worker.evaluate(
		([key, op, rest]) =>
			new Promise((resolve) => {
				const scope = self as unknown as { postMessage: (message: unknown, transfer?: unknown) => void };
				const id = `e2e-${Math.random()}`;
				const post = scope.postMessage;
				scope.postMessage = (message: unknown, transfer?: unknown) => {
					if ((message as { id?: string })?.id !== id) return post.call(self, message, transfer);
					scope.postMessage = post;
					resolve((message as { value: unknown }).value);
				};
				const raw = (value: unknown) => ({ type: 'RAW', value });
				self.dispatchEvent(
					new MessageEvent('message', { data: { id, type: 'APPLY', path: ['call'], argumentList: [key, op, ...rest].map(raw) } })
				);
			}),
		[readerKey, operation, args] as const
	);
}

async function demoCardRead(page: Page): Promise<string> {
	await page.goto('/');
	await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
	const reader = page.getByTestId('reader');
	await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 15_000 });
	return (await reader.getAttribute('data-key'))!;
}

test('with no reader, the page says what it is for and reports the browser and both workers', async ({ page }) => {
	await page.goto('/diagnostics');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('診断');
	await expect(page.getByTestId('diag-intro')).toContainText('お問い合わせ窓口（ヘルプデスク）');
	await expect(page.getByTestId('diag-no-readers')).toHaveText('カードリーダーは接続されていません。');
	await expect(page.getByTestId('diag-trace-empty')).toBeVisible();

	// Chromium on localhost: secure, WebUSB, not isolated, IndexedDB; the browser's brand from userAgentData.
	const cap = (id: string) => page.locator(`[data-testid="diag-capability"][data-cap="${id}"]`);
	await expect(cap('secureContext')).toHaveAttribute('data-available', 'true');
	await expect(cap('webUsb')).toContainText('はい');
	await expect(cap('isolatedContext')).toHaveAttribute('data-available', 'false');
	await expect(cap('smartCard')).toContainText('いいえ');
	await expect(cap('indexedDb')).toHaveAttribute('data-available', 'true');
	await expect(page.getByTestId('diag-browser-name')).toContainText(/Chrom(e|ium) \d+/);
	await expect(page.getByTestId('diag-storage')).toContainText(/使用中（上限 [\d.]+ [kMG]?B）/);

	const version = (await import('../package.json', { with: { type: 'json' } })).default.version;
	for (const name of ['card', 'pki']) {
		const row = page.getByTestId(`diag-worker-${name}`);
		await expect(row).toHaveAttribute('data-state', 'ready');
		await expect(row).toContainText(version);
		await expect(row).toContainText(/ページの読み込み開始から \d+ ミリ秒後/);
	}
	await expectNoAxeViolations(page);
});

test('after the demo card is read and a PIN used, it shows the reader and the trace, and the copied report has no PIN and no personal data', async ({
	page,
	context
}) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const readerKey = await demoCardRead(page);

	// A PIN is used and personal data read, as the 基本4情報 page does.
	const basic = (await callCardWorker(page, readerKey, 'readBasicInfo', PIN)) as { ok: boolean; info?: { name: string } };
	expect(basic.ok).toBe(true);
	expect(basic.info?.name).toBe(PERSONA.name); // the data really crossed the trace
	const myNumber = (await callCardWorker(page, readerKey, 'readMyNumber', PIN)) as { ok: boolean; myNumber?: string };
	expect(myNumber.myNumber).toBe(PERSONA.myNumber);

	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '診断' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('診断');

	const reader = page.getByTestId('diag-reader');
	await expect(reader).toHaveCount(1);
	await expect(reader.getByRole('heading', { level: 3 })).toHaveText('Sony PaSoRi RC-S300/S');
	await expect(reader.getByTestId('diag-vid-pid')).toHaveText('054C:0DC8');
	await expect(reader.getByTestId('diag-route')).toHaveAttribute('data-route', 'rcs300');
	await expect(reader.getByTestId('diag-interface')).toHaveText('1');
	await expect(reader.getByTestId('diag-extended')).toHaveText(/はい|いいえ/);
	await expect(reader.getByTestId('diag-card')).toHaveText('読み取り済み — マイナンバーカード');
	await expect(reader.getByTestId('diag-atr')).toHaveText(/^3B( [0-9A-F]{2})+$/);

	// The trace: the VERIFYs masked, the reads' data hidden, nothing of the PIN.
	const entries = page.getByTestId('diag-trace-entry');
	await expect(entries.first()).toBeVisible();
	const verifies = page.locator('[data-testid="diag-trace-entry"][data-direction="command"][data-ins="32"]');
	await expect(verifies.filter({ hasText: '00 20 00' }).first()).toBeVisible();
	const withPin = verifies.filter({ has: page.locator('.mask') });
	expect(await withPin.count()).toBeGreaterThanOrEqual(2);
	await expect(withPin.first().getByTestId('diag-trace-bytes')).toHaveText(/^00 20 00 8[0-9A-F] \*\*（伏せ字）$/);
	const reads = page.locator('[data-testid="diag-trace-entry"][data-direction="response"][data-ins="176"][data-masked="true"]');
	expect(await reads.count()).toBeGreaterThan(0);
	const shown = await page.locator('main').innerText();
	for (const secret of [utf8Hex(PIN), PERSONA.name, PERSONA.address, PERSONA.myNumber, utf8Hex(PERSONA.myNumber), utf8Hex(PERSONA.name)]) {
		expect(shown).not.toContain(secret);
	}

	await page.getByRole('button', { name: '診断情報をコピー' }).click();
	await expect(page.getByTestId('diag-copy-outcome')).toHaveText('コピーしました。メールやお問い合わせフォームに貼り付けてください。');
	const copied = await page.evaluate(() => navigator.clipboard.readText());
	expect(copied).toBe(await page.getByTestId('diag-report').inputValue());
	expect(copied).toContain('マイナンバーカード Web 診断情報');
	expect(copied).toContain('VID:PID: 054C:0DC8');
	expect(copied).toMatch(/>> VERIFY 00 20 00 8[0-9A-F] \*\* \(masked\)/);
	expect(copied).toMatch(/<< \*\* \(masked\) 90 00/);
	// No PIN after a VERIFY header, not as digits nor as hex; no name, address or my number in any form.
	expect(copied).not.toMatch(/VERIFY 00 20 00 8[0-9A-F] (04|31)/);
	expect(copied).not.toContain(utf8Hex(PIN));
	for (const personal of [PERSONA.name, PERSONA.address, PERSONA.myNumber, PERSONA.birthDate]) {
		expect(copied).not.toContain(personal);
		expect(copied).not.toContain(utf8Hex(personal));
	}
	await expectNoAxeViolations(page);
	await page.screenshot({ path: '/tmp/diag-ja.png', fullPage: true });
	await withPin.first().scrollIntoViewIfNeeded();
	await page.getByRole('region', { name: '通信記録の表' }).screenshot({ path: '/tmp/diag-trace-verify.png' });

	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diagnostics');
	await expect(reader.getByTestId('diag-card')).toHaveText('Read — My Number Card');
	await expect(page.getByRole('heading', { level: 2, name: 'Card communication trace (APDU)' })).toBeVisible();
	await expect(page.getByTestId('diag-report')).toHaveValue(/^My Number Card Web diagnostics\n/);
	await page.getByRole('button', { name: 'Copy diagnostics' }).click();
	await expect(page.getByTestId('diag-copy-outcome')).toHaveText('Copied. Paste it into an e-mail or the contact form.');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: '/tmp/diag-en.png', fullPage: true });
});

test('when the clipboard refuses, the report is selected for copying by hand', async ({ page }) => {
	await page.goto('/diagnostics');
	await expect(page.getByText(/時点の情報です。$/)).toBeVisible(); // everything read: the report text is settled
	await page.evaluate(() => {
		Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) });
	});
	await page.getByRole('button', { name: '診断情報をコピー' }).click();
	await expect(page.getByTestId('diag-copy-outcome')).toHaveText('自動でコピーできませんでした。下の欄の文字をすべて選択してコピーしてください。');
	await expect(page.getByTestId('diag-report')).toBeFocused();
	const selected = await page.getByTestId('diag-report').evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd));
	expect(selected).toContain('マイナンバーカード Web 診断情報');
});
