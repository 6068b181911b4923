import { decodeBase64 } from './base64-codec';

/**
 * The card's RSA private-key operation: PKCS#1 v1.5 type-1 padding of the DigestInfo the host sends, then the raw
 * RSA exponentiation with BigInt and the Chinese Remainder Theorem (RFC 8017 §5.1.2 / §8.2.1 / §9.2). This is what
 * the real card does for `80 2A 00 80` (facts/jpki.md §4): the host builds the DigestInfo, the card pads and signs.
 *
 * Test keys only. Nothing here is constant-time; it must never hold a real key.
 */

/** The private members of an RSA JWK (RFC 7518 §6.3), base64url. */
export interface RsaPrivateJwk {
	readonly kty: 'RSA';
	readonly n: string;
	readonly e: string;
	readonly d: string;
	readonly p: string;
	readonly q: string;
	readonly dp: string;
	readonly dq: string;
	readonly qi: string;
}

/** PKCS#1 v1.5 needs at least 8 bytes of FF padding: k − 11 = 245 bytes of data for RSA-2048. */
export const RSA_PKCS1_OVERHEAD = 11;

export class RsaCrtPrivateKey {
	readonly modulusBytes: number;
	readonly #n: bigint;
	readonly #p: bigint;
	readonly #q: bigint;
	readonly #dp: bigint;
	readonly #dq: bigint;
	readonly #qi: bigint;

	constructor(jwk: RsaPrivateJwk) {
		this.#n = bytesToBigInt(decodeBase64(jwk.n));
		this.#p = bytesToBigInt(decodeBase64(jwk.p));
		this.#q = bytesToBigInt(decodeBase64(jwk.q));
		this.#dp = bytesToBigInt(decodeBase64(jwk.dp));
		this.#dq = bytesToBigInt(decodeBase64(jwk.dq));
		this.#qi = bytesToBigInt(decodeBase64(jwk.qi));
		if (this.#p * this.#q !== this.#n) throw new RangeError('inconsistent RSA key');
		this.modulusBytes = Math.ceil(this.#n.toString(16).length / 2);
	}

	/** Largest DigestInfo (or other data) the key can sign with PKCS#1 v1.5: 245 bytes for RSA-2048. */
	get maxDataLength(): number {
		return this.modulusBytes - RSA_PKCS1_OVERHEAD;
	}

	/** EM = 00 01 FF…FF 00 ‖ data, then s = EM^d mod n. Returns exactly `modulusBytes` bytes. */
	signPkcs1v15(data: Uint8Array): Uint8Array {
		const k = this.modulusBytes;
		if (data.length > k - RSA_PKCS1_OVERHEAD) throw new RangeError('data too long for PKCS#1 v1.5');
		const em = new Uint8Array(k);
		em[1] = 0x01;
		em.fill(0xff, 2, k - data.length - 1);
		em.set(data, k - data.length);
		const m = bytesToBigInt(em);
		em.fill(0);
		return bigIntToBytes(this.#privateOperation(m), k);
	}

	/** RSADP/RSASP1 with CRT: m1 = c^dp mod p, m2 = c^dq mod q, h = qi·(m1 − m2) mod p, s = m2 + h·q. */
	#privateOperation(c: bigint): bigint {
		const m1 = modPow(c % this.#p, this.#dp, this.#p);
		const m2 = modPow(c % this.#q, this.#dq, this.#q);
		let h = (this.#qi * (m1 - m2)) % this.#p;
		if (h < 0n) h += this.#p;
		return m2 + h * this.#q;
	}
}

/** Left-to-right fixed 4-bit window exponentiation. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
	if (modulus === 1n) return 0n;
	const b = ((base % modulus) + modulus) % modulus;
	const table: bigint[] = [1n, b];
	for (let i = 2; i < 16; i++) table.push((table[i - 1]! * b) % modulus);
	const hex = exponent.toString(16);
	let result = 1n;
	for (const digit of hex) {
		result = (result * result) % modulus;
		result = (result * result) % modulus;
		result = (result * result) % modulus;
		result = (result * result) % modulus;
		const w = parseInt(digit, 16);
		if (w !== 0) result = (result * table[w]!) % modulus;
	}
	return result;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
	let hex = '';
	for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
	return hex.length === 0 ? 0n : BigInt('0x' + hex);
}

export function bigIntToBytes(value: bigint, length: number): Uint8Array {
	const hex = value.toString(16);
	if (hex.length > length * 2) throw new RangeError('integer too large');
	const padded = hex.padStart(length * 2, '0');
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
	return out;
}
