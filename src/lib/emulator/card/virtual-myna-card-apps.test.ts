import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes, fromHex } from '../../bytes';
import { changeApdu, pinStatus, readBinaryApdu, readTlv, readTlvChildren, readWholeEf, selectAid, selectEf, send, verify } from './card-test-helpers';
import { TextApFile, VisualApFile } from './card-file-system';
import { Jp2Magic } from './jp2-placeholder';
import { TEST_PERSONAS } from './test-personas';
import { VirtualMynaCard } from './virtual-myna-card';

const OK = 0x9000;
const utf8 = new TextDecoder();

describe('VirtualMynaCard — 券面事項入力補助AP (text AP)', () => {
	it('selects by AID D3 92 10 00 31 00 01 01 04 08', async () => {
		const card = new VirtualMynaCard();
		expect((await send(card, '00A4040C0AD3921000310001010408')).sw).toBe(OK);
		expect(card.selectedApplication).toBe('text');
	});

	it('keeps the my number and the 4 info behind PIN 0011 (6982 before VERIFY)', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.myNumber);
		expect((await send(card, readBinaryApdu(0, 17))).sw).toBe(0x6982);
		await selectEf(card, TextApFile.basicFourInfo);
		expect((await send(card, readBinaryApdu(0, 7))).sw).toBe(0x6982);
	});

	it('returns the my number as FF 10 0C <12 digits> + 2 trailing bytes (17 bytes) after VERIFY', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.pin);
		expect(await pinStatus(card)).toBe(0x63c3);
		expect(await verify(card, '1234')).toBe(OK);
		await selectEf(card, TextApFile.myNumber);
		const reply = await send(card, readBinaryApdu(0, 17));
		expect(reply.sw).toBe(OK);
		expect(reply.data).toEqual(concatBytes(fromHex('FF100C'), asciiBytes('123456789018'), fromHex('FFFF')));
	});

	it('returns the basic 4 info as FF 20 { DF21 header, DF22 name, DF23 address, DF24 birth, DF25 sex }', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.pin);
		await verify(card, '1234');
		await selectEf(card, TextApFile.basicFourInfo);
		const ef = await readWholeEf(card);
		expect([...ef.subarray(0, 3)]).toEqual([0xff, 0x20, 0x82]);
		const outer = readTlv(ef, 0);
		expect(outer.next).toBe(ef.length);
		const children = readTlvChildren(outer.value);
		expect(children.map((c) => c.tag)).toEqual([
			[0xdf, 0x21],
			[0xdf, 0x22],
			[0xdf, 0x23],
			[0xdf, 0x24],
			[0xdf, 0x25]
		]);
		expect(utf8.decode(children[1]!.value)).toBe('見本　花子');
		expect(utf8.decode(children[2]!.value)).toBe('見本県夢見市さくら町一丁目2番地3');
		expect(utf8.decode(children[3]!.value)).toBe('19850615');
		expect(utf8.decode(children[4]!.value)).toBe('2');
	});

	it('reads AP basic info EF 0005 without a PIN (FF 40 { DF41, DF42 })', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.apBasicInfo);
		const ef = await readWholeEf(card);
		const children = readTlvChildren(readTlv(ef, 0).value);
		expect(readTlv(ef, 0).tag).toEqual([0xff, 0x40]);
		expect(children.map((c) => c.value.length)).toEqual([4, 16]);
	});

	it('counts the text PIN separately from the auth PIN, and lets it be changed', async () => {
		const card = new VirtualMynaCard({ pins: { text: '4321' } });
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.pin);
		expect(await verify(card, '1234')).toBe(0x63c2);
		expect(card.triesLeft('text')).toBe(2);
		expect(card.triesLeft('auth')).toBe(3);
		expect(await verify(card, '4321')).toBe(OK);
		expect((await send(card, changeApdu('2468'))).sw).toBe(OK);
		expect((await send(card, changeApdu('24680'))).sw).toBe(0x6a80);
	});

	it('has 暗証番号A (0014) and B (0015) with their own counters; they do not open the data EFs', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.pinA);
		expect(await pinStatus(card)).toBe(0x63c3);
		expect(await verify(card, '123456789018')).toBe(OK);
		await selectEf(card, TextApFile.pinB);
		expect(await verify(card, '0000000000000000')).toBe(0x63c2);
		expect((await send(card, changeApdu('000000000000'))).sw).toBe(0x6982);
		await selectEf(card, TextApFile.myNumber);
		expect((await send(card, readBinaryApdu(0, 17))).sw).toBe(0x6982);
	});

	it('forgets the text PIN when another application is selected', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.pin);
		await verify(card, '1234');
		await selectAid(card, 'jpki');
		expect(card.isVerified('text')).toBe(false);
		await selectAid(card, 'text');
		await selectEf(card, TextApFile.myNumber);
		expect((await send(card, readBinaryApdu(0, 17))).sw).toBe(0x6982);
	});
});

describe('VirtualMynaCard — 券面AP (visual AP)', () => {
	async function readFace(card: VirtualMynaCard): Promise<Uint8Array> {
		await selectEf(card, VisualApFile.cardFace);
		return readWholeEf(card);
	}

	it('needs 照合番号A (the my number, EF 0013) or 照合番号B (EF 0012) for the face EF 0002', async () => {
		const card = new VirtualMynaCard();
		expect(await selectAid(card, 'visual')).toBe(OK);
		await selectEf(card, VisualApFile.cardFace);
		expect((await send(card, readBinaryApdu(0, 7))).sw).toBe(0x6982);

		await selectEf(card, VisualApFile.pinA);
		expect(await pinStatus(card)).toBe(0x63c3);
		expect(await verify(card, TEST_PERSONAS.hanako.myNumber)).toBe(OK);
		expect((await readFace(card)).length).toBeGreaterThan(4000);

		card.reset();
		await selectAid(card, 'visual');
		await selectEf(card, VisualApFile.pinB);
		// jpki-rs form: birth date YYYYMMDD + expiry year YYYY + security code.
		expect(await verify(card, '19850615' + '2035' + '5678')).toBe(OK);
		expect((await readFace(card)).length).toBeGreaterThan(4000);
	});

	it('takes the 14-digit 照合番号B with visualPinBFormat YYMMDD', async () => {
		const card = new VirtualMynaCard({ visualPinBFormat: 'YYMMDD' });
		await selectAid(card, 'visual');
		await selectEf(card, VisualApFile.pinB);
		expect(await verify(card, '850615' + '2035' + '5678')).toBe(OK);
	});

	it('lays the face object out as FF 20 with DF21..DF2A in the order of jpki.md §6, the photo a JP2 file', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'visual');
		await selectEf(card, VisualApFile.pinA);
		await verify(card, TEST_PERSONAS.hanako.myNumber);
		const face = await readFace(card);
		const outer = readTlv(face, 0);
		expect(outer.tag).toEqual([0xff, 0x20]);
		expect(outer.next).toBe(face.length);
		const children = readTlvChildren(outer.value);
		expect(children.map((c) => c.tag[1])).toEqual([0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a]);
		expect(utf8.decode(children[1]!.value)).toBe('19850615');
		expect(utf8.decode(children[2]!.value)).toBe('2');
		for (const image of [children[4]!, children[5]!, children[6]!]) {
			expect(image.value.subarray(0, 12)).toEqual(Jp2Magic.signatureBox);
		}
		expect(children[6]!.value.length).toBeGreaterThanOrEqual(3000);
		expect(children[7]!.value).toHaveLength(256);
		expect(utf8.decode(children[8]!.value)).toBe('20350615');
		expect(utf8.decode(children[9]!.value)).toBe('5678');
	});

	it('reads basic info EF 0003 without a PIN, with the issuing city', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'visual');
		await selectEf(card, VisualApFile.basicInfo);
		const children = readTlvChildren(readTlv(await readWholeEf(card), 0).value);
		expect(children).toHaveLength(4);
		expect(utf8.decode(children[3]!.value)).toBe('夢見市');
	});

	it('does not let 照合番号A/B be changed (6985) and counts them down', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'visual');
		await selectEf(card, VisualApFile.pinA);
		expect(await verify(card, '000000000000')).toBe(0x63c2);
		expect(card.triesLeft('visual-a')).toBe(2);
		await verify(card, TEST_PERSONAS.hanako.myNumber);
		expect((await send(card, changeApdu('111111111118'))).sw).toBe(0x6985);
	});
});

describe('VirtualMynaCard — 住基AP', () => {
	it('is selectable and has PIN EF 001C with 3 tries and nothing else', async () => {
		const card = new VirtualMynaCard();
		expect((await send(card, '00A4040C0AD3921000310001010401')).sw).toBe(OK);
		expect(await selectEf(card, 0x001c)).toBe(OK);
		expect(await pinStatus(card)).toBe(0x63c3);
		expect(await selectEf(card, 0x0001)).toBe(0x6a82);
	});
});
