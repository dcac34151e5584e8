/**
 * The result of comparing variants (what `compare` writes to comparison.json and what
 * the comparison reporter renders): each variant's run with its migration and MV
 * staleness, and the per-scenario p95 table beside the review's claims. Pure: no I/O.
 */
import type { MigrationReport } from '../variant-build/migrate.js';
import type { StalenessSummary } from '../variant-build/mv-refresh.js';
import type { RunResult, ScenarioResult } from './types.js';
import { CONF, percentileEstimate } from '../stats/latency-ci.js';

/** The p95's interval: the result's own, else computed from its histograms (older results), else null (no histogram). */
export function p95Interval(s: ScenarioResult): { lo: number | null; hi: number | null } | null {
  if (s.latencyCi && s.latencyCi.conf === CONF) return { lo: s.latencyCi.p95.lo, hi: s.latencyCi.p95.hi };
  if (!s.histogram || s.count === 0) return null;
  const e = percentileEstimate(s.histogram, s.batchHistograms, 95);
  return { lo: e.lo, hi: e.hi };
}

/** The review's latency claim for a query type (its "Expected Performance Improvements" table). */
export interface Claim {
  beforeMs: readonly [number, number];
  afterMs: readonly [number, number];
  /** Where in the review the numbers come from. */
  source: string;
}

/** p95 (ms) and counts of one scenario in one variant's run. */
export interface Cell {
  p95Ms: number | null;
  /**
   * The p95's 95% interval (`lo` null: too few samples); null when none can be had (the
   * service time keeps no batch histograms; a k6 summary no histogram at all).
   */
  p95Ci?: { lo: number | null; hi: number | null } | null;
  count: number;
  errors: number;
  retries: number;
}

/** One row of the p95 table. */
export interface P95Row {
  scenario: string;
  claim?: Claim;
  /** Variant name -> cell. */
  cells: Record<string, Cell>;
}

/** One variant's run. */
export interface VariantRun {
  variant: string;
  side: 'before' | 'after';
  database: string;
  resultFile: string;
  migration?: MigrationReport;
  staleness: StalenessSummary[];
  result: RunResult;
}

/** A comparison of variants. */
export interface Comparison {
  runs: VariantRun[];
  table: P95Row[];
  /** The review's claim per scenario (absent where it makes none). */
  claims: Record<string, Claim | undefined>;
  markdown: string;
}

/** Per-scenario p95 rows (scenarios in mix order) from the runs' results. */
export function buildTable(
  runs: readonly Pick<VariantRun, 'variant' | 'result'>[],
  mix: Record<string, number>,
  claims: Record<string, Claim | undefined>,
  /** 'latencyMs' (intended start -> done, CO-correct; default) or 'serviceMs' (sent -> done). */
  metric: 'latencyMs' | 'serviceMs' = 'latencyMs',
): P95Row[] {
  return Object.keys(mix)
    .filter((n) => (mix[n] ?? 0) > 0)
    .map((scenario) => {
      const claim = claims[scenario];
      const cells: P95Row['cells'] = {};
      for (const r of runs) {
        const s = r.result.scenarios.find((x) => x.name === scenario);
        if (s) cells[r.variant] = { p95Ms: s.count > 0 ? s[metric].p95 : null, p95Ci: metric === 'latencyMs' ? p95Interval(s) : null, count: s.count, errors: s.errors, retries: s.retries };
      }
      return { scenario, ...(claim ? { claim } : {}), cells };
    });
}
