import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';

/**
 * Android with Web NFC: the app only notices a tapped card and explains what works instead. Chrome's NDEFReader is
 * emulated as Chrome behaves with a My Number Card (facts/readers.md §3): the card has no NDEF, so a tap fires
 * `readingerror` and nothing else.
 */

type NfcMode = 'ok' | 'denied' | 'off';

declare global {
	interface Window {
		/** Simulates a tap on every scanning reader; returns how many readers were scanning. */
		__nfcTap(kind: 'myna-card' | 'ndef-tag'): number;
		__nfcScanning(): number;
	}
}

async function emulateAndroidNfc(page: Page, mode: NfcMode = 'ok') {
	await page.addInitScript((mode: NfcMode) => {
		const readers: { reader: EventTarget; scanning: boolean }[] = [];
		class NDEFReader extends EventTarget {
			async scan(options: { signal?: AbortSignal } = {}): Promise<void> {
				if (mode === 'denied') throw new DOMException('NFC permission request denied.', 'NotAllowedError');
				if (mode === 'off') throw new DOMException('NFC setting is disabled.', 'NotReadableError');
				if (options.signal?.aborted) throw new DOMException('aborted', 'AbortError');
				const entry = { reader: this as EventTarget, scanning: true };
				readers.push(entry);
				options.signal?.addEventListener('abort', () => (entry.scanning = false));
			}
		}
		Object.defineProperty(window, 'NDEFReader', { value: NDEFReader, configurable: true, writable: true });
		window.__nfcScanning = () => readers.filter((r) => r.scanning).length;
		window.__nfcTap = (kind) => {
			const active = readers.filter((r) => r.scanning);
			// A My Number Card exposes no NDEF: Chrome fires `readingerror` only (no serial number, no records).
			for (const r of active) r.reader.dispatchEvent(new Event(kind === 'myna-card' ? 'readingerror' : 'reading'));
			return active.length;
		};
	}, mode);
}

test.use({
	viewport: { width: 412, height: 915 },
	isMobile: true,
	hasTouch: true,
	userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36'
});

test('a tapped My Number Card: the phone explains in Japanese that its browser cannot read it over NFC and what works instead', async ({ page }) => {
	await emulateAndroidNfc(page);
	await page.goto('/');
	await expect(page.getByTestId('route-report').locator('[data-route="webNfc"]')).toHaveAttribute('data-available', 'true');
	const notice = page.getByTestId('nfc-tap-notice');
	await expect(notice.getByRole('heading', { level: 2 })).toHaveText('スマートフォンのNFCで確認する');
	await expectNoAxeViolations(page);

	// Keyboard: the scan starts from the button (Web NFC needs a user gesture).
	const start = notice.getByRole('button', { name: 'NFCでカードを確認' });
	await start.focus();
	await page.keyboard.press('Enter');
	await expect(notice.getByTestId('nfc-status')).toHaveAttribute('data-state', 'scanning');
	await expect(notice).toContainText('スマートフォンの背面（NFCの読み取り位置）にカードを近づけてください。');
	expect(await page.evaluate(() => window.__nfcScanning())).toBe(1);

	expect(await page.evaluate(() => window.__nfcTap('myna-card'))).toBe(1);
	const status = notice.getByTestId('nfc-status');
	await expect(status).toHaveAttribute('data-state', 'non-ndef-card');
	await expect(status.getByRole('heading', { level: 3 })).toHaveText('カードがかざされました');
	await expect(status).toContainText('このスマートフォンのブラウザーでは、NFCでマイナンバーカードを読み取れません。');
	await expect(status.getByRole('listitem')).toHaveText([
		/USB接続のカードリーダー（例：ソニーのPaSoRi RC-S300）を、USB OTG対応の変換アダプターでスマートフォンにつなぎ、Chromeでこのページを開いてください。/,
		/公式の「マイナポータル」アプリ/
	]);
	// One tap answers the question: the scan is stopped, and the button can start another.
	expect(await page.evaluate(() => window.__nfcScanning())).toBe(0);
	await expect(start).toBeEnabled();
	await expectNoAxeViolations(page);
});

test('in English, and an NDEF tag is told apart from a My Number Card', async ({ page }) => {
	await emulateAndroidNfc(page);
	await page.goto('/');
	await page.getByRole('button', { name: '表示言語' }).click();
	const notice = page.getByTestId('nfc-tap-notice');
	await expect(notice.getByRole('heading', { level: 2 })).toHaveText('Checking with this phone’s NFC');
	await notice.getByRole('button', { name: 'Check a card with NFC' }).tap();
	await expect(notice).toContainText('Hold your card against the back of the phone, where its NFC reader is.');
	await page.evaluate(() => window.__nfcTap('myna-card'));
	const status = notice.getByTestId('nfc-status');
	await expect(status).toContainText('this phone’s browser cannot read a My Number Card over NFC');
	await expect(status).toContainText('with a USB OTG adapter and open this page in Chrome');
	await expect(status).toContainText('the official Mynaportal app');
	await expectNoAxeViolations(page);

	await notice.getByRole('button', { name: 'Check a card with NFC' }).tap();
	await page.evaluate(() => window.__nfcTap('ndef-tag'));
	await expect(status).toHaveAttribute('data-state', 'ndef-tag');
	await expect(status).toContainText('What you tapped looks like an NFC tag, not a My Number Card.');
});

test('the scan can be stopped, and a tap after that is not reported', async ({ page }) => {
	await emulateAndroidNfc(page);
	await page.goto('/');
	const notice = page.getByTestId('nfc-tap-notice');
	await notice.getByRole('button', { name: 'NFCでカードを確認' }).tap();
	await notice.getByRole('button', { name: '確認をやめる' }).tap();
	await expect(notice.getByTestId('nfc-status')).toHaveAttribute('data-state', 'idle');
	expect(await page.evaluate(() => window.__nfcTap('myna-card'))).toBe(0);
	await expect(notice).not.toContainText('カードがかざされました');
});

test('NFC refused or switched off: a message saying what to do, in Japanese and English', async ({ page }) => {
	await emulateAndroidNfc(page, 'denied');
	await page.goto('/');
	const notice = page.getByTestId('nfc-tap-notice');
	await notice.getByRole('button', { name: 'NFCでカードを確認' }).tap();
	await expect(notice.getByRole('alert')).toHaveText(
		'NFCの利用が許可されませんでした。もう一度「NFCでカードを確認」を押し、許可を求められたら「許可」を選んでください。許可を求められない場合は、ブラウザーのサイトの設定でNFCを「許可」に変えてください。'
	);
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(notice.getByRole('alert')).toHaveText(/^NFC was not allowed\. Press “Check a card with NFC” again and choose “Allow” when asked\./);
	await expectNoAxeViolations(page);
});

test('NFC switched off in the phone’s settings', async ({ page }) => {
	await emulateAndroidNfc(page, 'off');
	await page.goto('/');
	await page.getByTestId('nfc-tap-notice').getByRole('button', { name: 'NFCでカードを確認' }).tap();
	await expect(page.getByRole('alert')).toHaveText('NFCを始められませんでした。スマートフォンの設定でNFCがオンになっているか確かめてから、もう一度お試しください。');
});

test('without Web NFC (desktop Chrome) there is no NFC section', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByTestId('worker-card')).toHaveAttribute('data-state', 'ready');
	await expect(page.getByTestId('nfc-tap-notice')).toHaveCount(0);
});
