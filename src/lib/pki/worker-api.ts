import { workerHello, type WorkerHello } from '../worker-hello';

/** The PKI worker's API (certificates, CRLs, CMS). Plain data in and out; see design §4. */
export function createPkiWorkerApi(startedAt: number) {
	return {
		async hello(): Promise<WorkerHello> {
			return workerHello('pki', startedAt);
		}
	};
}

export type PkiWorkerApi = ReturnType<typeof createPkiWorkerApi>;
