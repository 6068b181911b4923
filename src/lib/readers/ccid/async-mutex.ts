/** Runs tasks one at a time, in call order. A failed task does not block the next. */
export class AsyncMutex {
	#tail: Promise<unknown> = Promise.resolve();

	run<T>(task: () => Promise<T>): Promise<T> {
		const result = this.#tail.then(task);
		this.#tail = result.then(
			() => undefined,
			() => undefined
		);
		return result;
	}
}
