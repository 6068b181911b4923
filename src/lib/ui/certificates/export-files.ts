/** Certificate export: PEM text, file names, and a download through a blob URL made on click and revoked after. */

export type ExportFormat = 'pem' | 'der';

function base64(bytes: Uint8Array): string {
	let binary = '';
	const chunk = 0x8000;
	for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
	return btoa(binary);
}

/** RFC 7468 textual encoding: `-----BEGIN CERTIFICATE-----`, base64 in lines of 64, LF line ends. */
export function certificateToPem(der: Uint8Array): string {
	const lines = base64(der).match(/.{1,64}/g) ?? [];
	return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const FILE_STEM = {
	auth: 'jpki-auth-certificate',
	sign: 'jpki-sign-certificate',
	'auth-ca': 'jpki-auth-ca-certificate',
	'sign-ca': 'jpki-sign-ca-certificate'
} as const;

/** e.g. `jpki-auth-certificate-20000101.pem`; the serial is hex, so the name is always safe. */
export function exportFileName(kind: keyof typeof FILE_STEM, serialHex: string, format: ExportFormat): string {
	const serial = serialHex.replace(/[^0-9A-Fa-f]/g, '').slice(0, 40);
	return `${FILE_STEM[kind]}${serial ? `-${serial}` : ''}.${format}`;
}

export function exportBlob(der: Uint8Array, format: ExportFormat): Blob {
	return format === 'pem'
		? new Blob([certificateToPem(der)], { type: 'application/x-pem-file' })
		: new Blob([der.slice().buffer as ArrayBuffer], { type: 'application/pkix-cert' });
}

/** Saves a blob as a file: the object URL lives only for this click. */
export function downloadBlob(blob: Blob, fileName: string, doc: Document = document): void {
	const url = URL.createObjectURL(blob);
	const link = doc.createElement('a');
	link.href = url;
	link.download = fileName;
	link.rel = 'noopener';
	link.style.display = 'none';
	doc.body.append(link);
	try {
		link.click();
	} finally {
		link.remove();
		// The download has started from the click; give the browser a moment to take the blob, then revoke.
		setTimeout(() => URL.revokeObjectURL(url), 1000);
	}
}
