// Peak memory of one piece of work in Node, for the benchmarks.
import { readFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
export const gc = runInNewContext('gc') as () => void;

/**
 * Peak memory above the pre-import baseline. On Linux the kernel's high-water mark (VmHWM, reset through
 * /proc/self/clear_refs) gives the true peak RSS; elsewhere RSS is sampled at every progress callback.
 */
export class MemorySampler {
	readonly #rss: number;
	readonly #heap: number;
	readonly #kernelPeak: boolean;
	#sampledRss = 0;
	peakHeap = 0;
	constructor() {
		gc();
		this.#kernelPeak = resetPeak();
		const m = process.memoryUsage();
		this.#rss = this.#kernelPeak ? Math.max(m.rss, highWaterMark()) : m.rss;
		this.#heap = m.heapUsed + m.arrayBuffers;
	}
	sample = (): void => {
		const m = process.memoryUsage();
		this.#sampledRss = Math.max(this.#sampledRss, m.rss - this.#rss);
		this.peakHeap = Math.max(this.peakHeap, m.heapUsed + m.arrayBuffers - this.#heap);
	};
	get peakRss(): number {
		return this.#kernelPeak ? Math.max(0, highWaterMark() - this.#rss) : this.#sampledRss;
	}
	get method(): string {
		return this.#kernelPeak ? 'kernel peak RSS (VmHWM)' : 'sampled RSS';
	}
}

function highWaterMark(): number {
	const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

function resetPeak(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return highWaterMark() > 0;
	} catch {
		return false;
	}
}
