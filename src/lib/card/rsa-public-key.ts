import { readTlv, type Tlv } from '../apdu';
import { equalBytes, fromHex } from '../bytes';
import { ErrorKind, MynaError } from '../errors';

/** An RSA public key as big-endian unsigned integers (no leading zero bytes). */
export interface RsaPublicKey {
	readonly modulus: Uint8Array;
	readonly exponent: Uint8Array;
}

export const RsaKeyLimit = { MinModulusBits: 1024, MaxModulusBits: 4096, MaxExponentBytes: 8 } as const;

const RSA_ENCRYPTION_OID = fromHex('2a864886f70d010101');
const Der = { Integer: 0x02, BitString: 0x03, Oid: 0x06, Sequence: 0x30, Version: 0xa0 } as const;

function malformed(message: string): MynaError {
	return new MynaError(ErrorKind.Malformed, `Certificate public key: ${message}`);
}

function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
	if (!tlv || tlv.tag !== tag) throw malformed(`${what} missing`);
	return tlv;
}

/** The children of one constructed TLV; stops after `max` so a corrupt certificate cannot make this walk long. */
function children(bytes: Uint8Array, parent: Tlv, max: number): Tlv[] {
	const out: Tlv[] = [];
	let pos = parent.valueOffset;
	while (pos < parent.end && out.length < max) {
		const tlv = readTlv(bytes, pos, parent.end);
		out.push(tlv);
		pos = tlv.end;
	}
	return out;
}

function unsignedInteger(bytes: Uint8Array, tlv: Tlv, what: string): Uint8Array {
	let value = bytes.subarray(tlv.valueOffset, tlv.end);
	if (value.length === 0 || (value[0]! & 0x80) !== 0) throw malformed(`${what} is not a positive integer`);
	while (value.length > 1 && value[0] === 0) value = value.subarray(1);
	return value.slice();
}

/**
 * The RSA public key of an X.509 certificate, found by walking the fixed path Certificate → tbsCertificate →
 * subjectPublicKeyInfo (RFC 5280 §4.1) with the strict BER reader: a fixed number of steps, no recursion.
 * Only rsaEncryption keys of 1024–4096 bits are accepted (JPKI uses RSA-2048).
 */
export function certificatePublicKey(der: Uint8Array): RsaPublicKey {
	const certificate = expectTag(readTlv(der, 0), Der.Sequence, 'certificate');
	if (certificate.end !== der.length) throw malformed('bytes after the certificate');
	const tbs = expectTag(children(der, certificate, 1)[0], Der.Sequence, 'tbsCertificate');
	const fields = children(der, tbs, 8);
	const start = fields[0]?.tag === Der.Version ? 1 : 0;
	// serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
	expectTag(fields[start], Der.Integer, 'serial number');
	for (let i = 1; i <= 4; i++) expectTag(fields[start + i], Der.Sequence, 'tbsCertificate field');
	const spki = expectTag(fields[start + 5], Der.Sequence, 'subjectPublicKeyInfo');
	const [algorithm, bitString] = children(der, spki, 2);
	const oid = expectTag(children(der, expectTag(algorithm, Der.Sequence, 'algorithm'), 1)[0], Der.Oid, 'algorithm OID');
	if (!equalBytes(der.subarray(oid.valueOffset, oid.end), RSA_ENCRYPTION_OID)) throw malformed('not an RSA key');
	const keyBits = expectTag(bitString, Der.BitString, 'subjectPublicKey');
	if (keyBits.valueLength < 1 || der[keyBits.valueOffset] !== 0) throw malformed('subjectPublicKey has unused bits');
	const rsaKey = expectTag(readTlv(der, keyBits.valueOffset + 1, keyBits.end), Der.Sequence, 'RSAPublicKey');
	if (rsaKey.end !== keyBits.end) throw malformed('bytes after RSAPublicKey');
	const [n, e] = children(der, rsaKey, 3);
	const modulus = unsignedInteger(der, expectTag(n, Der.Integer, 'modulus'), 'modulus');
	const exponent = unsignedInteger(der, expectTag(e, Der.Integer, 'exponent'), 'exponent');
	const bits = modulus.length * 8 - Math.clz32(modulus[0]!) + 24;
	if (bits < RsaKeyLimit.MinModulusBits || bits > RsaKeyLimit.MaxModulusBits) throw malformed('modulus size out of range');
	const even = (exponent[exponent.length - 1]! & 1) === 0;
	if (exponent.length > RsaKeyLimit.MaxExponentBytes || even || (exponent.length === 1 && exponent[0]! < 3)) {
		throw malformed('unusable public exponent');
	}
	return { modulus, exponent };
}

/** Length of the modulus in bytes: the length of every signature the key makes. */
export function modulusLength(key: RsaPublicKey): number {
	return key.modulus.length;
}
