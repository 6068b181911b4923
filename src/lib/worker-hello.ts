import { APP_VERSION } from './version';
import { detectRoutes, currentRoutePlatform, type RouteReport } from './readers/routes';

export interface WorkerHello {
	worker: 'card' | 'pki';
	version: string;
	/** What the worker's own global scope offers (WebUSB inside a worker, WebCrypto). */
	routes: RouteReport;
	webCrypto: boolean;
	startedAt: number;
}

/** The answer each worker gives to `hello()`: proves the comlink wiring and reports the worker's scope. */
export function workerHello(worker: WorkerHello['worker'], startedAt: number): WorkerHello {
	return {
		worker,
		version: APP_VERSION,
		routes: detectRoutes(currentRoutePlatform()),
		webCrypto: typeof globalThis.crypto?.subtle?.digest === 'function',
		startedAt
	};
}
