/// <reference lib="webworker" />
// Thin entry point: the PKI worker verifies certificates, imports CRLs and builds/verifies CMS.
import { expose } from 'comlink';
import { createPkiWorkerApi } from '../src/lib/pki/worker-api';

// fetch is the platform's; the PKI service only ever calls it for configured CRL URLs (pki/configured-crl-fetch.ts).
expose(
	createPkiWorkerApi(performance.timeOrigin + performance.now(), {
		indexedDB: self.indexedDB,
		fetch: (url, init) => self.fetch(url, init)
	})
);
