/**
 * Judges budgets against result JSON (pure: reads only the result, never a database).
 * Latency metrics use the latency from the intended start; percentiles the summary
 * does not hold (and `min`) are read from the encoded HDR histogram, so they are exact
 * to the histogram's 3 significant digits.
 *
 * Verdicts are three-valued. A percentile budget (`p(N)`, `med`) is judged on the
 * percentile's confidence interval (src/stats/quantile-ci.ts): `pass` when the whole
 * interval meets it, `fail` when the whole interval misses it, `inconclusive` when the
 * interval straddles the threshold, or when there are too few samples for an interval
 * (or none: "no data" is never a pass). `avg`, `min`, `max`, `rate` and `errors` are not
 * estimated quantiles: they are judged on the measured value, pass or fail.
 */
import type { RunResult, ScenarioResult } from '../result/types.js';
import { decodeHistogram } from '../stats/histogram.js';
import { CI_PERCENTILES, CONF, percentileEstimate, type CiKey } from '../stats/latency-ci.js';
import { ALL_SCENARIOS, type Budget, type BudgetOp, type BudgetSet } from '../config/budget-grammar.js';

/** A check's verdict. */
export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** What an inconclusive check does to the exit code: `fail` (the default: exit 99) or `pass`. */
export type InconclusivePolicy = 'fail' | 'pass';

/** One budget judged on one scenario of one variant. */
export interface BudgetCheck {
  variant: string;
  scenario: string;
  /** The expression, e.g. `p(95)<50`. */
  expr: string;
  /** The measured value (ms, or a ratio for rate/errors); null when there is no data. */
  measured: number | null;
  /** Confidence interval of `measured` (percentile budgets); hi null = above the largest sample. */
  interval?: { lo: number; hi: number | null; conf: number };
  verdict: Verdict;
  /** verdict === 'pass'. */
  pass: boolean;
  /** Why inconclusive without an interval (too few samples, no data). */
  reason?: string;
}

/** The budgets of a set of results, or why they were not judged. */
export interface BudgetVerdict {
  /** False when a judged result is partial (budgets are judged on complete runs only). */
  judged: boolean;
  /** Variants judged; the others are reported beside them. */
  variants: string[];
  checks: BudgetCheck[];
  /** Judged checks decided failed (empty when not judged). */
  failed: BudgetCheck[];
  /** Judged checks neither decided passed nor failed (empty when not judged). */
  inconclusive: BudgetCheck[];
  /** The checks that fail the run: `failed`, plus `inconclusive` unless the policy is `pass`. */
  blocking: BudgetCheck[];
  /** Counts of the judged checks by verdict. */
  counts: Record<Verdict, number>;
  policy: InconclusivePolicy;
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

const CI_KEY: Record<number, CiKey> = Object.fromEntries(Object.entries(CI_PERCENTILES).map(([k, p]) => [p, k as CiKey]));

/**
 * The interval of a percentile budget's value at confidence `conf`: the result's own
 * `latencyCi` when it was computed at that level, else recomputed from the histograms.
 * Undefined when the metric is not a percentile or the result has no histogram (k6).
 */
export function budgetInterval(s: ScenarioResult, b: Pick<Budget, 'metric' | 'percentile'>, conf = CONF): { lo: number | null; hi: number | null; reason?: string } | undefined {
  const pct = b.metric === 'med' ? 50 : b.metric === 'p' ? b.percentile : undefined;
  if (pct === undefined || !s.histogram) return undefined;
  const key = CI_KEY[pct];
  const stored = key && s.latencyCi && s.latencyCi.conf === conf ? s.latencyCi[key] : undefined;
  if (stored) return { lo: stored.lo, hi: stored.hi, ...(stored.reason ? { reason: stored.reason } : {}) };
  const e = percentileEstimate(s.histogram, s.batchHistograms, pct, conf);
  return { lo: e.lo, hi: e.hi, ...(e.reason ? { reason: e.reason } : {}) };
}

/** Three-valued verdict of `value op threshold` where value lies in [lo, hi] (hi null: unbounded above). */
export function intervalVerdict(lo: number, hi: number | null, op: BudgetOp, threshold: number): Verdict {
  const hiV = hi ?? Infinity;
  switch (op) {
    case '<':
    case '<=':
      return compareOp(hiV, op, threshold) ? 'pass' : !compareOp(lo, op, threshold) ? 'fail' : 'inconclusive';
    case '>':
    case '>=':
      return compareOp(lo, op, threshold) ? 'pass' : !compareOp(hiV, op, threshold) ? 'fail' : 'inconclusive';
    case '==':
      return lo === threshold && hiV === threshold ? 'pass' : threshold < lo || threshold > hiV ? 'fail' : 'inconclusive';
    case '!=':
      return threshold < lo || threshold > hiV ? 'pass' : lo === threshold && hiV === threshold ? 'fail' : 'inconclusive';
  }
}

/** One budget judged on one scenario, at confidence `conf` for percentile budgets. */
export function checkBudget(variant: string, s: ScenarioResult, b: Budget, conf = CONF): BudgetCheck {
  const measured = measure(s, b);
  const base = { variant, scenario: s.name, expr: b.expr, measured };
  const decided = (verdict: Verdict, extra: Partial<BudgetCheck> = {}): BudgetCheck => ({ ...base, ...extra, verdict, pass: verdict === 'pass' });
  if (measured === null) return decided('inconclusive', { reason: 'no data' });
  const ci = budgetInterval(s, b, conf);
  if (!ci) return decided(compareOp(measured, b.op, b.threshold) ? 'pass' : 'fail');
  if (ci.lo === null) return decided('inconclusive', { reason: ci.reason ?? 'no interval' });
  return decided(intervalVerdict(ci.lo, ci.hi, b.op, b.threshold), { interval: { lo: ci.lo, hi: ci.hi, conf } });
}

/**
 * The confidence a result's intervals were recorded at (its scenarios' latencyCi), else
 * CONF: an extended run (sequential sampling, src/stats/sequential.ts) records them at
 * its looks' stricter level, and is judged at that level wherever it is read.
 */
export function resultConf(result: RunResult): number {
  return result.scenarios.find((s) => s.latencyCi)?.latencyCi?.conf ?? CONF;
}

/** Every budget of `set` judged on every scenario of one result (at the result's own confidence unless `conf` is given). */
export function checkResult(variant: string, result: RunResult, set: BudgetSet, conf = resultConf(result)): BudgetCheck[] {
  return result.scenarios.flatMap((s) => budgetsFor(set, s.name).map((b) => checkBudget(variant, s, b, conf)));
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

/** The verdict over `checks` of the judged `variants` (nothing judged when `judged` is false). */
export function verdictOf(checks: BudgetCheck[], variants: string[], judged: boolean, policy: InconclusivePolicy = 'fail'): BudgetVerdict {
  const mine = judged ? checks.filter((c) => variants.includes(c.variant)) : [];
  const failed = mine.filter((c) => c.verdict === 'fail');
  const inconclusive = mine.filter((c) => c.verdict === 'inconclusive');
  const counts = { pass: mine.length - failed.length - inconclusive.length, fail: failed.length, inconclusive: inconclusive.length };
  return { judged, variants, checks, failed, inconclusive, blocking: policy === 'pass' ? failed : [...failed, ...inconclusive], counts, policy };
}

/** Judges budgets on runs (variant name -> result). Partial runs are never judged. */
export function judgeBudgets(runs: readonly { variant: string; result: RunResult }[], set: BudgetSet, budgetVariants = '', policy: InconclusivePolicy = 'fail'): BudgetVerdict {
  const variants = judgedVariants(runs.map((r) => r.variant), budgetVariants);
  const checks = runs.flatMap((r) => checkResult(r.variant, r.result, set));
  const judged = !runs.some((r) => variants.includes(r.variant) && r.result.partial);
  return verdictOf(checks, variants, judged, policy);
}
