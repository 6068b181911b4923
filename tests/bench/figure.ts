/** One measured figure, printed as a JSON line by `npm run bench`. */
export interface Figure {
	name: string;
	value: number;
	unit: string;
	/** What the value is compared with, measured in the same run (or a budget where noted). */
	baseline?: { name: string; value: number; unit?: string };
	/** The budget from the issue, when there is one; `withinBudget` is computed by the runner. */
	budget?: { max?: number; min?: number };
	note?: string;
}

export interface BenchModule {
	title: string;
	run(): Promise<Figure[]>;
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 3): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
