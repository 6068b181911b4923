import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64-codec';
import { BerLengthForm, encodeBerLength, encodeBerTlv } from './ber-tlv-encoder';
import { buildJpkiTokenInfo, JPKI_TOKEN_INFO_LENGTH } from './jpki-token-info';

describe('BER-TLV encoder', () => {
	it('encodes minimal and two-byte lengths', () => {
		expect([...encodeBerLength(0x7f)]).toEqual([0x7f]);
		expect([...encodeBerLength(0x80)]).toEqual([0x81, 0x80]);
		expect([...encodeBerLength(0x100)]).toEqual([0x82, 0x01, 0x00]);
		expect([...encodeBerLength(0x9f, BerLengthForm.twoByte)]).toEqual([0x82, 0x00, 0x9f]);
		expect(() => encodeBerLength(0x10000)).toThrow(RangeError);
		expect([...encodeBerTlv([0xdf, 0x25], Uint8Array.of(0x32))]).toEqual([0xdf, 0x25, 0x01, 0x32]);
	});
});

describe('base64', () => {
	it('round-trips and reads base64url', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
				expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
			})
		);
		expect([...decodeBase64('-_8')]).toEqual([0xfb, 0xff]);
		expect(() => decodeBase64('a')).toThrow(TypeError);
		expect(() => decodeBase64('a$bc')).toThrow(TypeError);
	});
});

describe('JPKI token info', () => {
	it('is a 160-byte CK_TOKEN_INFO-like record with the label first', () => {
		const info = buildJpkiTokenInfo('JPKIAPICCTOKEN2', 'TEST20000101');
		expect(info).toHaveLength(JPKI_TOKEN_INFO_LENGTH);
		const text = new TextDecoder().decode(info);
		expect(text.slice(0, 32)).toBe('JPKIAPICCTOKEN2'.padEnd(32));
		expect(text.slice(64, 80)).toBe('VIRTUAL MYNA'.padEnd(16));
		expect(text.slice(80, 96)).toBe('TEST20000101'.padEnd(16));
		expect(new DataView(info.buffer).getUint32(96 + 5 * 4)).toBe(16); // ulMaxPinLen
		expect(text.slice(140, 144)).toBe('0301');
	});
});
