/**
 * Turns an image read from the card's 券面AP into something an <img> can show: a Blob (PNG) kept only in memory.
 * The face photo is said to be JPEG 2000 (facts/jpki.md §6, UNSURE), so the format is sniffed by the card layer;
 * JP2 / J2K are decoded here with OpenJPEG compiled to WebAssembly (@cornerstonejs/codec-openjpeg, decoder only).
 *
 * This module is imported only with `import()` by the /info page, and it loads the decoder only when a JPEG 2000
 * image is actually there: no other page carries the decoder. The .wasm file is served by this app itself (a Vite
 * asset) and handed to the module as bytes, so the decoder fetches nothing and talks to nobody.
 */
import type { CardImage } from '$lib/card/card-face';
import type { OpenJpegModule } from '@cornerstonejs/codec-openjpeg/decodewasmjs';

export const CardImageError = {
	/** The bytes are not an image format this app knows (not JP2, J2K, JPEG or PNG). */
	UnknownFormat: 'unknown-format',
	/** The decoder failed, or the decoded image is not something we can draw. */
	DecodeFailed: 'decode-failed'
} as const;
export type CardImageError = (typeof CardImageError)[keyof typeof CardImageError];

export class CardImageDecodeError extends Error {
	override readonly name = 'CardImageDecodeError';
	readonly reason: CardImageError;
	constructor(reason: CardImageError) {
		super(reason === CardImageError.UnknownFormat ? 'Unknown image format' : 'The image could not be decoded');
		this.reason = reason;
	}
}

let openJpeg: Promise<OpenJpegModule> | undefined;

async function loadOpenJpeg(): Promise<OpenJpegModule> {
	openJpeg ??= (async () => {
		const [{ default: createOpenJpeg }, { default: wasmUrl }] = await Promise.all([
			import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
			import('@cornerstonejs/codec-openjpeg/decodewasm?url')
		]);
		const response = await fetch(wasmUrl, { credentials: 'same-origin' });
		if (!response.ok) throw new Error('decoder not available');
		const wasmBinary = await response.arrayBuffer();
		const quiet = () => {};
		return createOpenJpeg({ wasmBinary, locateFile: () => wasmUrl, print: quiet, printErr: quiet });
	})();
	try {
		return await openJpeg;
	} catch (error) {
		openJpeg = undefined;
		throw error;
	}
}

export interface DecodedImage {
	readonly width: number;
	readonly height: number;
	/** RGBA, 8 bits per sample. */
	readonly rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** Decodes a JP2 file or a J2K codestream to RGBA with OpenJPEG (greyscale, RGB, RGBA; up to 16 bits per sample). */
export async function decodeJpeg2000(bytes: Uint8Array): Promise<DecodedImage> {
	const module = await loadOpenJpeg();
	const decoder = new module.J2KDecoder();
	let encoded: Uint8Array | undefined;
	try {
		encoded = decoder.getEncodedBuffer(bytes.length);
		encoded.set(bytes);
		decoder.decode();
		const { width, height, bitsPerSample, componentCount } = decoder.getFrameInfo();
		const raw = decoder.getDecodedBuffer();
		const bytesPerSample = bitsPerSample > 8 ? 2 : 1;
		const pixels = width * height;
		if (width < 1 || height < 1 || ![1, 2, 3, 4].includes(componentCount) || raw.length < pixels * componentCount * bytesPerSample) {
			throw new CardImageDecodeError(CardImageError.DecodeFailed);
		}
		const shift = Math.max(0, bitsPerSample - 8);
		const sample =
			bytesPerSample === 1 ? (i: number) => raw[i]! : (i: number) => ((raw[2 * i]! | (raw[2 * i + 1]! << 8)) >> shift) & 0xff;
		const rgba = new Uint8ClampedArray(pixels * 4);
		for (let p = 0; p < pixels; p++) {
			const base = p * componentCount;
			const grey = componentCount <= 2;
			rgba[4 * p] = sample(base);
			rgba[4 * p + 1] = grey ? sample(base) : sample(base + 1);
			rgba[4 * p + 2] = grey ? sample(base) : sample(base + 2);
			rgba[4 * p + 3] = componentCount === 4 ? sample(base + 3) : componentCount === 2 ? sample(base + 1) : 255;
		}
		raw.fill(0);
		return { width, height, rgba };
	} catch (error) {
		if (error instanceof CardImageDecodeError) throw error;
		throw new CardImageDecodeError(CardImageError.DecodeFailed);
	} finally {
		// Best effort: the copies inside the decoder's memory (a view is empty if that memory has grown since).
		encoded?.fill(0);
		decoder.delete();
	}
}

async function toPng(image: DecodedImage): Promise<Blob> {
	const data = new ImageData(image.rgba, image.width, image.height);
	try {
		if (typeof OffscreenCanvas !== 'undefined') {
			const canvas = new OffscreenCanvas(image.width, image.height);
			const context = canvas.getContext('2d');
			if (!context) throw new CardImageDecodeError(CardImageError.DecodeFailed);
			context.putImageData(data, 0, 0);
			return await canvas.convertToBlob({ type: 'image/png' });
		}
		const canvas = document.createElement('canvas');
		canvas.width = image.width;
		canvas.height = image.height;
		const context = canvas.getContext('2d');
		if (!context) throw new CardImageDecodeError(CardImageError.DecodeFailed);
		context.putImageData(data, 0, 0);
		const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
		if (!blob) throw new CardImageDecodeError(CardImageError.DecodeFailed);
		return blob;
	} finally {
		image.rgba.fill(0);
	}
}

/**
 * A Blob an <img> can show (through `URL.createObjectURL`, which the caller revokes when it wipes the screen), plus
 * the pixel size. The input bytes are zeroed once used. Throws CardImageDecodeError.
 */
export async function cardImageToBlob(image: CardImage): Promise<{ blob: Blob; width?: number; height?: number }> {
	try {
		switch (image.format) {
			case 'jp2':
			case 'j2k': {
				const decoded = await decodeJpeg2000(image.bytes);
				const { width, height } = decoded;
				return { blob: await toPng(decoded), width, height };
			}
			case 'jpeg':
			case 'png':
				return { blob: new Blob([image.bytes.slice()], { type: image.mimeType }) };
			default:
				throw new CardImageDecodeError(CardImageError.UnknownFormat);
		}
	} finally {
		image.bytes.fill(0);
	}
}
