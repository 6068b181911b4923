import { fieldValue, locateFields } from './card-data-object';
import { sniffImageFormat, type ImageFormat } from './image-format';

/** The images of the 券面AP card face object. */
export const CardFacePart = { Photo: 'photo', NameImage: 'nameImage', AddressImage: 'addressImage' } as const;
export type CardFacePart = (typeof CardFacePart)[keyof typeof CardFacePart];

export const ALL_CARD_FACE_PARTS: readonly CardFacePart[] = Object.values(CardFacePart);

export interface CardImage {
	readonly format: ImageFormat;
	readonly mimeType: string;
	readonly bytes: Uint8Array;
}

/** Only the parts that were asked for are present. */
export interface CardFace {
	readonly photo?: CardImage;
	readonly nameImage?: CardImage;
	readonly addressImage?: CardImage;
}

/**
 * EF 0002 of the 券面AP: wrapper FF20 with, in order, header, birth date, sex, public key, name image, address
 * image, photo, signature, expiry date, code (private tags 33–42; facts/jpki.md §6).
 */
const LAYOUT = {
	nameImage: { tagNumber: 37, position: 4 },
	addressImage: { tagNumber: 38, position: 5 },
	photo: { tagNumber: 39, position: 6 }
} as const satisfies Record<CardFacePart, { tagNumber: number; position: number }>;

/** Copies out the requested images only, each with its sniffed format. */
export function parseCardFace(bytes: Uint8Array, parts: readonly CardFacePart[] = ALL_CARD_FACE_PARTS): CardFace {
	const located = locateFields(bytes, LAYOUT, 'Card face');
	const out: { -readonly [K in CardFacePart]?: CardImage } = {};
	for (const part of new Set(parts)) {
		const image = fieldValue(bytes, located[part]).slice();
		out[part] = { ...sniffImageFormat(image), bytes: image };
	}
	return out;
}
