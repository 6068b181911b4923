// The benchmark runner: one JSON line per figure, then a readable table. Usage: npm run bench [-- name-filter]
import type { BenchModule, Figure } from './figure';

const modules: Record<string, () => Promise<{ default: BenchModule }>> = {
	app: () => import('./app.bench'),
	card: () => import('./card.bench'),
	drivers: () => import('./drivers.bench'),
	pki: () => import('./pki.bench')
};

function withinBudget(f: Figure): boolean | undefined {
	if (!f.budget) return undefined;
	return (f.budget.max === undefined || f.value <= f.budget.max) && (f.budget.min === undefined || f.value >= f.budget.min);
}

const filter = process.argv[2];
const all: Figure[] = [];
for (const [key, load] of Object.entries(modules)) {
	if (filter && !key.includes(filter)) continue;
	const bench = (await load()).default;
	console.error(`# ${bench.title}`);
	for (const figure of await bench.run()) {
		const line = { ...figure, withinBudget: withinBudget(figure) };
		console.log(JSON.stringify(line));
		all.push(figure);
	}
}

const rows = all.map((f) => [
	f.name,
	`${f.value} ${f.unit}`,
	f.baseline ? `${f.baseline.value} ${f.baseline.unit ?? f.unit} (${f.baseline.name})` : '',
	f.budget ? `${f.budget.max !== undefined ? '≤ ' + f.budget.max : '≥ ' + f.budget.min} ${withinBudget(f) ? 'ok' : 'OVER'}` : ''
]);
const head = ['figure', 'value', 'baseline (same run)', 'budget'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.error('\n' + fmt(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + rows.map(fmt).join('\n'));
if (all.some((f) => withinBudget(f) === false)) process.exitCode = 1;
