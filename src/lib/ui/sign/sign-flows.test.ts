import { X509Certificate, webcrypto } from 'node:crypto';
import type { Remote } from 'comlink';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { CardService } from '$lib/card/card-service';
import { emulatedChannel } from '$lib/card/card-test-channels';
import type { CardWorkerApi } from '$lib/card/worker-api';
import { createVirtualCard, TEST_PERSONAS, TestPki, type VirtualCardOptions } from '$lib/emulator/card';
import { createPkiService } from '$lib/pki/pki-service';
import type { PkiWorkerApi } from '$lib/pki/worker-api';
import { ChallengeSigning, FileSigning, SignatureCheck } from '$lib/state/sign.svelte';
import { embeddedCertificates } from './p7s-certificates';

/**
 * The sign page's state classes end to end in Node: the real card layer over the virtual card (in place of the
 * card worker), the real PKI service (in place of the PKI worker), the page-side CMS builder.
 */
function setup(card: VirtualCardOptions = {}) {
	const service = new CardService();
	const virtual = createVirtualCard(card);
	service.attach(emulatedChannel(virtual));
	const cardApi = {
		call: (_key: string, operation: string, ...args: unknown[]) => (service as unknown as Record<string, (...a: unknown[]) => unknown>)[operation]!.apply(service, args)
	} as unknown as Remote<CardWorkerApi>;
	const pki = createPkiService({ indexedDB: new IDBFactory() });
	const pkiApi = pki as unknown as Remote<PkiWorkerApi>;
	let readerKey: string | undefined = 'reader-1';
	const deps = { card: cardApi, pki: pkiApi, readerKey: () => readerKey };
	return {
		virtual,
		pki,
		signing: new FileSigning(deps),
		challenge: new ChallengeSigning(deps),
		check: new SignatureCheck({ pki: pkiApi, embeddedCertificates }),
		removeCard: () => (readerKey = undefined)
	};
}

async function trustTestSignCa(pki: ReturnType<typeof createPkiService>) {
	const ca = TestPki.certificateAuthority('sign');
	expect(await pki.addAnchor(ca.certificate, { label: 'JPKI TEST sign CA' })).toMatchObject({ ok: true });
	expect(await pki.importCrlFile(ca.crls.current.der)).toMatchObject({ ok: true });
}

const content = new TextEncoder().encode('署名するファイル\n');

describe('FileSigning', () => {
	it('signs a file: digest on the page, password, certificate, card signature, a .p7s that verifies', async () => {
		const { signing, check, pki } = setup();
		await signing.loadPinStatus();
		expect(signing.pinStatus).toMatchObject({ state: 'ready', triesLeft: 5, maxTries: 5 });
		await signing.choose(new File([content], '申請書.txt'));
		expect(Buffer.from(signing.digest!).toString('hex')).toBe(Buffer.from(await webcrypto.subtle.digest('SHA-256', content)).toString('hex'));

		await signing.sign('abc123');
		expect(signing.error).toBeUndefined();
		expect(signing.pinError).toBeUndefined();
		expect(signing.result).toMatchObject({ fileName: '申請書.txt.p7s', signer: { kind: 'jpki-sign' } });
		const p7s = new Uint8Array(await (await fetch(signing.result!.url)).arrayBuffer());
		expect(embeddedCertificates(p7s)).toHaveLength(2);

		check.setSignatureFile(new File([p7s], '申請書.txt.p7s'));
		check.setContentFile(new File([content], '申請書.txt'));
		await check.verify();
		expect(check.result).toMatchObject({ status: 'untrusted', signature: { valid: true } });

		await trustTestSignCa(pki);
		await check.verify();
		expect(check.result).toMatchObject({ status: 'valid', signature: { valid: true, signingCertificateV2: 'matches' }, signer: { hasBasicInfo: true } });
		expect(check.signerName).toBeUndefined();
		await check.revealSignerName();
		expect(check.signerName).toBe(TEST_PERSONAS.hanako.name);

		check.setContentFile(new File([new TextEncoder().encode('別のファイル')], 'other.txt'));
		await check.verify();
		expect(check.result).toMatchObject({ status: 'content-mismatch' });
		expect(check.signerName).toBeUndefined();
	});

	it('a wrong password shows the tries left; the last try needs the confirmation', async () => {
		const { signing } = setup({ triesLeft: { sign: 2 } });
		await signing.loadPinStatus();
		await signing.choose(new File([content], 'a.txt'));
		await signing.sign('WRONG1');
		expect(signing.pinError).toMatchObject({ kind: 'pin-wrong', details: { triesLeft: 1 } });
		expect(signing.pinStatus).toMatchObject({ triesLeft: 1, lastTry: true });
		expect(JSON.stringify(signing.pinError)).not.toContain('WRONG1');

		await signing.sign('ABC123');
		expect(signing.pinError).toMatchObject({ kind: 'pin-last-try' });
		expect(signing.result).toBeUndefined();

		await signing.sign('ABC123', { confirmLastTry: true });
		expect(signing.pinError).toBeUndefined();
		expect(signing.result).toBeDefined();
		expect(signing.pinStatus).toMatchObject({ triesLeft: 5, lastTry: false });
	});

	it('a locked password is refused before anything is sent, with the recovery route', async () => {
		const { signing } = setup({ triesLeft: { sign: 0 } });
		await signing.loadPinStatus();
		expect(signing.pinStatus).toMatchObject({ state: 'blocked', recovery: { places: ['convenience-store', 'municipal-office'] } });
	});

	it('the card removed: the result and the counter are wiped', async () => {
		const { signing, removeCard } = setup();
		await signing.loadPinStatus();
		await signing.choose(new File([content], 'a.txt'));
		await signing.sign('ABC123');
		expect(signing.result).toBeDefined();
		removeCard();
		signing.cardChanged(false);
		expect(signing.result).toBeUndefined();
		expect(signing.pinStatus).toBeUndefined();
		await signing.sign('ABC123');
		expect(signing.error).toMatchObject({ kind: 'card-absent' });
	});

	it('cancelling the read forgets the file', async () => {
		const { signing } = setup();
		const chosen = signing.choose(new File([new Uint8Array(4 * 1024 * 1024)], 'big.bin'));
		signing.cancelReading();
		await chosen;
		expect(signing.file).toBeUndefined();
		expect(signing.digest).toBeUndefined();
	});
});

describe('ChallengeSigning', () => {
	it('signs the challenge with the auth key: RSASSA-PKCS1-v1_5 / SHA-256 that verifies with the auth certificate', async () => {
		const { challenge } = setup();
		await challenge.loadPinStatus();
		expect(challenge.pinStatus).toMatchObject({ triesLeft: 3 });
		const bytes = new TextEncoder().encode('nonce-1234');
		await challenge.sign(bytes, '1234');
		expect(challenge.error).toBeUndefined();
		const result = challenge.result!;
		expect(result.signature).toHaveLength(256);
		const spki = new X509Certificate(result.certificate).publicKey.export({ type: 'spki', format: 'der' });
		const key = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
		expect(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, result.signature, bytes)).toBe(true);
		expect(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, result.signature, new TextEncoder().encode('nonce-1235'))).toBe(false);
	});

	it('a wrong PIN says how many tries are left', async () => {
		const { challenge } = setup();
		await challenge.sign(Uint8Array.of(1), '9999');
		expect(challenge.pinError).toMatchObject({ kind: 'pin-wrong', details: { triesLeft: 2 } });
		expect(challenge.result).toBeUndefined();
	});
});

describe('the card taken away during an operation', () => {
	it('ends with card-removed and drops the late answer', async () => {
		const { signing, virtual, removeCard } = setup();
		await signing.loadPinStatus();
		await signing.choose(new File([content], 'a.txt'));
		virtual.faults.delayNext(30, 3);
		const running = signing.sign('ABC123');
		removeCard();
		signing.cardChanged(false);
		await running;
		expect(signing.error).toMatchObject({ kind: 'card-removed' });
		expect(signing.result).toBeUndefined();
		expect(signing.busy).toBe(false);
	});
});

describe('cancel', () => {
	it('a running card step is cancelled by its operation id and ends as aborted, without a result', async () => {
		const { challenge, virtual } = setup();
		await challenge.loadPinStatus();
		virtual.faults.delayNext(40, 6);
		const running = challenge.sign(Uint8Array.of(1, 2, 3), '1234');
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(challenge.busy).toBe(true);
		challenge.cancel();
		await running;
		expect(challenge.error).toMatchObject({ kind: 'aborted' });
		expect(challenge.result).toBeUndefined();
		expect(challenge.busy).toBe(false);
	});
});
