/** Operator settings: the CRL URLs the app may fetch, and trust anchors added beyond the shipped J-LIS ones. */
import { ErrorKind, MynaError } from '../errors';
import { parseCertificate } from '../pki/certificate';
import { nameToString } from '../pki/name';
import type { AnchorRecord, PkiDatabase } from './pki-database';
import { toStorageError } from './storage-error';

export const SettingsLimits = {
	maxCrlUrls: 32,
	maxUrlLength: 2048,
	maxExtraAnchors: 32
} as const;

/** Normalises a CRL URL; only http(s) without credentials is accepted. */
export function normalizeCrlUrl(text: string): string {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw new MynaError(ErrorKind.Malformed, 'Not a valid address.', { reason: 'url' });
	}
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.href.length > SettingsLimits.maxUrlLength) {
		throw new MynaError(ErrorKind.Malformed, 'A CRL address must be an http or https URL without credentials.', { reason: 'url' });
	}
	url.hash = '';
	return url.href;
}

export interface ExtraAnchor {
	readonly fingerprint: string;
	readonly subject: string;
	readonly label: string;
	readonly addedAt: number;
}

export class SettingsStore {
	constructor(readonly database: PkiDatabase) {}

	async crlUrls(): Promise<string[]> {
		const db = await this.database.connection();
		const record = await db.get('settings', 'crlUrls').catch((error: unknown) => {
			throw toStorageError(error, 'reading settings');
		});
		return record?.key === 'crlUrls' ? [...record.value] : [];
	}

	async setCrlUrls(urls: readonly string[]): Promise<string[]> {
		if (urls.length > SettingsLimits.maxCrlUrls) throw new MynaError(ErrorKind.Malformed, 'Too many CRL addresses.', { max: SettingsLimits.maxCrlUrls });
		const value = [...new Set(urls.map(normalizeCrlUrl))];
		const db = await this.database.connection();
		await db.put('settings', { key: 'crlUrls', value }).catch((error: unknown) => {
			throw toStorageError(error, 'saving settings');
		});
		return value;
	}

	async #anchorRecords(): Promise<AnchorRecord[]> {
		const db = await this.database.connection();
		const record = await db.get('settings', 'extraAnchors').catch((error: unknown) => {
			throw toStorageError(error, 'reading settings');
		});
		return record?.key === 'extraAnchors' ? [...record.value] : [];
	}

	async extraAnchors(): Promise<ExtraAnchor[]> {
		return (await this.#anchorRecords()).map(({ fingerprint, subject, label, addedAt }) => ({ fingerprint, subject, label, addedAt }));
	}

	async extraAnchorCertificates(): Promise<Uint8Array[]> {
		return (await this.#anchorRecords()).map((r) => new Uint8Array(r.der));
	}

	/**
	 * Adds a CA certificate as a trust anchor. With `expectedFingerprint` (SHA-256 hex, separators ignored) the
	 * certificate must match it: the operator pins what they add.
	 */
	async addAnchor(der: Uint8Array, options: { label?: string; expectedFingerprint?: string } = {}): Promise<ExtraAnchor> {
		const cert = await parseCertificate(der);
		if (cert.basicConstraints?.ca !== true) throw new MynaError(ErrorKind.Malformed, 'A trust anchor must be a CA certificate.', { reason: 'not-a-ca' });
		const expected = options.expectedFingerprint?.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
		if (expected !== undefined && expected !== cert.fingerprint) {
			throw new MynaError(ErrorKind.SignatureInvalid, 'The certificate does not match the expected fingerprint.', { reason: 'fingerprint' });
		}
		const records = await this.#anchorRecords();
		const existing = records.find((r) => r.fingerprint === cert.fingerprint);
		const subject = nameToString(cert.subject);
		const record: AnchorRecord = existing ?? {
			fingerprint: cert.fingerprint,
			subject,
			label: options.label?.slice(0, 200) ?? subject,
			der: cert.der.slice().buffer as ArrayBuffer,
			addedAt: Date.now()
		};
		if (!existing) {
			if (records.length >= SettingsLimits.maxExtraAnchors) throw new MynaError(ErrorKind.Malformed, 'Too many trust anchors.', { max: SettingsLimits.maxExtraAnchors });
			const db = await this.database.connection();
			await db.put('settings', { key: 'extraAnchors', value: [...records, record] }).catch((error: unknown) => {
				throw toStorageError(error, 'saving a trust anchor');
			});
		}
		return { fingerprint: record.fingerprint, subject: record.subject, label: record.label, addedAt: record.addedAt };
	}

	async removeAnchor(fingerprint: string): Promise<void> {
		const records = await this.#anchorRecords();
		const db = await this.database.connection();
		await db.put('settings', { key: 'extraAnchors', value: records.filter((r) => r.fingerprint !== fingerprint.toUpperCase()) }).catch((error: unknown) => {
			throw toStorageError(error, 'removing a trust anchor');
		});
	}
}
