import { workerHello, type WorkerHello } from '../worker-hello';

/** The card worker's API (drivers + card layer). Plain data in and out; see design §4. */
export function createCardWorkerApi(startedAt: number) {
	return {
		async hello(): Promise<WorkerHello> {
			return workerHello('card', startedAt);
		}
	};
}

export type CardWorkerApi = ReturnType<typeof createCardWorkerApi>;
