/**
 * What the kiosk's result screens say, as message keys and values, shared by the screen and read-aloud (so the
 * spoken words are the shown words). Personal values (the 4 info) are never part of the spoken text: only their
 * labels, and that the values are on screen (landscape §7: captions, not speech, for personal data). Pure.
 */
import type { BasicInfoField } from '$lib/card/basic-four-info';
import type { PinStatus } from '$lib/card/pin-guard';
import type { MessageKey, MessageParams } from '$lib/i18n';
import type { CertificateInfo } from '$lib/pki/certificate-info';
import type { CertificateCheck } from '$lib/state/certificates.svelte';
import { verdictOf } from '../certificates/verdict';

export type Line = { readonly key: MessageKey; readonly params?: MessageParams };

export type CertificatePlainStatus = 'valid' | 'expired' | 'revoked' | 'unknown' | 'problem';

/** The certificate's state in the few plain words a resident needs. */
export function certificatePlainStatus(certificate: CertificateInfo, check: CertificateCheck): CertificatePlainStatus {
	const verdict = verdictOf(check, certificate);
	switch (verdict.kind) {
		case 'valid':
			return 'valid';
		case 'revoked':
			return 'revoked';
		case 'expired':
			return verdict.which === 'self' ? 'expired' : 'problem';
		case 'revocation-unknown':
			return certificate.validity.expired ? 'expired' : 'unknown';
		default:
			return certificate.validity.expired ? 'expired' : 'problem';
	}
}

/** 「あと n 日」 or 「n 日前に切れました」. */
export function daysLine(certificate: CertificateInfo): Line {
	const days = certificate.validity.daysLeft;
	return days >= 0 ? { key: 'kiosk.result.certificate.daysLeft', params: { days } } : { key: 'kiosk.result.certificate.daysAgo', params: { days: -days } };
}

export function pinLine(status: PinStatus): Line {
	switch (status.state) {
		case 'blocked':
			return { key: 'kiosk.result.pins.blocked' };
		case 'absent':
			return { key: 'kiosk.result.pins.absent' };
		case 'verified':
			return { key: 'kiosk.result.pins.unknown' };
		default:
			return { key: 'kiosk.result.pins.tries', params: { count: status.triesLeft ?? 0 } };
	}
}

export const PIN_NAME_KEYS = {
	auth: 'kiosk.result.pins.auth',
	sign: 'kiosk.result.pins.sign',
	text: 'kiosk.result.pins.text'
} as const satisfies Partial<Record<PinStatus['pin'], MessageKey>>;

export const FIELD_LABEL_KEYS = {
	name: 'info.field.name',
	address: 'info.field.address',
	birthDate: 'info.field.birthDate',
	sex: 'info.field.sex'
} as const satisfies Record<BasicInfoField, MessageKey>;

/** The labels of the shown fields, for speech: 「氏名、住所は、画面に表示しています…」. Never the values. */
export function basicInfoSpeech(fields: readonly BasicInfoField[], t: (key: MessageKey, params?: MessageParams) => string, ja: boolean): string {
	const labels = fields.map((f) => t(FIELD_LABEL_KEYS[f]));
	const joined = ja ? labels.join('、') : labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? '');
	return t('kiosk.speech.infoValues', { labels: ja ? joined : joined.toLowerCase() });
}
