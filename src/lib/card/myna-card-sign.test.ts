import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { createVirtualCard, TestPki } from '../emulator/card';
import { CountingChannel, emulatedChannel } from './card-test-channels';
import { emulatedSetup, sha } from './card-test-setup';
import { MynaCard } from './myna-card';

const set = TestPki.certificateSet('hanako', 'valid')!;
const message = new TextEncoder().encode('マイナンバーカードで署名するテスト文書');

async function verifiesWithWebCrypto(kind: 'auth' | 'sign', hash: string, signature: Uint8Array): Promise<boolean> {
	const { n, e } = (kind === 'auth' ? set.auth : set.sign!).privateKeyJwk;
	const key = await crypto.subtle.importKey('jwk', { kty: 'RSA', n, e }, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
	return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature.slice(), message.slice());
}

describe('MynaCard.sign', () => {
	it('signs with either key over SHA-256/384/512 DigestInfos, each signature valid for the message', async () => {
		const { myna } = emulatedSetup();
		await myna.verifyPin('auth', '1234');
		for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
			const result = await myna.sign('auth', await sha(hash, message), hash);
			expect(result).toMatchObject({ keyKind: 'auth', hashAlgorithm: hash, compatibilityOnly: false });
			expect(result.signature).toHaveLength(256);
			expect(await verifiesWithWebCrypto('auth', hash, result.signature)).toBe(true);
		}
		const signed = await myna.sign('sign', await sha('SHA-256', message), 'SHA-256', { pin: 'ABC123' });
		expect(await verifiesWithWebCrypto('sign', 'SHA-256', signed.signature)).toBe(true);
	});

	it('sends exactly 80 2A 00 80 Lc DigestInfo 00 after selecting the key EF', async () => {
		const { myna, channel } = emulatedSetup();
		const digest = await sha('SHA-256', message);
		await myna.sign('auth', digest, 'SHA-256', { pin: '1234' });
		const di = `3031300D060960864801650304020105000420${Buffer.from(digest).toString('hex').toUpperCase()}`;
		expect(channel.commands.slice(-2)).toEqual(['00A4020C020017', `802A008033${di}00`]);
	});

	it('makes SHA-1 signatures only when allowed, and marks them compatibility-only', async () => {
		const { myna, channel } = emulatedSetup();
		const digest = await sha('SHA-1', message);
		await expect(myna.sign('auth', digest, 'SHA-1', { pin: '1234' })).rejects.toMatchObject({ kind: ErrorKind.Unsupported });
		expect(channel.apdus).toBe(0);
		const result = await myna.sign('auth', digest, 'SHA-1', { pin: '1234', allowSha1: true });
		expect(result.compatibilityOnly).toBe(true);
		expect(await verifiesWithWebCrypto('auth', 'SHA-1', result.signature)).toBe(true);
	});

	it('needs the matching PIN verified in this session, and says so before sending anything', async () => {
		const { myna, channel } = emulatedSetup();
		const digest = await sha('SHA-256', message);
		await expect(myna.sign('sign', digest, 'SHA-256')).rejects.toMatchObject({ kind: ErrorKind.SecurityStatus, details: { requires: 'sign' } });
		expect(channel.apdus).toBe(0);
		await myna.verifyPin('auth', '1234');
		await expect(myna.sign('sign', digest, 'SHA-256')).rejects.toMatchObject({ kind: ErrorKind.SecurityStatus });
		// Another application in between ends the card's security state; the layer knows it.
		await myna.readBasicInfo('1234', { fields: ['sex'] });
		await expect(myna.sign('auth', digest, 'SHA-256')).rejects.toMatchObject({ kind: ErrorKind.SecurityStatus, details: { requires: 'auth' } });
	});

	it('refuses a digest whose length does not match the hash, without any APDU', async () => {
		const { myna, channel } = emulatedSetup();
		await expect(myna.sign('auth', new Uint8Array(20), 'SHA-256', { pin: '1234' })).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		expect(channel.apdus).toBe(0);
	});

	it('never returns a signature that does not verify with the certificate', async () => {
		const inner = emulatedChannel(createVirtualCard());
		const corrupting = {
			transmit: async (apdu: Uint8Array) => {
				const isSign = apdu[0] === 0x80 && apdu[1] === 0x2a;
				const response = await inner.transmit(apdu);
				if (isSign) response[10]! ^= 0x01;
				return response;
			}
		};
		const myna = new MynaCard(corrupting);
		await expect(myna.sign('auth', await sha('SHA-256', message), 'SHA-256', { pin: '1234' })).rejects.toMatchObject({
			kind: ErrorKind.SignatureInvalid
		});
	});

	it('reads the certificate for the check once per session', async () => {
		const { myna, channel } = emulatedSetup();
		await myna.verifyPin('auth', '1234');
		await myna.sign('auth', await sha('SHA-256', message), 'SHA-256');
		const reads = channel.count(0xb0);
		await myna.sign('auth', await sha('SHA-512', message), 'SHA-512');
		expect(channel.count(0xb0)).toBe(reads);
	});

	it('works through 61xx GET RESPONSE for the 256-byte signature', async () => {
		const card = createVirtualCard();
		card.faults.getResponse(true);
		const channel = new CountingChannel(emulatedChannel(card));
		const result = await new MynaCard(channel).sign('sign', await sha('SHA-256', message), 'SHA-256', { pin: 'ABC123' });
		expect(await verifiesWithWebCrypto('sign', 'SHA-256', result.signature)).toBe(true);
		expect(channel.count(0xc0)).toBeGreaterThan(0);
	});

	it('reports a child card has no signing key before anything is signed', async () => {
		await expect(emulatedSetup({ variant: 'child' }).myna.sign('sign', await sha('SHA-256', message), 'SHA-256', { pin: 'ABC123' })).rejects.toMatchObject({
			kind: ErrorKind.FileNotFound
		});
	});
});
