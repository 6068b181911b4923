import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { TEST_PERSONAS } from '../emulator/card';
import { emulatedSetup, pinCommandsSent } from './card-test-setup';

const hanako = TEST_PERSONAS.hanako;

describe('券面事項入力補助AP', () => {
	it('reads the 4 info with the card-information PIN', async () => {
		const { myna, card } = emulatedSetup();
		expect(await myna.readBasicInfo('1234')).toEqual({
			name: hanako.name,
			address: hanako.address,
			birthDate: '1985-06-15',
			sex: 'female'
		});
		expect(card.triesLeft('text')).toBe(3);
	});

	it('returns only the fields asked for', async () => {
		const { myna } = emulatedSetup({ persona: 'taro' });
		expect(await myna.readBasicInfo('1234', { fields: ['name'] })).toEqual({ name: TEST_PERSONAS.taro.name });
		expect(await myna.readBasicInfo('1234', { fields: ['sex', 'birthDate'] })).toEqual({ sex: 'male', birthDate: '1990-02-17' });
	});

	it('refuses an empty or unknown field list before anything is sent', async () => {
		const { myna, channel } = emulatedSetup();
		await expect(myna.readBasicInfo('1234', { fields: [] })).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		await expect(myna.readBasicInfo('1234', { fields: ['myNumber' as never] })).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		expect(channel.apdus).toBe(0);
	});

	it('reads the my number only on its own call', async () => {
		const { myna, channel } = emulatedSetup();
		const info = await myna.readBasicInfo('1234');
		expect(JSON.stringify(info)).not.toContain(hanako.myNumber);
		expect(channel.commands).not.toContain('00A4020C020001');
		expect(await myna.readMyNumber('1234')).toEqual({ myNumber: hanako.myNumber });
		expect(channel.commands.slice(-2)).toEqual(['00A4020C020001', '00B0000011']);
	});

	it('answers an age question without returning the birth date (Japanese calendar day, birthday inclusive)', async () => {
		const { myna } = emulatedSetup();
		// Born 1985-06-15: 18 from 2003-06-15 00:00 JST (= 2003-06-14 15:00 UTC).
		expect(await myna.isAtLeast('1234', 18, new Date('2003-06-14T14:59:59Z'))).toBe(false);
		expect(await myna.isAtLeast('1234', 18, new Date('2003-06-14T15:00:00Z'))).toBe(true);
		expect(await myna.isAtLeast('1234', 20, new Date('2005-06-14T14:59:59Z'))).toBe(false);
		expect(await myna.isAtLeast('1234', 20, new Date('2026-01-01T00:00:00Z'))).toBe(true);
		expect(await emulatedSetup({ variant: 'child' }).myna.isAtLeast('1234', 18, new Date('2026-11-01T00:00:00Z'))).toBe(false);
	});

	it('refuses other ages and bad dates before anything is sent', async () => {
		const { myna, channel } = emulatedSetup();
		await expect(myna.isAtLeast('1234', 17 as never, new Date())).rejects.toMatchObject({ kind: ErrorKind.Unsupported });
		await expect(myna.isAtLeast('1234', 18, new Date('nope'))).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		expect(channel.apdus).toBe(0);
	});

	it('a wrong card-information PIN costs one try and reads nothing', async () => {
		const { myna, card, channel } = emulatedSetup();
		await expect(myna.readBasicInfo('0000')).rejects.toMatchObject({ kind: ErrorKind.PinWrong, details: { pin: 'text', triesLeft: 2 } });
		expect(card.triesLeft('text')).toBe(2);
		expect(channel.count(0xb0)).toBe(0);
		await expect(emulatedSetup({ triesLeft: { text: 1 } }).myna.readMyNumber('1234')).rejects.toMatchObject({ kind: ErrorKind.PinLastTry });
	});

	it('says a 住基カード or a phone token is not a My Number Card, sending no PIN', async () => {
		for (const variant of ['juki', 'phone'] as const) {
			const { myna, card } = emulatedSetup({ variant });
			await expect(myna.readBasicInfo('1234')).rejects.toMatchObject({ kind: ErrorKind.NotMynaCard, details: { application: 'text' } });
			expect(pinCommandsSent(card)).toBe(0);
		}
	});

	it('reads through 61xx GET RESPONSE', async () => {
		const { myna, card } = emulatedSetup();
		card.faults.getResponse(true);
		expect(await myna.readBasicInfo('1234', { fields: ['address'] })).toEqual({ address: hanako.address });
		expect(await myna.readMyNumber('1234')).toEqual({ myNumber: hanako.myNumber });
	});
});
