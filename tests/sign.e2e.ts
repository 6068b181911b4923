import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { TestPki } from '../src/lib/emulator/card';
import { expectNoAxeViolations } from './axe';
import { expect, test, type LabHandle } from './fixtures/lab';

const FILE_NAME = '申請書.txt';
const FILE = Buffer.from('マイナンバーカードで署名するファイル\n', 'utf8');

/** The digest as the page shows it: upper-case hex in groups of 4 bytes. */
function shownDigest(bytes: Buffer): string {
	return (createHash('sha256').update(bytes).digest('hex').toUpperCase().match(/.{8}/g) ?? []).join(' ');
}

async function openSignPage(page: Page) {
	await page.getByRole('navigation', { name: /メインメニュー|Main menu/ }).getByRole('link', { name: /署名と検証|Sign and verify/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/署名と検証|Sign and verify/);
}

/** The demo card (RC-S300 emulated, started from the home page), then the sign page by the menu. */
async function demoOnSignPage(page: Page) {
	await page.goto('/');
	await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
	await expect(page.getByTestId('reader')).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	await openSignPage(page);
}

/**
 * A reader of the lab with a card built from `options` on it, chosen in the WebUSB chooser on the home page, then
 * the sign page by the menu.
 */
async function labOnSignPage(page: Page, lab: LabHandle, options: Parameters<LabHandle['insertCard']>[1] = {}, model: 'rcs380' | 'scr3310-nttcom' = 'rcs380') {
	await page.goto('/');
	const readerId = await lab.addReader(model);
	const cardId = await lab.insertCard(readerId, options);
	await page.getByRole('button', { name: 'カードリーダーを接続' }).click();
	await expect(page.getByTestId('reader')).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	await openSignPage(page);
	return { readerId, cardId };
}

/**
 * The emulated signing CA made trusted the way an operator does it, on /crls (its UI): the CA certificate as an
 * operator anchor and, with `crl`, its current CRL. Then back to the sign page by the menu.
 */
async function trustEmulatedSignCa(page: Page, { crl }: { crl: boolean }) {
	const ca = TestPki.certificateAuthority('sign');
	await page.getByRole('navigation', { name: /メインメニュー|Main menu/ }).getByRole('link', { name: /失効リスト|Revocation lists/ }).click();
	const anchors = page.getByTestId('trust-anchors');
	if ((await anchors.locator('[data-source="operator"]').count()) === 0) {
		await anchors.getByTestId('anchor-file').setInputFiles({ name: 'jpki-test-sign-ca.cer', mimeType: 'application/pkix-cert', buffer: Buffer.from(ca.certificate) });
		await anchors.getByTestId('anchor-add').click();
		await expect(anchors.getByTestId('anchor-outcome')).toHaveAttribute('data-ok', 'true');
	}
	if (crl) {
		await page.getByTestId('crl-file').setInputFiles({ name: 'sign-ca.crl', mimeType: 'application/pkix-crl', buffer: Buffer.from(ca.crls.current.der) });
		await expect(page.getByTestId('crl-progress-file')).toHaveAttribute('data-finished', 'true');
		await expect(page.getByTestId('crl-row')).toHaveCount(1);
	}
	await openSignPage(page);
}

/** Signs `FILE` on the sign page and returns the .p7s the user saves. */
async function signAndSave(page: Page, password = 'ABC123'): Promise<Buffer> {
	const sign = page.getByTestId('sign-file');
	await expect(sign.getByTestId('pin-tries')).toBeVisible({ timeout: 20_000 });
	await sign.getByTestId('sign-file-input').setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: FILE });
	await expect(sign.getByTestId('sign-file-digest')).toHaveText(shownDigest(FILE));
	await sign.getByTestId('sign-file-pin').fill(password);
	await sign.getByTestId('sign-file-submit').click();
	const [download] = await Promise.all([page.waitForEvent('download'), sign.getByTestId('p7s-download').click({ timeout: 20_000 })]);
	return readFile((await download.path())!);
}

async function verifyOnPage(page: Page, p7s: Buffer, content: Buffer = FILE) {
	const verify = page.getByTestId('verify');
	await verify.getByTestId('verify-signature-input').setInputFiles({ name: `${FILE_NAME}.p7s`, mimeType: 'application/pkcs7-signature', buffer: p7s });
	await verify.getByTestId('verify-content-input').setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: content });
	await verify.getByTestId('verify-submit').click();
	const result = verify.getByTestId('verify-result');
	await expect(result).toBeFocused();
	return result;
}

async function switchLanguage(page: Page) {
	await page.getByRole('button', { name: /表示言語|Language/ }).click();
}

test.describe('sign a file and verify it', () => {
	test('the demo card signs a small file; the .p7s is saved and verified on the same page', async ({ page }) => {
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await demoOnSignPage(page);
		await expect(page.getByTestId('no-upload')).toHaveText('ファイルはこのブラウザーの中だけで扱います。どこにも送信（アップロード）されません。');
		const sign = page.getByTestId('sign-file');
		await expect(sign).toContainText('実印を押して印鑑登録証明書を添えることに相当します');
		await expect(sign).toContainText('基本4情報（氏名・住所・生年月日・性別）');
		await expect(sign.getByTestId('pin-tries')).toHaveText(/残り5回/);
		await expectNoAxeViolations(page);

		const requests: string[] = [];
		page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
		await sign.getByLabel('署名するファイル').setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: FILE });
		await expect(sign.getByTestId('sign-file-digest')).toHaveText(shownDigest(FILE));
		await expect(sign.getByTestId('sign-file-facts')).toContainText(FILE_NAME);

		await sign.getByTestId('sign-file-pin').fill('abc123');
		await expect(sign.getByTestId('sign-file-pin')).toHaveValue('ABC123');
		await sign.getByTestId('sign-file-submit').click();
		const result = sign.getByTestId('sign-file-result');
		await expect(result).toBeVisible({ timeout: 20_000 });
		await expect(result).toBeFocused();
		await expect(result.getByRole('heading')).toHaveText('署名ファイルを作成しました');
		await expect(sign.getByTestId('sign-file-pin')).toHaveValue('');
		await expectNoAxeViolations(page);
		// Nothing left the page: no request carried the file or its signature.
		expect(requests.filter((r) => !r.startsWith('GET '))).toEqual([]);

		const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId('p7s-download').click()]);
		expect(download.suggestedFilename()).toBe(`${FILE_NAME}.p7s`);
		const p7s = await readFile((await download.path())!);
		expect(p7s[0]).toBe(0x30);

		const verify = page.getByTestId('verify');
		await verify.getByLabel('署名ファイル（.p7s）').setInputFiles({ name: `${FILE_NAME}.p7s`, mimeType: 'application/pkcs7-signature', buffer: p7s });
		await verify.getByLabel('署名された元のファイル').setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: FILE });
		await verify.getByTestId('verify-submit').click();
		const verdict = verify.getByTestId('verify-result');
		await expect(verdict).toBeFocused();
		// The emulated CA is a test CA, not a J-LIS root: the signature and the file check out, the issuer is not trusted.
		await expect(verdict).toHaveAttribute('data-status', 'untrusted');
		await expect(verdict.getByTestId('verify-verdict')).toHaveText('信頼できる発行元の電子証明書であることを確認できません');
		await expect(verdict.getByTestId('verify-integrity')).toHaveText('署名は正しく、ファイルは変更されていません');
		await expect(verdict.getByTestId('verify-signer')).toHaveText('署名用電子証明書（公的個人認証サービス）');
		await expect(verdict.getByTestId('verdict')).toHaveAttribute('data-verdict', 'untrusted');
		await expect(verdict.getByTestId('verdict')).toContainText('デモ用カードの証明書は、テスト用の認証局（J-LIS ではありません）が発行したもの');
		await expect(verdict).not.toContainText('見本');
		await expectNoAxeViolations(page);

		// The name (personal data) only on request.
		await verdict.getByTestId('verify-show-name').click();
		await expect(verdict.getByTestId('verify-signer-name')).toContainText('見本　花子');
		await expect(verdict.getByTestId('verify-signer-name')).toBeFocused();
		await expectNoAxeViolations(page);

		// A different file: the same signature no longer matches.
		await verify.getByLabel('署名された元のファイル').setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: Buffer.concat([FILE, Buffer.from('追記')]) });
		await verify.getByTestId('verify-submit').click();
		await expect(verdict).toHaveAttribute('data-status', 'content-mismatch');
		await expect(verdict.getByTestId('verify-verdict')).toHaveText('元のファイルが、署名されたファイルと一致しません');
		await expect(verdict.getByTestId('verify-signer-name')).toHaveCount(0);
		await expectNoAxeViolations(page);

		// A file that is not a signature.
		await verify.getByLabel('署名ファイル（.p7s）').setInputFiles({ name: 'x.p7s', mimeType: 'application/octet-stream', buffer: Buffer.from('not a signature') });
		await verify.getByTestId('verify-submit').click();
		await expect(verdict).toHaveAttribute('data-status', 'malformed');

		await switchLanguage(page);
		await expect(verdict.getByTestId('verify-verdict')).toHaveText('The signature file could not be read');
		await expect(page.getByTestId('no-upload')).toHaveText('Your files stay in this browser. Nothing is sent (uploaded) anywhere.');
		await expectNoAxeViolations(page);
		expect(errors).toEqual([]);
	});

	test('in English: a wrong signing password shows the tries left, the last try needs a confirmation', async ({ page, lab }) => {
		await labOnSignPage(page, lab, { triesLeft: { sign: 2 } });
		await switchLanguage(page);
		const sign = page.getByTestId('sign-file');
		await expect(sign.getByTestId('pin-tries')).toHaveText(/2 tries left/, { timeout: 20_000 });
		await sign.getByLabel('File to sign').setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: FILE });
		await expect(sign.getByTestId('sign-file-digest')).toHaveText(shownDigest(FILE));

		await sign.getByTestId('sign-file-pin').fill('WRONG1');
		await sign.getByTestId('sign-file-submit').click();
		const pinError = sign.getByTestId('sign-file-pin-error');
		await expect(pinError).toHaveText('Wrong signing password. 1 try left.');
		await expect(pinError).toBeFocused();
		await expect(sign.getByTestId('pin-tries')).toHaveText(/1 try left/);
		await expect(sign.getByTestId('sign-file-pin')).toHaveValue('');
		const confirm = sign.getByTestId('last-try-confirm');
		await expect(confirm).toContainText('One try left. A wrong entry now locks your signing password.');
		await expect(confirm.getByTestId('pin-recovery')).toBeVisible();
		await expectNoAxeViolations(page);

		// Without the tick nothing is sent: focus goes to the confirmation, the counter stays at 1.
		await sign.getByTestId('sign-file-pin').fill('ABC123');
		await sign.getByTestId('sign-file-submit').click();
		await expect(confirm.getByTestId('last-try-checkbox')).toBeFocused();
		await expect(sign).toContainText('Tick the confirmation above before you enter it.');
		await expect(sign.getByTestId('pin-tries')).toHaveText(/1 try left/);

		await confirm.getByTestId('last-try-checkbox').check();
		await sign.getByTestId('sign-file-submit').click();
		await expect(sign.getByTestId('sign-file-result')).toBeFocused({ timeout: 20_000 });
		await expect(sign.getByTestId('sign-file-result').getByRole('heading')).toHaveText('The signature file is ready');
		await expect(sign.getByTestId('pin-tries')).toHaveText(/5 tries left/);
		await expect(sign.getByTestId('last-try-confirm')).toHaveCount(0);
		await expectNoAxeViolations(page);
	});

	test('a locked signing password is not asked for; the recovery route is shown', async ({ page, lab }) => {
		await labOnSignPage(page, lab, { triesLeft: { sign: 0 } });
		const sign = page.getByTestId('sign-file');
		const recovery = sign.getByTestId('pin-recovery');
		await expect(recovery).toBeVisible({ timeout: 20_000 });
		await expect(recovery).toContainText('ロックされています');
		await expect(recovery).toHaveAttribute('data-places', 'convenience-store,municipal-office');
		await expect(sign.getByTestId('sign-file-pin')).toHaveCount(0);
		await expect(sign.getByTestId('sign-file-submit')).toHaveCount(0);
		await expectNoAxeViolations(page);
	});

	test('removing the card wipes the signature file from the page', async ({ page, lab }) => {
		const { readerId } = await labOnSignPage(page, lab);
		const sign = page.getByTestId('sign-file');
		await expect(sign.getByTestId('pin-tries')).toHaveText(/残り5回/, { timeout: 20_000 });
		await sign.getByLabel('署名するファイル').setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: FILE });
		await sign.getByTestId('sign-file-pin').fill('ABC123');
		await sign.getByTestId('sign-file-submit').click();
		await expect(sign.getByTestId('sign-file-result')).toBeVisible({ timeout: 20_000 });
		await lab.removeCard(readerId);
		await expect(sign.getByTestId('sign-file-result')).toHaveCount(0);
		await expect(page.getByTestId('sign-card-gone')).toHaveText('カードが取り外されたため、表示していた内容を消去しました。');
		await expect(sign.getByTestId('need-card')).toBeVisible();
		await expectNoAxeViolations(page);
	});
});

test.describe('verify with the emulated CA trusted as an operator would (on /crls)', () => {
	test('without a CRL the revocation is unknown and explained; with the current CRL the signature is valid', async ({ page }) => {
		await demoOnSignPage(page);
		const p7s = await signAndSave(page);
		await trustEmulatedSignCa(page, { crl: false });

		let result = await verifyOnPage(page, p7s);
		await expect(result).toHaveAttribute('data-status', 'revocation-unknown');
		await expect(result.getByTestId('verify-verdict')).toHaveText('署名は正しいものの、電子証明書が失効していないかを確認できませんでした');
		await expect(result.getByTestId('verify-explain')).toContainText('失効していないか（住所・氏名の変更や紛失などで取り消されていないか）は確認できませんでした');
		// The certificate's status in the words of the certificates page: no CRL yet, where CRLs come from, where to import one.
		const status = result.getByTestId('verdict');
		await expect(status).toHaveAttribute('data-verdict', 'revocation-unknown');
		await expect(status).toContainText('失効リスト（CRL）が必要で、まだ取り込まれていません');
		await expect(status.getByRole('link', { name: '失効リストを取り込む' })).toBeVisible();
		await expect(result.getByTestId('verify-integrity')).toHaveAttribute('data-valid', 'true');
		await expectNoAxeViolations(page);

		await trustEmulatedSignCa(page, { crl: true });
		result = await verifyOnPage(page, p7s);
		await expect(result).toHaveAttribute('data-status', 'valid');
		await expect(result.getByTestId('verify-verdict')).toHaveText('署名は有効です');
		await expect(result.getByTestId('verify-explain')).toHaveText('署名は正しく、ファイルは署名されたときから変更されていません。署名した電子証明書も有効です。');
		await expect(result.getByTestId('verdict')).toHaveAttribute('data-verdict', 'valid');
		await expect(result).toContainText('法律にもとづく署名検証の代わりにはなりません');
		await expect(result.getByTestId('verify-signing-time')).toContainText(/\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}:\d{2} JST/);
		await expect(result).not.toContainText('見本');
		await result.getByTestId('verify-show-name').click();
		await expect(result.getByTestId('verify-signer-name')).toContainText('見本　花子');
		await expectNoAxeViolations(page);

		await switchLanguage(page);
		await expect(result.getByTestId('verify-verdict')).toHaveText('The signature is valid');
		await expect(result.getByRole('button', { name: 'Hide the name' })).toBeVisible();
		await expectNoAxeViolations(page);
	});

	test('a signing certificate revoked after a move is named as revoked, with the reason residents know', async ({ page, lab }) => {
		await labOnSignPage(page, lab, { certificates: 'revoked' });
		const p7s = await signAndSave(page);
		await trustEmulatedSignCa(page, { crl: true });
		const result = await verifyOnPage(page, p7s);
		await expect(result).toHaveAttribute('data-status', 'revoked');
		await expect(result.getByTestId('verify-verdict')).toHaveText('署名に使われた電子証明書は失効しています');
		await expect(result.getByTestId('verify-explain')).toContainText('この署名を信頼しないでください');
		await expect(result.getByTestId('verdict')).toHaveAttribute('data-verdict', 'revoked');
		await expect(result.getByTestId('revocation-reason')).toHaveAttribute('data-reason', 'affiliationChanged');
		await expect(result.getByTestId('revocation-reason')).toHaveText('住所・氏名などの変更により、署名用電子証明書が失効しました');
		await expect(result).toContainText('新しい署名用電子証明書の発行を受けてください');
		await expectNoAxeViolations(page);

		await switchLanguage(page);
		await expect(result.getByTestId('verify-verdict')).toHaveText('The certificate that signed this has been revoked');
		await expect(result.getByTestId('revocation-reason')).toHaveText('The signing certificate was revoked because your name or address changed');
		await expectNoAxeViolations(page);
	});
});

test.describe('answer a challenge with the authentication key', () => {
	test('keyboard only: the challenge is signed and the signature verifies with WebCrypto against the auth certificate', async ({ page }) => {
		await demoOnSignPage(page);
		const challenge = page.getByTestId('challenge');
		await expect(challenge).toContainText('氏名や住所を知らなくても');
		await expect(challenge.getByTestId('pin-tries')).toHaveText(/残り3回/);

		const text = 'ログイン確認 nonce=7f3a9c';
		await challenge.getByLabel('チャレンジ', { exact: true }).focus();
		await page.keyboard.type(text);
		await page.keyboard.press('Tab'); // the random-challenge button
		await page.keyboard.press('Tab'); // the PIN
		await expect(challenge.getByTestId('challenge-pin')).toBeFocused();
		await page.keyboard.type('1234');
		await page.keyboard.press('Enter');
		const result = challenge.getByTestId('challenge-result');
		await expect(result).toBeFocused({ timeout: 20_000 });
		await expect(result.getByRole('heading')).toHaveText('応答（署名）を作りました');
		await expect(result).toContainText(`チャレンジ（${Buffer.byteLength(text)} バイト）に対する署名です。`);
		await expectNoAxeViolations(page);

		const signature = Buffer.from(await result.getByTestId('challenge-signature').inputValue(), 'base64');
		const pem = await result.getByTestId('challenge-certificate').inputValue();
		expect(signature).toHaveLength(256);
		await expectSignatureVerifies(pem, signature, Buffer.from(text, 'utf8'));
		// The certificate carries no name.
		expect(new X509Certificate(pem).subjectAltName ?? '').not.toContain('見本');

		await switchLanguage(page);
		await expect(result.getByRole('heading')).toHaveText('The answer (signature) is ready');
		await expectNoAxeViolations(page);
	});

	test('in English: hex input is checked as typed; a wrong PIN says how many tries are left', async ({ page, lab }) => {
		await labOnSignPage(page, lab);
		await switchLanguage(page);
		const challenge = page.getByTestId('challenge');
		await expect(challenge.getByTestId('pin-tries')).toHaveText(/3 tries left/, { timeout: 20_000 });
		await challenge.getByLabel('Hexadecimal').check();
		await challenge.getByLabel('Challenge', { exact: true }).fill('0a1');
		await expect(challenge).toContainText('Enter hexadecimal digits (0–9, A–F), an even number of them.');
		await challenge.getByLabel('Challenge', { exact: true }).fill('0a:1b 2c');
		await expect(challenge).not.toContainText('Enter hexadecimal digits');

		await challenge.getByTestId('challenge-pin').fill('9999');
		await challenge.getByTestId('challenge-submit').click();
		const pinError = challenge.getByTestId('challenge-pin-error');
		await expect(pinError).toHaveText('Wrong authentication PIN. 2 tries left.');
		await expect(pinError).toBeFocused();
		await expect(challenge.getByTestId('pin-tries')).toHaveText(/2 tries left/);
		await expectNoAxeViolations(page);

		await challenge.getByTestId('challenge-pin').fill('1234');
		await challenge.getByTestId('challenge-submit').click();
		const result = challenge.getByTestId('challenge-result');
		await expect(result).toBeFocused({ timeout: 20_000 });
		await expect(result).toContainText('over the challenge (3 bytes)');
		const signature = Buffer.from(await result.getByTestId('challenge-signature').inputValue(), 'base64');
		await expectSignatureVerifies(await result.getByTestId('challenge-certificate').inputValue(), signature, Buffer.from([0x0a, 0x1b, 0x2c]));
		await expectNoAxeViolations(page);
	});
});

test('a running card operation shows its steps and can be cancelled', async ({ page, lab }) => {
	// A contact reader (NTT Com SCR3310, CCID at TPDU level, usable from a normal page) with a slow card: the next
	// APDUs each take 1.5 s, which a contact reader waits for.
	const { cardId } = await labOnSignPage(page, lab, {}, 'scr3310-nttcom');
	const challenge = page.getByTestId('challenge');
	await expect(challenge.getByTestId('pin-tries')).toHaveText(/残り3回/, { timeout: 20_000 });
	await page.evaluate((id) => (window.mynaLab.card(id) as unknown as { faults: { delayNext(ms: number, count?: number): void } }).faults.delayNext(1500, 8), cardId);
	await challenge.getByLabel('チャレンジ', { exact: true }).fill('cancel me');
	await challenge.getByTestId('challenge-pin').fill('1234');
	await challenge.getByTestId('challenge-submit').click();
	const steps = challenge.getByTestId('challenge-steps');
	await expect(steps).toHaveAttribute('data-step', 'verify');
	await expect(steps.getByRole('status')).toHaveText('暗証番号を確認… カードを読み取り機から離さないでください。');
	await expect(challenge.getByTestId('challenge-submit')).toBeDisabled();
	const running = await new AxeBuilder({ page }).include('[data-testid="challenge-steps"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(running.violations.map((v) => v.id)).toEqual([]);
	await steps.getByRole('button', { name: '中止する' }).click();
	const error = challenge.getByTestId('challenge-error');
	await expect(error).toHaveAttribute('data-error-kind', 'aborted', { timeout: 15_000 });
	await expect(error).toHaveText('操作を取り消しました。');
	await expect(steps).toHaveCount(0);
	await expect(challenge.getByTestId('challenge-result')).toHaveCount(0);
	await expect(challenge.getByTestId('challenge-submit')).toBeEnabled();
	await expectNoAxeViolations(page);
});

test('without a card: signing asks for one, verifying works', async ({ page }) => {
	await page.goto('/sign');
	await expect(page.getByTestId('sign-file').getByTestId('need-card')).toBeVisible();
	await expect(page.getByTestId('challenge').getByTestId('need-card')).toBeVisible();
	await expect(page.getByTestId('verify').getByTestId('verify-submit')).toBeEnabled();
	await page.getByTestId('verify').getByTestId('verify-submit').click();
	await expect(page.getByTestId('verify')).toContainText('署名ファイルと元のファイルの両方を選んでください。');
	await expect(page.getByTestId('verify').getByLabel('署名ファイル（.p7s）')).toBeFocused();
	await expectNoAxeViolations(page);
	await switchLanguage(page);
	await expect(page.getByTestId('sign-file')).toContainText('registered seal (jitsuin)');
	await expectNoAxeViolations(page);
});

/** RSASSA-PKCS1-v1_5 / SHA-256 with the certificate's public key, in Node's WebCrypto. */
async function expectSignatureVerifies(pem: string, signature: Buffer, data: Buffer) {
	const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
	const key = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
	expect(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, data)).toBe(true);
	const other = Buffer.concat([data, Buffer.from([0])]);
	expect(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, other)).toBe(false);
}
