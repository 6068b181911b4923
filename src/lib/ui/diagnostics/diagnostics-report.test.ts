import { describe, expect, it } from 'vitest';
import { MemoryTraceSink, TRACE_MASK, TraceDirection, TracingChannel, type ApduTraceEntry, type CardChannel } from '../../apdu';
import { fromHex, toHex } from '../../bytes';
import { translate, type MessageKey, type MessageParams } from '../../i18n';
import type { ReaderRow } from '../../state/diagnostics.svelte';
import { diagnosticsReport, formatBytes, safeTraceEntry, type DiagnosticsReportInput } from './diagnostics-report';

const ja = (key: MessageKey, params?: MessageParams) => translate('ja', key, params);
const en = (key: MessageKey, params?: MessageParams) => translate('en', key, params);

const NAME = '見本　花子';
const MY_NUMBER = '123456789018';

function utf8Hex(text: string): string {
	return toHex(new TextEncoder().encode(text), ' ').toUpperCase();
}

/** A card that answers READ BINARY with the 4 info and everything else with 90 00. */
const card: CardChannel = {
	async transmit(command) {
		if (command[1] === 0xb0) return new Uint8Array([...new TextEncoder().encode(`${NAME}${MY_NUMBER}`), 0x90, 0x00]);
		return new Uint8Array([0x90, 0x00]);
	}
};

async function recordedTrace(): Promise<ApduTraceEntry[]> {
	const sink = new MemoryTraceSink();
	const channel = new TracingChannel(card, sink, { maskResponse: (c) => c[1] === 0xb0 });
	await channel.transmit(fromHex('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08'));
	await channel.transmit(fromHex('00 20 00 81 04 31 32 33 34'));
	await channel.transmit(fromHex('00 B0 00 00 00'));
	return [...sink.entries];
}

const reader: ReaderRow = {
	key: 'device-1:1#0',
	name: 'Sony PaSoRi RC-S300/S',
	vidPid: '054C:0DC8',
	route: 'rcs300',
	interfaceNumber: 1,
	slot: 0,
	slotCount: 1,
	medium: 'contactless',
	extendedApdu: true,
	status: 'ready',
	card: 'ready',
	cardKind: 'my-number-card',
	tokenLabel: 'JPKIAPICCTOKEN2',
	atr: '3B 88 80 01 00 00 00 00 00 00 00 00 09'
};

function input(trace: ApduTraceEntry[]): DiagnosticsReportInput {
	return {
		generatedAt: new Date('2025-01-02T03:04:05Z'),
		appVersion: '1.2.3',
		origin: 'http://localhost:4173',
		locale: 'ja',
		demo: true,
		browser: { brands: ['Chromium 156.0.1'], platform: 'Linux', mobile: false, userAgent: 'Mozilla/5.0' },
		routes: { secureContext: true, isolatedContext: false, webUsb: true, usbUnrestricted: false, smartCard: false, webNfc: false, workers: true },
		indexedDb: true,
		serviceWorker: 'controlling',
		storage: { available: true, usage: 1_250_000, quota: 300_000_000_000, persisted: false },
		workers: [
			{ label: 'workers.card', report: { state: 'ready', version: '1.2.3', answerMs: 4, startupMs: 120, webCrypto: true } },
			{ label: 'workers.pki', report: { state: 'failed' } }
		],
		readers: [reader],
		trace
	};
}

describe('diagnosticsReport', () => {
	it('holds the reader, the workers and the redacted trace, but no PIN and no personal data', async () => {
		const text = diagnosticsReport(input(await recordedTrace()), ja);
		expect(text).toContain('マイナンバーカード Web 診断情報');
		expect(text).toContain('VID:PID: 054C:0DC8');
		expect(text).toContain('ATR: 3B 88 80 01');
		expect(text).toContain('拡張 APDU: はい');
		expect(text).toContain('バージョン 1.2.3');
		expect(text).toContain('証明書検証ワーカー: 応答がありません');
		expect(text).toContain('1.3 MB 使用中（上限 300 GB）');
		expect(text).toContain(`#2 >> VERIFY 00 20 00 81 ${TRACE_MASK}`);
		expect(text).toContain(`#3 << ${TRACE_MASK} 90 00`);
		expect(text).not.toContain('31 32 33 34');
		expect(text).not.toContain(NAME);
		expect(text).not.toContain(MY_NUMBER);
		expect(text).not.toContain(utf8Hex(NAME));
		expect(text).not.toContain(utf8Hex(MY_NUMBER));
	});

	it('is written in the language of the page', async () => {
		const text = diagnosticsReport({ ...input([]), locale: 'en' }, en);
		expect(text).toContain('My Number Card Web diagnostics');
		expect(text).toContain('Extended APDUs: Yes');
		expect(text).toContain('[Card communication trace (APDU)] 0 entries');
		expect(text).toContain('(nothing recorded)');
	});
});

describe('safeTraceEntry', () => {
	it('masks a secret-carrying command that reached it unmasked', () => {
		const leaked: ApduTraceEntry = { exchange: 1, direction: TraceDirection.Command, hex: '00 24 01 80 08 31 32 33 34 35 36 37 38', masked: false, ins: 0x24, atMs: 0 };
		const safe = safeTraceEntry(leaked);
		expect(safe.hex).toBe(`00 24 01 80 ${TRACE_MASK}`);
		expect(safe.masked).toBe(true);
	});

	it('leaves other commands, answers and an empty VERIFY (a counter read) as they are', () => {
		const select: ApduTraceEntry = { exchange: 1, direction: TraceDirection.Command, hex: '00 A4 02 0C 02 00 18', masked: false, ins: 0xa4, atMs: 0 };
		const counter: ApduTraceEntry = { exchange: 2, direction: TraceDirection.Command, hex: '00 20 00 80', masked: false, ins: 0x20, atMs: 1 };
		const answer: ApduTraceEntry = { exchange: 2, direction: TraceDirection.Response, hex: '63 C3', masked: false, ins: 0x20, atMs: 2, durationMs: 1 };
		for (const entry of [select, counter, answer]) expect(safeTraceEntry(entry)).toBe(entry);
	});
});

describe('formatBytes', () => {
	it('picks a readable unit', () => {
		expect(formatBytes(512, 'en')).toBe('512 B');
		expect(formatBytes(1_250_000, 'en')).toBe('1.3 MB');
		expect(formatBytes(2_000_000_000, 'ja')).toBe('2 GB');
	});
});
