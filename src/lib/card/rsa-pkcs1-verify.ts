import { toHex } from '../bytes';
import type { RsaPublicKey } from './rsa-public-key';

function toBigInt(bytes: Uint8Array): bigint {
	return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
	let result = 1n;
	let b = base % modulus;
	for (let e = exponent; e > 0n; e >>= 1n) {
		if (e & 1n) result = (result * b) % modulus;
		b = (b * b) % modulus;
	}
	return result;
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF…FF 00 ‖ DigestInfo, `length` bytes; undefined when it cannot fit. */
export function pkcs1v15EncodedMessage(digestInfo: Uint8Array, length: number): Uint8Array | undefined {
	if (digestInfo.length + 11 > length) return undefined;
	const out = new Uint8Array(length).fill(0xff);
	out[0] = 0x00;
	out[1] = 0x01;
	out[length - digestInfo.length - 1] = 0x00;
	out.set(digestInfo, length - digestInfo.length);
	return out;
}

/**
 * RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) with the raw public operation in BigInt, against a DigestInfo
 * the caller built (WebCrypto's verify would need the message, not its digest). Public data only.
 */
export function verifyPkcs1v15(key: RsaPublicKey, digestInfo: Uint8Array, signature: Uint8Array): boolean {
	const k = key.modulus.length;
	if (signature.length !== k) return false;
	const n = toBigInt(key.modulus);
	const s = toBigInt(signature);
	if (s >= n) return false;
	const expected = pkcs1v15EncodedMessage(digestInfo, k);
	if (!expected) return false;
	return modPow(s, toBigInt(key.exponent), n) === toBigInt(expected);
}
