import { asciiBytes, concatBytes } from '../../bytes';
import { BerLengthForm, encodeBerTlv } from './ber-tlv-encoder';
import { ALWAYS, VisualApFile, cardApplication, needsPin, type CardApplication } from './card-file-system';
import { TestPki } from './test-pki';
import type { MynaPersona } from './test-personas';
import { VirtualCardPinId } from './virtual-card-pin';

/**
 * 券面AP (visual AP) contents (facts/jpki.md §6). Tag bytes inferred from the private tag numbers 32–42 that
 * myna / jpki-rs parse in this order.
 */

export const VisualApTag = {
	cardFace: [0xff, 0x20],
	header: [0xdf, 0x21],
	birthDate: [0xdf, 0x22],
	sex: [0xdf, 0x23],
	publicKey: [0xdf, 0x24],
	nameImage: [0xdf, 0x25],
	addressImage: [0xdf, 0x26],
	photo: [0xdf, 0x27],
	signature: [0xdf, 0x28],
	expiryDate: [0xdf, 0x29],
	code: [0xdf, 0x2a],
	basicInfo: [0xff, 0x40],
	apInfo: [0xdf, 0x41],
	keyId: [0xdf, 0x42],
	version: [0xdf, 0x43],
	city: [0xdf, 0x44]
} as const;

/**
 * EF 0002, the card face: `FF 20 82 LL LL` { DF21 header, DF22 birth date (YYYYMMDD ASCII), DF23 sex (ASCII),
 * DF24 public key, DF25 name image, DF26 address image, DF27 face photo, DF28 signature, DF29 expiry date
 * (YYYYMMDD ASCII), DF2A code }.
 * Placeholders: the images are valid JP2 files of uniform grey (real cards: JPEG 2000 assumed, UNSURE); the public
 * key and signature are deterministic filler bytes (not a key, not a signature); the header is opaque; the code is
 * the 4-digit security code in ASCII (UNSURE: it may be an image on a real card).
 */
export function buildCardFaceEf(persona: MynaPersona): Uint8Array {
	const images = TestPki.images();
	return encodeBerTlv(
		VisualApTag.cardFace,
		concatBytes(
			encodeBerTlv(VisualApTag.header, Uint8Array.of(0x01, 0x02, 0x00, 0x00)),
			encodeBerTlv(VisualApTag.birthDate, asciiBytes(persona.birthDate)),
			encodeBerTlv(VisualApTag.sex, asciiBytes(persona.sex)),
			encodeBerTlv(VisualApTag.publicKey, fillerBytes(270, 0x24)),
			encodeBerTlv(VisualApTag.nameImage, images.nameImage),
			encodeBerTlv(VisualApTag.addressImage, images.addressImage),
			encodeBerTlv(VisualApTag.photo, images.photo),
			encodeBerTlv(VisualApTag.signature, fillerBytes(256, 0x28)),
			encodeBerTlv(VisualApTag.expiryDate, asciiBytes(persona.cardExpiryDate)),
			encodeBerTlv(VisualApTag.code, asciiBytes(persona.securityCode))
		),
		BerLengthForm.twoByte
	);
}

const textEncoder = new TextEncoder();

/**
 * EF 0003, basic info (no PIN): myna reads children id (4 bytes), an unknown item, version (1 byte) and city
 * (UTF-8). The tags here (FF40 / DF41–DF44) and the unknown item's content are guesses. UNSURE.
 */
export function buildVisualApBasicInfoEf(persona: MynaPersona): Uint8Array {
	return encodeBerTlv(
		VisualApTag.basicInfo,
		concatBytes(
			encodeBerTlv(VisualApTag.apInfo, Uint8Array.of(0x01, 0x00, 0x00, 0x02)),
			encodeBerTlv(VisualApTag.keyId, asciiBytes('JPKITEST-VISAP01')),
			encodeBerTlv(VisualApTag.version, Uint8Array.of(0x01)),
			encodeBerTlv(VisualApTag.city, textEncoder.encode(persona.city))
		),
		BerLengthForm.twoByte
	);
}

/** The card face opens after VERIFY of either 照合番号A (EF 0013) or 照合番号B (EF 0012). */
export function buildVisualApplication(persona: MynaPersona): CardApplication {
	return cardApplication('visual', [
		{
			type: 'data',
			fid: VisualApFile.cardFace,
			content: buildCardFaceEf(persona),
			read: needsPin(VirtualCardPinId.visualA, VirtualCardPinId.visualB)
		},
		{ type: 'data', fid: VisualApFile.basicInfo, content: buildVisualApBasicInfoEf(persona), read: ALWAYS },
		{ type: 'pin', fid: VisualApFile.pinB, pin: VirtualCardPinId.visualB },
		{ type: 'pin', fid: VisualApFile.pinA, pin: VirtualCardPinId.visualA }
	]);
}

/** Deterministic filler (xorshift32), so the EF is the same on every run. */
function fillerBytes(length: number, seed: number): Uint8Array {
	const out = new Uint8Array(length);
	let x = (0x9e3779b9 ^ seed) >>> 0;
	for (let i = 0; i < length; i++) {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		out[i] = x & 0xff;
	}
	return out;
}
