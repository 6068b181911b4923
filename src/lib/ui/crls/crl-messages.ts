/**
 * Which message the /crls page shows for a failure, from the typed error of the PKI worker: every refusal a user
 * can meet (not a CRL, signature, unknown issuer, rollback, unknown critical extension, quota, no network…) has
 * its own words. Pure; unit-tested.
 */
import type { ErrorData } from '$lib/errors';
import { errorMessageKey, type MessageKey, type MessageParams } from '$lib/i18n';
import type { ImportStep } from '$lib/state/crls.svelte';

export interface UiMessage {
	readonly key: MessageKey;
	readonly params?: MessageParams;
}

/** A CRL number given as hex (as the store keeps it) in decimal, as operators read it. */
export function crlNumberText(hex: string | undefined): string | undefined {
	if (hex === undefined || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
	return BigInt(`0x${hex}`).toString(10);
}

function detail(error: ErrorData, name: string): string | number | boolean | undefined {
	return error.details?.[name];
}

/** Why a CRL import (from a file or a URL) failed. */
export function crlImportMessage(error: ErrorData): UiMessage {
	const reason = detail(error, 'reason');
	switch (error.kind) {
		case 'aborted':
			return { key: 'crls.error.aborted' };
		case 'malformed':
			return { key: reason === 'empty' ? 'crls.error.empty' : 'crls.error.notCrl' };
		case 'signature-invalid':
			return { key: 'crls.error.signature' };
		case 'crl-rejected':
			switch (reason) {
				case 'unknown-issuer':
					return { key: 'crls.error.unknownIssuer' };
				case 'rollback': {
					const stored = crlNumberText(String(detail(error, 'storedCrlNumber') ?? ''));
					const incoming = crlNumberText(String(detail(error, 'incomingCrlNumber') ?? ''));
					return stored !== undefined && incoming !== undefined
						? { key: 'crls.error.rollbackNumbers', params: { stored, incoming } }
						: { key: 'crls.error.rollback' };
				}
				case 'unsupported':
					switch (detail(error, 'refusal')) {
						case 'critical-extension':
							return { key: 'crls.error.criticalExtension' };
						case 'delta':
							return { key: 'crls.error.delta' };
						default:
							return { key: 'crls.error.unsupported' };
					}
				case 'this-update-in-future':
					return { key: 'crls.error.future' };
				case 'bad-dates':
					return { key: 'crls.error.notCrl' };
				case 'too-large':
					return { key: 'crls.error.tooLarge' };
				case 'url-not-configured':
					return { key: 'crls.error.urlNotConfigured' };
				default:
					return { key: 'error.crl-rejected' };
			}
		case 'quota-exceeded':
			return { key: 'crls.error.quota' };
		case 'storage':
			return { key: reason === 'file' ? 'crls.error.fileRead' : 'error.storage' };
		case 'unsupported':
			// The PKI worker has no network access configured (design §5: only configured CRL URLs, and the CSP).
			return { key: 'crls.error.noNetwork' };
		case 'transport': {
			const status = detail(error, 'status');
			return typeof status === 'number' ? { key: 'crls.error.http', params: { status } } : { key: 'crls.error.unreachable' };
		}
		case 'internal':
			return { key: 'crls.error.unreachable' };
		default:
			return { key: errorMessageKey(error.kind) };
	}
}

/**
 * The import step a refusal belongs to (progress messages from the worker may arrive after its answer, so the last
 * step reported is not a reliable witness). `fallback` is the step the import was in when it ended.
 */
export function failedStep(error: ErrorData, origin: 'file' | 'url', fallback: ImportStep): ImportStep {
	const reason = detail(error, 'reason');
	switch (error.kind) {
		case 'malformed':
			return reason === 'empty' ? 'read' : 'parse';
		case 'signature-invalid':
			return 'signature';
		case 'crl-rejected':
			if (reason === 'unknown-issuer') return 'signature';
			if (reason === 'rollback') return 'store';
			if (reason === 'too-large' || reason === 'url-not-configured') return origin === 'url' ? 'download' : 'read';
			if (reason === 'unsupported' && /entry/i.test(error.message)) return 'index';
			return 'parse';
		case 'quota-exceeded':
			return 'store';
		case 'storage':
			return reason === 'file' ? 'read' : 'store';
		case 'unsupported':
		case 'transport':
		case 'internal':
			return origin === 'url' ? 'download' : fallback;
		default:
			return fallback;
	}
}

/** Why adding a trust anchor failed. */
export function anchorMessage(error: ErrorData): UiMessage {
	const reason = detail(error, 'reason');
	if (error.kind === 'malformed') {
		if (reason === 'not-a-ca') return { key: 'crls.anchors.error.notCa' };
		if (detail(error, 'max') !== undefined) return { key: 'crls.anchors.error.tooMany' };
		return { key: 'crls.anchors.error.notCertificate' };
	}
	if (error.kind === 'signature-invalid' && reason === 'fingerprint') return { key: 'crls.anchors.error.fingerprint' };
	if (error.kind === 'quota-exceeded') return { key: 'crls.error.quota' };
	if (error.kind === 'storage' && reason === 'file') return { key: 'crls.error.fileRead' };
	return { key: errorMessageKey(error.kind) };
}

/** Why saving the CRL addresses failed. */
export function urlMessage(error: ErrorData): UiMessage {
	if (error.kind === 'malformed') return { key: detail(error, 'max') !== undefined ? 'crls.urls.error.tooMany' : 'crls.urls.error.invalid' };
	return { key: errorMessageKey(error.kind) };
}
