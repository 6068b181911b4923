import type { Remote } from 'comlink';
import type { CardOperation, CardOperations, CardWorkerApi } from '../card/worker-api';

/** The card in one reader, as the page calls it: every CardService operation, each a round trip to the worker. */
export type CardClient = {
	[K in CardOperation]: (...args: Parameters<CardOperations[K]>) => Promise<Awaited<ReturnType<CardOperations[K]>>>;
};

type CallCard = (readerKey: string, operation: CardOperation, ...args: unknown[]) => Promise<unknown>;

export function cardClient(api: Remote<CardWorkerApi>, readerKey: string): CardClient {
	const call = api.call as unknown as CallCard;
	return new Proxy({} as CardClient, {
		get: (_target, operation) => (typeof operation === 'string' ? (...args: unknown[]) => call(readerKey, operation as CardOperation, ...args) : undefined)
	});
}
