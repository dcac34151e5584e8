/**
 * The capacity of one variant: {@link searchCapacity} with a real probe. Each probe is a
 * short fixed-rate run of the mix on a fresh, pre-warmed clone (so no probe's writes
 * or cache state leak into the next), judged against the budgets. The variant is
 * built once (`<prefix>_<variant>`, migrateVariant); every probe clones it (the
 * baseline: the seeded baseline) as `<prefix>_<variant>_cap` by TEMPLATE.
 *
 * Judging a probe: every budget on every scenario (src/budgets), except that a scenario
 * the short probe offered no transaction of (the 0.1% report at a low rate) has no
 * latency to judge and is listed as unsampled instead of failing the rate; and the
 * mix's `rate>=0.99` (added by default) is the whole run's completions over its
 * offered slots: per scenario, the random mix makes short-run shares noisy.
 */
import { DEFAULTS } from '../config/defaults.js';
import { ownedDatabaseName } from '../db/names.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../db/ownership.js';
import { NO_PREWARM, prewarmDatabase, type PrewarmReport } from '../db/prewarm.js';
import type { TargetHooks } from '../target/session.js';
import { runLoad } from '../engine/run-load.js';
import { engineOverrides, type CompareOptions } from '../compare/compare-variants.js';
import type { RunResult } from '../result/types.js';
import { checkResult, type BudgetCheck } from '../budgets/evaluate.js';
import { formatBudgetSet, type BudgetSet } from '../config/budget-grammar.js';
import { migrateVariant, variantDatabase, waitForIdleTemplate } from '../variants/migrate.js';
import { getVariant } from '../../variants/registry.js';
import { scenarioWorkloadSpec } from '../../scenarios/workload.js';
import { roundRate, searchCapacity, type SearchStop } from './search.js';

/** Options of {@link variantCapacity}. */
export interface VariantCapacityOptions
  extends Pick<CompareOptions, 'refreshIntervalSec' | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'timer' | 'driver' | 'concurrently' | 'config' | 'signal'> {
  serverUrl: string;
  prefix: string;
  variant: string;
  variantsDir?: string;
  mix: Record<string, number>;
  budgets: BudgetSet;
  /** The whole mix's completions / offered slots must reach this (default 0.99; 0 = not judged). */
  minMixRate?: number;
  startRate: number;
  maxRate: number;
  /**
   * Lowest rate probed when the start rate fails (default: 100 transactions per probe
   * window, or the start rate if lower): below that a probe has too few transactions
   * to judge a 1% shortfall or a p95.
   */
  minRate?: number;
  precision: number;
  maxProbes?: number;
  /** Each probe's measured window and warm-up. */
  stepSec: number;
  warmupSec: number;
  seed: number;
  onProbe?: (p: CapacityProbe) => void;
  /** An existing database measured as it is (`--target`): every probe on it, nothing built, cloned, pre-warmed or dropped. */
  target?: TargetHooks;
}

/** One probe of a capacity search: its verdict, the figures it was judged on, and its result. */
export interface CapacityProbe {
  rate: number;
  holds: boolean;
  /** The probe did not finish (then no verdict): why, as in a partial result. */
  partial?: boolean;
  partialKind?: RunResult['partialKind'];
  partialReason?: string;
  /** Completions per second in the measured window. */
  achievedRate: number;
  /** p95 (ms, from the intended start) per scenario with data. */
  p95Ms: Record<string, number>;
  /**
   * The mix completed >= the mix rate ratio (default 0.99) of its offered slots: the
   * server kept up, so if the probe failed, only latency (or error) budgets did. What
   * bench falls back on when no rate holds every budget on every variant.
   */
  sustained: boolean;
  /** Failed checks, e.g. `journal-entry-search: p(95)<50 (measured 73.2)`. */
  failed: string[];
  /** Scenarios the probe offered no transaction of (not judged). */
  unsampled: string[];
  prewarm: PrewarmReport;
  /**
   * Slots waiting for a connection when the measured window began (the timeline's
   * backlog at the end of the warm-up): above 0, the window started with a transient.
   * Absent when the result has no timeline.
   */
  backlogAtStart?: number;
  /** The run itself (not serialized in the capacity summary). */
  result: RunResult;
}

/** The capacity of a variant, as recorded in its result JSON (`capacity`). */
export interface VariantCapacity {
  variant: string;
  maxRateWithinBudget: number | null;
  firstFailingRate: number | null;
  stoppedBy: SearchStop;
  /** Budgets judged, in k6 syntax (plus `mix:rate>=X`). */
  budgets: string[];
  stepSec: number;
  warmupSec: number;
  probes: Omit<CapacityProbe, 'result'>[];
  /** The result of the highest probe that held (else the last probe): the run at capacity. */
  atCapacity?: RunResult;
}

/** Database every probe of `variant` runs on. */
export function probeDatabase(prefix: string, variant: string): string {
  return ownedDatabaseName(prefix, `${variant}_cap`);
}

/** Judges one probe's result (see the module comment for the two departures from judgeBudgets). */
export function judgeProbe(result: RunResult, budgets: BudgetSet, minMixRate: number): Pick<CapacityProbe, 'holds' | 'sustained' | 'failed' | 'unsampled' | 'p95Ms'> {
  const unsampled = result.scenarios.filter((s) => (s.offered ?? s.count + s.errors + s.dropped) === 0).map((s) => s.name);
  const checks: BudgetCheck[] = checkResult(result.variant ?? '', result, budgets).filter((c) => !unsampled.includes(c.scenario));
  const failed = checks.filter((c) => !c.pass).map((c) => `${c.scenario}: ${c.expr} (measured ${c.measured === null ? 'no data' : c.measured.toPrecision(3)})`);
  const offered = result.offeredRate ?? result.target.rate;
  const ratio = offered > 0 ? result.achievedRate / offered : 0;
  if (minMixRate > 0 && !(ratio >= minMixRate)) failed.push(`mix: rate>=${minMixRate} (measured ${ratio.toPrecision(3)})`);
  // Sustained is judged even when the rate is not a budget (--min-mix-rate 0): at the default ratio then.
  const sustained = ratio >= (minMixRate > 0 ? minMixRate : 0.99);
  const p95Ms = Object.fromEntries(result.scenarios.filter((s) => s.count > 0).map((s) => [s.name, s.latencyMs.p95]));
  return { holds: failed.length === 0, sustained, failed, unsampled, p95Ms };
}

/** Builds the variant once, then searches its capacity probe by probe. */
export async function variantCapacity(o: VariantCapacityOptions): Promise<VariantCapacity> {
  const target = o.target;
  let template = variantDatabase(o.prefix, 'baseline');
  if (!target && o.variant !== 'baseline') {
    const def = await getVariant(o.variant, { variantsDir: o.variantsDir });
    const m = await migrateVariant({ serverUrl: o.serverUrl, prefix: o.prefix, variant: def, concurrently: o.concurrently ?? false, ...(o.signal ? { signal: o.signal } : {}) });
    template = m.database;
  }
  const minMixRate = o.minMixRate ?? 0.99;
  const dbName = probeDatabase(o.prefix, o.variant);
  // A target's catalog picks each scenario's query (its after-query where it has the feature).
  const side = target || o.variant !== 'baseline' ? 'after' : 'before';
  const results = new Map<number, RunResult>();
  const probeClone = async () => {
    await waitForIdleTemplate(o.serverUrl, template);
    const url = await recreateOwnedDatabase(o.serverUrl, dbName, { template, purpose: `capacity probe clone of ${template}` });
    return { url, prewarm: await prewarmDatabase(url) };
  };
  const probe = async (rate: number): Promise<Omit<CapacityProbe, 'rate'>> => {
    const { url, prewarm } = target ? { url: target.url, prewarm: NO_PREWARM } : await probeClone();
    const result = await runLoad({
      databaseUrl: url,
      workload: scenarioWorkloadSpec({
        variant: o.variant,
        ...(o.variantsDir ? { variantsDir: o.variantsDir } : {}),
        side,
        mix: o.mix,
        refreshIntervalSec: target ? 0 : (o.refreshIntervalSec ?? DEFAULTS.refreshIntervalSec),
        ...(target ? { target: target.workload() } : {}),
      }),
      rate,
      durationSec: o.stepSec,
      warmupSec: o.warmupSec,
      seed: o.seed,
      variant: o.variant,
      quiet: true,
      ...engineOverrides(o),
      config: { ...o.config, capacityProbe: { variant: o.variant, side, rate, stepSec: o.stepSec, warmupSec: o.warmupSec, prewarm: prewarm.method } },
    });
    await target?.annotate(result);
    results.set(rate, result);
    const verdict = result.partial ? { holds: false, sustained: false, failed: [], unsampled: [], p95Ms: {} } : judgeProbe(result, o.budgets, minMixRate);
    const backlogAtStart = result.timeline?.find((t) => t.t >= Math.ceil(o.warmupSec))?.backlog;
    const p: CapacityProbe = { rate, ...verdict, ...(backlogAtStart !== undefined ? { backlogAtStart } : {}), ...(result.partial ? { partial: true, partialKind: result.partialKind ?? 'broken', ...(result.partialReason ? { partialReason: result.partialReason } : {}) } : {}), achievedRate: result.achievedRate, prewarm, result };
    o.onProbe?.(p);
    return p;
  };
  try {
    const found = await searchCapacity(probe, {
      startRate: o.startRate,
      maxRate: o.maxRate,
      minRate: o.minRate ?? Math.min(o.startRate, roundRate(100 / o.stepSec)),
      precision: o.precision,
      ...(o.maxProbes !== undefined ? { maxProbes: o.maxProbes } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const atRate = found.maxRateWithinBudget ?? found.probes.at(-1)?.rate;
    const atCapacity = atRate === undefined ? undefined : results.get(atRate);
    const budgets = [...formatBudgetSet(o.budgets), ...(minMixRate > 0 ? [`mix:rate>=${minMixRate}`] : [])];
    return {
      variant: o.variant,
      maxRateWithinBudget: found.maxRateWithinBudget,
      firstFailingRate: found.firstFailingRate,
      stoppedBy: found.stoppedBy,
      budgets,
      stepSec: o.stepSec,
      warmupSec: o.warmupSec,
      probes: found.probes.map(({ result: _r, ...rest }) => rest),
      ...(atCapacity ? { atCapacity } : {}),
    };
  } finally {
    if (!target) await dropOwnedDatabase(o.serverUrl, dbName).catch(() => undefined);
  }
}
