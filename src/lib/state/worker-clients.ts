import { wrap, type Remote } from 'comlink';
import type { CardWorkerApi } from '../card/worker-api';
import type { PkiWorkerApi } from '../pki/worker-api';

/** The one place that starts the workers (composition root for threads). */
export interface WorkerClient<T> {
	api: Remote<T>;
	terminate(): void;
}

function client<T>(worker: Worker): WorkerClient<T> {
	return { api: wrap<T>(worker), terminate: () => worker.terminate() };
}

export function startCardWorker(): WorkerClient<CardWorkerApi> {
	return client(new Worker(new URL('../../../workers/card.worker.ts', import.meta.url), { type: 'module', name: 'card' }));
}

export function startPkiWorker(): WorkerClient<PkiWorkerApi> {
	return client(new Worker(new URL('../../../workers/pki.worker.ts', import.meta.url), { type: 'module', name: 'pki' }));
}
