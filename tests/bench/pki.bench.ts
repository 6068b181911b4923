// The CRL engine in Node: 100k- and 1M-entry CRLs (DER written directly, signed by the test CA), imported
// (verify + index + store into fake-indexeddb), loaded cold, and looked up; pkijs's full parse of the 100k CRL
// (asn1js limits raised, pki.md §0) is the baseline measured in the same run.
import * as asn1js from 'asn1js';
// idb checks values against the IDB* globals, which Node lacks.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as pkijs from 'pkijs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChainWith } from '../../src/lib/pki/chain';
import { prepareCrl } from '../../src/lib/pki/crl-import';
import type { CrlIndex } from '../../src/lib/pki/crl-index';
import { createTestPki, makeLargeCrl, TestNames, type TestPki } from '../../src/lib/pki/fixtures/test-pki';
import { CrlStore } from '../../src/lib/store/crl-store';
import { PkiDatabase } from '../../src/lib/store/pki-database';
import { median, round, type BenchModule, type Figure } from './figure';
import { gc, MemorySampler } from './memory-sampler';

const DAY = 86_400_000;
const MiB = 1024 * 1024;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);

function randomSerial(serials: Uint8Array, width: number, i: number): Uint8Array {
	return serials.subarray(i * width, (i + 1) * width);
}

/** Median per-lookup time over batches of 1000 random lookups (half present, half absent). */
function lookupMedian(index: CrlIndex, serials: Uint8Array, width: number, count: number): number {
	const probes: Uint8Array[] = [];
	for (let i = 0; i < 20_000; i++) {
		const present = randomSerial(serials, width, Math.floor(Math.random() * count));
		const probe = present.slice();
		if (i % 2) probe[width - 1]! ^= 0x5a;
		probes.push(probe);
	}
	const perLookup: number[] = [];
	let found = 0;
	for (let batch = 0; batch < probes.length / 1000; batch++) {
		const start = performance.now();
		for (let i = batch * 1000; i < (batch + 1) * 1000; i++) if (index.lookup(probes[i]!)) found++;
		perLookup.push((performance.now() - start) / 1000);
	}
	if (found < probes.length / 2) throw new Error('lookups missed present serials');
	return median(perLookup);
}

async function importInto(pki: TestPki, der: Uint8Array, factory: IDBFactory) {
	const database = await PkiDatabase.open(factory);
	const store = new CrlStore(database);
	const memory = new MemorySampler();
	const start = performance.now();
	const { metadata } = await store.importCrl(der, { issuers: [pki.root], at: new Date(NOW), onProgress: memory.sample });
	const ms = performance.now() - start;
	memory.sample();
	await database.close();
	return { ms, memory, metadata };
}

/** How many fresh processes measure the 1M import's peak memory (the median is the figure). */
const PEAK_RUNS = 5;

/**
 * The 1M-entry import's peak memory, measured in fresh processes: in a long-lived one the kernel's peak RSS swings
 * with what the collector left resident from earlier work (52–112 MiB for the same code on this machine).
 */
function freshProcessPeaks(pki: TestPki, der: Uint8Array, runs: number): { peakRss: number; peakHeap: number }[] {
	const dir = mkdtempSync(join(tmpdir(), 'myna-bench-'));
	try {
		writeFileSync(join(dir, 'crl.der'), der);
		writeFileSync(join(dir, 'root.der'), pki.root);
		const child = new URL('./crl-import-memory.ts', import.meta.url).pathname;
		return Array.from({ length: runs }, () => {
			const out = execFileSync(process.execPath, ['--import', 'tsx', child, join(dir, 'crl.der'), join(dir, 'root.der'), String(NOW)], { encoding: 'utf8' });
			return JSON.parse(out.trim().split('\n').pop()!) as { peakRss: number; peakHeap: number };
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const bench: BenchModule = {
	title: 'pki (CRL engine, Node, fake-indexeddb)',
	async run(): Promise<Figure[]> {
		const figures: Figure[] = [];
		const pki = await createTestPki(NOW);
		const spec = { issuer: TestNames.signCa, signer: pki.keys.root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 1, withReasons: true } as const;

		// 1M entries, 4-byte serials with a reasonCode each (37 bytes per entry, as in pki.md §1.3).
		let t = performance.now();
		const million = await makeLargeCrl({ ...spec, count: 1_000_000, serialBytes: 4 });
		const buildMs = performance.now() - t;
		const sizeMiB = million.der.length / MiB;
		const factory = new IDBFactory();
		const imported = await importInto(pki, million.der, factory);
		figures.push({
			name: 'crl-1m-import',
			value: round(imported.ms, 0),
			unit: 'ms',
			budget: { max: 2000 },
			note: `verify + index + store (fake-indexeddb), ${round(sizeMiB, 1)} MiB DER; CRL generated in ${round(buildMs, 0)} ms`
		});
		const peaks = freshProcessPeaks(pki, million.der, PEAK_RUNS).map((p) => p.peakRss / MiB);
		figures.push({
			name: 'crl-1m-import-peak-memory',
			value: round(median(peaks), 1),
			unit: 'MiB',
			baseline: { name: 'CRL DER size', value: round(sizeMiB, 1), unit: 'MiB' },
			budget: { max: round(3 * sizeMiB, 1) },
			note: `median of ${PEAK_RUNS} imports, each in a fresh Node process (${round(Math.min(...peaks), 1)}–${round(Math.max(...peaks), 1)} MiB): ${imported.memory.method} above the pre-import baseline, including fake-indexeddb's copies of the DER and index; in this process ${round(imported.memory.peakRss / MiB, 1)} MiB (sampled heap + ArrayBuffers peak ${round(imported.memory.peakHeap / MiB, 1)} MiB)`
		});

		const prepareMemory = new MemorySampler();
		t = performance.now();
		const prepared = await prepareCrl(million.der, { issuers: [pki.root], at: new Date(NOW), onProgress: prepareMemory.sample });
		const prepareMs = performance.now() - t;
		prepareMemory.sample();
		figures.push({
			name: 'crl-1m-verify-and-index',
			value: round(prepareMs, 0),
			unit: 'ms',
			note: `no storage; ${prepareMemory.method} +${round(prepareMemory.peakRss / MiB, 1)} MiB; index ${round(prepared.index.buffer.byteLength / MiB, 2)} MiB (${round(prepared.index.buffer.byteLength / 1e6, 2)} B/entry)`
		});

		// Cold load: a new connection and store, one get of the index record.
		const loads: number[] = [];
		for (let i = 0; i < 5; i++) {
			const database = await PkiDatabase.open(factory);
			const store = new CrlStore(database);
			t = performance.now();
			await store.index(imported.metadata);
			loads.push(performance.now() - t);
			await database.close();
		}
		figures.push({ name: 'crl-1m-cold-index-load', value: round(median(loads), 1), unit: 'ms', budget: { max: 300 }, note: 'median of 5: new connection, get, validate layout' });

		figures.push({
			name: 'crl-1m-lookup',
			value: round(lookupMedian(prepared.index, million.serials, 4, 1_000_000), 5),
			unit: 'ms',
			budget: { max: 0.1 },
			note: 'median per lookup, batches of 1000 random serials (half present)'
		});

		// End to end: a certificate check against the stored 1M CRL (index already loaded).
		{
			const database = await PkiDatabase.open(factory);
			const store = new CrlStore(database);
			await store.index(imported.metadata);
			const checks: number[] = [];
			for (let i = 0; i < 20; i++) {
				t = performance.now();
				const result = await verifyChainWith({ leaf: pki.signLeaf, anchors: [pki.root], at: new Date(NOW) }, { revocation: [store.revocationSource()] });
				checks.push(performance.now() - t);
				if (result.status !== 'valid') throw new Error(`unexpected ${result.status}`);
			}
			await database.close();
			figures.push({ name: 'check-certificate-1m-crl', value: round(median(checks), 2), unit: 'ms', note: 'verifyChainWith against the stored CRL, median of 20' });
		}

		// Long serials: 1M entries of 20-byte serials (index cost per entry grows with the serial, nothing else).
		{
			const long = await makeLargeCrl({ ...spec, count: 1_000_000, serialBytes: 20, withReasons: false });
			const longPrepared = await prepareCrl(long.der, { issuers: [pki.root], at: new Date(NOW) });
			figures.push({
				name: 'crl-1m-20-byte-serials-index-size',
				value: round(longPrepared.index.buffer.byteLength / MiB, 2),
				unit: 'MiB',
				baseline: { name: 'CRL DER size', value: round(long.der.length / MiB, 2), unit: 'MiB' },
				note: `lookup median ${round(lookupMedian(longPrepared.index, long.serials, 20, 1_000_000) * 1000, 2)} µs`
			});
		}
		gc();

		// 100k: our import against pkijs's full parse (the baseline).
		const hundred = await makeLargeCrl({ ...spec, count: 100_000, serialBytes: 4 });
		const ours: number[] = [];
		for (let i = 0; i < 3; i++) ours.push((await importInto(pki, hundred.der, new IDBFactory())).ms);
		const oursMs = median(ours);
		gc();
		t = performance.now();
		const asn1 = asn1js.fromBER(hundred.der, { maxNodes: Number.MAX_SAFE_INTEGER, maxContentLength: Number.MAX_SAFE_INTEGER });
		const crl = new pkijs.CertificateRevocationList({ schema: asn1.result });
		const pkijsMs = performance.now() - t;
		if ((crl.revokedCertificates?.length ?? 0) !== 100_000) throw new Error('pkijs did not read every entry');
		figures.push({
			name: 'crl-100k-import',
			value: round(oursMs, 1),
			unit: 'ms',
			baseline: { name: 'pkijs 4 full parse (raised asn1js limits)', value: round(pkijsMs, 0), unit: 'ms' },
			note: `median of 3, verify + index + store; ${round(hundred.der.length / MiB, 2)} MiB`
		});
		figures.push({
			name: 'crl-100k-speedup-over-pkijs',
			value: round(pkijsMs / oursMs, 1),
			unit: '×',
			baseline: { name: 'pkijs 4 full parse', value: round(pkijsMs, 0), unit: 'ms' },
			budget: { min: 20 }
		});
		return figures;
	}
};

export default bench;
