import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes, fromHex } from '../../bytes';
import { readBinaryApdu, selectAid, selectEf, send, sha256DigestInfo, signApdu, verify, verifyApdu } from './card-test-helpers';
import { JpkiApFile } from './card-file-system';
import { VirtualMynaCard } from './virtual-myna-card';

const OK = 0x9000;

async function cardAtAuthCertificate(): Promise<VirtualMynaCard> {
	const card = new VirtualMynaCard();
	await selectAid(card, 'jpki');
	await selectEf(card, JpkiApFile.authCertificate);
	return card;
}

describe('VirtualMynaCard faults — answerNext', () => {
	it('answers the next command with the given status and data, without processing it', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.authPin);
		card.faults.answerNext({ sw: 0x6581 });
		card.faults.answerNext({ sw: 0x6283, data: fromHex('AABB') });
		expect(card.faults.pendingAnswers).toBe(2);
		expect(await send(card, verifyApdu('0000'))).toEqual({ data: new Uint8Array(0), sw: 0x6581 });
		expect(card.triesLeft('auth')).toBe(3); // the VERIFY never reached the PIN
		expect(await send(card, '00200080')).toEqual({ data: fromHex('AABB'), sw: 0x6283 });
		expect(await send(card, '00200080')).toEqual({ data: new Uint8Array(0), sw: 0x63c3 });
		expect(card.log.slice(-3).map((e) => e.fault)).toEqual(['answer', 'answer', undefined]);
	});

	it('with ins, waits for a command with that INS (e.g. fail the signature only)', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'jpki');
		card.faults.answerNext({ sw: 0x6f00, ins: 0x2a });
		await selectEf(card, JpkiApFile.authPin);
		expect(await verify(card, '1234')).toBe(OK);
		await selectEf(card, JpkiApFile.authKey);
		const digestInfo = await sha256DigestInfo(fromHex('00'));
		expect((await send(card, signApdu(digestInfo))).sw).toBe(0x6f00);
		expect((await send(card, signApdu(digestInfo))).sw).toBe(OK);
	});

	it('validates the status word and can be cleared', () => {
		const card = new VirtualMynaCard();
		expect(() => card.faults.answerNext({ sw: 0x10000 })).toThrow(RangeError);
		card.faults.answerNext({ sw: 0x6581 });
		card.faults.clear();
		expect(card.faults.pendingAnswers).toBe(0);
	});
});

describe('VirtualMynaCard faults — delayNext', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('holds the next response back by the given time, after processing', async () => {
		vi.useFakeTimers();
		const card = new VirtualMynaCard();
		card.faults.delayNext(500);
		let settled = false;
		const pending = card.transmit(fromHex('00A4040C0AD392F000260100000001')).then((r) => {
			settled = true;
			return r;
		});
		await vi.advanceTimersByTimeAsync(499);
		expect(settled).toBe(false);
		expect(card.selectedApplication).toBe('jpki'); // already processed
		await vi.advanceTimersByTimeAsync(1);
		expect([...(await pending)]).toEqual([0x90, 0x00]);
		// Only the next one.
		const next = await card.transmit(fromHex('00A4020C020006'));
		expect([...next]).toEqual([0x90, 0x00]);
	});

	it('rejects a negative delay', () => {
		expect(() => new VirtualMynaCard().faults.delayNext(-1)).toThrow(RangeError);
	});
});

describe('VirtualMynaCard faults — getResponse (61xx)', () => {
	it('answers 61xx and hands the data out with GET RESPONSE 00 C0 00 00 xx', async () => {
		const card = await cardAtAuthCertificate();
		card.faults.getResponse(true);
		const first = await send(card, readBinaryApdu(0, 0x20));
		expect(first).toEqual({ data: new Uint8Array(0), sw: 0x6120 });
		const data = await send(card, '00C0000020');
		expect(data.sw).toBe(OK);
		expect(data.data).toEqual(card.profile.certificateSet.auth.certificate.subarray(0, 0x20));
		expect((await send(card, '00C0000020')).sw).toBe(0x6985); // nothing pending any more
	});

	it('uses 61 00 for 256 bytes and chains 61yy when GET RESPONSE asks for less', async () => {
		const card = await cardAtAuthCertificate();
		card.faults.getResponse(true);
		expect((await send(card, readBinaryApdu(0, 0))).sw).toBe(0x6100);
		const part1 = await send(card, '00C0000080');
		expect(part1.sw).toBe(0x6180);
		const part2 = await send(card, '00C0000000');
		expect(part2.sw).toBe(OK);
		expect(concatBytes(part1.data, part2.data)).toEqual(card.profile.certificateSet.auth.certificate.subarray(0, 256));
	});

	it('chains the signature too, and leaves status-only answers alone', async () => {
		const card = new VirtualMynaCard();
		card.faults.getResponse(true);
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.authPin);
		expect(await verify(card, '1234')).toBe(OK);
		await selectEf(card, JpkiApFile.authKey);
		expect((await send(card, signApdu(await sha256DigestInfo(fromHex('01'))))).sw).toBe(0x6100);
		const signature = await send(card, '00C0000000');
		expect(signature.sw).toBe(OK);
		expect(signature.data).toHaveLength(256);
	});

	it('drops the pending data when another command comes, and checks P1/P2', async () => {
		const card = await cardAtAuthCertificate();
		card.faults.getResponse(true);
		await send(card, readBinaryApdu(0, 0x10));
		expect((await send(card, '00C0010010')).sw).toBe(0x6a86);
		await send(card, readBinaryApdu(0, 0x10));
		await send(card, '00A4020C020006');
		expect((await send(card, '00C0000010')).sw).toBe(0x6985);
		card.faults.getResponse(false);
		expect((await send(card, readBinaryApdu(0, 4))).data).toHaveLength(4);
	});
});

describe('VirtualMynaCard faults — wrongLength (6Cxx)', () => {
	it('answers 6Cxx when Le exceeds what is left, and the re-sent command with Le = xx succeeds', async () => {
		const card = await cardAtAuthCertificate();
		card.faults.wrongLength(true);
		const length = card.profile.certificateSet.auth.certificate.length;
		const offset = length - 0x30;
		expect(await send(card, readBinaryApdu(offset, 0))).toEqual({ data: new Uint8Array(0), sw: 0x6c30 });
		const again = await send(card, readBinaryApdu(offset, 0x30));
		expect(again.sw).toBe(OK);
		expect(again.data).toHaveLength(0x30);
		// A chunk within the EF is unaffected.
		expect((await send(card, readBinaryApdu(0, 0))).data).toHaveLength(256);
	});
});

describe('VirtualMynaCard — log', () => {
	it('records every command with its status, masking VERIFY and CHANGE data and their length', async () => {
		const card = new VirtualMynaCard();
		await selectAid(card, 'jpki');
		await selectEf(card, JpkiApFile.signPin);
		await send(card, '00200080');
		await send(card, verifyApdu('ABC123'));
		await send(card, fromHex('00240180064E4557505731'));
		await send(card, '0020'); // malformed VERIFY is logged as is (only the bytes it has)
		const log = card.log;
		expect(log.map((e) => e.command)).toEqual([
			'00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01',
			'00 a4 02 0c 02 00 1b',
			'00 20 00 80',
			'00 20 00 80 **',
			'00 24 01 80 **',
			'00 20'
		]);
		expect(log.map((e) => e.sw)).toEqual([OK, OK, 0x63c5, OK, OK, 0x6700]);
		const text = JSON.stringify(log);
		expect(text).not.toMatch(/41 42 43|4e 45 57/i);
		card.clearLog();
		expect(card.log).toHaveLength(0);
	});

	it('keeps at most logLimit entries', async () => {
		const card = new VirtualMynaCard({ logLimit: 2 });
		await send(card, '00A4040C0AD392F000260100000001');
		await send(card, '00A4020C020006');
		await send(card, '00B0000001');
		expect(card.log.map((e) => e.command)).toEqual(['00 a4 02 0c 02 00 06', '00 b0 00 00 01']);
		expect(card.log[1]!.responseLength).toBe(1);
		const silent = new VirtualMynaCard({ logLimit: 0 });
		await send(silent, '00200080');
		expect(silent.log).toHaveLength(0);
	});
});
