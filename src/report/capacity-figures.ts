/**
 * Capacity that separates a query's floor from the server's saturation (pure: the
 * capacity search's probes and the isolation runs in, figures out). Modelled on
 * SPECjbb2015's max-jOPS / critical-jOPS:
 *
 * - **floor**: each scenario alone at a low rate (the isolation runs), its p95 with its
 *   interval. A scenario whose floor is decided over its budget is **floor-bound**: over
 *   budget at any rate; it does not decide the mix's capacity. One whose floor interval
 *   straddles the budget is **floor-undecided**: alone, at a low rate, it is not decided
 *   within the budget, so whether it meets it is its own cost, not the load (more load
 *   only adds queueing); it does not decide the mix's capacity either, and is named
 *   beside the figure ("for every query except ...") with its floor.
 * - **max sustained rate**: the highest offered rate a probe completed (>= 99% of slots,
 *   nothing dropped, backlog bounded): where the server saturates.
 * - **capacity within budget**: the highest probed rate at which every scenario that is
 *   not floor-bound or floor-undecided met the budget (decided), at the user's budgets and at a few p95
 *   thresholds, from the same probes; and the latency-throughput curve (the mix's p95
 *   with its interval against the offered rate).
 */
import { checkResult, intervalVerdict, type BudgetCheck, type Verdict } from '../budgets/evaluate.js';
import type { BudgetSet } from '../config/budget-grammar.js';
import type { RunResult } from '../result/types.js';
import type { IsolationInfo } from './model.js';

/** A p95 with its interval (ms); lo/hi null = no interval (too few samples: see n). */
export interface P95Ci {
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
  conf: number;
}

/** One scenario alone on one variant: its floor. */
export interface FloorInfo {
  variant: string;
  scenario: string;
  /** The rate it ran at alone, and whether it held it. */
  rate: number;
  held: boolean;
  p95: P95Ci;
  /** The budgets judged on it alone (at the run's own confidence). */
  checks: BudgetCheck[];
  /** A budget on it alone is decided failed: over budget at any rate. */
  floorBound: boolean;
  /**
   * Not floor-bound, but a budget on it alone is inconclusive with a closed interval that
   * straddles the threshold (not for want of samples): left out of the capacity judgement
   * like a floor-bound one, and named. Absent in files written before it existed.
   */
  floorUndecided?: boolean;
  /** Where its EXPLAIN evidence is: the result file holding the scenario's plan (the mixed run's `evidence`). */
  evidence?: string;
  /** The plan in one line, when the evidence holds one: top node, indexes, one execution's time. */
  plan?: string;
}

/** The floors of every isolated run, judged against `budgets`. */
export function floorsOf(isolation: IsolationInfo | undefined, budgets: BudgetSet): FloorInfo[] {
  return (isolation?.runs ?? []).map((r) => {
    const s = r.result.scenarios.find((x) => x.name === r.scenario);
    const ci = s?.latencyCi;
    const checks = checkResult(r.variant, r.result, budgets).filter((c) => c.scenario === r.scenario);
    const floorBound = !r.result.partial && checks.some((c) => c.verdict === 'fail');
    return {
      variant: r.variant,
      scenario: r.scenario,
      rate: r.result.target.rate,
      held: r.held,
      p95: { value: s && s.count > 0 ? s.latencyMs.p95 : null, lo: ci?.p95.lo ?? null, hi: ci?.p95.hi ?? null, n: s?.count ?? 0, conf: ci?.conf ?? 0.95 },
      checks,
      floorBound,
      // A closed interval across the threshold: open above (too small an effective sample) is
      // a question of samples, which the probes' larger ones may settle; they judge it.
      floorUndecided: !r.result.partial && !floorBound && checks.some((c) => c.verdict === 'inconclusive' && c.interval !== undefined && c.interval.hi !== null),
    };
  });
}

/** Scenarios of `variant` floor-bound at the user's budgets. */
export function floorBoundScenarios(floors: readonly FloorInfo[], variant: string): string[] {
  return floors.filter((f) => f.variant === variant && f.floorBound).map((f) => f.scenario);
}

/** Scenarios of `variant` whose floor p95 is decided over `thresholdMs` (its interval entirely above). */
export function floorBoundAt(floors: readonly FloorInfo[], variant: string, thresholdMs: number): string[] {
  return floorsAt(floors, variant, thresholdMs, 'fail');
}

/** Scenarios of `variant` whose closed floor p95 interval straddles `thresholdMs` (floor-undecided there; none without an interval or open above). */
export function floorUndecidedAt(floors: readonly FloorInfo[], variant: string, thresholdMs: number): string[] {
  return floorsAt(floors, variant, thresholdMs, 'inconclusive', true);
}

function floorsAt(floors: readonly FloorInfo[], variant: string, thresholdMs: number, verdict: Verdict, closedAbove = false): string[] {
  return floors
    .filter((f) => f.variant === variant && f.p95.lo !== null && (!closedAbove || f.p95.hi !== null) && intervalVerdict(f.p95.lo, f.p95.hi, '<', thresholdMs) === verdict)
    .map((f) => f.scenario);
}

/** What a probe records for the figures: its rate, whether it sustained the rate, each scenario's p95 with interval, the mix's. */
export interface ProbeFigures {
  rate: number;
  partial?: boolean;
  sustained?: boolean;
  achievedRate: number;
  /** p95 with interval per scenario (absent in files written before intervals). */
  p95Ci?: Record<string, P95Ci>;
  /** The whole mix's p95 with interval. */
  mixP95?: P95Ci;
}

/** Capacity within one p95 threshold. */
export interface WithinBudget {
  thresholdMs: number;
  /** Highest probed rate at which every judged scenario's p95 was decided under the threshold; null = none. */
  rate: number | null;
  /**
   * Highest probed rate above `rate` where nothing was decided over the threshold but
   * some scenario was not decided (listed in `undecided`, with its samples); absent when none.
   */
  undecidedRate?: number;
  undecided?: string[];
  /** Excluded: floor-bound at this threshold (decided over it alone). */
  floorBound: string[];
  /** Excluded: floor-undecided at this threshold (its floor interval straddles it); absent when none. */
  floorUndecided?: string[];
  /** The lowest probed rate with a scenario decided over the threshold, and which. */
  failsAt?: { rate: number; scenarios: string[] };
}

const verdictAt = (p: P95Ci | undefined, t: number): Verdict => (!p || p.lo === null ? 'inconclusive' : intervalVerdict(p.lo, p.hi, '<', t));

/** Capacity within each threshold from the probes of one variant, floor-bound and floor-undecided scenarios excluded. */
export function withinBudgets(
  probes: readonly ProbeFigures[],
  floorBound: (thresholdMs: number) => readonly string[],
  thresholdsMs: readonly number[],
  floorUndecided: (thresholdMs: number) => readonly string[] = () => [],
): WithinBudget[] {
  const done = probes.filter((p) => !p.partial && p.p95Ci).sort((a, b) => a.rate - b.rate);
  return thresholdsMs.map((t) => {
    const bound = floorBound(t);
    const undecidedFloor = floorUndecided(t).filter((x) => !bound.includes(x));
    const excluded = [...bound, ...undecidedFloor];
    const judged = (p: ProbeFigures) => Object.entries(p.p95Ci!).filter(([s]) => !excluded.includes(s));
    const by = done.map((p) => {
      const v = judged(p).map(([s, ci]) => [s, verdictAt(ci, t), ci] as const);
      return { p, fail: v.filter((x) => x[1] === 'fail').map((x) => x[0]), open: v.filter((x) => x[1] === 'inconclusive').map((x) => `${x[0]} (${x[2].n} samples)`) };
    });
    const pass = by.filter((x) => x.fail.length === 0 && x.open.length === 0 && x.p.sustained !== false).map((x) => x.p.rate);
    const rate = pass.length ? Math.max(...pass) : null;
    const open = by.filter((x) => x.fail.length === 0 && x.open.length > 0 && x.p.sustained !== false && (rate === null || x.p.rate > rate)).at(-1);
    const failing = by.find((x) => x.fail.length > 0);
    return {
      thresholdMs: t,
      rate,
      ...(open ? { undecidedRate: open.p.rate, undecided: open.open } : {}),
      floorBound: bound.slice(),
      ...(undecidedFloor.length ? { floorUndecided: undecidedFloor } : {}),
      ...(failing ? { failsAt: { rate: failing.p.rate, scenarios: failing.fail } } : {}),
    };
  });
}

/** The highest probed rate sustained (>= 99% of slots, nothing dropped, backlog bounded); null = none. */
export function maxSustainedRate(probes: readonly ProbeFigures[]): number | null {
  const ok = probes.filter((p) => !p.partial && p.sustained === true).map((p) => p.rate);
  return ok.length ? Math.max(...ok) : null;
}

/** One point of the latency-throughput curve. */
export interface CurvePoint {
  rate: number;
  achievedRate: number;
  sustained: boolean | null;
  p95: P95Ci;
}

/** The latency-throughput curve of one variant: the mix's p95 (with interval) per probed rate, by rate. */
export function latencyCurve(probes: readonly ProbeFigures[]): CurvePoint[] {
  return probes
    .filter((p) => !p.partial && p.mixP95)
    .sort((a, b) => a.rate - b.rate)
    .map((p) => ({ rate: p.rate, achievedRate: p.achievedRate, sustained: p.sustained ?? null, p95: p.mixP95! }));
}

/**
 * Floors with their EXPLAIN evidence: each floor-bound scenario gets the file of the
 * variant's run whose `evidence` holds its plan (the mixed run's, collected outside its
 * timed window), and the plan in one line.
 */
export function withEvidence(floors: readonly FloorInfo[], runs: ReadonlyArray<{ variant: string; result: RunResult; file?: string }>): FloorInfo[] {
  return floors.map((f) => {
    if (!f.floorBound && !f.floorUndecided) return f;
    const run = runs.find((r) => r.variant === f.variant && r.result.evidence?.scenarios.some((e) => e.scenario === f.scenario && e.plan));
    const plan = run?.result.evidence?.scenarios.find((e) => e.scenario === f.scenario)?.plan;
    if (!run || !plan) return f;
    const indexes = plan.indexes.length ? `, indexes ${plan.indexes.join(', ')}` : ', no index';
    return { ...f, ...(run.file ? { evidence: run.file } : {}), plan: `${plan.topNode} (${plan.nodeTypes.join(', ')}${indexes}), ${plan.executionMs.toFixed(1)} ms in one EXPLAIN ANALYZE` };
  });
}
