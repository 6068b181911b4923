/// <reference lib="webworker" />
// Thin entry point: the PKI worker verifies certificates, imports CRLs and builds/verifies CMS.
import { expose } from 'comlink';
import { createPkiWorkerApi } from '../src/lib/pki/worker-api';

expose(createPkiWorkerApi(performance.timeOrigin + performance.now(), { indexedDB: self.indexedDB }));
