// A strict, bounded reader of a Signed Web Bundle (.swbn): the integrity block (v2) in front of a web bundle.
// Format: WICG/webpackage explainers/integrity-signature.md and the wbn-sign implementation (integrity block
// v2 = CBOR [magic "🖋📦", "2b\0\0", { webBundleId }, [[{ ed25519PublicKey }, signature], …]]).
// Only the CBOR the integrity block uses is accepted (definite lengths; unsigned ints, byte and text strings,
// arrays, maps with text keys); anything else, any overrun or any trailing byte is an error. Node built-ins only.
import { createHash, createPublicKey, verify } from 'node:crypto';

export const SIGNED_BUNDLE_LIMITS = Object.freeze({
	/** The integrity block is small (a key and a signature per signer); more than this is not a bundle of ours. */
	maxIntegrityBlockBytes: 64 * 1024,
	maxSignatures: 8,
	maxDepth: 4,
	maxItems: 64
});

const MAGIC = Uint8Array.from([0xf0, 0x9f, 0x96, 0x8b, 0xf0, 0x9f, 0x93, 0xa6]);
const VERSION_B2 = Uint8Array.from([0x32, 0x62, 0x00, 0x00]);
/** Web Bundle ID type suffix of an Ed25519 key (WICG/isolated-web-apps Scheme.md). */
const ED25519_ID_SUFFIX = Uint8Array.from([0x00, 0x01, 0x02]);

export class SignedWebBundleError extends Error {
	/** @param {string} code @param {string} message */
	constructor(code, message) {
		super(message);
		this.name = 'SignedWebBundleError';
		this.code = code;
	}
}

const fail = (code, message) => {
	throw new SignedWebBundleError(code, message);
};

/**
 * One CBOR item at `offset`, limited to the types the integrity block uses.
 * @returns {{ value: unknown, start: number, end: number }}
 */
function readItem(bytes, offset, end, depth) {
	if (depth > SIGNED_BUNDLE_LIMITS.maxDepth) fail('cbor-depth', 'CBOR nested too deeply');
	if (offset >= end) fail('truncated', 'CBOR item runs past the end');
	const initial = bytes[offset];
	const major = initial >> 5;
	const info = initial & 0x1f;
	let pos = offset + 1;
	let length;
	if (info < 24) length = info;
	else if (info <= 27) {
		const size = 1 << (info - 24);
		if (pos + size > end) fail('truncated', 'CBOR length runs past the end');
		let n = 0n;
		for (let i = 0; i < size; i++) n = (n << 8n) | BigInt(bytes[pos + i]);
		pos += size;
		if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail('cbor-length', 'CBOR length too large');
		length = Number(n);
		// Deterministic CBOR: the shortest form only.
		if ((info === 24 && length < 24) || (info > 24 && length < 2 ** (8 * (size / 2)))) fail('cbor-not-minimal', 'CBOR length not in its shortest form');
	} else fail('cbor-unsupported', `CBOR additional info ${info} is not accepted`);

	switch (major) {
		case 0:
			return { value: length, start: offset, end: pos };
		case 2:
		case 3: {
			if (length > end - pos) fail('truncated', 'CBOR string runs past the end');
			const raw = bytes.subarray(pos, pos + length);
			let value = raw;
			if (major === 3) {
				try {
					value = new TextDecoder('utf-8', { fatal: true }).decode(raw);
				} catch {
					fail('cbor-utf8', 'CBOR text is not UTF-8');
				}
			}
			return { value, start: offset, end: pos + length };
		}
		case 4: {
			if (length > SIGNED_BUNDLE_LIMITS.maxItems || length > end - pos) fail('cbor-length', 'CBOR array too long');
			const items = [];
			for (let i = 0; i < length; i++) {
				const item = readItem(bytes, pos, end, depth + 1);
				items.push(item);
				pos = item.end;
			}
			return { value: items, start: offset, end: pos };
		}
		case 5: {
			if (length > SIGNED_BUNDLE_LIMITS.maxItems || 2 * length > end - pos) fail('cbor-length', 'CBOR map too long');
			const map = new Map();
			for (let i = 0; i < length; i++) {
				const key = readItem(bytes, pos, end, depth + 1);
				if (typeof key.value !== 'string') fail('cbor-map-key', 'CBOR map key is not text');
				if (map.has(key.value)) fail('cbor-map-key', `duplicate CBOR map key ${key.value}`);
				const value = readItem(bytes, key.end, end, depth + 1);
				map.set(key.value, value);
				pos = value.end;
			}
			return { value: map, start: offset, end: pos };
		}
		default:
			return fail('cbor-unsupported', `CBOR major type ${major} is not accepted`);
	}
}

const equalBytes = (a, b) => a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);

function bytesOf(item, length, what) {
	if (!(item.value instanceof Uint8Array) || (length !== undefined && item.value.length !== length)) fail('integrity-block', `${what} is not ${length ?? 'a'} byte string`);
	return item.value;
}

function onlyKey(item, key, what) {
	if (!(item.value instanceof Map) || item.value.size !== 1 || !item.value.has(key)) fail('integrity-block', `${what} must hold exactly "${key}"`);
	return item.value.get(key);
}

/** RFC 4648 base32, lower case, no padding: the Web Bundle ID of an Ed25519 public key. */
export function webBundleIdOf(publicKey) {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
	const input = Uint8Array.from([...publicKey, ...ED25519_ID_SUFFIX]);
	let out = '';
	let bits = 0;
	let value = 0;
	for (const byte of input) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += alphabet[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
		value &= (1 << bits) - 1;
	}
	if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
	return out;
}

/**
 * Splits a signed web bundle into its integrity block and its web bundle, strictly.
 * @param {Uint8Array} bytes
 */
export function readSignedWebBundle(bytes) {
	if (!(bytes instanceof Uint8Array)) fail('input', 'not bytes');
	const limit = Math.min(bytes.length, SIGNED_BUNDLE_LIMITS.maxIntegrityBlockBytes);
	let top;
	try {
		top = readItem(bytes, 0, bytes.length, 0);
	} catch (e) {
		if (e instanceof SignedWebBundleError && e.code === 'truncated' && bytes.length > limit) fail('integrity-block', 'integrity block too large');
		throw e;
	}
	if (top.end > limit) fail('integrity-block', 'integrity block too large');
	if (!Array.isArray(top.value) || top.value.length !== 4) fail('integrity-block', 'integrity block is not a 4-item array');
	const [magic, version, attributes, stack] = top.value;
	if (!equalBytes(magic.value, MAGIC)) fail('magic', 'not a signed web bundle (magic)');
	if (!equalBytes(version.value, VERSION_B2)) fail('version', 'integrity block version is not 2b');
	const idItem = onlyKey(attributes, 'webBundleId', 'integrity block attributes');
	if (typeof idItem.value !== 'string' || !/^[a-z2-7]{1,128}$/.test(idItem.value)) fail('integrity-block', 'webBundleId is not a base32 ID');
	if (!Array.isArray(stack.value) || stack.value.length < 1 || stack.value.length > SIGNED_BUNDLE_LIMITS.maxSignatures) fail('integrity-block', 'signature stack must hold 1 to 8 signatures');
	const signatures = stack.value.map((entry) => {
		if (!Array.isArray(entry.value) || entry.value.length !== 2) fail('integrity-block', 'a signature is not [attributes, signature]');
		const [sigAttributes, signature] = entry.value;
		const publicKey = bytesOf(onlyKey(sigAttributes, 'ed25519PublicKey', 'signature attributes'), 32, 'ed25519PublicKey');
		return { publicKey, signature: bytesOf(signature, 64, 'Ed25519 signature'), attributesCbor: bytes.subarray(sigAttributes.start, sigAttributes.end) };
	});

	const webBundle = bytes.subarray(top.end);
	if (webBundle.length < 8) fail('web-bundle', 'no web bundle after the integrity block');
	const declared = new DataView(webBundle.buffer, webBundle.byteOffset + webBundle.length - 8, 8).getBigUint64(0);
	if (declared !== BigInt(webBundle.length)) fail('web-bundle', 'web bundle length field does not match its size');

	// What each signer signed includes the integrity block with an empty signature stack: the bytes up to the
	// stack, then an empty CBOR array (0x80).
	const unsignedIntegrityBlock = Uint8Array.from([...bytes.subarray(0, stack.start), 0x80]);
	return { webBundleId: idItem.value, signatures, webBundle, integrityBlockLength: top.end, unsignedIntegrityBlock };
}

function lengthPrefixed(parts) {
	const chunks = [];
	for (const part of parts) {
		const length = Buffer.alloc(8);
		length.writeBigUInt64BE(BigInt(part.length));
		chunks.push(length, Buffer.from(part.buffer, part.byteOffset, part.length));
	}
	return Buffer.concat(chunks);
}

/**
 * Checks every signature over (hash of the web bundle, unsigned integrity block, signature attributes), and that the
 * Web Bundle ID is the first signer's key. Returns the verified public keys.
 * @param {ReturnType<typeof readSignedWebBundle>} parsed
 */
export function verifySignedWebBundle(parsed) {
	const hash = createHash('sha512').update(parsed.webBundle).digest();
	for (const { publicKey, signature, attributesCbor } of parsed.signatures) {
		const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
		const data = lengthPrefixed([hash, parsed.unsignedIntegrityBlock, attributesCbor]);
		if (!verify(null, data, key, signature)) fail('signature', 'a signature does not verify');
	}
	const firstSigner = /** @type {{ publicKey: Uint8Array }} */ (parsed.signatures[0]);
	if (webBundleIdOf(firstSigner.publicKey) !== parsed.webBundleId) fail('web-bundle-id', 'the Web Bundle ID is not the signing key’s');
	return parsed.signatures.map((s) => s.publicKey);
}
