/**
 * The budgets a command applies, from its settings: `--budget` / `"budgets"` when set,
 * plus `--budget-ms N` as `p(95)<N` when given explicitly; with neither, the review's
 * default `p(95)<50` (`--budget-ms`'s default). Also the checks the CLI makes before
 * touching a database (scenario names) and the lines it prints after judging.
 */
import { closest } from '../config/suggest.js';
import { fmtBounds, fmtMs } from '../stats/interval-format.js';
import type { BudgetCheck, BudgetVerdict } from './evaluate.js';
import { ALL_SCENARIOS, parseBudget, type Budget, type BudgetSet } from '../config/budget-grammar.js';

/** Where each kind of settings source is named in messages. */
type Source = 'flag' | 'env' | 'file' | 'default';

/** The budget set a command judges. */
export function effectiveBudgets(s: { budgets: BudgetSet; budgetMs: number }, budgetMsSource: Source = 'default'): BudgetSet {
  const p95 = parseBudget(`p(95)<${s.budgetMs}`) as Budget;
  const explicit = Object.values(s.budgets).some((l) => l.length > 0);
  if (!explicit) return { [ALL_SCENARIOS]: [p95] };
  if (budgetMsSource === 'default') return s.budgets;
  return { ...s.budgets, [ALL_SCENARIOS]: [...(s.budgets[ALL_SCENARIOS] ?? []), p95] };
}

/** Problems with budgets naming scenarios that do not exist (reported with the other bad input). */
export function budgetScenarioProblems(set: BudgetSet, scenarios: readonly string[], source: Source): string[] {
  const where = source === 'file' ? 'config "budgets"' : source === 'env' ? 'env LEDGER_BENCH_BUDGETS' : '--budget';
  return Object.keys(set)
    .filter((k) => k !== ALL_SCENARIOS && !scenarios.includes(k))
    .map((k) => {
      const guess = closest(k, [...scenarios]);
      return `${where}: unknown scenario "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}; scenarios: ${scenarios.join(', ')}`;
    });
}

/** Problems with --budget-variants naming variants that are not run. */
export function budgetVariantProblems(list: string, variants: readonly string[]): string[] {
  if (!list.trim() || list.trim() === 'all') return [];
  return list
    .split(',')
    .map((x) => x.trim())
    .filter((v) => !variants.includes(v))
    .map((v) => `--budget-variants: "${v}" is not one of the variants run (${variants.join(', ')})`);
}

/** Human lines for a verdict: what failed and by how much, or why nothing was judged. */
export function describeVerdict(v: BudgetVerdict): string[] {
  if (!v.judged) return ['budgets not judged: the run is partial (budgets are judged on complete runs only)'];
  if (v.variants.length === 0) return ['budgets: no variant judged (--budget-variants)'];
  const n = v.checks.filter((c) => v.variants.includes(c.variant)).length;
  const counts = `${v.counts.pass} pass, ${v.counts.fail} fail, ${v.counts.inconclusive} inconclusive`;
  if (v.blocking.length === 0) {
    const note = v.inconclusive.length ? ` (${v.inconclusive.length} inconclusive counted as pass: --inconclusive pass)` : '';
    return [`budgets met: ${n} check${n === 1 ? '' : 's'} on ${v.variants.join(', ')}: ${counts}${note}`];
  }
  return [
    `budgets ${v.failed.length ? 'failed' : 'not decided'}: ${counts}${v.inconclusive.length && v.policy === 'fail' ? ' (inconclusive fails by default: --inconclusive pass to let it through)' : ''}`,
    ...v.blocking.map((c) => `  ${c.variant} / ${c.scenario}: ${c.expr} ${c.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE'} (measured ${describeMeasured(c)})`),
  ];
}

/**
 * What a check measured: `51.0 [38.2, 66.9]` (a percentile with its interval), `191 (59
 * samples needed for a p95 interval, 1 measured)`, `12.3` (a point metric: avg, max...),
 * `0.9950` (rate, errors) or `no data`. Text rules: src/stats/interval-format.ts.
 */
export function describeMeasured(c: Pick<BudgetCheck, 'expr' | 'measured' | 'interval' | 'reason'>): string {
  if (c.measured === null) return 'no data';
  const fmt = /^(rate|errors)\b/.test(c.expr) ? (x: number) => x.toFixed(4) : fmtMs;
  // Reports head these columns "95% interval"; an extended run is judged at its looks' stricter
  // level (src/stats/sequential.ts), and its interval says so rather than pass for a 95% one.
  if (c.interval) {
    const level = Math.abs(c.interval.conf - 0.95) > 1e-9 ? ` at ${(100 * c.interval.conf).toFixed(1)}%` : '';
    return `${fmt(c.measured)} ${fmtBounds(c.interval.lo, c.interval.hi, fmt)}${level}`;
  }
  return c.reason ? `${fmt(c.measured)} (${c.reason})` : fmt(c.measured);
}
