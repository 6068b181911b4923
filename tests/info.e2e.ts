import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { expect, LabHandle, labBundle, test } from './fixtures/lab';
import type { VirtualCardOptions } from '../src/lib/emulator/card';

const SHOTS = process.env.SHOTS_DIR;

// The service worker precaches the whole build on a page's first load; these tests are not about it, and with it the
// first test of a run sometimes waited more than 20 s for the reader (seen 3 times in ~60 runs).
test.use({ serviceWorkers: 'block' });

/** The persona of the default emulated card (見本 花子, with an ideographic space; src/lib/emulator/card/test-personas.ts). */
const HANAKO = {
	name: '見本　花子',
	address: '見本県夢見市さくら町一丁目2番地3',
	myNumber: '123456789018',
	myNumberShown: '1234 5678 9018',
	/** 照合番号B as the emulator derives it: birth date YYYYMMDD + expiry year + security code. */
	codeB: '1985061520355678'
} as const;

/** The /info page with an RC-S300 and a card on it; resolves once the page offers step 1. */
async function openInfo(page: Page, lab: LabHandle, card: VirtualCardOptions = {}) {
	await page.goto('/info');
	const readerId = await lab.addReader('rcs300', { granted: true });
	const cardId = await lab.insertCard(readerId, card);
	await expect(page.getByTestId('info-next')).toBeVisible({ timeout: 20_000 });
	return { readerId, cardId };
}

function cardTries(page: Page, cardId: string, pin: string): Promise<number> {
	return page.evaluate(([c, p]) => (window.mynaLab.card(c) as unknown as { triesLeft(pin: string): number }).triesLeft(p), [cardId, pin] as const);
}

async function toEnglish(page: Page) {
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(page.locator('main')).toHaveAttribute('lang', 'en');
}

async function shot(page: Page, name: string) {
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Step 1 → step 2 for some fields. */
async function chooseFields(page: Page, fields: readonly string[]) {
	for (const field of fields) await page.getByTestId(`field-${field}`).check();
	await page.getByTestId('info-next').click();
	await expect(page.getByTestId('info-asked')).toBeVisible();
}

async function enterPin(page: Page, pin = '1234') {
	await page.getByTestId('info-pin').fill(pin);
	await page.getByTestId('info-read').click();
}

test.describe('/info: the basic 4 information', () => {
	test('fields first, then why the PIN, then the PIN; only the chosen fields are shown (Japanese, then English)', async ({ page, lab }) => {
		await openInfo(page, lab);
		await expect(page.getByRole('heading', { name: '1. 読み取る項目を選ぶ' })).toBeVisible();
		await expect(page.getByTestId('info-pin')).toHaveCount(0);
		await page.getByTestId('info-next').click();
		await expect(page.getByText('読み取る項目を1つ以上選んでください。')).toBeVisible();
		await expectNoAxeViolations(page);
		await shot(page, 'info-step1-ja');

		await chooseFields(page, ['name', 'address']);
		await expect(page.getByRole('heading', { name: '2. 暗証番号を入力する' })).toBeFocused();
		await expect(page.getByTestId('info-asked')).toHaveText('読み取る項目：氏名、住所');
		await expect(page.getByTestId('info-why')).toContainText('券面事項入力補助用の暗証番号（数字4桁）が必要です');
		await expect(page.getByTestId('section-basic').getByTestId('pin-tries')).toContainText('残り3回');
		await expectNoAxeViolations(page);
		await shot(page, 'info-step2-ja');

		await enterPin(page);
		const shown = page.getByTestId('basic-info');
		await expect(shown.locator('[data-field="name"]')).toHaveText(HANAKO.name);
		await expect(shown.locator('[data-field="address"]')).toHaveText(HANAKO.address);
		await expect(shown.locator('dt')).toHaveText(['氏名', '住所']);
		await expect(page.getByRole('heading', { name: '3. 読み取った情報' })).toBeFocused();
		const html = await page.locator('main').innerHTML();
		expect(html).not.toContain('1985');
		expect(html).not.toContain('生年月日</dt>');
		expect(html).not.toContain(HANAKO.myNumber);
		await expectNoAxeViolations(page);
		await shot(page, 'info-shown-ja');

		await toEnglish(page);
		await expect(shown.locator('dt')).toHaveText(['Name', 'Address']);
		await shot(page, 'info-shown-en');
		await page.getByTestId('wipe').click();
		await expect(page.getByTestId('wiped')).toHaveText('What was shown has been cleared.');
		await expect(page.locator('main')).not.toContainText('見本');
		await expect(page.getByRole('heading', { name: '1. Choose what to read' })).toBeFocused();
		await expectNoAxeViolations(page);
		await shot(page, 'info-step1-en');
	});

	test('date of birth and sex only, in English', async ({ page, lab }) => {
		await openInfo(page, lab);
		await toEnglish(page);
		await chooseFields(page, ['birthDate', 'sex']);
		await expect(page.getByTestId('info-asked')).toHaveText('Items to read: Date of birth, Sex');
		await expect(page.getByTestId('section-basic').getByTestId('pin-tries')).toContainText('3 tries left');
		await shot(page, 'info-step2-en');
		await enterPin(page);
		const shown = page.getByTestId('basic-info');
		await expect(shown.locator('[data-field="birthDate"]')).toHaveText('15 June 1985');
		await expect(shown.locator('[data-field="sex"]')).toHaveText('Female');
		await expect(page.locator('main')).not.toContainText('見本');
	});

	test('the age check shows only yes or no, never the date of birth', async ({ page, lab }) => {
		await openInfo(page, lab);
		await page.getByTestId('mode-age').check();
		await page.getByTestId('age-20').check();
		await page.getByTestId('info-next').click();
		await expect(page.getByTestId('info-asked')).toContainText('20歳以上かどうか');
		await enterPin(page);
		const result = page.getByTestId('age-result');
		await expect(result).toContainText('20歳以上ですか');
		await expect(result).toContainText('はい');
		await expect(result).toHaveAttribute('data-at-least', 'true');
		const html = await page.locator('main').innerHTML();
		for (const leak of ['1985', '昭和', '6月15日', HANAKO.name, '女']) expect(html).not.toContain(leak);
		await expectNoAxeViolations(page);
		await shot(page, 'info-age-ja');
		await toEnglish(page);
		await expect(result).toContainText('Aged 20 or over');
		await expect(result).toContainText('Yes');
		await shot(page, 'info-age-en');
	});

	test('a wrong PIN: 「暗証番号が違います。残り2回です。」, the counter read again; the last try needs the confirmation', async ({ page, lab }) => {
		const { cardId } = await openInfo(page, lab, { triesLeft: { text: 2 } });
		await chooseFields(page, ['name']);
		await expect(page.getByTestId('section-basic').getByTestId('pin-tries')).toContainText('残り2回');
		await enterPin(page, '9999');
		const outcome = page.getByTestId('read-outcome');
		await expect(outcome).toHaveText('暗証番号が違います。残り1回です。');
		await expect(outcome).toBeFocused();
		expect(await cardTries(page, cardId, 'text')).toBe(1);
		await expect(page.getByTestId('section-basic').getByTestId('pin-tries')).toContainText('残り1回');
		await expect(page.getByTestId('last-try-confirm')).toBeVisible();
		await expect(page.getByTestId('info-pin')).toHaveValue('');
		await expectNoAxeViolations(page);
		await shot(page, 'info-last-try-ja');

		// Without the tick nothing is sent.
		await enterPin(page, '1234');
		await expect(page.getByTestId('last-try-checkbox')).toBeFocused();
		expect(await cardTries(page, cardId, 'text')).toBe(1);
		await page.getByTestId('last-try-checkbox').check();
		await page.getByTestId('info-read').click();
		await expect(page.getByTestId('basic-info')).toContainText(HANAKO.name);
		expect(await cardTries(page, cardId, 'text')).toBe(3);
	});

	test('a locked card-information PIN: no field to type into, the office is the way', async ({ page, lab }) => {
		await openInfo(page, lab, { triesLeft: { text: 0 } });
		await chooseFields(page, ['name']);
		const recovery = page.getByTestId('pin-recovery');
		await expect(recovery).toHaveAttribute('data-places', 'municipal-office');
		await expect(recovery).toContainText('市区町村の窓口でのみできます');
		await expect(page.getByTestId('info-pin')).toHaveCount(0);
		await expectNoAxeViolations(page);
		await shot(page, 'info-locked-ja');
	});
});

test.describe('/info: the my number and the face photo', () => {
	test('the my number appears only on its own explicit request, with a warning, and hides again', async ({ page, lab }) => {
		await openInfo(page, lab);
		await chooseFields(page, ['name', 'address', 'birthDate', 'sex']);
		await enterPin(page);
		await expect(page.getByTestId('basic-info')).toContainText(HANAKO.name);
		let html = await page.locator('main').innerHTML();
		expect(html).not.toContain(HANAKO.myNumber);
		expect(html).not.toContain(HANAKO.myNumberShown);

		await page.getByTestId('my-number-show').click();
		await expect(page.getByTestId('my-number-warning')).toBeFocused();
		await expect(page.getByTestId('my-number-warning')).toContainText('周りに人がいないこと');
		await expect(page.getByTestId('my-number')).toHaveCount(0);
		await expectNoAxeViolations(page);
		await shot(page, 'info-my-number-ask-ja');
		await page.getByTestId('my-number-pin').fill('1234');
		await page.getByTestId('my-number-read').click();
		await expect(page.getByTestId('my-number')).toHaveText(HANAKO.myNumberShown);
		await expectNoAxeViolations(page);
		await shot(page, 'info-my-number-ja');
		await toEnglish(page);
		await shot(page, 'info-my-number-en');

		await page.getByTestId('my-number-hide').click();
		await expect(page.getByTestId('my-number')).toHaveCount(0);
		await expect(page.getByTestId('my-number-show')).toBeFocused();
		html = await page.locator('main').innerHTML();
		expect(html).not.toContain(HANAKO.myNumberShown);
		// The 4 info stay until 「表示を消す」.
		await expect(page.getByTestId('basic-info')).toContainText(HANAKO.name);
	});

	test('the face photo with 照合番号B: decoded from JPEG 2000 in the page, only same-origin requests, wiped on request', async ({ page, lab }) => {
		const requests: string[] = [];
		page.on('request', (request) => requests.push(request.url()));
		await openInfo(page, lab);
		await expect(page.getByTestId('photo-route-a')).toBeDisabled();
		await expect(page.getByText('照合番号Bは、カードの表面に書かれた')).toBeVisible();
		await expect(page.getByText('正確な形式はまだ確認できていません')).toBeVisible();
		expect(requests.filter((url) => url.endsWith('.wasm'))).toEqual([]);
		await expectNoAxeViolations(page);
		await shot(page, 'info-photo-ask-ja');

		await page.getByTestId('photo-code-b').fill(HANAKO.codeB);
		await page.getByTestId('photo-read').click();
		const photo = page.getByTestId('card-photo');
		await expect(photo).toBeVisible({ timeout: 20_000 });
		await expect(photo).toHaveAttribute('alt', 'マイナンバーカードの顔写真');
		const src = (await photo.getAttribute('src'))!;
		expect(src).toMatch(/^blob:/);
		// The placeholder photo is a 96×120 uniform mid-grey JP2: the decoder really ran.
		const pixel = await photo.evaluate((img: HTMLImageElement) => {
			const canvas = document.createElement('canvas');
			canvas.width = img.naturalWidth;
			canvas.height = img.naturalHeight;
			const context = canvas.getContext('2d')!;
			context.drawImage(img, 0, 0);
			return { w: img.naturalWidth, h: img.naturalHeight, rgba: [...context.getImageData(40, 60, 1, 1).data] };
		});
		expect(pixel).toEqual({ w: 96, h: 120, rgba: [128, 128, 128, 255] });
		const origin = new URL(page.url()).origin;
		expect(requests.filter((url) => url.endsWith('.wasm')).length).toBe(1);
		expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
		await expectNoAxeViolations(page);
		await shot(page, 'info-photo-ja');
		await toEnglish(page);
		await shot(page, 'info-photo-en');

		await page.getByTestId('wipe').click();
		await expect(page.getByTestId('card-photo')).toHaveCount(0);
		const loads = await page.evaluate(
			(url) =>
				new Promise<string>((resolve) => {
					const img = new Image();
					img.onload = () => resolve('loaded');
					img.onerror = () => resolve('revoked');
					img.src = url;
				}),
			src
		);
		expect(loads).toBe('revoked');
	});

	test('the face photo with 照合番号A, the my number read on request', async ({ page, lab }) => {
		await openInfo(page, lab);
		await page.getByTestId('my-number-show').click();
		await page.getByTestId('my-number-pin').fill('1234');
		await page.getByTestId('my-number-read').click();
		await expect(page.getByTestId('my-number')).toHaveText(HANAKO.myNumberShown);
		await page.getByTestId('photo-route-a').check();
		await expect(page.getByTestId('photo-code-b')).toHaveCount(0);
		await expect(page.getByTestId('photo-tries-a')).toContainText('残り3回');
		await page.getByTestId('photo-read').click();
		await expect(page.getByTestId('card-photo')).toBeVisible({ timeout: 20_000 });
		// Hiding the my number takes code A away with it.
		await page.getByTestId('my-number-hide').click();
		await expect(page.getByTestId('photo-route-a')).toBeDisabled();
		await expect(page.getByTestId('photo-route-b')).toBeChecked();
	});

	test('a photo that cannot be decoded is said plainly', async ({ browser }) => {
		// The decoder's .wasm cannot be had (the service worker, which could serve it from its cache, is off here).
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const page = await context.newPage();
		await page.addInitScript({ content: labBundle() });
		const lab = new LabHandle(page);
		await page.route('**/*.wasm', (route) => route.abort());
		await openInfo(page, lab);
		await page.getByTestId('photo-code-b').fill(HANAKO.codeB);
		await page.getByTestId('photo-read').click();
		const problem = page.getByTestId('photo-problem');
		await expect(problem).toHaveText('顔写真のデータはカードから読み取れましたが、画像として表示できませんでした（JPEG 2000 の変換に失敗しました）。', {
			timeout: 20_000
		});
		await expect(page.getByTestId('card-photo')).toHaveCount(0);
		await expectNoAxeViolations(page);
		await shot(page, 'info-photo-failed-ja');
		await context.close();
	});

	test('a wrong 照合番号B spends a try and says how many are left', async ({ page, lab }) => {
		const { cardId } = await openInfo(page, lab);
		await page.getByTestId('photo-code-b').fill('1985061520350000');
		await page.getByTestId('photo-read').click();
		await expect(page.getByTestId('read-outcome')).toHaveText('照合番号Bが違います。残り2回です。');
		expect(await cardTries(page, cardId, 'visual-b')).toBe(2);
	});
});

test.describe('/info: everything personal goes with the card', () => {
	test('card pulled mid-read: a clear message and no personal data left in the page', async ({ page, lab }) => {
		const { readerId } = await openInfo(page, lab);
		await chooseFields(page, ['name', 'address']);
		await enterPin(page);
		await expect(page.getByTestId('basic-info')).toContainText(HANAKO.name);
		await page.getByTestId('photo-code-b').fill(HANAKO.codeB);
		await lab.removeCardAtTransfer(readerId, 24);
		await page.getByTestId('photo-read').click();
		await expect(page.getByTestId('card-gone')).toHaveText(
			'カードが離れたため、表示していた情報をすべて消去しました。もう一度読み取るときは、カードを置き直してください。',
			{ timeout: 20_000 }
		);
		await expect(page.locator('body')).not.toContainText('見本');
		await expect(page.locator('body')).not.toContainText(HANAKO.name);
		expect(await page.locator('body').innerHTML()).not.toContain('見本');
		await expect(page.getByTestId('card-photo')).toHaveCount(0);
		await expectNoAxeViolations(page);
		await shot(page, 'info-card-gone-ja');
		await toEnglish(page);
		await expect(page.getByTestId('card-gone')).toContainText('The card was removed');
		await shot(page, 'info-card-gone-en');
	});

	test('reader unplugged: wiped too', async ({ page, lab }) => {
		const { readerId } = await openInfo(page, lab);
		await chooseFields(page, ['name']);
		await enterPin(page);
		await expect(page.getByTestId('basic-info')).toContainText(HANAKO.name);
		await lab.unplug(readerId);
		await expect(page.getByTestId('card-gone')).toBeVisible();
		expect(await page.locator('body').innerHTML()).not.toContain('見本');
	});

	test('leaving the page wipes it: back on /info nothing is shown', async ({ page, lab }) => {
		await openInfo(page, lab);
		await chooseFields(page, ['name']);
		await enterPin(page);
		await expect(page.getByTestId('basic-info')).toContainText(HANAKO.name);
		await page.getByRole('link', { name: '暗証番号' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('暗証番号');
		expect(await page.locator('body').innerHTML()).not.toContain('見本');
		await page.getByRole('link', { name: '基本4情報' }).click();
		await expect(page.getByTestId('info-next')).toBeVisible();
		expect(await page.locator('body').innerHTML()).not.toContain('見本');
	});
});
