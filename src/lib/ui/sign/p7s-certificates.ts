import { DerCursor, elementOf, readRoot, Tag } from '$lib/pki/der';

/**
 * The certificates a .p7s carries (SignedData.certificates), as DER, so the page can ask the PKI worker for the
 * signer's name only when the user wants it. Structure only: the PKI worker has already verified the file; a file
 * that does not have this shape yields no certificates.
 */
export function embeddedCertificates(p7s: Uint8Array): Uint8Array[] {
	try {
		const contentInfo = DerCursor.inside(p7s, readRoot(p7s, Tag.Sequence, 'ContentInfo'));
		contentInfo.next(Tag.Oid, 'contentType');
		const explicit = DerCursor.inside(p7s, contentInfo.next(0xa0, 'content'));
		const signedData = DerCursor.inside(p7s, explicit.next(Tag.Sequence, 'SignedData'));
		signedData.next(Tag.Integer, 'version');
		signedData.next(Tag.Set, 'digestAlgorithms');
		signedData.next(Tag.Sequence, 'encapContentInfo');
		const set = signedData.optional(0xa0);
		if (!set) return [];
		const certificates: Uint8Array[] = [];
		const cursor = DerCursor.inside(p7s, set);
		while (!cursor.done) {
			const tlv = cursor.next(undefined, 'certificate');
			if (tlv.tag === Tag.Sequence) certificates.push(elementOf(p7s, tlv).slice());
		}
		return certificates;
	} catch {
		return [];
	}
}
