import { asciiBytes, concatBytes } from '../../bytes';
import { BerLengthForm, encodeBerTlv } from './ber-tlv-encoder';
import { ALWAYS, TextApFile, cardApplication, needsPin, type CardApplication } from './card-file-system';
import type { MynaPersona } from './test-personas';
import { VirtualCardPinId } from './virtual-card-pin';

/**
 * 券面事項入力補助AP (text AP) contents (facts/jpki.md §5). The tag bytes are inferred from BER private-class tag
 * numbers in the Go myna structs; hosts should walk generic BER TLVs, not hard-code them.
 */

export const TextApTag = {
	myNumber: [0xff, 0x10],
	basicFourInfo: [0xff, 0x20],
	header: [0xdf, 0x21],
	name: [0xdf, 0x22],
	address: [0xdf, 0x23],
	birthDate: [0xdf, 0x24],
	sex: [0xdf, 0x25],
	apBasicInfo: [0xff, 0x40],
	apInfo: [0xdf, 0x41],
	keyId: [0xdf, 0x42]
} as const;

/**
 * EF 0001: `FF 10 0C` + 12 ASCII digits + 2 trailing bytes = the 17 bytes myna and TRET read.
 * UNSURE: the exact tag bytes (one Swift doc says `10 01 0C …`) and the value of the 2 trailing bytes (FF FF here).
 */
export const MY_NUMBER_EF_TRAILER = Uint8Array.of(0xff, 0xff);

export function buildMyNumberEf(myNumber: string): Uint8Array {
	return concatBytes(encodeBerTlv(TextApTag.myNumber, asciiBytes(myNumber)), MY_NUMBER_EF_TRAILER);
}

const textEncoder = new TextEncoder();

/**
 * EF 0002, 基本4情報: `FF 20 82 LL LL` { DF21 header, DF22 name (UTF-8), DF23 address (UTF-8), DF24 birth date
 * (YYYYMMDD ASCII), DF25 sex (ASCII digit) }. The wrapper uses the 2-byte long length form (legal BER; see
 * BerLengthForm.twoByte). The header content is opaque to every host; here 4 placeholder bytes.
 */
export function buildBasicFourInfoEf(persona: MynaPersona): Uint8Array {
	return encodeBerTlv(
		TextApTag.basicFourInfo,
		concatBytes(
			encodeBerTlv(TextApTag.header, Uint8Array.of(0x01, 0x01, 0x00, 0x00)),
			encodeBerTlv(TextApTag.name, textEncoder.encode(persona.name)),
			encodeBerTlv(TextApTag.address, textEncoder.encode(persona.address)),
			encodeBerTlv(TextApTag.birthDate, asciiBytes(persona.birthDate)),
			encodeBerTlv(TextApTag.sex, asciiBytes(persona.sex))
		),
		BerLengthForm.twoByte
	);
}

/** EF 0005, AP basic info (no PIN): `FF 40 82 LL LL` { DF41 APInfo (4 bytes), DF42 KeyID (16 bytes) }. */
export function buildTextApBasicInfoEf(): Uint8Array {
	return encodeBerTlv(
		TextApTag.apBasicInfo,
		concatBytes(
			encodeBerTlv(TextApTag.apInfo, Uint8Array.of(0x01, 0x00, 0x00, 0x01)),
			encodeBerTlv(TextApTag.keyId, asciiBytes('JPKITEST-TEXTAP1'))
		),
		BerLengthForm.twoByte
	);
}

/**
 * Data EFs need PIN 0011 verified. 暗証番号A (0014) / B (0015) exist and count tries but unlock nothing here: whether
 * they open the same EFs is UNSURE (facts/jpki.md §5).
 */
export function buildTextApplication(persona: MynaPersona): CardApplication {
	return cardApplication('text', [
		{ type: 'data', fid: TextApFile.myNumber, content: buildMyNumberEf(persona.myNumber), read: needsPin(VirtualCardPinId.text) },
		{ type: 'data', fid: TextApFile.basicFourInfo, content: buildBasicFourInfoEf(persona), read: needsPin(VirtualCardPinId.text) },
		{ type: 'data', fid: TextApFile.apBasicInfo, content: buildTextApBasicInfoEf(), read: ALWAYS },
		{ type: 'pin', fid: TextApFile.pin, pin: VirtualCardPinId.text },
		{ type: 'pin', fid: TextApFile.pinA, pin: VirtualCardPinId.textA },
		{ type: 'pin', fid: TextApFile.pinB, pin: VirtualCardPinId.textB }
	]);
}
