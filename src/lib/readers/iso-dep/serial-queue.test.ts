import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue';

describe('SerialQueue', () => {
	it('runs tasks one at a time, in order, even when one fails', async () => {
		const queue = new SerialQueue();
		const log: string[] = [];
		const task = (name: string, fail = false) => async () => {
			log.push(`start ${name}`);
			await new Promise((resolve) => setTimeout(resolve, 5));
			log.push(`end ${name}`);
			if (fail) throw new Error(name);
			return name;
		};
		const a = queue.run(task('a'));
		const b = queue.run(task('b', true));
		const c = queue.run(task('c'));
		expect(queue.size).toBe(3);
		await expect(a).resolves.toBe('a');
		await expect(b).rejects.toThrow('b');
		await expect(c).resolves.toBe('c');
		expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
		expect(queue.size).toBe(0);
	});

	it('skips a task with tryRun while anything is queued', async () => {
		const queue = new SerialQueue();
		const busy = queue.run(() => new Promise((resolve) => setTimeout(resolve, 5)));
		expect(queue.tryRun(async () => 'x')).toBeUndefined();
		await busy;
		await expect(queue.tryRun(async () => 'y')).resolves.toBe('y');
	});
});
