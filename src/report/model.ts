/**
 * What reporters read: runs (result JSON, one per variant) plus what `compare` writes
 * beside them in comparison.json (migration reports, MV staleness, the review's claims).
 * Only plain types here, so reporters depend on the result contract and nothing else
 * (no database, no engine, no variant or scenario modules).
 */
import type { BudgetSet } from '../config/budget-grammar.js';
import type { InconclusivePolicy } from '../budgets/evaluate.js';
import type { RunResult, ScenarioResult } from '../result/types.js';

/** The review's claimed latency range for a query type (ms). */
export interface ClaimInfo {
  beforeMs: readonly [number, number];
  afterMs: readonly [number, number];
  source?: string;
}

/** How a variant was built (the subset of compare's migration report reporters show). */
export interface MigrationInfo {
  cloneMs: number;
  steps: Array<{ name: string; ms: number }>;
  analyzeMs: number;
  totalMs: number;
  indexes: Array<{ index: string; concurrently: boolean; sizeBytes: number }>;
}

/** Measured staleness of one materialized view during a run. */
export interface StalenessInfo {
  view: string;
  refreshes: number;
  refreshMs: { mean: number; max: number };
  maxUnreflectedAgeMs: { mean: number; p95: number; max: number };
}

/** One variant's run. */
export interface ReportRun {
  variant: string;
  result: RunResult;
  migration?: MigrationInfo;
  staleness?: StalenessInfo[];
  /** The file it was read from, if any. */
  file?: string;
}

/** Everything a reporter renders. */
export interface ReportData {
  runs: ReportRun[];
  /** Scenario name -> the review's claim. */
  claims: Record<string, ClaimInfo>;
  budgets: BudgetSet;
  /** `--budget-variants` ('' = every variant but the baseline). */
  budgetVariants: string;
  /** `--inconclusive`: whether an undecided check fails the verdict (absent = 'fail', the strict default). */
  inconclusive?: InconclusivePolicy;
  /** Variants a comparison planned but did not run (interrupted). */
  pending?: string[];
  /** Capacity searches (capacity.json), when among the inputs. */
  capacity?: CapacityInfo[];
  /** Each scenario alone (isolation.json and its results), when among the inputs. */
  isolation?: IsolationInfo;
}

/** One probe of a capacity search (the subset of src/capacity's CapacityProbe reporters read). */
export interface CapacityProbeInfo {
  rate: number;
  holds: boolean;
  partial?: boolean;
  /**
   * The mix completed >= 99% of its offered slots (only latency budgets can have failed).
   * Absent in files written before the flag existed: then unknown, never assumed.
   */
  sustained?: boolean;
  achievedRate: number;
  /** p95 (ms) per scenario with data. */
  p95Ms: Record<string, number>;
  /**
   * The 95% interval of each p95 (`lo` null: too few samples, with `n`), when the capacity
   * search recorded it; without it the reports print the p95 with `(no interval)`.
   */
  p95Ci?: Record<string, { lo: number | null; hi: number | null; n?: number }>;
  /** Failed checks, e.g. `balance-history: p(95)<50 (measured 73.2)`. */
  failed: string[];
  /** The budgets' verdict, three-valued (absent in older files: then `holds` says held or not). */
  verdict?: 'holds' | 'fails' | 'inconclusive';
}

/** A variant's capacity search, as capacity.json holds it. */
export interface CapacityInfo {
  variant: string;
  maxRateWithinBudget: number | null;
  firstFailingRate: number | null;
  stoppedBy: string;
  budgets: string[];
  stepSec: number;
  warmupSec: number;
  probes: CapacityProbeInfo[];
}

/** One scenario run alone on one variant. */
export interface IsolatedRunInfo {
  variant: string;
  scenario: string;
  /** The run completed >= 99% of its offered slots and finished. */
  held: boolean;
  result: RunResult;
  file?: string;
}

/** Each scenario alone at one rate (isolation.json). */
export interface IsolationInfo {
  rate: number;
  durationSec: number;
  warmupSec: number;
  runs: IsolatedRunInfo[];
}

/** The run that is "before" (the baseline when present). */
export function beforeRun(data: ReportData): ReportRun | undefined {
  return data.runs.find((r) => r.variant === 'baseline');
}

/** Scenario names in first-seen order across runs. */
export function scenarioNames(data: ReportData): string[] {
  const names: string[] = [];
  for (const r of data.runs) for (const s of r.result.scenarios) if (!names.includes(s.name)) names.push(s.name);
  return names;
}

/** Milliseconds for tables: 3 significant-ish digits, '-' when missing (src/stats/interval-format.ts). */
export { fmtMs } from '../stats/interval-format.js';
/** A scenario's `p50 / p95 / p99` with their intervals, and before/after with the ratio's interval (src/report/interval-format.ts). */
export { fmtPercentiles, improvementOf } from './interval-format.js';

/** A scenario's p95 (ms), or null without data. */
export function p95Of(s: ScenarioResult | undefined): number | null {
  return s && s.count > 0 ? s.latencyMs.p95 : null;
}

/** A claimed range as text (`~5`, `200-500`). */
export function fmtRange(r: readonly [number, number] | undefined): string {
  if (!r) return '-';
  return r[0] === r[1] ? `~${r[0]}` : `${r[0]}-${r[1]}`;
}

/** Indexes of a migration counted once (per-partition indexes are inside their parent's size). */
export function topLevelIndexes(m: MigrationInfo): MigrationInfo['indexes'] {
  return m.indexes.filter((i) => !/_(\d{4}_\d{2}|default|active|completed)$/.test(i.index));
}
