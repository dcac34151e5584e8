/**
 * The capacity of one variant: {@link searchCapacity} with a real probe. Each probe is a
 * short fixed-rate run of the mix on a fresh, pre-warmed clone (so no probe's writes
 * or cache state leak into the next), judged against the budgets. The variant is
 * built once (`<prefix>_<variant>`, migrateVariant); every probe clones it (the
 * baseline: the seeded baseline) as `<prefix>_<variant>_cap` by TEMPLATE.
 *
 * The search (search.ts) looks for the **max sustained rate**: a probe "sustains" its
 * rate when the whole mix completed >= `minMixRate` (0.99) of its offered slots, dropped
 * none, and ended its window with a bounded backlog (at most a tenth of a second of
 * arrivals, or 10 slots, waiting). Where the server saturates, decided on counts.
 *
 * Each probe is also judged against the budgets, three-valued (src/budgets): it HOLDS
 * only when every judged check passed, decided; a decided fail FAILS it; otherwise it is
 * INCONCLUSIVE (never counted as held). Judged: every budget on every scenario that is
 * not floor-bound (decided over budget alone: `floorBound`, from the isolation runs) or
 * floor-undecided (alone, its interval straddles the budget: `floorUndecided`); a
 * scenario the probe has no or too few samples of is inconclusive with the reason (never
 * "unsampled"). A probe is staged (staged-run.ts): while a judged check is undecided and
 * more stages could decide it, another stage of --step-sec runs on the same clone, up to
 * `maxLooks`. When no probe of the search held, the search steps down from its lowest
 * rate while probes remain, for the max rate within budget.
 *
 * From the probes (no extra runs): the capacity within budget at each p95 threshold of
 * `thresholdsMs` and the latency-throughput curve (report/capacity-figures.ts).
 */
import { DEFAULTS } from '../config/defaults.js';
import { ownedDatabaseName } from '../db/names.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../db/ownership.js';
import { NO_PREWARM, prewarmDatabase, type PrewarmReport } from '../db/prewarm.js';
import type { TargetHooks } from '../target/session.js';
import { runLoad } from '../engine/run-load.js';
import { engineOverrides, type CompareOptions } from '../compare/compare-variants.js';
import type { RunResult } from '../result/types.js';
import type { BudgetCheck } from '../budgets/evaluate.js';
import { describeMeasured } from '../budgets/settings.js';
import { formatBudgetSet, type BudgetSet } from '../config/budget-grammar.js';
import { migrateVariant, variantDatabase, waitForIdleTemplate } from '../variant-build/migrate.js';
import { getVariant } from '../../variants/registry.js';
import { lookConf } from '../stats/sequential.js';
import { scenarioWorkloadSpec } from '../../scenarios/workload.js';
import { roundRate, searchCapacity, type SearchStop } from './search.js';
import { judgeLook, runStaged, type StagedRun } from './staged-run.js';
import { mixP95, scenarioP95 } from './probe-p95.js';
import { floorBoundAt, floorUndecidedAt, latencyCurve, maxSustainedRate, withinBudgets, type CurvePoint, type FloorInfo, type P95Ci, type WithinBudget } from '../report/capacity-figures.js';

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
   * Lowest rate probed when stepping down (default: 100 transactions per probe
   * window, or the start rate if lower): below that a probe has too few transactions
   * to judge a 1% shortfall or a p95.
   */
  minRate?: number;
  precision: number;
  maxProbes?: number;
  /** Each probe's measured window (of each stage) and warm-up. */
  stepSec: number;
  warmupSec: number;
  seed: number;
  /** Most stages of one probe (sequential sampling; default DEFAULTS.sequentialLooks). */
  maxLooks?: number;
  /** This variant's floors (its scenarios alone): floor-bound scenarios are not judged in the probes. */
  floors?: readonly FloorInfo[];
  /** p95 thresholds (ms) the capacity within budget is also given at (default DEFAULTS.capacityBudgetsMs). */
  thresholdsMs?: readonly number[];
  /** The variant's database (`<prefix>_<variant>`) was built by this job moments ago and is untouched: clone it as it is. */
  reuseBuilt?: boolean;
  onProbe?: (p: CapacityProbe) => void;
  /** An existing database measured as it is (`--target`): every probe on it, nothing built, cloned, pre-warmed or dropped. */
  target?: TargetHooks;
}

/** A probe's verdict on the budgets: holds (every judged check passed, decided), fails (one decided failed), inconclusive. */
export type ProbeVerdict = 'holds' | 'fails' | 'inconclusive';

/** One probe of a capacity search: its verdicts, the figures they were judged on, and its result. */
export interface CapacityProbe {
  rate: number;
  /** verdict === 'holds' (kept for readers of older files). */
  holds: boolean;
  /** Absent in files written before three-valued probes. */
  verdict?: ProbeVerdict;
  /** The probe did not finish (then no verdict): why, as in a partial result. */
  partial?: boolean;
  partialKind?: RunResult['partialKind'];
  partialReason?: string;
  /** Completions per second in the measured window. */
  achievedRate: number;
  /** p95 (ms, from the intended start) per scenario with data. */
  p95Ms: Record<string, number>;
  /** p95 with its interval (at the probe's confidence) per scenario of the mix, sampled or not. */
  p95Ci?: Record<string, P95Ci>;
  /** The whole mix's p95 with its interval (the latency-throughput curve). */
  mixP95?: P95Ci;
  /**
   * The server kept up: the mix completed >= the mix rate ratio (default 0.99) of its
   * offered slots, dropped none, and its backlog at the end was bounded. What the
   * search climbs on (the max sustained rate).
   */
  sustained: boolean;
  /** Checks decided failed, e.g. `journal-entry-search: p(95)<50 (measured 73.2 [61.0, 80.1])`. */
  failed: string[];
  /** Judged checks not decided, with why (interval straddles, too few samples, no data). */
  inconclusive?: string[];
  /** Floor-bound scenarios of this variant, not judged here. */
  excluded?: string[];
  /** Floor-undecided scenarios of this variant (alone, their interval straddles the budget), not judged here. */
  excludedUndecided?: string[];
  /** Stages run, the cap, the looks' confidence and why the probe stopped. */
  sequential?: Omit<StagedRun, 'result'>;
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

/** The capacity of a variant, as recorded in its result JSON (`capacity`) and capacity.json. */
export interface VariantCapacity {
  variant: string;
  /** Highest probed rate whose probe held every judged budget (decided); null = none. */
  maxRateWithinBudget: number | null;
  /** Lowest probed rate decided failing (a failed check, or the rate not sustained); an inconclusive probe is not failing. */
  firstFailingRate: number | null;
  stoppedBy: SearchStop;
  /** Budgets judged, in k6 syntax (plus `mix:rate>=X`). */
  budgets: string[];
  stepSec: number;
  warmupSec: number;
  probes: Omit<CapacityProbe, 'result'>[];
  /** Highest probed rate sustained (the server kept up); null = none. Absent in older files. */
  maxSustainedRate?: number | null;
  /** Lowest probed rate not sustained (where the server saturated), if probed. */
  firstSaturatedRate?: number | null;
  /** Each scenario of this variant alone (from the isolation runs), floor-bound ones marked. */
  floors?: FloorInfo[];
  /** Capacity within each p95 threshold, from the probes. */
  withinBudgets?: WithinBudget[];
  /** The latency-throughput curve: the mix's p95 with interval per probed rate. */
  curve?: CurvePoint[];
  /** Stages a probe may take and the confidence of each look (sequential sampling). */
  sequential?: { maxLooks: number; conf: number };
  /** The result of the highest probe that held (else the highest sustained, else the last probe): the run at capacity. */
  atCapacity?: RunResult;
}

/** Database every probe of `variant` runs on. */
export function probeDatabase(prefix: string, variant: string): string {
  return ownedDatabaseName(prefix, `${variant}_cap`);
}

/** Backlog a sustained probe may end its window with: a tenth of a second of arrivals, at least 10 slots. */
export function backlogBound(rate: number): number {
  return Math.max(10, rate / 10);
}

/** Whether the server kept up: >= `minRatio` of the offered slots completed, none dropped, the backlog at the end bounded. */
export function sustainedRate(result: RunResult, minRatio: number): { sustained: boolean; why?: string } {
  const offered = result.offeredRate ?? result.target.rate;
  const ratio = offered > 0 ? result.achievedRate / offered : 0;
  if (!(ratio >= minRatio)) return { sustained: false, why: `mix: rate>=${minRatio} (measured ${ratio.toPrecision(3)})` };
  const dropped = result.dropped ?? result.scenarios.reduce((a, s) => a + s.dropped, 0);
  if (dropped > 0) return { sustained: false, why: `mix: ${dropped} slots dropped (backlog full)` };
  const backlog = result.timeline?.at(-1)?.backlog ?? 0;
  if (backlog > backlogBound(result.target.rate)) return { sustained: false, why: `mix: backlog ${backlog} at the end (bound ${backlogBound(result.target.rate)})` };
  return { sustained: true };
}

/** A check in words: `scenario: expr (measured 51.0 [38.2, 66.9])`. */
const describe = (c: BudgetCheck) => `${c.scenario}: ${c.expr} (measured ${describeMeasured(c)})`;

/**
 * Judges one probe's (pooled) result at `conf`: the budgets on every scenario not in
 * `excluded` (floor-bound), three-valued, and whether the mix was sustained (which,
 * with `minMixRate` above 0, is a budget too).
 */
export function judgeProbe(
  result: RunResult,
  budgets: BudgetSet,
  minMixRate: number,
  conf = 0.95,
  excluded: readonly string[] = [],
): Pick<CapacityProbe, 'holds' | 'verdict' | 'sustained' | 'failed' | 'inconclusive' | 'p95Ms' | 'p95Ci' | 'mixP95'> & { open: ReturnType<typeof judgeLook>['open'] } {
  const { checks, open } = judgeLook(result, budgets, conf, (s) => !excluded.includes(s));
  const failed = checks.filter((c) => c.verdict === 'fail').map(describe);
  const inconclusive = checks.filter((c) => c.verdict === 'inconclusive').map(describe);
  // Sustained is judged even when the rate is not a budget (--min-mix-rate 0): at the default ratio then.
  const sus = sustainedRate(result, minMixRate > 0 ? minMixRate : 0.99);
  if (minMixRate > 0 && !sus.sustained) failed.push(sus.why!);
  const verdict: ProbeVerdict = failed.length ? 'fails' : inconclusive.length ? 'inconclusive' : 'holds';
  const p95Ms = Object.fromEntries(result.scenarios.filter((s) => s.count > 0).map((s) => [s.name, s.latencyMs.p95]));
  return {
    holds: verdict === 'holds',
    verdict,
    sustained: sus.sustained,
    failed,
    inconclusive,
    p95Ms,
    p95Ci: Object.fromEntries(result.scenarios.map((s) => [s.name, scenarioP95(s, conf)])),
    mixP95: mixP95(result, conf),
    // A decided verdict needs no more stages; an unsustained rate is decided too (the server fell behind).
    open: verdict === 'fails' || !sus.sustained ? [] : open,
  };
}

/** Builds the variant once (unless `reuseBuilt`), then searches its max sustained rate probe by probe, and its capacity within budget. */
export async function variantCapacity(o: VariantCapacityOptions): Promise<VariantCapacity> {
  const target = o.target;
  let template = variantDatabase(o.prefix, o.reuseBuilt ? o.variant : 'baseline');
  if (!target && o.variant !== 'baseline' && !o.reuseBuilt) {
    const def = await getVariant(o.variant, { variantsDir: o.variantsDir });
    const m = await migrateVariant({ serverUrl: o.serverUrl, prefix: o.prefix, variant: def, concurrently: o.concurrently ?? false, ...(o.signal ? { signal: o.signal } : {}) });
    template = m.database;
  }
  const minMixRate = o.minMixRate ?? 0.99;
  const maxLooks = o.maxLooks ?? DEFAULTS.sequentialLooks;
  const floors = (o.floors ?? []).filter((f) => f.variant === o.variant);
  // Floor-bound (decided over alone) and floor-undecided (alone, its interval straddles the
  // budget) scenarios are not judged in the probes: load cannot decide what their own cost
  // leaves open, and judging them would extend every probe to its cap for nothing.
  const excluded = floors.filter((f) => f.floorBound).map((f) => f.scenario);
  const excludedUndecided = floors.filter((f) => !f.floorBound && f.floorUndecided).map((f) => f.scenario);
  const notJudged = [...excluded, ...excludedUndecided];
  const dbName = probeDatabase(o.prefix, o.variant);
  // A target's catalog picks each scenario's query (its after-query where it has the feature).
  const side = target || o.variant !== 'baseline' ? 'after' : 'before';
  const results = new Map<number, RunResult>();
  const probeClone = async () => {
    await waitForIdleTemplate(o.serverUrl, template);
    const url = await recreateOwnedDatabase(o.serverUrl, dbName, { template, purpose: `capacity probe clone of ${template}` });
    return { url, prewarm: await prewarmDatabase(url) };
  };
  const probe = async (rate: number): Promise<Omit<CapacityProbe, 'rate'> & { holds: boolean }> => {
    const { url, prewarm } = target ? { url: target.url, prewarm: NO_PREWARM } : await probeClone();
    const stage = (index: number) =>
      runLoad({
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
        // A later stage continues on the warm clone: a second lets its connections and plans settle.
        warmupSec: index === 0 ? o.warmupSec : Math.min(o.warmupSec, 1),
        seed: o.seed + index,
        variant: o.variant,
        quiet: true,
        ...engineOverrides(o),
        config: { ...o.config, capacityProbe: { variant: o.variant, side, rate, stepSec: o.stepSec, warmupSec: o.warmupSec, prewarm: prewarm.method, stage: index } },
      });
    const staged = await runStaged({ maxLooks, runStage: stage, judge: (pooled, conf) => judgeProbe(pooled, o.budgets, minMixRate, conf, notJudged), ...(o.signal ? { signal: o.signal } : {}) });
    const result = staged.result;
    await target?.annotate(result);
    results.set(rate, result);
    const { open: _o, ...verdict } = result.partial
      ? { holds: false, sustained: false, failed: [], p95Ms: {}, open: [] }
      : judgeProbe(result, o.budgets, minMixRate, staged.conf, notJudged);
    const { result: _r, ...sequential } = staged;
    const backlogAtStart = result.timeline?.find((t) => t.t >= Math.ceil(o.warmupSec))?.backlog;
    const p: CapacityProbe = {
      rate,
      ...verdict,
      ...(excluded.length ? { excluded } : {}),
      ...(excludedUndecided.length ? { excludedUndecided } : {}),
      sequential,
      ...(backlogAtStart !== undefined ? { backlogAtStart } : {}),
      ...(result.partial ? { partial: true, partialKind: result.partialKind ?? 'broken', ...(result.partialReason ? { partialReason: result.partialReason } : {}) } : {}),
      achievedRate: result.achievedRate,
      prewarm,
      result,
    };
    o.onProbe?.(p);
    // The search climbs on the sustained rate: where the server saturates.
    return { ...p, holds: p.sustained };
  };
  try {
    const maxProbes = o.maxProbes ?? 12;
    const minRate = o.minRate ?? Math.min(o.startRate, roundRate(100 / o.stepSec));
    const found = await searchCapacity(probe, { startRate: o.startRate, maxRate: o.maxRate, minRate, precision: o.precision, maxProbes, ...(o.signal ? { signal: o.signal } : {}) });
    // Every probe as judged on the budgets (the search's `holds` was the sustained rate).
    const probes: Omit<CapacityProbe, 'result'>[] = found.probes.map(({ result: _r, phase: _p, ...rest }) => ({ ...rest, holds: rest.verdict === 'holds' }));
    let stoppedBy = found.stoppedBy;
    // Nothing held the budgets: step down from the lowest rate probed while probes remain.
    if (stoppedBy !== 'partial' && !probes.some((p) => p.holds)) {
      let rate = roundRate(Math.min(...probes.map((p) => p.rate)) / 2);
      while (rate >= minRate && probes.length < maxProbes && !o.signal?.aborted) {
        const { result: _r, ...p } = await probe(rate).then((x) => ({ ...x, rate }));
        probes.push({ ...p, holds: p.verdict === 'holds' });
        if (p.partial) {
          stoppedBy = 'partial';
          break;
        }
        if (p.verdict === 'holds') break;
        rate = roundRate(rate / 2);
      }
    }
    const held = probes.filter((p) => !p.partial && p.holds).map((p) => p.rate);
    // Failing is decided: an inconclusive probe did not hold, but nothing was shown to break there.
    const notHeld = probes.filter((p) => !p.partial && p.verdict === 'fails').map((p) => p.rate);
    const maxRateWithinBudget = held.length ? Math.max(...held) : null;
    const maxSustained = maxSustainedRate(probes);
    const saturated = probes.filter((p) => !p.partial && !p.sustained).map((p) => p.rate);
    const atRate = maxRateWithinBudget ?? maxSustained ?? probes.at(-1)?.rate;
    const atCapacity = atRate === undefined ? undefined : results.get(atRate);
    const budgets = [...formatBudgetSet(o.budgets), ...(minMixRate > 0 ? [`mix:rate>=${minMixRate}`] : [])];
    const thresholds = o.thresholdsMs ?? DEFAULTS.capacityBudgetsMs;
    return {
      variant: o.variant,
      maxRateWithinBudget,
      firstFailingRate: notHeld.length ? Math.min(...notHeld) : null,
      stoppedBy,
      budgets,
      stepSec: o.stepSec,
      warmupSec: o.warmupSec,
      probes,
      maxSustainedRate: maxSustained,
      firstSaturatedRate: saturated.length ? Math.min(...saturated) : null,
      ...(o.floors ? { floors } : {}),
      withinBudgets: withinBudgets(probes, (t) => floorBoundAt(floors, o.variant, t), thresholds, (t) => floorUndecidedAt(floors, o.variant, t)),
      curve: latencyCurve(probes),
      sequential: { maxLooks, conf: lookConf(maxLooks) },
      ...(atCapacity ? { atCapacity } : {}),
    };
  } finally {
    if (!target) await dropOwnedDatabase(o.serverUrl, dbName).catch(() => undefined);
  }
}
