import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes, fromHex } from '../../bytes';
import {
	changeApdu,
	pinStatus,
	readBinaryApdu,
	readWholeEf,
	selectAid,
	selectEf,
	send,
	sha256DigestInfo,
	signApdu,
	verify
} from './card-test-helpers';
import { JpkiApFile } from './card-file-system';
import { TestPki } from './test-pki';
import { VirtualMynaCard } from './virtual-myna-card';

const OK = 0x9000;

async function jpkiCard(options: ConstructorParameters<typeof VirtualMynaCard>[0] = {}): Promise<VirtualMynaCard> {
	const card = new VirtualMynaCard(options);
	expect(await selectAid(card, 'jpki')).toBe(OK);
	return card;
}

describe('VirtualMynaCard — SELECT', () => {
	it('selects the JPKI-AP by AID with 00 A4 04 0C and an EF with 00 A4 02 0C', async () => {
		const card = new VirtualMynaCard();
		expect((await send(card, '00A4040C0AD392F000260100000001')).sw).toBe(OK);
		expect(card.selectedApplication).toBe('jpki');
		const reply = await send(card, '00A4020C020006');
		expect(reply).toEqual({ data: new Uint8Array(0), sw: OK });
	});

	it('answers 6A82 for an unknown AID or EF and keeps the previous selection', async () => {
		const card = await jpkiCard();
		expect((await send(card, '00A4040C0AD392F000260100000099')).sw).toBe(0x6a82);
		expect(card.selectedApplication).toBe('jpki');
		expect((await send(card, '00A4040C05D392F00026')).sw).toBe(0x6a82); // no partial-AID match
		expect(await selectEf(card, 0x0006)).toBe(OK);
		expect(await selectEf(card, 0x0099)).toBe(0x6a82);
		expect((await send(card, '00B0000004')).data).toEqual(asciiBytes('JPKI')); // 0006 is still current
	});

	it('answers 6A82 for the common AP', async () => {
		expect((await send(new VirtualMynaCard(), '00A4040C0AD3921000310001010100')).sw).toBe(0x6a82);
	});

	it('finds EFs only within the selected application', async () => {
		const card = new VirtualMynaCard();
		expect(await selectEf(card, 0x0006)).toBe(0x6a82); // nothing selected
		expect(await selectAid(card, 'text')).toBe(OK);
		expect(await selectEf(card, JpkiApFile.authCaCertificate)).toBe(0x6a82); // a JPKI EF, not in the text AP
	});

	it('answers 6A86 for a P2 other than 0C and for unknown P1', async () => {
		const card = new VirtualMynaCard();
		expect((await send(card, '00A404000AD392F000260100000001')).sw).toBe(0x6a86);
		expect((await send(card, '00A404040AD392F000260100000001')).sw).toBe(0x6a86);
		expect((await send(card, '00A4020002000A')).sw).toBe(0x6a86);
		expect((await send(card, '00A4080C02000A')).sw).toBe(0x6a86);
	});

	it('answers 6700 for a SELECT without data or with a FID that is not 2 bytes; tolerates an Le', async () => {
		const card = await jpkiCard();
		expect((await send(card, '00A4040C')).sw).toBe(0x6700);
		expect((await send(card, '00A4020C0100')).sw).toBe(0x6700);
		expect((await send(card, '00A4020C0200060000')).sw).toBe(0x6700); // malformed (one byte too many)
		expect((await send(card, '00A4020C02000600')).sw).toBe(OK); // case 4: Le ignored
	});

	it('selects the MF with P1 00 and then has no application', async () => {
		const card = await jpkiCard();
		expect((await send(card, '00A4000C023F00')).sw).toBe(OK);
		expect(card.selectedApplication).toBeNull();
		expect((await send(card, '00A4000C021234')).sw).toBe(0x6a82);
	});
});

describe('VirtualMynaCard — READ BINARY', () => {
	it('reads the 160-byte token info with label JPKIAPICCTOKEN2 padded with spaces', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.tokenInfo);
		const whole = await readWholeEf(card);
		expect(whole).toHaveLength(160);
		expect(new TextDecoder().decode(whole.subarray(0, 32))).toBe('JPKIAPICCTOKEN2'.padEnd(32, ' '));
	});

	it('returns what is left with 9000 when Le asks for more, and 6B00 at or past the end', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.tokenInfo);
		const tail = await send(card, readBinaryApdu(150, 0x20));
		expect(tail.sw).toBe(OK);
		expect(tail.data).toHaveLength(10);
		expect((await send(card, readBinaryApdu(160, 1))).sw).toBe(0x6b00);
		expect((await send(card, readBinaryApdu(0x7fff, 1))).sw).toBe(0x6b00);
	});

	it('uses Le = 00 as 256 and a 15-bit offset in P1‖P2', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authCaCertificate);
		const expected = TestPki.certificateAuthority('auth').certificate;
		const first = await send(card, readBinaryApdu(0, 0));
		expect(first.data).toEqual(expected.subarray(0, 256));
		const at300 = await send(card, readBinaryApdu(0x012c, 16));
		expect(at300.data).toEqual(expected.subarray(0x12c, 0x12c + 16));
	});

	it('reads certificates the way myna does: 7 bytes, then the rest from offset 7', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authCertificate);
		const head = await send(card, readBinaryApdu(0, 7));
		expect([...head.data.subarray(0, 2)]).toEqual([0x30, 0x82]);
		const total = ((head.data[2]! << 8) | head.data[3]!) + 4;
		const parts = [head.data];
		let offset = 7;
		while (offset < total) {
			const le = Math.min(256, total - offset);
			const reply = await send(card, readBinaryApdu(offset, le === 256 ? 0 : le));
			expect(reply.sw).toBe(OK);
			parts.push(reply.data);
			offset += reply.data.length;
		}
		expect(concatBytes(...parts)).toEqual(card.profile.certificateSet.auth.certificate);
	});

	it('reads the free EFs 0002, 000A, 000B and 0008 (8F 8F 00)', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.signCaCertificate);
		expect(await readWholeEf(card)).toEqual(TestPki.certificateAuthority('sign').certificate);
		await selectEf(card, JpkiApFile.authCertificate);
		expect(await readWholeEf(card)).toEqual(card.profile.certificateSet.auth.certificate);
		await selectEf(card, JpkiApFile.authCaCertificate);
		expect(await readWholeEf(card)).toEqual(TestPki.certificateAuthority('auth').certificate);
		await selectEf(card, JpkiApFile.certificatePresence);
		expect(await send(card, '00B0000000')).toEqual({ data: fromHex('8F8F00'), sw: OK });
	});

	it('answers 6986 with no current EF, 6981 for PIN and key EFs, 6700 without Le', async () => {
		const card = await jpkiCard();
		expect((await send(card, '00B0000010')).sw).toBe(0x6986);
		await selectEf(card, JpkiApFile.authPin);
		expect((await send(card, '00B0000010')).sw).toBe(0x6981);
		await selectEf(card, JpkiApFile.signKey);
		expect((await send(card, '00B0000010')).sw).toBe(0x6981);
		await selectEf(card, JpkiApFile.tokenInfo);
		expect((await send(card, '00B00000')).sw).toBe(0x6700);
		expect((await send(card, '00B000000100')).sw).toBe(0x6700);
	});

	it('reads by short EF identifier (P1 = 100xxxxx, offset in P2) and makes that EF current', async () => {
		const card = await jpkiCard();
		const reply = await send(card, '00B0860004');
		expect(reply).toEqual({ data: asciiBytes('JPKI'), sw: OK });
		expect((await send(card, '00B0000104')).data).toEqual(asciiBytes('PKIA'));
		expect((await send(card, '00B09F0004')).sw).toBe(0x6a82);
		expect((await send(card, '00B0C60004')).sw).toBe(0x6a86);
		expect((await send(card, '00B0810004')).sw).toBe(0x6982); // SFI 1 = sign certificate, password not verified
	});

	it('accepts an extended Le only with the extendedLength option', async () => {
		const short = await jpkiCard();
		await selectEf(short, JpkiApFile.authCertificate);
		expect((await send(short, '00B00000000000')).sw).toBe(0x6700);

		const extended = await jpkiCard({ extendedLength: true });
		await selectEf(extended, JpkiApFile.authCertificate);
		const reply = await send(extended, '00B00000000000');
		expect(reply.sw).toBe(OK);
		expect(reply.data).toEqual(extended.profile.certificateSet.auth.certificate);
		const partial = await send(extended, '00B00000000200');
		expect(partial.data).toHaveLength(512);
	});
});

describe('VirtualMynaCard — the signing certificate needs the sign password', () => {
	it('answers 6982 before VERIFY of 001B and the certificate after it', async () => {
		const card = await jpkiCard();
		expect(await selectEf(card, JpkiApFile.signCertificate)).toBe(OK);
		expect((await send(card, '00B0000007')).sw).toBe(0x6982);

		expect(await selectEf(card, JpkiApFile.authPin)).toBe(OK);
		expect(await verify(card, '1234')).toBe(OK);
		expect(await selectEf(card, JpkiApFile.signCertificate)).toBe(OK);
		expect((await send(card, '00B0000007')).sw).toBe(0x6982); // the auth PIN does not open it

		expect(await selectEf(card, JpkiApFile.signPin)).toBe(OK);
		expect(await verify(card, 'ABC123')).toBe(OK);
		expect(await selectEf(card, JpkiApFile.signCertificate)).toBe(OK);
		expect(await readWholeEf(card)).toEqual(card.profile.certificateSet.sign!.certificate);
	});
});

describe('VirtualMynaCard — VERIFY', () => {
	it('case 1 returns 63Cx with the tries left and spends nothing', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		expect(await pinStatus(card)).toBe(0x63c3);
		expect(await pinStatus(card)).toBe(0x63c3);
		await selectEf(card, JpkiApFile.signPin);
		expect(await pinStatus(card)).toBe(0x63c5);
		expect(card.triesLeft('auth')).toBe(3);
		expect(card.triesLeft('sign')).toBe(5);
	});

	it('a wrong PIN spends exactly one try per VERIFY, down to 63C0, then 6984 without changing anything', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		expect(await verify(card, '0000')).toBe(0x63c2);
		expect(card.triesLeft('auth')).toBe(2);
		expect(await pinStatus(card)).toBe(0x63c2);
		expect(await verify(card, '0000')).toBe(0x63c1);
		expect(await verify(card, '0000')).toBe(0x63c0);
		expect(card.triesLeft('auth')).toBe(0);
		expect(await verify(card, '1234')).toBe(0x6984); // even the right PIN
		expect(await verify(card, '0000')).toBe(0x6984);
		expect(card.triesLeft('auth')).toBe(0);
		expect(card.isVerified('auth')).toBe(false);
		expect(await pinStatus(card)).toBe(0x63c0);
	});

	it('the right PIN resets the counter to its maximum', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.signPin);
		expect(await verify(card, 'WRONG1')).toBe(0x63c4);
		expect(await verify(card, 'abc123')).toBe(0x63c3); // the card stores upper case; lower case is just wrong
		expect(await verify(card, 'ABC123')).toBe(OK);
		expect(card.triesLeft('sign')).toBe(5);
		expect(await pinStatus(card)).toBe(OK);
	});

	it('empty VERIFY on a verified PIN answers 9000 by default, or 63Cx with verifiedEmptyVerify', async () => {
		const card = await jpkiCard({ verifiedEmptyVerify: '63Cx' });
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		expect(await pinStatus(card)).toBe(0x63c3);
		expect(card.isVerified('auth')).toBe(true);
	});

	it('a wrong PIN after a right one drops the verified state', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.signPin);
		await verify(card, 'ABC123');
		expect(await verify(card, 'ABC124')).toBe(0x63c4);
		expect(card.isVerified('sign')).toBe(false);
		await selectEf(card, JpkiApFile.signCertificate);
		expect((await send(card, '00B0000007')).sw).toBe(0x6982);
	});

	it('counts the auth PIN and the sign password separately', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '9999');
		await selectEf(card, JpkiApFile.signPin);
		await verify(card, 'NOPE99');
		expect(card.triesLeft('auth')).toBe(2);
		expect(card.triesLeft('sign')).toBe(4);
		expect(card.triesLeft('text')).toBe(3);
	});

	it('rejects 00 20 00 80 00 (case 2) and case 4 with 6700, spending nothing', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		expect((await send(card, '0020008000')).sw).toBe(0x6700);
		expect((await send(card, '002000800431323334' + '00')).sw).toBe(0x6700);
		expect(card.triesLeft('auth')).toBe(3);
		expect(card.isVerified('auth')).toBe(false);
	});

	it('answers 6A88 with no PIN EF selected and 6A86 for other P1/P2', async () => {
		const card = await jpkiCard();
		expect(await pinStatus(card)).toBe(0x6a88);
		await selectEf(card, JpkiApFile.tokenInfo);
		expect(await verify(card, '1234')).toBe(0x6a88);
		await selectEf(card, JpkiApFile.authPin);
		expect((await send(card, '0020008104' + '31323334')).sw).toBe(0x6a86);
		expect((await send(card, '0020010004' + '31323334')).sw).toBe(0x6a86);
		expect(card.triesLeft('auth')).toBe(3);
	});

	it('starts from the configured tries left (a last-try card, a blocked card)', async () => {
		const card = await jpkiCard({ triesLeft: { auth: 1, sign: 0 } });
		await selectEf(card, JpkiApFile.authPin);
		expect(await pinStatus(card)).toBe(0x63c1);
		await selectEf(card, JpkiApFile.signPin);
		expect(await pinStatus(card)).toBe(0x63c0);
		expect(await verify(card, 'ABC123')).toBe(0x6984);
	});

	it('zeroes its copy of the PIN but never the caller’s buffer', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		const apdu = fromHex('002000800431323334');
		await card.transmit(apdu);
		expect(apdu).toEqual(fromHex('002000800431323334'));
	});
});

describe('VirtualMynaCard — CHANGE REFERENCE DATA', () => {
	it('needs a VERIFY in this session (6982), then changes the PIN', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		expect((await send(card, changeApdu('5678'))).sw).toBe(0x6982);
		expect(await verify(card, '1234')).toBe(OK);
		expect((await send(card, changeApdu('5678'))).sw).toBe(OK);
		expect(card.isVerified('auth')).toBe(true);
		card.reset();
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.authPin);
		expect(await verify(card, '1234')).toBe(0x63c2);
		expect(await verify(card, '5678')).toBe(OK);
	});

	it('checks the new value like the card: 4 digits for the auth PIN, 6–16 of A–Z 0–9 for the sign password (6A80)', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		for (const bad of ['123', '12345', '12a4', '12 4']) expect((await send(card, changeApdu(bad))).sw).toBe(0x6a80);
		expect((await send(card, '0024018004EFBC91EF')).sw).toBe(0x6a80); // non-ASCII bytes
		await selectEf(card, JpkiApFile.signPin);
		await verify(card, 'ABC123');
		for (const bad of ['ABC12', 'A'.repeat(17), 'abc123', 'ABC-123']) expect((await send(card, changeApdu(bad))).sw).toBe(0x6a80);
		expect((await send(card, changeApdu('NEWPASS2026'))).sw).toBe(OK);
		expect((await send(card, changeApdu('Z'.repeat(16)))).sw).toBe(OK);
		await selectEf(card, JpkiApFile.signPin);
		expect(await verify(card, 'Z'.repeat(16))).toBe(OK);
	});

	it('answers 6A86 for P1 00 (old + new) and 6700 for a case other than 3', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		expect((await send(card, '00240080083132333435363738')).sw).toBe(0x6a86);
		expect((await send(card, '00240180')).sw).toBe(0x6700);
		expect((await send(card, '0024018004353637380' + '0')).sw).toBe(0x6700);
	});

	it('answers 6A88 with no PIN EF selected and 6984 on a blocked PIN', async () => {
		const card = await jpkiCard({ triesLeft: { auth: 0 } });
		expect((await send(card, changeApdu('5678'))).sw).toBe(0x6a88);
		await selectEf(card, JpkiApFile.authPin);
		expect((await send(card, changeApdu('5678'))).sw).toBe(0x6984);
	});
});

describe('VirtualMynaCard — COMPUTE DIGITAL SIGNATURE', () => {
	async function verifyWithCertificate(certificateDer: Uint8Array<ArrayBuffer>, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
		const pkijs = await import('pkijs');
		const certificate = pkijs.Certificate.fromBER(certificateDer);
		const spki = certificate.subjectPublicKeyInfo.toSchema().toBER();
		const key = await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
		return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature.slice(), message.slice());
	}

	it('signs with the auth key after VERIFY of 0018; the signature verifies against the auth certificate', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		await selectEf(card, JpkiApFile.authKey);
		const message = new TextEncoder().encode('ログイン用のチャレンジ 2026-11-25');
		const reply = await send(card, signApdu(await sha256DigestInfo(message)));
		expect(reply.sw).toBe(OK);
		expect(reply.data).toHaveLength(256);
		expect(await verifyWithCertificate(card.profile.certificateSet.auth.certificate, message, reply.data)).toBe(true);
		expect(await verifyWithCertificate(card.profile.certificateSet.auth.certificate, asciiBytes('other'), reply.data)).toBe(false);
	});

	it('signs with the sign key after VERIFY of 001B; the signature verifies against the sign certificate', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.signPin);
		await verify(card, 'ABC123');
		await selectEf(card, JpkiApFile.signKey);
		const message = new TextEncoder().encode('申請書.pdf の内容');
		const reply = await send(card, signApdu(await sha256DigestInfo(message)));
		expect(reply.sw).toBe(OK);
		expect(await verifyWithCertificate(card.profile.certificateSet.sign!.certificate, message, reply.data)).toBe(true);
		// The key stays usable for a second signature in the same session.
		expect((await send(card, signApdu(await sha256DigestInfo(message)))).sw).toBe(OK);
	});

	it('answers 6982 without the matching PIN, without a key EF, or with the other PIN', async () => {
		const card = await jpkiCard();
		const digestInfo = await sha256DigestInfo(asciiBytes('x'));
		expect((await send(card, signApdu(digestInfo))).sw).toBe(0x6982); // no EF
		await selectEf(card, JpkiApFile.signKey);
		expect((await send(card, signApdu(digestInfo))).sw).toBe(0x6982); // not verified
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		await selectEf(card, JpkiApFile.signKey);
		expect((await send(card, signApdu(digestInfo))).sw).toBe(0x6982); // auth PIN does not open the sign key
		await selectEf(card, JpkiApFile.authCertificate);
		expect((await send(card, signApdu(digestInfo))).sw).toBe(0x6982); // a data EF
	});

	it('accepts up to 245 bytes of data, answers 6700 above, for a short Le or without Le', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		await selectEf(card, JpkiApFile.authKey);
		expect((await send(card, signApdu(new Uint8Array(245).fill(0x41)))).sw).toBe(OK);
		expect((await send(card, signApdu(new Uint8Array(246).fill(0x41)))).sw).toBe(0x6700);
		const digestInfo = await sha256DigestInfo(asciiBytes('x'));
		expect((await send(card, concatBytes(fromHex('802A008033'), digestInfo)).then((r) => r.sw))).toBe(0x6700);
		expect((await send(card, concatBytes(fromHex('802A008033'), digestInfo, fromHex('80')))).sw).toBe(0x6700);
	});

	it('answers 6A86 for other P1/P2 and 6E00 for CLA 00', async () => {
		const card = await jpkiCard();
		await selectEf(card, JpkiApFile.authPin);
		await verify(card, '1234');
		await selectEf(card, JpkiApFile.authKey);
		const digestInfo = await sha256DigestInfo(asciiBytes('x'));
		const body = concatBytes(Uint8Array.of(digestInfo.length), digestInfo, Uint8Array.of(0));
		expect((await send(card, concatBytes(fromHex('802A0180'), body))).sw).toBe(0x6a86);
		expect((await send(card, concatBytes(fromHex('802A0097'), body))).sw).toBe(0x6a86);
		expect((await send(card, concatBytes(fromHex('002A0080'), body))).sw).toBe(0x6e00);
	});
});

describe('VirtualMynaCard — CLA and INS', () => {
	it('answers 6D00 for an unknown INS and the CLA status words for odd classes', async () => {
		const card = await jpkiCard();
		expect((await send(card, '00CA0000')).sw).toBe(0x6d00);
		expect((await send(card, '80B0000001')).sw).toBe(0x6d00);
		expect((await send(card, '01B0000001')).sw).toBe(0x6881);
		expect((await send(card, '0CB0000001')).sw).toBe(0x6882);
		expect((await send(card, '10B0000001')).sw).toBe(0x6884);
		expect((await send(card, 'FFB0000001')).sw).toBe(0x6e00);
		expect((await send(card, '84B0000001')).sw).toBe(0x6e00);
	});

	it('answers 6700 for malformed APDUs', async () => {
		const card = await jpkiCard();
		expect((await send(card, '00A4')).sw).toBe(0x6700);
		expect((await send(card, '00A4020C03000A')).sw).toBe(0x6700);
	});
});
