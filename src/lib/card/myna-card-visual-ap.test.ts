import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../errors';
import { TEST_PERSONAS, TestPki } from '../emulator/card';
import { emulatedSetup, pinCommandsSent } from './card-test-setup';

const hanako = TEST_PERSONAS.hanako;
const images = TestPki.images();
const collationB16 = hanako.birthDate + hanako.cardExpiryDate.slice(0, 4) + hanako.securityCode;

describe('券面AP', () => {
	it('unlocks with 照合番号A and returns the photo and the name and address images as JP2', async () => {
		const { myna } = emulatedSetup();
		const face = await myna.readCardFace({ collation: 'A', value: hanako.myNumber });
		expect(face.photo).toEqual({ format: 'jp2', mimeType: 'image/jp2', bytes: images.photo });
		expect(face.nameImage?.bytes).toEqual(images.nameImage);
		expect(face.addressImage?.bytes).toEqual(images.addressImage);
	});

	it('unlocks with 照合番号B in either reading of its format', async () => {
		expect(Object.keys(await emulatedSetup().myna.readCardFace({ collation: 'B', value: collationB16 }, { parts: ['photo'] }))).toEqual([
			'photo'
		]);
		const short = emulatedSetup({ visualPinBFormat: 'YYMMDD' });
		const face = await short.myna.readCardFace({ collation: 'B', value: collationB16.slice(2) }, { parts: ['nameImage'] });
		expect(Object.keys(face)).toEqual(['nameImage']);
	});

	it('reads the card face in two READ BINARY with extended length', async () => {
		const { myna, channel } = emulatedSetup({ extendedLength: true });
		await myna.readCardFace({ collation: 'A', value: hanako.myNumber }, { parts: ['photo'] });
		expect(channel.count(0xb0)).toBe(2);
	});

	it('refuses a my number with a wrong check digit before sending it, and counts a wrong 照合番号B', async () => {
		const { myna, card, channel } = emulatedSetup();
		await expect(myna.readCardFace({ collation: 'A', value: '123456789012' })).rejects.toMatchObject({ kind: ErrorKind.PinFormat });
		expect(channel.apdus).toBe(0);
		await expect(myna.readCardFace({ collation: 'B', value: '0'.repeat(16) })).rejects.toMatchObject({
			kind: ErrorKind.PinWrong,
			details: { pin: 'visual-b', triesLeft: 2 }
		});
		expect(card.triesLeft('visual-b')).toBe(2);
		expect(pinCommandsSent(card)).toBe(1);
	});

	it('refuses a bad collation or parts list before anything is sent', async () => {
		const { myna, channel } = emulatedSetup();
		await expect(myna.readCardFace({ collation: 'C' as never, value: hanako.myNumber })).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		await expect(myna.readCardFace({ collation: 'A', value: hanako.myNumber }, { parts: [] })).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		expect(channel.apdus).toBe(0);
	});
});
