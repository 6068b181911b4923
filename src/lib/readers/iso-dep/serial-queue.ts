/**
 * Runs tasks one at a time, in order. Reader traffic is strictly half-duplex: an ISO-DEP exchange, a presence
 * poll and a keep-alive must never interleave on the wire.
 */
export class SerialQueue {
	#tail: Promise<unknown> = Promise.resolve();
	#pending = 0;

	/** Tasks running or waiting. */
	get size(): number {
		return this.#pending;
	}

	run<T>(task: () => Promise<T>): Promise<T> {
		this.#pending++;
		const result = this.#tail.then(task);
		const done = () => {
			this.#pending--;
		};
		this.#tail = result.then(done, done);
		return result;
	}

	/** Runs the task only if nothing else is running or waiting; `undefined` when skipped. */
	tryRun<T>(task: () => Promise<T>): Promise<T> | undefined {
		return this.#pending === 0 ? this.run(task) : undefined;
	}

	/** Resolves once every task queued so far has settled. */
	idle(): Promise<void> {
		return this.#tail.then(() => undefined);
	}
}
