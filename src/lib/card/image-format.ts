import { equalBytes, fromHex } from '../bytes';

export const ImageFormat = { Jp2: 'jp2', J2k: 'j2k', Jpeg: 'jpeg', Png: 'png', Unknown: 'unknown' } as const;
export type ImageFormat = (typeof ImageFormat)[keyof typeof ImageFormat];

/** Magic bytes at offset 0 and the media type each format is served with. */
const Signatures = [
	{ format: ImageFormat.Jp2, magic: fromHex('0000000C6A502020'), mimeType: 'image/jp2' },
	{ format: ImageFormat.J2k, magic: fromHex('FF4FFF51'), mimeType: 'image/j2c' },
	{ format: ImageFormat.Jpeg, magic: fromHex('FFD8FF'), mimeType: 'image/jpeg' },
	{ format: ImageFormat.Png, magic: fromHex('89504E470D0A1A0A'), mimeType: 'image/png' }
] as const;

/** The card's images are said to be JPEG 2000, but no source states the codec (facts/jpki.md §6): sniff, don't assume. */
export function sniffImageFormat(bytes: Uint8Array): { format: ImageFormat; mimeType: string } {
	for (const { format, magic, mimeType } of Signatures) {
		if (bytes.length >= magic.length && equalBytes(bytes.subarray(0, magic.length), magic)) return { format, mimeType };
	}
	return { format: ImageFormat.Unknown, mimeType: 'application/octet-stream' };
}
