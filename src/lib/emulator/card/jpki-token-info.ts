import { asciiBytes, concatBytes } from '../../bytes';

/**
 * JPKI-AP EF 0006, the token info. Hosts read the first 32 bytes (myna) or 20 (TRET) and trim: the label tells a My
 * Number Card from a 住基カード or a phone. One weak source says the EF is a 160-byte serialised PKCS#11
 * CK_TOKEN_INFO with big-endian integers and ASCII version fields (facts/jpki.md §1, UNSURE); this file builds
 * that plausible record: label[32] manufacturerID[32] model[16] serialNumber[16], 11 × uint32 BE,
 * hardwareVersion[2] firmwareVersion[2] utcTime[16] = 160 bytes.
 */

export const JpkiTokenLabel = {
	myna: 'JPKIAPICCTOKEN2',
	juki: 'JPKIAPICCTOKEN',
	phone: 'JPKIAPGPSETOKEN'
} as const;

export const JPKI_TOKEN_INFO_LENGTH = 160;

const CK_UNAVAILABLE_INFORMATION = 0xffffffff;
const CKF = { rng: 0x1, loginRequired: 0x4, userPinInitialized: 0x8, tokenInitialized: 0x400 } as const;

export function buildJpkiTokenInfo(label: string, serialNumber: string): Uint8Array {
	const out = concatBytes(
		padded(label, 32),
		padded('JPKI TEST EMULATOR (NOT J-LIS)', 32),
		padded('VIRTUAL MYNA', 16),
		padded(serialNumber, 16),
		uint32s(
			CKF.rng | CKF.loginRequired | CKF.userPinInitialized | CKF.tokenInitialized, // flags
			0, // ulMaxSessionCount
			0, // ulSessionCount
			0, // ulMaxRwSessionCount
			0, // ulRwSessionCount
			16, // ulMaxPinLen
			4, // ulMinPinLen
			CK_UNAVAILABLE_INFORMATION, // ulTotalPublicMemory
			CK_UNAVAILABLE_INFORMATION, // ulFreePublicMemory
			CK_UNAVAILABLE_INFORMATION, // ulTotalPrivateMemory
			CK_UNAVAILABLE_INFORMATION // ulFreePrivateMemory
		),
		asciiBytes('03'), // hardwareVersion (ASCII, per the one source)
		asciiBytes('01'), // firmwareVersion
		padded('', 16) // utcTime: none
	);
	if (out.length !== JPKI_TOKEN_INFO_LENGTH) throw new Error('token info layout');
	return out;
}

function padded(text: string, length: number): Uint8Array {
	const bytes = asciiBytes(text);
	if (bytes.length > length) throw new RangeError('token info field too long');
	const out = new Uint8Array(length).fill(0x20);
	out.set(bytes);
	return out;
}

function uint32s(...values: number[]): Uint8Array {
	const out = new Uint8Array(values.length * 4);
	const view = new DataView(out.buffer);
	values.forEach((value, i) => view.setUint32(i * 4, value >>> 0, false));
	return out;
}
