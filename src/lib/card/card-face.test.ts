import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../apdu';
import { concatBytes, fromHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { parseCardFace } from './card-face';
import { sniffImageFormat } from './image-format';

const JP2 = fromHex('0000000C6A5020200D0A870A00');
const J2K = fromHex('FF4FFF51002F');
const JPEG = fromHex('FFD8FFE000104A464946');
const PNG = fromHex('89504E470D0A1A0A0000000D');

function face(name: Uint8Array, address: Uint8Array, photo: Uint8Array): Uint8Array {
	const birth = fromHex('3139383530363135');
	const expiry = fromHex('3230333530363135');
	const values = [new Uint8Array(4), birth, fromHex('32'), new Uint8Array(270), name, address, photo, new Uint8Array(256), expiry, fromHex('35363738')];
	return encodeTlv(0xff20, concatBytes(...values.map((v, i) => encodeTlv(0xdf21 + i, v))));
}

describe('sniffImageFormat', () => {
	it('knows JP2, a J2K codestream, JPEG and PNG by their magic bytes', () => {
		expect(sniffImageFormat(JP2)).toEqual({ format: 'jp2', mimeType: 'image/jp2' });
		expect(sniffImageFormat(J2K)).toEqual({ format: 'j2k', mimeType: 'image/j2c' });
		expect(sniffImageFormat(JPEG)).toEqual({ format: 'jpeg', mimeType: 'image/jpeg' });
		expect(sniffImageFormat(PNG)).toEqual({ format: 'png', mimeType: 'image/png' });
		expect(sniffImageFormat(fromHex('0000000C6A50'))).toEqual({ format: 'unknown', mimeType: 'application/octet-stream' });
		expect(sniffImageFormat(new Uint8Array(0)).format).toBe('unknown');
	});
});

describe('parseCardFace', () => {
	it('copies out only the requested images, each with its format', () => {
		const bytes = face(J2K, PNG, JP2);
		expect(parseCardFace(bytes)).toEqual({
			nameImage: { format: 'j2k', mimeType: 'image/j2c', bytes: J2K },
			addressImage: { format: 'png', mimeType: 'image/png', bytes: PNG },
			photo: { format: 'jp2', mimeType: 'image/jp2', bytes: JP2 }
		});
		const photoOnly = parseCardFace(bytes, ['photo']);
		expect(Object.keys(photoOnly)).toEqual(['photo']);
		bytes.fill(0);
		expect(photoOnly.photo!.bytes).toEqual(JP2);
	});

	it('never throws anything but Malformed on random or mutated input', () => {
		const base = face(JPEG, JPEG, JP2);
		const change = fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 }));
		const mutated = fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => {
			const copy = base.slice();
			for (const [at, value] of changes) copy[at] = value;
			return copy;
		});
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (bytes) => {
				try {
					parseCardFace(bytes);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
				}
			})
		);
	});
});
