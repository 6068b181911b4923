import { workerHello, type WorkerHello } from '../worker-hello';
import { createPkiService, type PkiServiceDependencies } from './pki-service';

/** The PKI worker's API (certificates, CRLs, CMS). Plain data in and out; see design §4. */
export function createPkiWorkerApi(startedAt: number, deps: PkiServiceDependencies) {
	return {
		async hello(): Promise<WorkerHello> {
			return workerHello('pki', startedAt);
		},
		...createPkiService(deps)
	};
}

export type PkiWorkerApi = ReturnType<typeof createPkiWorkerApi>;
