/**
 * Judges budgets against result JSON (pure: reads only the result, never a database).
 * Latency metrics use the latency from the intended start; percentiles the summary
 * does not hold (and `min`) are read from the encoded HDR histogram, so they are exact
 * to the histogram's 3 significant digits. A scenario with no successful transaction
 * has no latency: its latency budgets fail ("no data" is never a pass).
 */
import type { RunResult, ScenarioResult } from '../result/types.js';
import { decodeHistogram } from '../stats/histogram.js';
import { ALL_SCENARIOS, type Budget, type BudgetOp, type BudgetSet } from '../config/budget-grammar.js';

/** One budget judged on one scenario of one variant. */
export interface BudgetCheck {
  variant: string;
  scenario: string;
  /** The expression, e.g. `p(95)<50`. */
  expr: string;
  /** The measured value (ms, or a ratio for rate/errors); null when there is no data. */
  measured: number | null;
  pass: boolean;
}

/** The budgets of a set of results, or why they were not judged. */
export interface BudgetVerdict {
  /** False when a judged result is partial (budgets are judged on complete runs only). */
  judged: boolean;
  /** Variants judged; the others are reported beside them. */
  variants: string[];
  checks: BudgetCheck[];
  /** Checks that failed (empty when not judged). */
  failed: BudgetCheck[];
}

const SUMMARY: Record<number, keyof ScenarioResult['latencyMs']> = { 50: 'p50', 90: 'p90', 95: 'p95', 99: 'p99', 99.9: 'p999' };

/** Value of a percentile (ms) or of the minimum, from the scenario's encoded histogram. */
function fromHistogram(s: ScenarioResult, pct: number | 'min'): number {
  const h = decodeHistogram(s.histogram);
  try {
    return (pct === 'min' ? h.minNonZeroValue : h.getValueAtPercentile(pct)) / 1000;
  } finally {
    h.destroy();
  }
}

/** The measured value a budget compares, or null when the scenario has no data for it. */
export function measure(s: ScenarioResult, b: Pick<Budget, 'metric' | 'percentile'>): number | null {
  switch (b.metric) {
    case 'rate':
      return s.targetRate > 0 ? s.achievedRate / s.targetRate : null;
    case 'errors':
      return s.count + s.errors > 0 ? s.errors / (s.count + s.errors) : null;
    default:
      break;
  }
  if (s.count === 0) return null;
  switch (b.metric) {
    case 'avg':
      return s.latencyMs.mean;
    case 'med':
      return s.latencyMs.p50;
    case 'max':
      return s.latencyMs.max;
    case 'min':
      return fromHistogram(s, 'min');
    default: {
      const key = SUMMARY[b.percentile!];
      return key ? s.latencyMs[key] : fromHistogram(s, b.percentile!);
    }
  }
}

/** `a op b`. */
export function compareOp(a: number, op: BudgetOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** Budgets that apply to a scenario: the `*` ones, then its own. */
export function budgetsFor(set: BudgetSet, scenario: string): Budget[] {
  return [...(set[ALL_SCENARIOS] ?? []), ...(scenario !== ALL_SCENARIOS ? (set[scenario] ?? []) : [])];
}

/** Every budget of `set` judged on every scenario of one result. */
export function checkResult(variant: string, result: RunResult, set: BudgetSet): BudgetCheck[] {
  return result.scenarios.flatMap((s) =>
    budgetsFor(set, s.name).map((b) => {
      const measured = measure(s, b);
      return { variant, scenario: s.name, expr: b.expr, measured, pass: measured !== null && compareOp(measured, b.op, b.threshold) };
    }),
  );
}

/**
 * Which variants budgets judge: `list` (comma-separated names, or `all`) when given,
 * else every variant but `baseline`, or the only one when a single run is judged.
 */
export function judgedVariants(variants: readonly string[], list: string): string[] {
  const wanted = list.trim();
  if (wanted === 'all') return [...variants];
  if (wanted) {
    const names = wanted.split(',').map((x) => x.trim());
    return variants.filter((v) => names.includes(v));
  }
  const candidates = variants.filter((v) => v !== 'baseline');
  return candidates.length ? candidates : variants.length === 1 ? [...variants] : [];
}

/** Judges budgets on runs (variant name -> result). Partial runs are never judged. */
export function judgeBudgets(runs: readonly { variant: string; result: RunResult }[], set: BudgetSet, budgetVariants = ''): BudgetVerdict {
  const variants = judgedVariants(runs.map((r) => r.variant), budgetVariants);
  const checks = runs.flatMap((r) => checkResult(r.variant, r.result, set));
  const judged = !runs.some((r) => variants.includes(r.variant) && r.result.partial);
  const failed = judged ? checks.filter((c) => variants.includes(c.variant) && !c.pass) : [];
  return { judged, variants, checks, failed };
}
