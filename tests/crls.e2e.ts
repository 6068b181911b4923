import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/lab';
import { expectNoAxeViolations } from './axe';
import { TestPki } from '../src/lib/emulator/card';
import { Der } from '../src/lib/pki/der-writer';
import { makeCrl, type TestKey } from '../src/lib/pki/fixtures/test-pki';
import type { TestKeyName } from '../src/lib/pki/fixtures/test-keys';

/**
 * /crls end to end: importing CRL files (progress, every refusal a user can meet), the list with 「期限切れ（古い）」,
 * deleting with a confirmation, CRL addresses (https only; fetching fails gracefully while the app may not connect
 * anywhere), and the operator's trust anchors. The CRLs and CA certificates come from the emulator's test PKI;
 * they are written to a temp dir and chosen with setInputFiles, as a user would.
 */

const SIGN_CA = TestPki.certificateAuthority('sign');
const AUTH_CA = TestPki.certificateAuthority('auth');
const SIGN_CA_ISSUER = 'C=JP, O=JPKI TEST, OU=TEST JPKI for digital signature, OU=Emulated Agency (NOT J-LIS)';
const SHOTS = '/tmp/shots';

let dir: string;
const files: Record<string, string> = {};

/** The emulator's signing-CA key as the fixture builders want it (to make a CRL with an unknown critical extension). */
async function signCaKey(): Promise<TestKey> {
	const jwk = SIGN_CA.privateKeyJwk as JsonWebKey;
	const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
	const privateKey = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign']);
	const publicKey = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n!, e: jwk.e! }, algorithm, true, ['verify']);
	return { name: 'signCa' as TestKeyName, privateKey, spki: new Uint8Array(await crypto.subtle.exportKey('spki', publicKey)), jwk };
}

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'myna-crls-'));
	const write = (name: string, bytes: Uint8Array | string) => {
		files[name] = join(dir, name);
		writeFileSync(files[name], bytes);
	};
	write('sign-ca.cer', SIGN_CA.certificate);
	write('auth-ca.cer', AUTH_CA.certificate);
	write('sign-current.crl', SIGN_CA.crls.current.der);
	write('sign-stale.crl', SIGN_CA.crls.stale.der);
	write('auth-current.crl', AUTH_CA.crls.current.der);
	const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(AUTH_CA.crls.current.der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`;
	write('auth-current.pem', pem);
	const tampered = SIGN_CA.crls.current.der.slice();
	tampered[tampered.length - 5]! ^= 0x01;
	write('sign-tampered.crl', tampered);
	write('notes.txt', 'これは失効リストではありません。\n');
	const leaf = TestPki.certificateSet('hanako', 'valid')!.auth.certificate;
	write('leaf.cer', leaf);
	const critical = await makeCrl({
		issuer: [
			['C', 'JP'],
			['O', 'JPKI TEST'],
			['OU', 'TEST JPKI for digital signature'],
			['OU', 'Emulated Agency (NOT J-LIS)']
		],
		signer: await signCaKey(),
		thisUpdate: Date.UTC(2026, 10, 2),
		nextUpdate: Date.UTC(2049, 11, 31),
		crlNumber: 3,
		extensions: [{ oid: '1.2.392.99999.1', critical: true, value: Der.null() }]
	});
	write('sign-critical.crl', critical);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function addAnchor(page: Page, file: string, label: string) {
	const anchors = page.getByTestId('trust-anchors');
	await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(file);
	await anchors.getByLabel('表示名（任意）').fill(label);
	await anchors.getByRole('button', { name: '追加する' }).click();
	await expect(anchors.getByTestId('anchor-outcome')).toContainText(`信頼する認証局に追加しました: ${label}`);
}

async function importCrl(page: Page, file: string) {
	await page.getByTestId('crl-file').setInputFiles(file);
	const progress = page.getByTestId('crl-progress-file');
	await expect(progress).toHaveAttribute('data-finished', 'true');
	return page.getByTestId('crl-outcome-file');
}

test('a resident learns what a CRL is; the empty page passes axe in both languages', async ({ page }) => {
	await page.goto('/crls');
	await expect(page.getByLabel('失効リストのファイルを選ぶ')).toHaveAttribute('type', 'file');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('失効リスト');
	await expect(page.getByRole('heading', { name: '失効リスト（CRL）とは' })).toBeVisible();
	await expect(page.getByText('一般には公開されていません').first()).toBeVisible();
	await expect(page.getByTestId('crl-empty')).toContainText('まだ失効リストは取り込まれていません');
	// The shipped J-LIS anchors are listed (both CAs, two generations each).
	await expect(page.getByTestId('anchor').and(page.locator('[data-source="shipped"]'))).toHaveCount(4);
	await expect(page.getByTestId('crl-urls-empty')).toBeVisible();
	await expect(page.getByText('このアプリがインターネットに接続するのは、ここに登録したアドレスから失効リストを取得するときだけです')).toBeVisible();
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-empty-ja.png`, fullPage: true });

	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Revocation lists');
	await expect(page.getByTestId('crl-empty')).toContainText('No revocation list has been imported yet');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-empty-en.png`, fullPage: true });
});

test('a CRL from an authority that is not trusted is refused, then imported once the operator adds the authority', async ({ page }) => {
	await page.goto('/crls');
	let outcome = await importCrl(page, files['sign-current.crl']!);
	await expect(outcome.getByRole('alert')).toHaveAttribute('data-reason', 'unknown-issuer');
	await expect(outcome).toContainText('この失効リストを発行した認証局が、信頼する認証局に登録されていません');
	await expect(page.getByTestId('crl-row')).toHaveCount(0);
	await expectNoAxeViolations(page);

	await addAnchor(page, files['sign-ca.cer']!, 'テスト署名用CA');
	const added = page.getByTestId('anchor').and(page.locator('[data-source="operator"]'));
	await expect(added).toHaveCount(1);
	await expect(added).toContainText('運用者が追加');
	await expect(added).toContainText('8F:A6:05:ED');

	outcome = await importCrl(page, files['sign-current.crl']!);
	// Progress shown: the bar reached 100 % and every step the importer reported is ticked.
	const progress = page.getByTestId('crl-progress-file');
	await expect(page.getByRole('progressbar', { name: /取り込むファイル: sign-current\.crl/ })).toHaveAttribute('value', '100');
	for (const step of ['read', 'parse', 'signature', 'index', 'store']) {
		await expect(progress.locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'done');
	}
	await expect(outcome).toContainText(`取り込みました: ${SIGN_CA_ISSUER} の失効リスト（CRL番号 2、失効した証明書 6件）`);
	const row = page.getByTestId('crl-row');
	await expect(row).toHaveCount(1);
	await expect(row).toHaveAttribute('data-crl-number', '2');
	await expect(row.getByTestId('crl-freshness')).toHaveText('最新');
	await expect(row).toContainText('2026年11月1日');
	await expect(row).toContainText('2049年12月31日');
	await expect(row).toContainText('6件');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-imported-ja.png`, fullPage: true });

	// The same file again changes nothing.
	outcome = await importCrl(page, files['sign-current.crl']!);
	await expect(outcome).toContainText('同じ失効リスト');
});

test('every refusal says what went wrong: not a CRL, bad signature, rollback, unknown critical extension', async ({ page }) => {
	await page.goto('/crls');
	await addAnchor(page, files['sign-ca.cer']!, 'テスト署名用CA');
	await importCrl(page, files['sign-current.crl']!);
	await expect(page.getByTestId('crl-row')).toHaveAttribute('data-crl-number', '2');

	let outcome = await importCrl(page, files['notes.txt']!);
	await expect(outcome.getByRole('alert')).toHaveAttribute('data-error-kind', 'malformed');
	await expect(outcome).toContainText('このファイルは失効リスト（CRL）ではないか、壊れています');
	// The step where it stopped is marked.
	await expect(page.getByTestId('crl-progress-file').locator('[data-step="parse"]')).toHaveAttribute('data-state', 'failed');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-not-a-crl-ja.png`, fullPage: true });

	outcome = await importCrl(page, files['sign-tampered.crl']!);
	await expect(outcome.getByRole('alert')).toHaveAttribute('data-error-kind', 'signature-invalid');
	await expect(outcome).toContainText('署名を、信頼する認証局の鍵で確認できませんでした');

	outcome = await importCrl(page, files['sign-stale.crl']!);
	await expect(outcome.getByRole('alert')).toHaveAttribute('data-reason', 'rollback');
	await expect(outcome).toContainText('いま使っている失効リスト（CRL番号 2）より古いため（CRL番号 1）、取り込みませんでした');
	await expect(outcome).toContainText('巻き戻しの防止');
	// It got as far as storing: format and signature were fine.
	await expect(page.getByTestId('crl-progress-file').locator('[data-step="signature"]')).toHaveAttribute('data-state', 'done');
	await expect(page.getByTestId('crl-progress-file').locator('[data-step="store"]')).toHaveAttribute('data-state', 'failed');

	outcome = await importCrl(page, files['sign-critical.crl']!);
	await expect(outcome).toContainText('重要（critical）な拡張が含まれているため、取り込みませんでした');

	// Nothing of it replaced the CRL in force.
	await expect(page.getByTestId('crl-row')).toHaveCount(1);
	await expect(page.getByTestId('crl-row')).toHaveAttribute('data-crl-number', '2');

	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(outcome).toContainText('critical extension this app does not understand');
	outcome = await importCrl(page, files['sign-stale.crl']!);
	await expect(outcome).toContainText('It (CRL number 1) is older than the revocation list in use (CRL number 2), so it was not imported');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-rollback-en.png`, fullPage: true });
});

test('a stale CRL is listed as 「期限切れ（古い）」; drag and drop and PEM work; deleting asks first', async ({ page }) => {
	await page.goto('/crls');
	await addAnchor(page, files['sign-ca.cer']!, 'テスト署名用CA');
	await addAnchor(page, files['auth-ca.cer']!, 'テスト利用者証明用CA');
	await importCrl(page, files['sign-stale.crl']!);

	// Drag and drop of the PEM form of the authentication CA's CRL.
	const pem = Buffer.from(await import('node:fs').then((fs) => fs.readFileSync(files['auth-current.pem']!))).toString('base64');
	const dataTransfer = await page.evaluateHandle((b64) => {
		const transfer = new DataTransfer();
		const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		transfer.items.add(new File([bytes], 'auth-current.pem', { type: 'application/x-pem-file' }));
		return transfer;
	}, pem);
	await page.getByTestId('crl-drop').dispatchEvent('dragover', { dataTransfer });
	await page.getByTestId('crl-drop').dispatchEvent('drop', { dataTransfer });
	await expect(page.getByTestId('crl-outcome-file')).toContainText('取り込みました');

	const rows = page.getByTestId('crl-row');
	await expect(rows).toHaveCount(2);
	const stale = rows.and(page.locator('[data-freshness="stale"]'));
	await expect(stale.getByTestId('crl-freshness')).toHaveText('期限切れ（古い）');
	await expect(stale).toContainText('2024年1月6日');
	await expect(stale).toContainText('過ぎています');
	await expect(stale).toContainText('「有効」とは判断しません');
	await expect(rows.and(page.locator('[data-freshness="current"]')).getByTestId('crl-freshness')).toHaveText('最新');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-stale-ja.png`, fullPage: true });

	// Delete asks first; "keep" keeps it.
	await stale.getByRole('button', { name: /^削除（/ }).click();
	await expect(stale.locator('p[tabindex="-1"]', { hasText: 'この失効リストを削除しますか？' })).toBeFocused();
	await expectNoAxeViolations(page);
	await stale.getByRole('button', { name: 'やめる' }).click();
	await expect(rows).toHaveCount(2);
	await stale.getByRole('button', { name: /^削除（/ }).click();
	await stale.getByRole('button', { name: '削除する' }).click();
	await expect(rows).toHaveCount(1);
	await expect(page.getByText(`${SIGN_CA_ISSUER} の失効リストを削除しました。`)).toBeVisible();

	await page.emulateMedia({ colorScheme: 'dark' });
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-stale-ja-dark.png`, fullPage: true });
	await page.emulateMedia({ colorScheme: 'light' });

	await page.getByRole('button', { name: '表示言語' }).click();
	await expect(rows.getByTestId('crl-freshness')).toHaveText('Current');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-list-en.png`, fullPage: true });
});

test('CRL addresses: https only, the app says it contacts only these, and fetching fails gracefully', async ({ page }) => {
	const requests: string[] = [];
	page.on('request', (r) => requests.push(r.url()));
	await page.goto('/crls');
	const input = page.getByLabel('失効リストのアドレス');
	await input.fill('http://crl.example.jp/sign.crl');
	await page.getByRole('button', { name: '追加', exact: true }).click();
	await expect(page.getByText('https:// で始まる正しいアドレスを入力してください')).toBeVisible();
	await expect(input).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByTestId('crl-url')).toHaveCount(0);

	await input.fill('https://crl.example.jp/sign.crl');
	await page.getByRole('button', { name: '追加', exact: true }).click();
	await expect(page.getByTestId('crl-url')).toHaveText(/https:\/\/crl\.example\.jp\/sign\.crl/);
	await expect(input).toHaveValue('');

	await page.getByRole('button', { name: '今すぐ取得（https://crl.example.jp/sign.crl）' }).click();
	const outcome = page.getByTestId('crl-outcome-url');
	// The PKI worker may fetch configured URLs, but this build's CSP (connect-src 'self': no kiosk CRL URLs) stops the
	// request in the browser: a transport error that says where to look.
	await expect(outcome.getByRole('alert')).toHaveAttribute('data-error-kind', 'transport');
	await expect(outcome.getByRole('alert')).toContainText('配布元に接続できませんでした');
	await expect(outcome.getByRole('alert')).toContainText('ブラウザーの安全設定で接続が止められている場合もあります');
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-urls-ja.png`, fullPage: true });
	expect(requests.filter((url) => !url.startsWith('http://localhost'))).toEqual([]);

	// The list survives a reload (it is a setting), and can be emptied.
	await page.reload();
	await expect(page.getByTestId('crl-url')).toHaveCount(1);
	await page.getByRole('button', { name: '削除（https://crl.example.jp/sign.crl）' }).click();
	await expect(page.getByTestId('crl-urls-empty')).toBeVisible();
});

test('trust anchors: a pinned fingerprint must match, a leaf certificate is refused, an added one can be removed', async ({ page }) => {
	await page.goto('/crls');
	const anchors = page.getByTestId('trust-anchors');
	await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(files['sign-ca.cer']!);
	await anchors.getByLabel('期待するフィンガープリント（SHA-256、任意）').fill('00:11:22');
	await anchors.getByRole('button', { name: '追加する' }).click();
	await expect(anchors.getByTestId('anchor-outcome')).toContainText('フィンガープリントが、入力した値と一致しません');
	await expect(anchors.getByTestId('anchor').and(page.locator('[data-source="operator"]'))).toHaveCount(0);

	await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(files['leaf.cer']!);
	await anchors.getByLabel('期待するフィンガープリント（SHA-256、任意）').fill('');
	await anchors.getByRole('button', { name: '追加する' }).click();
	await expect(anchors.getByTestId('anchor-outcome')).toContainText('認証局（CA）の証明書ではありません');

	await anchors.getByLabel('認証局の証明書ファイル（DER 形式または PEM 形式）').setInputFiles(files['sign-ca.cer']!);
	await anchors.getByLabel('期待するフィンガープリント（SHA-256、任意）').fill(SIGN_CA_FINGERPRINT.toLowerCase().replace(/(..)(?!$)/g, '$1:'));
	await anchors.getByRole('button', { name: '追加する' }).click();
	await expect(anchors.getByTestId('anchor-outcome')).toContainText('信頼する認証局に追加しました');
	const added = anchors.getByTestId('anchor').and(page.locator('[data-source="operator"]'));
	await expect(added).toHaveCount(1);
	await expectNoAxeViolations(page);

	await added.getByRole('button', { name: /^削除（/ }).click();
	await expect(anchors.locator('p[tabindex="-1"]', { hasText: 'この認証局を、信頼する認証局から削除しますか？' })).toBeFocused();
	await expectNoAxeViolations(page);
	await page.screenshot({ path: `${SHOTS}/crls-anchor-remove-ja.png`, fullPage: true });
	await anchors.getByRole('button', { name: '削除する' }).click();
	await expect(added).toHaveCount(0);
});

const SIGN_CA_FINGERPRINT = '8FA605ED9BC07717123799FE41F090B0AAA1F32AF20B865A29747E0E995045F3';
