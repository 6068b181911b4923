import { asciiBytes, concatBytes } from '../../bytes';

/**
 * A tiny but valid JPEG 2000 file (JP2, ISO/IEC 15444-1 Annex I) used as the placeholder face photo and name /
 * address images of the virtual card's 券面AP. The codestream is hand-assembled: one tile, no wavelet
 * decomposition (one resolution), 5-3 reversible filter, one quality layer, and one *empty* packet per component.
 * Every coefficient is therefore zero and a decoder shows a uniform mid-grey (128) image of the stated size.
 * An optional COM marker segment carries a label and pads the file to a realistic size (a real photo is a few KB,
 * so the host needs many READ BINARY calls).
 */

export interface PlaceholderJp2Options {
	readonly width: number;
	readonly height: number;
	/** 1 = greyscale, 3 = sRGB. */
	readonly components: 1 | 3;
	/** Latin-1 text for the COM marker segment. */
	readonly comment?: string;
	/** Pad the COM segment so the whole file has at least this many bytes. */
	readonly minimumSize?: number;
}

export const Jp2Magic = {
	/** The JPEG 2000 signature box: length 12, type 'jP  ', content 0D 0A 87 0A. */
	signatureBox: Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a),
	/** Start of a raw J2K codestream: SOC then SIZ. */
	codestreamStart: Uint8Array.of(0xff, 0x4f, 0xff, 0x51)
} as const;

const Marker = { soc: 0xff4f, siz: 0xff51, cod: 0xff52, qcd: 0xff5c, com: 0xff64, sot: 0xff90, sod: 0xff93, eoc: 0xffd9 } as const;

const ColourSpace = { srgb: 16, greyscale: 17 } as const;

export function buildPlaceholderJp2(options: PlaceholderJp2Options): Uint8Array {
	const { width, height, components } = options;
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0xffff || height > 0xffff) {
		throw new RangeError('image size out of range');
	}
	const header = concatBytes(
		box('ihdr', concatBytes(u32(height), u32(width), u16(components), Uint8Array.of(7, 7, 0, 0))),
		box('colr', concatBytes(Uint8Array.of(1, 0, 0), u32(components === 3 ? ColourSpace.srgb : ColourSpace.greyscale)))
	);
	const head = concatBytes(
		Jp2Magic.signatureBox,
		box('ftyp', concatBytes(asciiBytes('jp2 '), u32(0), asciiBytes('jp2 '))),
		box('jp2h', header)
	);
	const withoutPadding = head.length + 8 + codestream(options, 0).length;
	const padding = Math.max(0, (options.minimumSize ?? 0) - withoutPadding);
	return concatBytes(head, box('jp2c', codestream(options, padding)));
}

function codestream(options: PlaceholderJp2Options, padding: number): Uint8Array {
	const { width, height, components } = options;
	const siz = segment(
		Marker.siz,
		concatBytes(
			u16(0), // Rsiz: no restrictions
			u32(width),
			u32(height),
			u32(0),
			u32(0), // image offset
			u32(width),
			u32(height), // one tile covering the image
			u32(0),
			u32(0), // tile offset
			u16(components),
			...Array.from({ length: components }, () => Uint8Array.of(7, 1, 1)) // 8-bit unsigned, no subsampling
		)
	);
	const cod = segment(
		Marker.cod,
		Uint8Array.of(
			0x00, // Scod: default precincts, no SOP / EPH
			0x00, // progression LRCP
			0x00,
			0x01, // one layer
			0x00, // no multiple-component transform
			0x00, // zero decomposition levels
			0x04,
			0x04, // 64×64 code-blocks
			0x00, // code-block style
			0x01 // 5-3 reversible
		)
	);
	// No quantization, 2 guard bits; one subband (LL) with exponent 8 (bit depth + gain 0).
	const qcd = segment(Marker.qcd, Uint8Array.of(0x40, 8 << 3));
	const comText = options.comment === undefined && padding === 0 ? undefined : latin1(options.comment ?? '');
	const com =
		comText === undefined
			? new Uint8Array(0)
			: segment(Marker.com, concatBytes(u16(1), comText, new Uint8Array(padding).fill(0x20)));
	// One empty packet per component (a single 0 bit, padded to a byte).
	const tileData = new Uint8Array(components);
	const sotLength = 12 + 2 + tileData.length;
	const sot = segment(Marker.sot, concatBytes(u16(0), u32(sotLength), Uint8Array.of(0, 1)));
	return concatBytes(u16(Marker.soc), siz, cod, qcd, com, sot, u16(Marker.sod), tileData, u16(Marker.eoc));
}

function segment(marker: number, body: Uint8Array): Uint8Array {
	if (body.length + 2 > 0xffff) throw new RangeError('marker segment too long');
	return concatBytes(u16(marker), u16(body.length + 2), body);
}

function box(type: string, content: Uint8Array): Uint8Array {
	return concatBytes(u32(8 + content.length), asciiBytes(type), content);
}

function latin1(text: string): Uint8Array {
	return asciiBytes(text);
}

function u16(value: number): Uint8Array {
	return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

function u32(value: number): Uint8Array {
	return Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}
