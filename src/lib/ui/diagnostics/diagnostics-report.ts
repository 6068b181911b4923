import { carriesSecret, formatTraceEntry, TRACE_MASK, TraceDirection, type ApduTraceEntry } from '../../apdu';
import type { MessageKey, MessageParams } from '../../i18n';
import type { RouteReport } from '../../readers/routes';
import type { BrowserIdentity, ReaderRow, ServiceWorkerStatus, StorageStatus, WorkerReport } from '../../state/diagnostics.svelte';

export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The browser capabilities the page and the report list, in this order. */
export function capabilityRows(routes: RouteReport, indexedDb: boolean): { id: string; label: MessageKey; value: boolean }[] {
	return [
		{ id: 'secureContext', label: 'routes.secureContext', value: routes.secureContext },
		{ id: 'isolatedContext', label: 'routes.isolatedContext', value: routes.isolatedContext },
		{ id: 'webUsb', label: 'routes.webUsb', value: routes.webUsb },
		{ id: 'usbUnrestricted', label: 'routes.usbUnrestricted', value: routes.usbUnrestricted },
		{ id: 'smartCard', label: 'routes.smartCard', value: routes.smartCard },
		{ id: 'webNfc', label: 'routes.webNfc', value: routes.webNfc },
		{ id: 'workers', label: 'diag.cap.workers', value: routes.workers },
		{ id: 'indexedDb', label: 'diag.cap.indexedDb', value: indexedDb }
	];
}

/**
 * A trace entry as shown and exported. The card worker already masks secrets; this masks a secret-carrying command
 * again should one ever arrive unmasked, so neither the screen nor the report can show a PIN.
 */
export function safeTraceEntry(entry: ApduTraceEntry): ApduTraceEntry {
	if (entry.direction !== TraceDirection.Command || entry.ins === undefined || !carriesSecret(entry.ins)) return entry;
	const header = entry.hex.split(' ').slice(0, 4);
	if (entry.hex.includes(TRACE_MASK) || entry.hex.split(' ').length <= 4) return entry;
	return { ...entry, hex: `${header.join(' ')} ${TRACE_MASK}`, masked: true };
}

export function formatBytes(bytes: number, locale: string): string {
	const units = [
		[1e9, 'GB'],
		[1e6, 'MB'],
		[1e3, 'kB']
	] as const;
	const format = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 1 });
	for (const [size, unit] of units) if (bytes >= size) return `${format.format(bytes / size)} ${unit}`;
	return `${format.format(bytes)} B`;
}

export function storageText(storage: StorageStatus | undefined, locale: string, t: Translate): string {
	if (!storage?.available) return t('diag.storage.unavailable');
	return t('diag.storage.value', { usage: formatBytes(storage.usage, locale), quota: formatBytes(storage.quota, locale) });
}

export function serviceWorkerKey(status: ServiceWorkerStatus): MessageKey {
	return `diag.sw.${status}` as MessageKey;
}

export interface DiagnosticsReportInput {
	generatedAt: Date;
	appVersion: string;
	origin: string;
	locale: string;
	demo: boolean;
	browser: BrowserIdentity | undefined;
	routes: RouteReport;
	indexedDb: boolean;
	serviceWorker: ServiceWorkerStatus;
	storage: StorageStatus | undefined;
	workers: { label: MessageKey; report: WorkerReport }[];
	readers: ReaderRow[];
	trace: readonly ApduTraceEntry[];
}

/**
 * The plain-text report for a helpdesk. Built only from what the page shows: versions, capabilities, reader
 * identities and the redacted trace. Never a PIN, a certificate, the 4 info or the my number.
 */
export function diagnosticsReport(input: DiagnosticsReportInput, t: Translate): string {
	const yesNo = (value: boolean | undefined) => (value === undefined ? t('diag.none') : t(value ? 'diag.yes' : 'diag.no'));
	const line = (label: string, value: string) => `${label}: ${value}`;
	const out: string[] = [];

	out.push(t('diag.report.heading'));
	out.push(line(t('diag.report.generated'), input.generatedAt.toISOString()));
	out.push(line(t('diag.report.appVersion'), input.appVersion));
	out.push(line(t('diag.report.origin'), input.origin));
	out.push(line(t('diag.report.language'), input.locale));
	out.push(line(t('diag.report.demo'), yesNo(input.demo)));

	out.push('', `[${t('diag.browser.title')}]`);
	const browser = input.browser;
	out.push(line(t('diag.browser.name'), browser && browser.brands.length > 0 ? browser.brands.join(', ') : t('diag.browser.unknown')));
	out.push(line(t('diag.browser.platform'), browser?.platform ?? t('diag.browser.unknown')));
	out.push(line(t('diag.browser.mobile'), yesNo(browser?.mobile)));
	out.push(line(t('diag.browser.userAgent'), browser?.userAgent || t('diag.browser.unknown')));
	for (const row of capabilityRows(input.routes, input.indexedDb)) out.push(line(t(row.label), yesNo(row.value)));
	out.push(line(t('diag.cap.serviceWorker'), t(serviceWorkerKey(input.serviceWorker))));
	out.push(line(t('diag.storage'), storageText(input.storage, input.locale, t)));
	if (input.storage?.available && input.storage.persisted !== undefined) out.push(line(t('diag.storage.persisted'), yesNo(input.storage.persisted)));

	out.push('', `[${t('diag.workers.title')}]`);
	for (const worker of input.workers) {
		const r = worker.report;
		const value =
			r.state === 'ready'
				? [
						`${t('diag.workers.version')} ${r.version}`,
						`${t('diag.workers.answer')} ${t('diag.ms', { ms: r.answerMs })}`,
						`${t('diag.workers.startup')} ${t('diag.workers.startupValue', { ms: r.startupMs })}`,
						`${t('diag.workers.webCrypto')} ${yesNo(r.webCrypto)}`
					].join(', ')
				: t(r.state === 'failed' ? 'workers.failed' : 'workers.waiting');
		out.push(line(t(worker.label), value));
	}

	out.push('', `[${t('diag.readers.title')}]`);
	if (input.readers.length === 0) out.push(t('diag.readers.none'));
	input.readers.forEach((reader, index) => {
		out.push(`${index + 1}. ${reader.name}`);
		const field = (label: MessageKey, value: string) => out.push(`   ${line(t(label), value)}`);
		field('diag.readers.vidPid', reader.vidPid ?? t('diag.none'));
		field('diag.readers.route', reader.route ? `${t(`readers.route.${reader.route}` as MessageKey)} (${reader.route})` : t('diag.none'));
		field('diag.readers.interface', reader.interfaceNumber?.toString() ?? t('diag.none'));
		field('diag.readers.slot', t('diag.readers.slotValue', { slot: reader.slot + 1, count: reader.slotCount }));
		field('diag.readers.medium', reader.medium ? t(`diag.readers.medium.${reader.medium}` as MessageKey) : t('diag.none'));
		field('diag.readers.extended', yesNo(reader.extendedApdu));
		field('diag.readers.status', `${t(`readers.status.${reader.status}` as MessageKey)} (${reader.status})`);
		const kind = reader.cardKind ? ` — ${t(`card.kind.${reader.cardKind}` as MessageKey)} (${reader.cardKind})` : '';
		field('diag.readers.card', `${t(`diag.readers.cardState.${reader.card}` as MessageKey)}${kind}`);
		if (reader.tokenLabel) field('diag.readers.token', reader.tokenLabel);
		field('diag.readers.atr', reader.atr ?? t('diag.none'));
		if (reader.errorKind) field('diag.readers.error', reader.errorKind);
	});

	out.push('', `[${t('diag.trace.title')}] ${t('diag.trace.count', { count: input.trace.length })}`);
	if (input.trace.length === 0) out.push(t('diag.report.traceNone'));
	for (const entry of input.trace) out.push(formatTraceEntry(safeTraceEntry(entry)));

	return `${out.join('\n')}\n`;
}
