import { wipe } from '../bytes';
import { ErrorKind, MynaError } from '../errors';
import { ALL_CARD_FACE_PARTS, parseCardFace, type CardFace, type CardFacePart } from './card-face';
import { CardApplication, VisualApFile } from './card-applications';
import { ReadLimit, type CardSession } from './card-session';
import type { PinGuard, PinOptions } from './pin-guard';
import { PinKind } from './pin-specs';

/** 照合番号A is the 12-digit my number; 照合番号B is birth date + card expiry year + security code (14 or 16 digits). */
export interface CardFaceKey {
	collation: 'A' | 'B';
	value: string;
}

export interface ReadCardFaceOptions extends PinOptions {
	/** Which images to return (default all three); the others are not copied out. */
	parts?: readonly CardFacePart[];
}

function checkParts(parts: readonly CardFacePart[] | undefined): readonly CardFacePart[] {
	if (parts === undefined) return ALL_CARD_FACE_PARTS;
	if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => !ALL_CARD_FACE_PARTS.includes(p))) {
		throw new MynaError(ErrorKind.Malformed, 'Say which images to read: photo, nameImage, addressImage', { argument: 'parts' });
	}
	return parts;
}

/** The 券面AP: the card face object (photo, name and address images) behind 照合番号A or B. */
export class VisualApSession {
	readonly #session: CardSession;
	readonly #guard: PinGuard;

	constructor(session: CardSession, guard: PinGuard) {
		this.#session = session;
		this.#guard = guard;
	}

	async readCardFace(key: CardFaceKey, options: ReadCardFaceOptions = {}): Promise<CardFace> {
		const parts = checkParts(options.parts);
		const kind = key?.collation === 'A' ? PinKind.VisualA : key?.collation === 'B' ? PinKind.VisualB : undefined;
		if (!kind) {
			throw new MynaError(ErrorKind.Malformed, 'Say which collation number unlocks the card face: A or B', { argument: 'collation' });
		}
		await this.#guard.verify(kind, key.value, options);
		await this.#session.requireApplication(CardApplication.Visual, options.signal);
		if (!(await this.#session.selectFile(VisualApFile.CardFace, options.signal))) {
			throw new MynaError(ErrorKind.FileNotFound, 'The 券面AP lacks its card face file', { file: VisualApFile.CardFace });
		}
		const raw = await this.#session.readObject(ReadLimit.LargeObjectProbe, options.signal);
		try {
			return parseCardFace(raw, parts);
		} finally {
			wipe(raw);
		}
	}
}
