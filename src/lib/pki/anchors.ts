/** The shipped J-LIS trust anchors as DER (decoded once), plus helpers for operator-added ones. */
import { malformed } from './der';
import { JLIS_ANCHORS, type JlisAnchor } from './fixtures/jlis-anchors';

export function base64ToBytes(text: string): Uint8Array {
	const clean = text.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw malformed('not base64');
	const binary = atob(clean);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

let decoded: readonly Uint8Array[] | undefined;

/** DER of the shipped J-LIS anchors (sign and auth CAs, generations 1 and 3). */
export function jlisAnchorCertificates(): readonly Uint8Array[] {
	decoded ??= JLIS_ANCHORS.map((a) => base64ToBytes(a.base64));
	return decoded;
}

export { JLIS_ANCHORS, type JlisAnchor };
