import { ErrorKind, MynaError } from '../errors';

function nameOf(error: unknown): string | undefined {
	if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') return error.name;
	return undefined;
}

/**
 * Any IndexedDB failure as a MynaError: QuotaExceededError (also when it arrives as a transaction's error)
 * → QuotaExceeded, an abort → Aborted, everything else → Storage. MynaErrors pass through.
 */
export function toStorageError(error: unknown, doing: string): MynaError {
	if (error instanceof MynaError) return error;
	const name = nameOf(error);
	const inner = error && typeof error === 'object' && 'error' in error ? nameOf((error as { error: unknown }).error) : undefined;
	if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
		return new MynaError(ErrorKind.QuotaExceeded, `Not enough storage space while ${doing}.`, { operation: doing }, { cause: error });
	}
	if (name === 'AbortError') return new MynaError(ErrorKind.Aborted, `Cancelled while ${doing}.`, { operation: doing }, { cause: error });
	return new MynaError(ErrorKind.Storage, `Storage failed while ${doing}.`, { operation: doing, ...(name ? { name } : {}) }, { cause: error });
}
