/**
 * Per-scenario isolation: each scenario ALONE (the mix is that scenario only) on each
 * variant at one fixed, low rate: the p95 of the query itself, free of the queueing a
 * mixed run at a rate the server cannot hold adds. This is what the review's table
 * claims per query, so its claimed pairs get their own before/after figures beside the
 * mixed ones.
 *
 * Databases: the variant is built once (`<prefix>_<variant>`, migrateVariant; the
 * baseline is the seeded baseline) and never loaded itself. Its clone
 * `<prefix>_<variant>_iso` (TEMPLATE, pre-warmed) serves every read-only scenario of the
 * variant (reads leave it as it was; no MV refresh runs: with no writes a refresh only
 * adds load); each write scenario gets a fresh pre-warmed clone of its own, so no
 * scenario's writes reach another's data. The clone is dropped at the end.
 *
 * Sized by samples, not seconds: each run is staged (staged-run.ts). Its first stage
 * lasts --isolate-sec, or longer where that rate gives too few samples for the budgets'
 * percentiles (80 for a p95 at the looks' confidence); while a budget on the scenario is
 * undecided, another stage runs on the same clone, up to `maxLooks` stages (then the
 * verdict stays inconclusive). The pooled run is the one recorded.
 *
 * A run "held" its rate when it completed >= ISOLATION_HELD_RATIO of its offered slots
 * (the mix's `rate>=0.99` of the capacity search): a p95 of a run that did not hold is
 * queueing, not the query. A scenario that does not hold `rate` is run again at half the
 * rate (or at once at the largest halving at or below what it achieved), at most
 * `stepDowns` times and never below the first rate halved that often (a short search for
 * a rate it holds: a heavy query on a small machine holds 5/s where a light one holds
 * 20/s); the last run is the one
 * recorded, and reports say beside its figure whether it held and at which rate.
 */
import { DEFAULTS } from '../config/defaults.js';
import { ownedDatabaseName } from '../db/names.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../db/ownership.js';
import { NO_PREWARM, prewarmDatabase, type PrewarmReport } from '../db/prewarm.js';
import type { TargetHooks } from '../target/session.js';
import { runLoad } from '../engine/run-load.js';
import { engineOverrides } from '../compare/compare-variants.js';
import type { RunResult } from '../result/types.js';
import { migrateVariant, variantDatabase, waitForIdleTemplate } from '../variant-build/migrate.js';
import { getVariant } from '../../variants/registry.js';
import { getScenario } from '../../scenarios/registry.js';
import { scenarioWorkloadSpec } from '../../scenarios/workload.js';
import type { VariantCapacityOptions } from './variant-capacity.js';
import { roundRate } from './search.js';
import { judgeLook, runStaged, type StagedRun } from './staged-run.js';
import type { BudgetSet } from '../config/budget-grammar.js';
import { budgetsFor } from '../budgets/evaluate.js';
import { minSamples } from '../stats/quantile-ci.js';
import { lookConf } from '../stats/sequential.js';

/** Completions / offered slots a run must reach to have held its rate. */
export const ISOLATION_HELD_RATIO = 0.99;

/** Options of {@link isolateScenarios}. */
export interface IsolateOptions
  extends Pick<VariantCapacityOptions, 'serverUrl' | 'prefix' | 'variantsDir' | 'refreshIntervalSec' | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'timer' | 'driver' | 'concurrently' | 'config' | 'signal' | 'seed'> {
  variants: readonly string[];
  scenarios: readonly string[];
  /** The first rate tried. */
  rate: number;
  /** Halvings of the rate tried while a run does not hold (default 2: 20 -> 10 -> 5). */
  stepDowns?: number;
  durationSec: number;
  warmupSec: number;
  /** Budgets judged on each run's scenario: a run extends while one is undecided (none: one stage). */
  budgets?: BudgetSet;
  /** Most stages of one run (sequential sampling; default DEFAULTS.sequentialLooks). */
  maxLooks?: number;
  /**
   * Variants whose budget verdicts decide the outcome (default: all): only their runs
   * extend. The others' floors need only a decided fail to be floor-bound, which more
   * stages rarely bring and a pass would not change.
   */
  judgedVariants?: readonly string[];
  /**
   * The variants' databases (`<prefix>_<variant>`) were built by this job moments ago
   * (bench's capacity step): clone them as they are instead of building them again.
   */
  reuseBuilt?: boolean;
  /** Called when a run did not hold and the scenario runs again at `next` /s. */
  onStepDown?: (variant: string, scenario: string, rate: number, achievedRate: number, next: number) => void;
  /** Called when a variant's database starts building and once it is built, with the seconds it took (not for the baseline: it is the seeded one). */
  onBuild?: (variant: string, phase: 'building' | 'built', seconds: number) => void;
  /** Called once per run, when it ends (write its result here: an interrupted job keeps what it measured). */
  onRun?: (r: IsolatedRun) => void | Promise<void>;
  /** An existing database measured as it is (`--target`): every run on it, nothing built, cloned, pre-warmed or dropped. */
  target?: TargetHooks;
}

/** One scenario alone on one variant. */
export interface IsolatedRun {
  variant: string;
  scenario: string;
  kind: 'read' | 'write';
  /** Completed >= ISOLATION_HELD_RATIO of the offered slots, and finished. */
  held: boolean;
  prewarm: PrewarmReport;
  /** The pooled stages. */
  result: RunResult;
  /** How the run was sized: stages run, the cap, the looks' confidence, why it stopped. */
  sequential: Omit<StagedRun, 'result'>;
}

/**
 * Seconds a stage at `rate` of a scenario with share `share` of it must last for the
 * budgets' percentiles to have enough samples at `conf` (0 when no percentile is judged).
 */
export function secondsForSamples(budgets: BudgetSet | undefined, scenario: string, rate: number, share: number, conf: number): number {
  const pcts = budgetsFor(budgets ?? {}, scenario).flatMap((b) => (b.metric === 'p' ? [b.percentile!] : b.metric === 'med' ? [50] : []));
  if (!pcts.length || !(rate * share > 0)) return 0;
  return Math.max(...pcts.map((p) => minSamples(p, conf))) / (rate * share);
}

/** Database the isolated runs of `variant` use. */
export function isolationDatabase(prefix: string, variant: string): string {
  return ownedDatabaseName(prefix, `${variant}_iso`);
}

/**
 * The next rate of a scenario that did not hold `rate` (pure): half of it, or straight to
 * the largest halving at or below what it achieved (a run that managed 5.2 of 20/s goes to
 * 5/s at once, not through 10/s: an attempt that cannot hold costs a whole window), never
 * below `lowest` (the first rate halved --stepDowns times).
 */
export function stepDownRate(rate: number, achieved: number, lowest: number): number {
  let next = rate / 2;
  while (next / 2 >= lowest && next > achieved) next /= 2;
  return roundRate(Math.max(next, lowest));
}

/** Whether a run held its offered rate (pure). */
export function heldRate(result: Pick<RunResult, 'partial' | 'achievedRate' | 'offeredRate' | 'target'>, minRatio = ISOLATION_HELD_RATIO): boolean {
  if (result.partial) return false;
  const offered = result.offeredRate ?? result.target.rate;
  return offered > 0 && result.achievedRate / offered >= minRatio;
}

/**
 * Runs every scenario alone on every variant (variants in order, scenarios in order);
 * stops at the first run that did not finish (interrupted or broken). Returns the runs made.
 */
export async function isolateScenarios(o: IsolateOptions): Promise<IsolatedRun[]> {
  const runs: IsolatedRun[] = [];
  for (const variant of o.variants) {
    if (o.signal?.aborted) break;
    const target = o.target;
    let template = variantDatabase(o.prefix, o.reuseBuilt ? variant : 'baseline');
    if (!target && variant !== 'baseline' && !o.reuseBuilt) {
      const def = await getVariant(variant, { variantsDir: o.variantsDir });
      const started = performance.now();
      o.onBuild?.(variant, 'building', 0);
      const m = await migrateVariant({ serverUrl: o.serverUrl, prefix: o.prefix, variant: def, concurrently: o.concurrently ?? false, ...(o.signal ? { signal: o.signal } : {}) });
      template = m.database;
      o.onBuild?.(variant, 'built', (performance.now() - started) / 1000);
    }
    const dbName = isolationDatabase(o.prefix, variant);
    // A target's catalog picks each scenario's query (its after-query where it has the feature).
    const side = target || variant !== 'baseline' ? 'after' : 'before';
    const clone = target ? async () => ({ url: target.url, prewarm: NO_PREWARM }) : async () => {
      await waitForIdleTemplate(o.serverUrl, template);
      const url = await recreateOwnedDatabase(o.serverUrl, dbName, { template, purpose: `isolation clone of ${template}` });
      return { url, prewarm: await prewarmDatabase(url) };
    };
    // Reads first on one shared clone, then each write scenario on a fresh one.
    const kinds = o.scenarios.map((name) => ({ name, kind: getScenario(name).kind === 'read' ? ('read' as const) : ('write' as const) }));
    const ordered = [...kinds.filter((k) => k.kind === 'read'), ...kinds.filter((k) => k.kind === 'write')];
    let shared: { url: string; prewarm: PrewarmReport } | undefined;
    try {
      for (const { name, kind } of ordered) {
        if (o.signal?.aborted) break;
        let rate = o.rate;
        let staged: StagedRun;
        let result: RunResult;
        let db: { url: string; prewarm: PrewarmReport };
        const maxLooks = o.maxLooks ?? DEFAULTS.sequentialLooks;
        for (let step = 0; ; step++) {
          // A write scenario's earlier attempt wrote to its clone: each attempt gets a fresh one.
          db = kind === 'read' ? (shared ??= await clone()) : await clone();
          const url = db.url;
          const prewarm = db.prewarm.method;
          const durationSec = Math.max(o.durationSec, Math.ceil(secondsForSamples(o.budgets, name, rate, 1, lookConf(maxLooks))));
          const stage = (index: number) => runLoad({
            databaseUrl: url,
            workload: scenarioWorkloadSpec({
              variant,
              ...(o.variantsDir ? { variantsDir: o.variantsDir } : {}),
              side,
              mix: { [name]: 1 },
              refreshIntervalSec: kind === 'read' || target ? 0 : (o.refreshIntervalSec ?? DEFAULTS.refreshIntervalSec),
              ...(target ? { target: target.workload() } : {}),
            }),
            rate,
            durationSec,
            warmupSec: o.warmupSec,
            // Each stage draws its own transactions (the same seed would repeat the first stage's).
            seed: o.seed + index,
            variant,
            quiet: true,
            ...engineOverrides(o),
            config: { ...o.config, isolation: { variant, side, scenario: name, rate, firstRate: o.rate, durationSec, warmupSec: o.warmupSec, prewarm, stage: index } },
          });
          staged = await runStaged({
            maxLooks: !o.judgedVariants || o.judgedVariants.includes(variant) ? maxLooks : 1,
            runStage: stage,
            // A run that fell behind is not extended: it runs again at a lower rate (its p95 is queueing).
            judge: (pooled, conf) => (heldRate(pooled) ? judgeLook(pooled, o.budgets ?? {}, conf, (sc) => sc === name) : { open: [] }),
            ...(o.signal ? { signal: o.signal } : {}),
          });
          result = staged.result;
          await target?.annotate(result);
          if (heldRate(result) || result.partial || o.signal?.aborted || step >= (o.stepDowns ?? 2)) break;
          const next = stepDownRate(rate, result.achievedRate, o.rate / 2 ** (o.stepDowns ?? 2));
          // Already at the lowest rate: the same window again would only fall behind again.
          if (next >= rate) break;
          o.onStepDown?.(variant, name, rate, result.achievedRate, next);
          rate = next;
        }
        const { result: _pooled, ...sequential } = staged!;
        const run: IsolatedRun = { variant, scenario: name, kind, held: heldRate(result), prewarm: db.prewarm, result, sequential };
        runs.push(run);
        await o.onRun?.(run);
        if (result.partial) return runs;
      }
    } finally {
      if (!target) await dropOwnedDatabase(o.serverUrl, dbName).catch(() => undefined);
    }
  }
  return runs;
}
