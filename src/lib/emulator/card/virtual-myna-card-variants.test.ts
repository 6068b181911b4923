import { describe, expect, it } from 'vitest';
import { fromHex } from '../../bytes';
import { pinStatus, readBinaryApdu, readWholeEf, selectAid, selectEf, send, verify } from './card-test-helpers';
import { JpkiApFile, TextApFile } from './card-file-system';
import { createVirtualCard } from './index';
import { TestPki } from './test-pki';
import { TEST_PERSONAS, myNumberCheckDigit, type MynaPersona } from './test-personas';
import { VirtualMynaCard } from './virtual-myna-card';

const OK = 0x9000;

async function tokenLabel(card: VirtualMynaCard): Promise<string> {
	await selectAid(card, 'jpki');
	await selectEf(card, JpkiApFile.tokenInfo);
	return new TextDecoder().decode((await send(card, readBinaryApdu(0, 32))).data).trimEnd();
}

describe('VirtualMynaCard — variants', () => {
	it("'myna' (default): JPKIAPICCTOKEN2, every application", async () => {
		const card = createVirtualCard();
		expect(card).toBeInstanceOf(VirtualMynaCard);
		expect(card.profile.variant).toBe('myna');
		expect(await tokenLabel(card)).toBe('JPKIAPICCTOKEN2');
		for (const app of ['text', 'visual', 'juki'] as const) expect(await selectAid(card, app)).toBe(OK);
	});

	it("'juki': JPKIAPICCTOKEN, JPKI-AP only", async () => {
		const card = createVirtualCard({ variant: 'juki' });
		expect(await tokenLabel(card)).toBe('JPKIAPICCTOKEN');
		expect(await selectAid(card, 'text')).toBe(0x6a82);
		expect(await selectAid(card, 'visual')).toBe(0x6a82);
	});

	it("'phone': JPKIAPGPSETOKEN, and the auth certificate needs the auth PIN", async () => {
		const card = createVirtualCard({ variant: 'phone' });
		expect(await tokenLabel(card)).toBe('JPKIAPGPSETOKEN');
		await selectEf(card, JpkiApFile.authCertificate);
		expect((await send(card, readBinaryApdu(0, 7))).sw).toBe(0x6982);
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		await selectEf(card, JpkiApFile.authCertificate);
		expect(await readWholeEf(card)).toEqual(card.profile.certificateSet.auth.certificate);
		await selectEf(card, JpkiApFile.authCaCertificate);
		expect((await send(card, readBinaryApdu(0, 7))).sw).toBe(OK);
		expect(await selectAid(card, 'text')).toBe(0x6a82);
	});

	it("'child': no signing certificate, key or password (6A82), EF 0008 = 00 8F 00, the rest works", async () => {
		const card = createVirtualCard({ variant: 'child' });
		expect(card.profile.persona.id).toBe('sakura');
		expect(card.profile.hasSignCredential).toBe(false);
		await selectAid(card, 'jpki');
		for (const fid of [JpkiApFile.signCertificate, JpkiApFile.signKey, JpkiApFile.signPin]) expect(await selectEf(card, fid)).toBe(0x6a82);
		expect(await selectEf(card, JpkiApFile.signCaCertificate)).toBe(OK);
		await selectEf(card, JpkiApFile.certificatePresence);
		expect((await send(card, readBinaryApdu(0, 3))).data).toEqual(fromHex('008F00'));
		await selectEf(card, JpkiApFile.authCertificate);
		expect(await readWholeEf(card)).toEqual(TestPki.certificateSet('sakura', 'valid')!.auth.certificate);
		expect(await selectAid(card, 'text')).toBe(OK);
	});

	it('rejects an unknown variant', () => {
		expect(() => new VirtualMynaCard({ variant: 'ipone' as never })).toThrow(RangeError);
	});
});

describe('VirtualMynaCard — certificate sets', () => {
	it.each(['valid', 'expired', 'revoked', 'not-yet-valid', 'lost'] as const)("'%s' puts that set's certificates on the card", async (set) => {
		const card = createVirtualCard({ certificates: set });
		const expected = TestPki.certificateSet('hanako', set)!;
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.signPin);
		await verify(card, 'ABC123');
		await selectEf(card, JpkiApFile.signCertificate);
		expect(await readWholeEf(card)).toEqual(expected.sign!.certificate);
		await selectEf(card, JpkiApFile.authCertificate);
		expect(await readWholeEf(card)).toEqual(expected.auth.certificate);
	});

	it('uses the persona’s own certificates (taro) and refuses a combination the fixtures lack', () => {
		expect(createVirtualCard({ persona: 'taro' }).profile.certificateSet.sign!.serial).toBe('10000201');
		expect(() => createVirtualCard({ persona: 'taro', certificates: 'expired' })).toThrow(/taro\/expired/);
		expect(() => createVirtualCard({ persona: 'nobody' as never })).toThrow(RangeError);
	});
});

describe('VirtualMynaCard — options', () => {
	it('takes a custom persona for the text AP (certificates fall back to hanako’s)', async () => {
		const myNumber = '24681357901' + myNumberCheckDigit('24681357901');
		const persona: MynaPersona = { ...TEST_PERSONAS.hanako, id: 'custom', name: '試験　一郎', sex: '1', myNumber };
		const card = createVirtualCard({ persona });
		expect(card.profile.certificateSet.persona).toBe('hanako');
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.pin);
		await verify(card, '1234');
		await selectEf(card, TextApFile.myNumber);
		expect(new TextDecoder().decode((await send(card, readBinaryApdu(3, 12))).data)).toBe(myNumber);
	});

	it('validates the persona, the PINs and the tries left without echoing a PIN', () => {
		expect(() => createVirtualCard({ persona: { ...TEST_PERSONAS.hanako, myNumber: '123456789012' } })).toThrow(/check digit/);
		expect(() => createVirtualCard({ pins: { auth: '12345' } })).toThrow(TypeError);
		let message = '';
		try {
			createVirtualCard({ pins: { sign: 'secret' } });
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/format/);
		expect(message).not.toContain('secret');
		expect(() => createVirtualCard({ triesLeft: { auth: 4 } })).toThrow(RangeError);
		expect(() => createVirtualCard({ triesLeft: { sign: -1 } })).toThrow(RangeError);
	});

	it('sets the PINs given', async () => {
		const card = createVirtualCard({ pins: { auth: '9876', sign: 'MYPASSWORD1' } });
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.authPin);
		expect(await verify(card, '9876')).toBe(OK);
		await selectEf(card, JpkiApFile.signPin);
		expect(await verify(card, 'MYPASSWORD1')).toBe(OK);
	});

	it('answers with the classic ATR by default, the newer one or explicit bytes on request', () => {
		expect(createVirtualCard().atr).toEqual(fromHex('3BE000FF8131FE4514'));
		expect(createVirtualCard({ atr: 'newer' }).atr).toEqual(fromHex('3BDA13FF8131FB468012392F31C173C601C03B'));
		expect(createVirtualCard({ atr: fromHex('3B00') }).atr).toEqual(fromHex('3B00'));
		const card = createVirtualCard();
		card.atr.fill(0);
		expect(card.atr[0]).toBe(0x3b);
	});

	it("securityOnReselect 'reset' (default) forgets PINs on re-SELECT of the same AP; 'keep' does not", async () => {
		for (const [mode, expected] of [
			['reset', false],
			['keep', true]
		] as const) {
			const card = createVirtualCard({ securityOnReselect: mode });
			await selectAid(card, 'jpki');
			await selectEf(card, JpkiApFile.authPin);
			await verify(card, '1234');
			await selectAid(card, 'jpki');
			expect(card.isVerified('auth')).toBe(expected);
		}
	});

	it('setTriesLeft builds a last-try or blocked PIN on a live card', async () => {
		const card = createVirtualCard();
		card.setTriesLeft('sign', 1);
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.signPin);
		expect(await pinStatus(card)).toBe(0x63c1);
		expect(await verify(card, 'WRONG0')).toBe(0x63c0);
		expect(await verify(card, 'ABC123')).toBe(0x6984);
	});
});

describe('VirtualMynaCard — reset', () => {
	it('forgets the selection and verified PINs, keeps the counters', async () => {
		const card = createVirtualCard();
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '0000');
		await selectEf(card, JpkiApFile.signPin);
		await verify(card, 'ABC123');
		card.reset();
		expect(card.selectedApplication).toBeNull();
		expect(card.isVerified('sign')).toBe(false);
		expect(card.triesLeft('auth')).toBe(2);
		expect((await send(card, readBinaryApdu(0, 1))).sw).toBe(0x6986);
		expect(await selectEf(card, JpkiApFile.signCertificate)).toBe(0x6a82);
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.signCertificate);
		expect((await send(card, readBinaryApdu(0, 7))).sw).toBe(0x6982);
		await selectEf(card, JpkiApFile.authPin);
		expect(await pinStatus(card)).toBe(0x63c2);
	});
});
