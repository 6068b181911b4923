import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { expect, test, type LabHandle } from './fixtures/lab';
import type { VirtualCardOptions } from '../src/lib/emulator/card';

const SHOTS = process.env.SHOTS_DIR;

// The service worker precaches the whole build on a page's first load; these tests are not about it, and with it the
// first test of a run sometimes waited more than 20 s for the reader (seen 3 times in ~60 runs).
test.use({ serviceWorkers: 'block' });

/** The /pins page with an RC-S300 and a card already on it; resolves once the counters are listed. */
async function openPins(page: Page, lab: LabHandle, card: VirtualCardOptions = {}) {
	await page.goto('/pins');
	const readerId = await lab.addReader('rcs300', { granted: true });
	const cardId = await lab.insertCard(readerId, card);
	await expect(page.getByTestId('pin-status').first()).toBeVisible({ timeout: 20_000 });
	return { readerId, cardId };
}

/** Read-only look at the emulated card's retry counter (the lab, not the app). */
function cardTries(page: Page, cardId: string, pin: string): Promise<number> {
	return page.evaluate(([c, p]) => (window.mynaLab.card(c) as unknown as { triesLeft(pin: string): number }).triesLeft(p), [cardId, pin] as const);
}

/** The commands the emulated card received that carried PIN data (VERIFY / CHANGE REFERENCE DATA with a body). */
function pinBearingCommands(page: Page, cardId: string): Promise<string[]> {
	return page.evaluate(
		(c) =>
			(window.mynaLab.card(c) as unknown as { log: { command: string }[] }).log
				.map((e) => e.command)
				.filter((command) => command.endsWith('**')),
		cardId
	);
}

/** VERIFY straight on the emulated card (as another program would): SELECT JPKI-AP, SELECT the PIN EF, VERIFY. */
function verifyOnCard(page: Page, cardId: string, fid: number, pin: string): Promise<string> {
	return page.evaluate(
		async ([c, f, p]) => {
			const card = window.mynaLab.card(c);
			const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
			const sw = (r: Uint8Array) => hex(r.subarray(r.length - 2));
			const aid = [0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
			await card.transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, aid.length, ...aid]));
			await card.transmit(Uint8Array.from([0x00, 0xa4, 0x02, 0x0c, 0x02, f >> 8, f & 0xff]));
			const data = [...p].map((ch) => ch.charCodeAt(0));
			return sw(await card.transmit(Uint8Array.from([0x00, 0x20, 0x00, 0x80, data.length, ...data])));
		},
		[cardId, fid, pin] as const
	);
}

async function toEnglish(page: Page) {
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(page.locator('main')).toHaveAttribute('lang', 'en');
}

async function shot(page: Page, name: string) {
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

function status(page: Page, pin: string) {
	return page.locator(`[data-testid="pin-status"][data-pin="${pin}"]`);
}

test.describe('/pins: the retry counters', () => {
	test('every counter is shown without spending a try (Japanese, then English)', async ({ page, lab }) => {
		const { cardId } = await openPins(page, lab);
		await expect(status(page, 'auth')).toContainText('利用者証明用電子証明書の暗証番号');
		await expect(status(page, 'auth')).toContainText('使用できます');
		await expect(status(page, 'auth')).toContainText('残り3回');
		await expect(status(page, 'sign')).toContainText('残り5回');
		await expect(status(page, 'sign')).toContainText('英数字6〜16文字、英字は大文字');
		await expect(status(page, 'text')).toContainText('券面事項入力補助用の暗証番号');
		await expect(status(page, 'text')).toContainText('残り3回');
		await expect(status(page, 'visual-a')).toContainText('照合番号A');
		await expect(status(page, 'visual-b')).toContainText('照合番号B');
		await expect(page.getByText('確認しても残り回数は減りません')).toBeVisible();
		for (const [pin, max] of [['auth', 3], ['sign', 5], ['text', 3], ['visual-a', 3], ['visual-b', 3]] as const) {
			expect(await cardTries(page, cardId, pin)).toBe(max);
		}
		expect(await pinBearingCommands(page, cardId)).toEqual([]);
		await expectNoAxeViolations(page);
		await shot(page, 'pins-ja');

		await page.getByTestId('refresh-pins').click();
		await expect(status(page, 'auth')).toContainText('残り3回');
		expect(await cardTries(page, cardId, 'auth')).toBe(3);
		expect(await pinBearingCommands(page, cardId)).toEqual([]);

		await toEnglish(page);
		await expect(status(page, 'auth')).toContainText('Authentication PIN');
		await expect(status(page, 'auth')).toContainText('3 tries left');
		await expect(status(page, 'sign')).toContainText('6–16 letters and digits; letters are upper case');
		await expectNoAxeViolations(page);
		await shot(page, 'pins-en');
	});

	test('a locked PIN shows its recovery route: the store when the other PIN is known, else only the office', async ({ page, lab }) => {
		await openPins(page, lab, { triesLeft: { auth: 0, text: 0 } });
		const auth = status(page, 'auth');
		await expect(auth).toHaveAttribute('data-state', 'blocked');
		await expect(auth).toContainText('ロック中');
		const authRecovery = auth.getByTestId('pin-recovery');
		await expect(authRecovery).toHaveAttribute('data-places', 'convenience-store,municipal-office');
		await expect(authRecovery).toContainText('署名用電子証明書の暗証番号（パスワード）がわかる場合');
		await expect(authRecovery).toContainText('JPKI暗証番号リセット');
		await expect(authRecovery).toContainText('住民票のある市区町村の窓口');
		const textRecovery = status(page, 'text').getByTestId('pin-recovery');
		await expect(textRecovery).toHaveAttribute('data-places', 'municipal-office');
		await expect(textRecovery).toContainText('市区町村の窓口でのみできます');
		await expect(status(page, 'sign')).toContainText('使用できます');
		// A locked PIN offers no field to type into.
		await page.getByTestId('change-pin-auth').check();
		await expect(page.getByTestId('current-pin')).toHaveCount(0);
		await expect(page.getByText('ロックされているため変更できません。')).toBeVisible();
		await expectNoAxeViolations(page);
		await shot(page, 'pins-locked-ja');

		await toEnglish(page);
		await expect(auth).toContainText('Locked');
		await expect(authRecovery).toContainText('If you know your signing password');
		await expect(textRecovery).toContainText('only at the municipal office');
		await expectNoAxeViolations(page);
		await shot(page, 'pins-locked-en');
	});

	test('both JPKI PINs locked: only the office can reset them', async ({ page, lab }) => {
		await openPins(page, lab, { triesLeft: { auth: 0, sign: 0 } });
		await expect(status(page, 'auth').getByTestId('pin-recovery')).toHaveAttribute('data-places', 'municipal-office');
		await expect(status(page, 'sign').getByTestId('pin-recovery')).toHaveAttribute('data-places', 'municipal-office');
	});
});

test.describe('/pins: changing a PIN with the guard in view', () => {
	test('a wrong current PIN: 「暗証番号が違います。残り2回です。」 and the counter read again', async ({ page, lab }) => {
		const { cardId } = await openPins(page, lab);
		await expect(page.getByTestId('current-pin')).toBeVisible();
		await expect(page.locator('[data-pin-kind="auth"] [data-testid="pin-tries"]').first()).toContainText('残り3回');
		await page.getByTestId('current-pin').fill('9999');
		await page.getByTestId('new-pin').fill('4321');
		await page.getByTestId('repeat-pin').fill('4321');
		await page.getByTestId('change-pin-submit').click();
		const result = page.getByTestId('change-pin-result');
		await expect(result).toHaveText('暗証番号が違います。残り2回です。');
		await expect(result).toBeFocused();
		await expect(status(page, 'auth')).toContainText('残り2回');
		await expect(page.getByTestId('pin-tries').first()).toContainText('残り2回');
		expect(await cardTries(page, cardId, 'auth')).toBe(2);
		// Nothing typed stays on the page.
		await expect(page.getByTestId('current-pin')).toHaveValue('');
		await expect(page.getByTestId('new-pin')).toHaveValue('');
		await expectNoAxeViolations(page);
		await shot(page, 'pins-wrong-ja');

		await toEnglish(page);
		await expect(result).toHaveText('Wrong PIN. 2 tries left.');
		await shot(page, 'pins-wrong-en');
	});

	test('the last try needs the explicit confirmation; a wrong entry then locks and shows the route', async ({ page, lab }) => {
		const { cardId } = await openPins(page, lab, { triesLeft: { auth: 1 } });
		await expect(status(page, 'auth')).toHaveAttribute('data-state', 'last-try');
		await expect(status(page, 'auth')).toContainText('残り1回');
		const confirm = page.getByTestId('last-try-confirm');
		await expect(confirm).toContainText('残り1回です。次に間違えると利用者証明用電子証明書の暗証番号がロックされます。');
		await expect(confirm.getByTestId('pin-recovery')).toContainText('JPKI暗証番号リセット');
		await expectNoAxeViolations(page);
		await shot(page, 'pins-last-try-ja');

		await page.getByTestId('current-pin').fill('9999');
		await page.getByTestId('new-pin').fill('4321');
		await page.getByTestId('repeat-pin').fill('4321');
		await page.getByTestId('change-pin-submit').click();
		await expect(page.getByText('入力する前に、上の確認欄にチェックを入れてください。')).toBeVisible();
		await expect(page.getByTestId('last-try-checkbox')).toBeFocused();
		expect(await pinBearingCommands(page, cardId)).toEqual([]);
		expect(await cardTries(page, cardId, 'auth')).toBe(1);

		await page.getByTestId('last-try-checkbox').check();
		await page.getByTestId('change-pin-submit').click();
		const result = page.getByTestId('change-pin-result');
		await expect(result).toContainText('暗証番号が違います。利用者証明用電子証明書の暗証番号がロックされました。');
		await expect(result).toBeFocused();
		await expect(result.getByTestId('pin-recovery')).toHaveAttribute('data-places', 'convenience-store,municipal-office');
		await expect(status(page, 'auth')).toHaveAttribute('data-state', 'blocked');
		expect(await cardTries(page, cardId, 'auth')).toBe(0);
		await expectNoAxeViolations(page);
		await shot(page, 'pins-now-locked-ja');

		await toEnglish(page);
		await expect(result).toContainText('Wrong PIN. Your authentication PIN is now locked.');
		await shot(page, 'pins-now-locked-en');
	});

	test('the signing password: upper-cased as typed, mismatch shown, changed, and VERIFY with the new one works', async ({ page, lab }) => {
		const { cardId } = await openPins(page, lab);
		await page.getByTestId('change-pin-sign').check();
		await expect(page.getByTestId('pin-tries').first()).toContainText('残り5回');
		const current = page.getByTestId('current-pin');
		await current.pressSequentially('abc123');
		await expect(current).toHaveValue('ABC123');
		await page.getByTestId('new-pin').pressSequentially('newpass9');
		await page.getByTestId('repeat-pin').pressSequentially('newpasX');
		await expect(page.getByTestId('pin-mismatch')).toHaveText('新しい暗証番号が一致しません。');
		await page.getByTestId('new-pin').press('Tab');
		await shot(page, 'pins-mismatch-ja');
		await page.getByTestId('repeat-pin').fill('');
		await page.getByTestId('repeat-pin').pressSequentially('newpass9');
		await expect(page.getByTestId('pin-mismatch')).toHaveText('');
		await page.getByTestId('change-pin-submit').click();
		const result = page.getByTestId('change-pin-result');
		await expect(result).toHaveText('署名用電子証明書の暗証番号（パスワード）を変更しました。次からは新しい暗証番号を使ってください。');
		await expect(result).toBeFocused();
		await expectNoAxeViolations(page);
		await shot(page, 'pins-changed-ja');
		await expect(status(page, 'sign')).toContainText('残り5回');
		expect(await verifyOnCard(page, cardId, 0x001b, 'ABC123')).toBe('63C4');
		expect(await verifyOnCard(page, cardId, 0x001b, 'NEWPASS9')).toBe('9000');
		expect(await cardTries(page, cardId, 'sign')).toBe(5);
	});

	test('keyboard only: change the authentication PIN, focus lands on the result', async ({ page, lab }) => {
		const { cardId } = await openPins(page, lab);
		await page.getByTestId('refresh-pins').focus();
		await page.keyboard.press('Tab');
		await expect(page.getByTestId('change-pin-auth')).toBeFocused();
		await page.keyboard.press('ArrowDown');
		await expect(page.getByTestId('change-pin-sign')).toBeChecked();
		await page.keyboard.press('ArrowUp');
		await expect(page.getByTestId('change-pin-auth')).toBeChecked();
		await page.keyboard.press('Tab');
		await expect(page.getByTestId('current-pin')).toBeFocused();
		await page.keyboard.type('1234');
		await page.keyboard.press('Tab');
		await expect(page.getByTestId('new-pin')).toBeFocused();
		await page.keyboard.type('2580');
		await page.keyboard.press('Tab');
		await expect(page.getByTestId('repeat-pin')).toBeFocused();
		await page.keyboard.type('2580');
		await page.keyboard.press('Enter');
		const result = page.getByTestId('change-pin-result');
		await expect(result).toHaveText('利用者証明用電子証明書の暗証番号を変更しました。次からは新しい暗証番号を使ってください。');
		await expect(result).toBeFocused();
		expect(await verifyOnCard(page, cardId, 0x0018, '2580')).toBe('9000');
	});

	test('the card taken away: the page says so and forgets the counters', async ({ page, lab }) => {
		const { readerId } = await openPins(page, lab);
		await lab.removeCard(readerId);
		await expect(page.getByTestId('card-gone')).toHaveText('カードが取り外されたため、表示していた内容を消去しました。');
		await expect(page.getByTestId('pin-status')).toHaveCount(0);
		await expect(page.getByTestId('need-card')).toBeVisible();
		await expectNoAxeViolations(page);
	});
});
