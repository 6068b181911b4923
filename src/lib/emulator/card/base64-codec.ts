/** Base64 / base64url for fixtures and JWK members; runs the same in Node and the browser. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_TABLE: ReadonlyMap<string, number> = new Map(
	[...ALPHABET].map((ch, i) => [ch, i] as const).concat([
		['-', 62],
		['_', 63]
	])
);

/** Decodes standard or url-safe base64, padded or not; throws on any other character. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
	const clean = text.replace(/=+$/, '');
	if (clean.length % 4 === 1) throw new TypeError('not base64');
	const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
	let buffer = 0;
	let bits = 0;
	let index = 0;
	for (const ch of clean) {
		const value = DECODE_TABLE.get(ch);
		if (value === undefined) throw new TypeError('not base64');
		buffer = (buffer << 6) | value;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[index++] = (buffer >>> bits) & 0xff;
		}
	}
	return out;
}

export function encodeBase64(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const a = bytes[i]!;
		const b = bytes[i + 1];
		const c = bytes[i + 2];
		const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
		out += ALPHABET[(n >>> 18) & 63]! + ALPHABET[(n >>> 12) & 63]!;
		out += b === undefined ? '=' : ALPHABET[(n >>> 6) & 63]!;
		out += c === undefined ? '=' : ALPHABET[n & 63]!;
	}
	return out;
}
