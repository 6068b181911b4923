/** The parts of @cornerstonejs/codec-openjpeg (OpenJPEG 2.5 built with Emscripten, decoder only) that this app uses. */
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
	export interface OpenJpegFrameInfo {
		width: number;
		height: number;
		bitsPerSample: number;
		componentCount: number;
		isSigned: boolean;
	}

	export interface OpenJpegDecoder {
		/** A view into the module's memory, `length` bytes long, to copy the JP2 file or J2K codestream into. */
		getEncodedBuffer(length: number): Uint8Array;
		decode(): void;
		getFrameInfo(): OpenJpegFrameInfo;
		/** A view into the module's memory: interleaved samples, 1 byte each up to 8 bits, else 2 (little-endian). */
		getDecodedBuffer(): Uint8Array;
		delete(): void;
	}

	export interface OpenJpegModule {
		J2KDecoder: new () => OpenJpegDecoder;
	}

	export interface OpenJpegModuleOptions {
		/** The .wasm bytes: given, the module fetches nothing itself. */
		wasmBinary?: ArrayBuffer;
		locateFile?: (path: string, prefix: string) => string;
		print?: (text: string) => void;
		printErr?: (text: string) => void;
	}

	const createOpenJpeg: (options?: OpenJpegModuleOptions) => Promise<OpenJpegModule>;
	export default createOpenJpeg;
}
