import {
	ALWAYS,
	JpkiApFile,
	cardApplication,
	needsPin,
	type CardApplication,
	type CardElementaryFile
} from './card-file-system';
import { JpkiTokenLabel, buildJpkiTokenInfo } from './jpki-token-info';
import { RsaCrtPrivateKey } from './rsa-crt-private-key';
import { TestPki } from './test-pki';
import type { ResolvedVirtualCardOptions } from './virtual-card-options';
import { VirtualCardPinId } from './virtual-card-pin';

/**
 * EF 0008: 3 bytes, byte 0 = signing certificate, byte 1 = authentication certificate; `8F 8F 00` when both are
 * present. The value for "absent" is a guess (00). UNSURE: two unattributed sources, "3バイトだけの謎のEF".
 */
export const CertificatePresence = { present: 0x8f, absent: 0x00 } as const;

export function buildJpkiApplication(options: ResolvedVirtualCardOptions): CardApplication {
	const { certificateSet, variant, hasSignCredential } = options;
	const label = JpkiTokenLabel[variant === 'juki' ? 'juki' : variant === 'phone' ? 'phone' : 'myna'];
	const signCa = TestPki.certificateAuthority('sign');
	const authCa = TestPki.certificateAuthority('auth');
	const files: CardElementaryFile[] = [
		{ type: 'data', fid: JpkiApFile.tokenInfo, content: buildJpkiTokenInfo(label, `TEST${certificateSet.auth.serial}`), read: ALWAYS },
		{
			type: 'data',
			fid: JpkiApFile.certificatePresence,
			content: Uint8Array.of(hasSignCredential ? CertificatePresence.present : CertificatePresence.absent, CertificatePresence.present, 0x00),
			read: ALWAYS
		},
		{ type: 'data', fid: JpkiApFile.signCaCertificate, content: signCa.certificate, read: ALWAYS },
		{
			type: 'data',
			fid: JpkiApFile.authCertificate,
			content: certificateSet.auth.certificate,
			// On phone tokens even the auth certificate needs the auth PIN (myna cli.rs; facts/jpki.md §10).
			read: variant === 'phone' ? needsPin(VirtualCardPinId.auth) : ALWAYS
		},
		{ type: 'data', fid: JpkiApFile.authCaCertificate, content: authCa.certificate, read: ALWAYS },
		{ type: 'key', fid: JpkiApFile.authKey, key: new RsaCrtPrivateKey(certificateSet.auth.privateKeyJwk), use: VirtualCardPinId.auth },
		{ type: 'pin', fid: JpkiApFile.authPin, pin: VirtualCardPinId.auth }
	];
	if (hasSignCredential && certificateSet.sign) {
		files.push(
			// The signing certificate is readable only after VERIFY of the sign password (facts/jpki.md §2, §9.1).
			{ type: 'data', fid: JpkiApFile.signCertificate, content: certificateSet.sign.certificate, read: needsPin(VirtualCardPinId.sign) },
			{ type: 'key', fid: JpkiApFile.signKey, key: new RsaCrtPrivateKey(certificateSet.sign.privateKeyJwk), use: VirtualCardPinId.sign },
			{ type: 'pin', fid: JpkiApFile.signPin, pin: VirtualCardPinId.sign }
		);
	}
	return cardApplication('jpki', files);
}
