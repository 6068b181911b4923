// One 1M-entry CRL import in a fresh Node process (run by pki.bench.ts): prints its peak memory as one JSON line.
// Usage: node --import tsx tests/bench/crl-import-memory.ts <crl.der> <issuer.der> <at-ms>
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { CrlStore } from '../../src/lib/store/crl-store';
import { PkiDatabase } from '../../src/lib/store/pki-database';
import { MemorySampler } from './memory-sampler';

const [crlPath, issuerPath, at] = process.argv.slice(2);
if (!crlPath || !issuerPath || !at) throw new Error('usage: crl-import-memory.ts <crl.der> <issuer.der> <at-ms>');
const der = new Uint8Array(readFileSync(crlPath));
const issuer = new Uint8Array(readFileSync(issuerPath));
const database = await PkiDatabase.open(new IDBFactory());
const store = new CrlStore(database);
const memory = new MemorySampler();
const start = performance.now();
await store.importCrl(der, { issuers: [issuer], at: new Date(Number(at)), onProgress: memory.sample });
const ms = performance.now() - start;
memory.sample();
await database.close();
console.log(JSON.stringify({ ms, peakRss: memory.peakRss, peakHeap: memory.peakHeap, method: memory.method }));
