import { webcrypto, X509Certificate } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { expect, test, type LabHandle } from './fixtures/lab';

/**
 * Issue 5's done-when on the Sony readers a normal https page can use: with the emulated RC-S300 and RC-S380,
 * the token info and the authentication certificate are read end to end (home page), then the authentication key
 * signs a challenge after VERIFY (the sign page's challenge UI). The 256-byte signature comes back in chained
 * ISO-DEP blocks, here behind a storm of S(WTX) requests, and is checked with WebCrypto against the certificate.
 * Fault: the card leaves the field between two blocks of that answer; a clear error, and a retry after re-insertion.
 */

/** INS of PERFORM SECURITY OPERATION (COMPUTE DIGITAL SIGNATURE). */
const PSO = 0x2a;
const CHALLENGE = 'sony-reader-challenge-0001';
const WTX_COUNT = 5;

const MODELS = [
	{ model: 'rcs300', name: 'Sony PaSoRi RC-S300/S' },
	{ model: 'rcs380', name: 'Sony PaSoRi RC-S380/S' }
] as const;

async function signChallenge(page: Page, pin = '1234') {
	const challenge = page.getByTestId('challenge');
	await challenge.getByLabel(/^(チャレンジ|Challenge)$/).fill(CHALLENGE);
	await challenge.getByTestId('challenge-pin').fill(pin);
	await challenge.getByTestId('challenge-submit').click();
}

async function expectVerifiedAnswer(page: Page) {
	const result = page.getByTestId('challenge-result');
	await expect(result).toBeFocused({ timeout: 30_000 });
	const signature = Buffer.from(await result.getByTestId('challenge-signature').inputValue(), 'base64');
	expect(signature).toHaveLength(256);
	const spki = new X509Certificate(await result.getByTestId('challenge-certificate').inputValue()).publicKey.export({ type: 'spki', format: 'der' });
	const key = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
	expect(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, Buffer.from(CHALLENGE))).toBe(true);
}

/** Takes the card away and puts it back (a fresh card session), then waits for the page to read its counter. */
async function reinsert(page: Page, lab: LabHandle, readerId: string, cardId: string) {
	await lab.removeCard(readerId);
	await expect(page.getByTestId('challenge').getByTestId('need-card')).toBeVisible({ timeout: 15_000 });
	await lab.reinsertCard(readerId, cardId);
	await expect(page.getByTestId('challenge').getByTestId('pin-tries')).toHaveText(/残り3回|3 tries left/, { timeout: 20_000 });
}

/** The reader plugged in, already granted to this page (a normal https page, no Isolated Web App), then the card. */
async function connectReader(page: Page, lab: LabHandle, model: (typeof MODELS)[number]['model']) {
	await page.goto('/');
	const readerId = await lab.addReader(model, { granted: true });
	const cardId = await lab.insertCard(readerId, {});
	return { readerId, cardId };
}

async function openSignPage(page: Page) {
	await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '署名と検証' }).click();
	await expect(page.getByTestId('challenge').getByTestId('pin-tries')).toHaveText(/残り3回/, { timeout: 20_000 });
}

for (const { model, name } of MODELS) {
	test(`${name}: token info and auth certificate, then the auth key signs a challenge through S(WTX) and chained blocks`, async ({ page, lab }) => {
		const { readerId, cardId } = await connectReader(page, lab, model);
		const reader = page.getByTestId('reader');
		await expect(reader.getByRole('heading', { level: 3 })).toHaveText(name);
		await expect(reader).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
		// Token info: the JPKI-AP's token label says My Number Card; the auth certificate is read and parsed.
		await expect(reader.getByTestId('card-kind')).toHaveAttribute('data-kind', 'my-number-card');
		await expect(reader.getByTestId('card-kind')).toHaveText('マイナンバーカード');
		await expect(reader.getByTestId('auth-serial')).toHaveText('20000101');
		await openSignPage(page);

		// The card asks for more time (S(WTX), WTXM 2) several times before it gives the signature.
		await lab.injectReaderFaultOnCommand(readerId, cardId, PSO, { type: 'wtx-storm', count: WTX_COUNT, wtxm: 2 });
		await signChallenge(page);
		await expectVerifiedAnswer(page);
		const air = await lab.readerCounters(readerId);
		// Each S(WTX) request was answered with an S(WTX) response, then the 258 bytes came in chained I-blocks.
		expect(air.wtxResponses).toBe(WTX_COUNT);
		expect(air.chainedBlocks).toBeGreaterThanOrEqual(1);
		await expectNoAxeViolations(page);

		// Once more without the storm, from a fresh card session: the plain path works as well.
		await reinsert(page, lab, readerId, cardId);
		await signChallenge(page);
		await expectVerifiedAnswer(page);
		expect((await lab.readerCounters(readerId)).wtxResponses).toBe(WTX_COUNT);

		await page.getByRole('button', { name: '表示言語' }).click();
		await expect(page.getByTestId('challenge-result').getByRole('heading')).toHaveText('The answer (signature) is ready');
		await expectNoAxeViolations(page);
	});

	test(`${name}: the card taken away between two blocks of the signature gives a clear error; after re-insertion the retry works`, async ({ page, lab }) => {
		const { readerId, cardId } = await connectReader(page, lab, model);
		await expect(page.getByTestId('reader')).toHaveAttribute('data-card', 'ready', { timeout: 20_000 });
		await openSignPage(page);
		const challenge = page.getByTestId('challenge');

		// Armed when the card receives the signature command: the card leaves the field right after its first
		// answer block, so the host's R(ACK) for the next block meets an empty field.
		await lab.injectReaderFaultOnCommand(readerId, cardId, PSO, { type: 'remove-card', afterExchanges: 1 });
		await signChallenge(page);
		const error = challenge.getByTestId('challenge-error');
		await expect(error).toBeVisible({ timeout: 30_000 });
		await expect(error).toHaveAttribute('data-error-kind', 'card-removed');
		await expect(error).toHaveText('読み取り中にカードが離れました。カードを置き直して、もう一度お試しください。');
		await expect(challenge.getByTestId('challenge-result')).toHaveCount(0);
		await expect(challenge.getByTestId('need-card')).toBeVisible({ timeout: 15_000 });
		await expectNoAxeViolations(page);

		await lab.reinsertCard(readerId, cardId);
		// The PIN was right: the counter is full again, nothing was spent by the interrupted attempt's failure.
		await expect(challenge.getByTestId('pin-tries')).toHaveText(/残り3回/, { timeout: 20_000 });
		await expect(error).toHaveCount(0);
		await signChallenge(page);
		await expectVerifiedAnswer(page);

		await page.getByRole('button', { name: '表示言語' }).click();
		await expect(challenge.getByTestId('pin-tries')).toHaveText(/3 tries left/);
		await expectNoAxeViolations(page);
	});
}
