import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test, type LabHandle } from './fixtures/lab';
import { expectNoAxeViolations } from './axe';
import { TestPki } from '../src/lib/emulator/card';
import type { VirtualCardOptions } from '../src/lib/emulator/card';

/**
 * /certificates end to end (issue 7's done-when, issue 8's certificates page): the operator adds the emulated CAs as
 * trust anchors and imports their CRLs on /crls (the emulated CAs are not the J-LIS anchors), then a card is read and
 * each certificate gets its verdict: valid, revoked (reason and date, Japanese and English), expired, not yet valid,
 * revocation unknown (no CRL; stale CRL), untrusted (no anchor). The signing certificate needs the signing password,
 * with the guard in view; the 4 information appears only on request and is wiped with the card; PEM/DER export.
 */

const SIGN_CA = TestPki.certificateAuthority('sign');
const AUTH_CA = TestPki.certificateAuthority('auth');
const SHOTS = '/tmp/shots';
const SIGN_PASSWORD = 'ABC123';

let dir: string;
const files: Record<string, string> = {};

test.beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'myna-certs-'));
	const write = (name: string, bytes: Uint8Array) => {
		files[name] = join(dir, name);
		writeFileSync(files[name], bytes);
	};
	write('sign-ca.cer', SIGN_CA.certificate);
	write('auth-ca.cer', AUTH_CA.certificate);
	write('sign-current.crl', SIGN_CA.crls.current.der);
	write('auth-current.crl', AUTH_CA.crls.current.der);
	write('sign-stale.crl', SIGN_CA.crls.stale.der);
	write('auth-stale.crl', AUTH_CA.crls.stale.der);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** On /crls, as an operator would: trust the emulated CAs, then import the given CRL files (progress shown). */
async function prepareTrust(page: Page, crls: readonly string[]) {
	await page.goto('/crls');
	const anchors = page.getByTestId('trust-anchors');
	for (const [file, label] of [
		['sign-ca.cer', 'テスト署名用CA'],
		['auth-ca.cer', 'テスト利用者証明用CA']
	] as const) {
		await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(files[file]!);
		await anchors.getByLabel('表示名（任意）').fill(label);
		await anchors.getByRole('button', { name: '追加する' }).click();
		await expect(anchors.getByTestId('anchor-outcome')).toContainText(label);
	}
	for (const crl of crls) {
		await page.getByLabel('失効リストのファイルを選ぶ').setInputFiles(files[crl]!);
		await expect(page.getByRole('progressbar', { name: new RegExp(`取り込むファイル: ${crl.replace('.', '\\.')}`) })).toBeVisible();
		await expect(page.getByTestId('crl-progress-file')).toHaveAttribute('data-finished', 'true');
		await expect(page.getByTestId('crl-outcome-file')).toContainText('取り込みました');
	}
}

/** Client-side navigation to /certificates (the trust set-up stays), then a reader with the card. */
async function openCertificates(page: Page, lab: LabHandle, card: VirtualCardOptions, { navigate = true } = {}) {
	if (navigate) await page.getByRole('navigation').getByRole('link', { name: '電子証明書' }).click();
	else await page.goto('/certificates');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('電子証明書');
	const readerId = await lab.addReader('rcs300', { granted: true });
	const cardId = await lab.insertCard(readerId, card);
	try {
		await expect(page.getByTestId('certificate-auth')).not.toHaveAttribute('data-verdict', /not-read|checking/, { timeout: 30_000 });
	} catch (error) {
		// Say what the emulated hardware was doing, to tell a slow read from a stuck one.
		throw new Error(`the card was not read: ${JSON.stringify(await lab.state())}`, { cause: error });
	}
	return { readerId, cardId };
}

function section(page: Page, kind: 'auth' | 'sign' | 'auth-ca' | 'sign-ca'): Locator {
	return page.getByTestId(`certificate-${kind}`);
}

async function readSign(page: Page, password = SIGN_PASSWORD) {
	const sign = section(page, 'sign');
	await sign.getByTestId('sign-password').fill(password);
	await sign.getByRole('button', { name: 'パスワードを確かめて読み取る' }).click();
}

test.describe.configure({ timeout: 60_000 });

test('issue 7: a CRL imported in the app shows the signing certificate revoked, with the reason in Japanese and English', async ({ page, lab }) => {
	await prepareTrust(page, ['sign-current.crl', 'auth-current.crl']);
	await openCertificates(page, lab, { certificates: 'revoked' });

	// The authentication certificate is not on the list: valid, with the CRL used and its age.
	const auth = section(page, 'auth');
	await expect(auth).toHaveAttribute('data-verdict', 'valid');
	await expect(auth.getByTestId('verdict')).toContainText('有効');
	await expect(auth.getByTestId('crl-used')).toContainText('2026年11月1日');
	await expect(auth.getByTestId('crl-used')).toContainText('日前');
	// The CA certificates are the operator's anchors.
	await expect(section(page, 'auth-ca')).toHaveAttribute('data-verdict', 'anchor');
	await expect(section(page, 'sign-ca')).toHaveAttribute('data-verdict', 'anchor');

	// The signing certificate waits for the password, and says why; the guard is visible.
	const sign = section(page, 'sign');
	await expect(sign).toContainText('基本4情報');
	await expect(sign.getByTestId('pin-tries')).toContainText('残り5回');
	await expectNoAxeViolations(page);
	await readSign(page);
	await expect(sign).toHaveAttribute('data-verdict', 'revoked', { timeout: 15_000 });
	await expect(page.locator('#cert-sign-title')).toBeFocused();
	await expect(sign.getByTestId('revocation-reason')).toHaveText('住所・氏名などの変更により、署名用電子証明書が失効しました');
	await expect(sign.getByTestId('revocation-reason')).toHaveAttribute('data-reason', 'affiliationChanged');
	await expect(sign.getByTestId('revocation-date')).toContainText('2026年3月16日');
	await expect(sign).toContainText('新しい署名用電子証明書の発行を受けてください');
	await expect(sign.getByTestId('serial')).toHaveText('10000103');
	// The password is gone from the page.
	await expect(page.locator('input[type="password"]')).toHaveCount(0);
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-revoked-ja.png`, fullPage: true });

	await page.emulateMedia({ colorScheme: 'dark' });
	await expectNoAxeViolations(page);
	await page.emulateMedia({ colorScheme: 'light' });

	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(sign.getByTestId('revocation-reason')).toHaveText('The signing certificate was revoked because your name or address changed');
	await expect(sign.getByTestId('revocation-date')).toContainText('16 March 2026');
	await expect(sign.getByTestId('verdict')).toContainText('Revoked');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-revoked-en.png`, fullPage: true });
});

test('a valid card: days left, renewal date, what to do, the field viewer, and PEM/DER export', async ({ page, lab }) => {
	await prepareTrust(page, ['sign-current.crl', 'auth-current.crl']);
	await openCertificates(page, lab, {});
	const auth = section(page, 'auth');
	await expect(auth).toHaveAttribute('data-verdict', 'valid');
	await expect(auth.getByTestId('valid-to')).toContainText('2030年6月15日');
	await expect(auth.getByTestId('days-left')).toHaveText(/^残り\d+日$/);
	await expect(auth.getByTestId('renewal-opens')).toContainText('2030年3月15日から（有効期限の3か月前から）');
	await expect(auth).toContainText('引越しなどでは失効しません');
	await expect(auth).toContainText('市区町村の窓口');

	// The field viewer is closed until asked for.
	const fields = auth.getByTestId('fields');
	await expect(fields.locator('[data-field="fingerprint"]')).toBeHidden();
	await fields.getByText('すべての項目を見る（詳しい方向け）').click();
	await expect(fields.locator('[data-field="publicKey"]')).toContainText('RSA（2048ビット）');
	await expect(fields.locator('[data-field="signatureAlgorithm"]')).toContainText('SHA-256');
	await expect(fields.locator('[data-field="keyUsage"]')).toContainText('digitalSignature');
	await expect(fields.locator('[data-field="aki"]')).toContainText(AUTH_CA.subjectKeyIdentifier.slice(0, 2) + ':');
	await expect(fields.locator('[data-field="fingerprint"] td')).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
	await expect(fields.locator('[data-field="crlDp"]')).toContainText('JPKI TEST');

	// Export: a download each, the bytes of the certificate on the card; every object URL is revoked after the click.
	await page.evaluate(() => {
		const log = { created: [] as string[], revoked: [] as string[] };
		Object.assign(window, { blobLog: log });
		const create = URL.createObjectURL.bind(URL);
		const revoke = URL.revokeObjectURL.bind(URL);
		URL.createObjectURL = (blob: Blob) => {
			const url = create(blob);
			log.created.push(url);
			return url;
		};
		URL.revokeObjectURL = (url: string) => {
			log.revoked.push(url);
			revoke(url);
		};
	});
	const expected = TestPki.certificateSet('hanako', 'valid')!.auth.certificate;
	const [pem] = await Promise.all([page.waitForEvent('download'), auth.getByRole('button', { name: 'PEM 形式で保存' }).click()]);
	expect(pem.suggestedFilename()).toBe('jpki-auth-certificate-20000101.pem');
	const pemText = readFileSync((await pem.path())!, 'utf8');
	expect(pemText.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
	expect(Buffer.from(pemText.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64').equals(Buffer.from(expected))).toBe(true);
	const [der] = await Promise.all([page.waitForEvent('download'), auth.getByRole('button', { name: 'DER 形式で保存' }).click()]);
	expect(der.suggestedFilename()).toBe('jpki-auth-certificate-20000101.der');
	expect(readFileSync((await der.path())!).equals(Buffer.from(expected))).toBe(true);
	const [caDer] = await Promise.all([page.waitForEvent('download'), section(page, 'sign-ca').getByRole('button', { name: 'DER 形式で保存' }).click()]);
	expect(caDer.suggestedFilename()).toBe('jpki-sign-ca-certificate-7E570001.der');
	const blobLog = () => page.evaluate(() => (window as unknown as { blobLog: { created: string[]; revoked: string[] } }).blobLog);
	await expect.poll(async () => (await blobLog()).revoked.length, { timeout: 5000 }).toBe(3);
	const log = await blobLog();
	expect(log.created).toHaveLength(3);
	expect([...log.revoked].sort()).toEqual([...log.created].sort());

	await readSign(page);
	const sign = section(page, 'sign');
	await expect(sign).toHaveAttribute('data-verdict', 'valid', { timeout: 15_000 });
	await expect(sign).toContainText('氏名や住所が変わると（引越し、婚姻など）、署名用電子証明書は自動的に失効します');
	await expect(sign.getByTestId('export')).toContainText('このファイルには基本4情報');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-valid-ja.png`, fullPage: true });
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(auth.getByTestId('days-left')).toHaveText(/^[\d,]+ days left$/);
	await expect(auth.getByTestId('renewal-opens')).toContainText('15 March 2030 (3 months before the expiry date)');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-valid-en.png`, fullPage: true });
});

test('the 4 information is shown only on request and wiped when the card is removed', async ({ page, lab }) => {
	await prepareTrust(page, ['sign-current.crl', 'auth-current.crl']);
	const { readerId } = await openCertificates(page, lab, {});
	await readSign(page);
	const sign = section(page, 'sign');
	await expect(sign).toHaveAttribute('data-verdict', 'valid', { timeout: 15_000 });
	const info = sign.getByTestId('basic-info');
	await expect(info.getByTestId('basic-info-values')).toHaveCount(0);
	await expect(info).toContainText('ボタンを押したときだけ表示します');
	await info.getByRole('button', { name: '基本4情報を表示する' }).click();
	const values = info.getByTestId('basic-info-values');
	await expect(values.locator('[data-field="name"]')).not.toBeEmpty();
	await expect(values.locator('[data-field="address"]')).toContainText('夢見市');
	await expect(info.getByRole('button', { name: '基本4情報を隠す' })).toHaveAttribute('aria-expanded', 'true');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-4info-ja.png`, fullPage: true });
	const name = await values.locator('[data-field="name"]').textContent();

	await lab.removeCard(readerId);
	await expect(page.getByTestId('card-gone')).toContainText('表示していた電子証明書と基本4情報を消去しました');
	await expect(page.getByTestId('need-card')).toBeVisible();
	await expect(page.getByText(name!)).toHaveCount(0);
	await expect(page.getByTestId('certificate-sign')).toHaveCount(0);
	expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).toBe('{}{}');
	await expectNoAxeViolations(page);
});

test('expired and not-yet-valid certificates say so, with what to do', async ({ page, lab }) => {
	await prepareTrust(page, ['sign-current.crl', 'auth-current.crl']);
	const { readerId } = await openCertificates(page, lab, { certificates: 'expired' });
	const auth = section(page, 'auth');
	await expect(auth).toHaveAttribute('data-verdict', 'expired');
	await expect(auth.getByTestId('verdict')).toContainText('有効期限（2024年6月15日）が過ぎています');
	await expect(auth.getByTestId('valid-to')).toContainText('日前に切れました');
	await expect(auth).toContainText('新しい電子証明書の発行を受けてください');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-expired-ja.png`, fullPage: true });

	await lab.removeCard(readerId);
	await expect(page.getByTestId('need-card')).toBeVisible();
	await lab.insertCard(readerId, { certificates: 'not-yet-valid' });
	await expect(auth).toHaveAttribute('data-verdict', 'not-yet-valid', { timeout: 20_000 });
	await expect(auth.getByTestId('verdict')).toContainText('2040年1月10日から有効になります');
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(auth.getByTestId('verdict')).toContainText('becomes valid on 10 January 2040');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-not-yet-valid-en.png`, fullPage: true });
});

test('no CRL: revocation cannot be checked, the page says where a CRL comes from and links to /crls', async ({ page, lab }) => {
	await prepareTrust(page, []);
	await openCertificates(page, lab, {});
	const auth = section(page, 'auth');
	await expect(auth).toHaveAttribute('data-verdict', 'revocation-unknown');
	await expect(auth.getByTestId('verdict')).toContainText('失効を確認できません');
	await expect(auth.getByTestId('verdict')).toContainText('失効リスト（CRL）が必要で、まだ取り込まれていません');
	await expect(auth.getByTestId('verdict')).toContainText('届け出た署名検証者・利用者証明検証者やプラットフォーム事業者にだけ提供され');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-no-crl-ja.png`, fullPage: true });
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(auth.getByTestId('verdict')).toContainText('Revocation not known');
	await expect(auth.getByTestId('verdict')).toContainText('registered with J-LIS');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-no-crl-en.png`, fullPage: true });
	// Dark colour scheme: contrast holds too.
	await page.emulateMedia({ colorScheme: 'dark' });
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-no-crl-en-dark.png`, fullPage: true });
	await auth.getByRole('link', { name: 'Import a revocation list' }).click();
	await expect(page).toHaveURL(/\/crls$/);
});

test('a stale CRL never gives "valid": revocation unknown, with the list’s age', async ({ page, lab }) => {
	await prepareTrust(page, ['auth-stale.crl']);
	await expect(page.getByTestId('crl-row').getByTestId('crl-freshness')).toHaveText('期限切れ（古い）');
	await openCertificates(page, lab, {});
	const auth = section(page, 'auth');
	await expect(auth).toHaveAttribute('data-verdict', 'revocation-unknown');
	await expect(auth.getByTestId('verdict')).toContainText('手元の失効リストが古いため（次回更新予定の2024年1月6日');
	await expect(auth.getByTestId('crl-stale')).toContainText('2024年1月5日');
	await expect(auth.getByRole('link', { name: '新しい失効リストを取り込む' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-stale-ja.png`, fullPage: true });
});

test('without the emulated CAs as anchors the demo card is not trusted, and the page says why', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'デモ用カードで試す' }).click();
	await expect(page.getByTestId('reader')).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
	await page.getByRole('navigation').getByRole('link', { name: '電子証明書' }).click();
	const auth = section(page, 'auth');
	await expect(auth).toHaveAttribute('data-verdict', 'untrusted', { timeout: 20_000 });
	await expect(auth.getByTestId('verdict')).toContainText('信頼する認証局（J-LIS の認証局）に含まれていない');
	await expect(auth.getByTestId('verdict')).toContainText('テスト用の認証局（J-LIS ではありません）');
	await expect(section(page, 'auth-ca')).toHaveAttribute('data-verdict', 'untrusted');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-demo-untrusted-ja.png`, fullPage: true });
});

test('the signing password guard: tries left, a wrong entry, the last-try confirmation, the recovery when locked', async ({ page, lab }) => {
	await openCertificates(page, lab, { triesLeft: { sign: 2 } }, { navigate: false });
	const sign = section(page, 'sign');
	await expect(sign.getByTestId('pin-tries')).toContainText('残り2回');
	await readSign(page, 'WRONG1');
	await expect(sign.getByRole('alert')).toHaveText('パスワードが違います。残り1回です。');
	await expect(sign.getByTestId('sign-password')).toHaveAccessibleName('署名用電子証明書の暗証番号（パスワード）');
	await expect(sign.getByTestId('sign-password')).toBeFocused();
	await expect(sign.getByTestId('sign-password')).toHaveValue('');

	// The last try: nothing is sent until the user confirms.
	const confirm = sign.getByTestId('last-try-confirm');
	await expect(confirm).toBeVisible();
	await expect(confirm).toContainText('残り1回です');
	await expect(confirm.getByTestId('pin-recovery')).toBeVisible();
	await readSign(page, 'WRONG2');
	await expect(sign.getByText('入力する前に、上の確認欄にチェックを入れてください。')).toBeVisible();
	await expect(sign.getByTestId('pin-tries')).toContainText('残り1回');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-last-try-ja.png`, fullPage: true });

	await confirm.getByTestId('last-try-checkbox').check();
	await sign.getByRole('button', { name: 'パスワードを確かめて読み取る' }).click();
	const outcome = sign.getByTestId('sign-outcome');
	await expect(outcome).toHaveAttribute('data-result', 'blocked');
	await expect(outcome.getByRole('alert')).toContainText('ロックされました');
	await expect(outcome.getByTestId('pin-recovery')).toContainText('ロックされています');
	await expect(outcome.getByTestId('pin-recovery')).toContainText('JPKI暗証番号リセット');
	await expect(sign.getByTestId('sign-password')).toHaveCount(0);
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-locked-ja.png`, fullPage: true });
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(outcome.getByTestId('pin-recovery')).toContainText('is locked');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-locked-en.png`, fullPage: true });
});

test('a child’s card has no signing certificate, and the page says so kindly', async ({ page, lab }) => {
	await openCertificates(page, lab, { variant: 'child' }, { navigate: false });
	const absent = section(page, 'sign').getByTestId('sign-absent');
	await expect(absent).toContainText('このカードには署名用電子証明書が入っていません');
	await expect(absent).toContainText('15歳未満の方には原則として発行されません');
	await expect(absent).toContainText('カードの故障ではありません');
	await expect(section(page, 'sign').getByTestId('sign-password')).toHaveCount(0);
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-child-ja.png`, fullPage: true });
	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(absent).toContainText('normally not issued to children under 15');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/certs-child-en.png`, fullPage: true });
});
