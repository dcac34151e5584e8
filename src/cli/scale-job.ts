/**
 * The work of `ledger-bench scale`: for each size (smallest first) a complete seeded
 * baseline (reused when one of that size exists, else seeded under the size's own
 * prefix), then each claimed query alone on each variant (src/capacity/isolate.ts,
 * which builds the variants), then the growth fits. scale.json is rewritten after every
 * point, so Ctrl-C leaves a partial file holding what was measured.
 *
 * Databases: a size's databases are `<prefix>_<scale>_*` (`<prefix>_e<N>_a<M>_*` for a
 * custom size), except that a complete, unchanged `<prefix>_baseline` seeded with
 * exactly that size (e.g. by `bench`) is used where it exists, under `<prefix>`.
 */
import type { ScenarioResult } from '../result/types.js';
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { redactSettings } from '../config/load.js';
import { baselineDatabaseName } from '../db/names.js';
import { judgedVariants } from '../budgets/evaluate.js';
import { GROWTH_CONFIDENCE, GROWTH_THRESHOLDS } from '../stats/growth-fit.js';
import { SCALE_FILE, SCALE_KIND, SCALE_VERSION, type ScaleFile, type ScalePoint, type ScaleSize } from '../result/scale-schema.js';
import { scaleFits } from '../result/scale-fits.js';
import type { RunResult } from '../result/types.js';
import type { SeedSize } from '../../seed/scales.js';
import type { Settings } from '../config/options.js';
import { isolationRunSettings } from './commands/isolate.js';
import { parseScales, sizePrefix } from './parse-scales.js';
import { baselineParams, seedBaseline } from './commands/seed.js';

/** Settings the job reads. */
export type ScaleSettings = Pick<
  Settings,
  | 'dbPrefix' | 'force' | 'scales' | 'productionEntries' | 'variants' | 'variantsDir' | 'isolateScenarios' | 'isolateRate' | 'isolateSec' | 'isolateWarmupSec'
  | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'engineTimer' | 'engineDriver' | 'seed' | 'zipfTheta' | 'asOf' | 'reseed'
  | 'budgetMs' | 'budgetVariants' | 'inconclusive' | 'refreshIntervalSec' | 'quiet' | 'out'
>;

/** One size's plan: where its databases live and whether its baseline is reused. */
export interface SizePlan {
  size: SeedSize;
  prefix: string;
  reuse: boolean;
  /** Why a baseline that exists is not reused (logged). */
  why?: string;
}

/** What the job did. */
export interface ScaleDone {
  file: ScaleFile;
  path: string;
  planned: number;
  /** Set when a run broke (not interrupted): exit 1. */
  broken?: string;
}

/** Decides per size whether a complete baseline of it exists (the shared `<prefix>_baseline` first, then the size's own). */
export async function planSizes(serverUrl: string, s: ScaleSettings): Promise<SizePlan[]> {
  const { reusableBaseline } = await import('../db/readiness.js');
  const plans: SizePlan[] = [];
  // Smallest first: the cheap sizes give a first curve before the expensive ones start.
  for (const size of parseScales(s.scales).sort((a, b) => a.entries - b.entries)) {
    const params = baselineParams({ scale: size.base, entries: size.entries, accounts: size.accounts, seed: s.seed, zipfTheta: s.zipfTheta, asOf: s.asOf });
    const own = sizePrefix(s.dbPrefix, size);
    if (s.reseed) {
      plans.push({ size, prefix: own, reuse: false });
      continue;
    }
    const shared = await reusableBaseline(serverUrl, baselineDatabaseName(s.dbPrefix), params);
    if (shared.ok) {
      plans.push({ size, prefix: s.dbPrefix, reuse: true });
      continue;
    }
    const mine = await reusableBaseline(serverUrl, baselineDatabaseName(own), params);
    plans.push({ size, prefix: own, reuse: mine.ok, ...(mine.why ? { why: mine.why } : {}) });
  }
  return plans;
}

/** Every database the job may replace, per plan (checked before anything is touched). */
export async function replacedDatabases(plans: readonly SizePlan[], variants: readonly string[]): Promise<string[]> {
  const { variantDatabase } = await import('../variant-build/migrate.js');
  const { isolationDatabase } = await import('../capacity/isolate.js');
  return plans.flatMap((p) => [
    ...(p.reuse ? [] : [baselineDatabaseName(p.prefix)]),
    ...variants.filter((v) => v !== 'baseline').map((v) => variantDatabase(p.prefix, v)),
    ...variants.map((v) => isolationDatabase(p.prefix, v)),
  ]);
}

/** Runs the job on `serverUrl`; returns scale.json as last written. */
export async function runScaleJob(
  serverUrl: string,
  s: ScaleSettings,
  plans: readonly SizePlan[],
  variants: readonly string[],
  scenarios: readonly string[],
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<ScaleDone> {
  const outDir = resolve(s.out);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, SCALE_FILE);
  const productionEntries = s.productionEntries > 0 ? s.productionEntries : null;
  const file: ScaleFile = {
    kind: SCALE_KIND,
    scaleVersion: SCALE_VERSION,
    startedAt: new Date().toISOString(),
    partial: true,
    partialReason: 'running',
    budgetMs: s.budgetMs,
    inconclusive: s.inconclusive,
    budgetVariants: judgedVariants(variants, s.budgetVariants),
    productionEntries,
    isolation: { rate: s.isolateRate, durationSec: s.isolateSec, warmupSec: s.isolateWarmupSec },
    confidence: GROWTH_CONFIDENCE,
    thresholds: { ...GROWTH_THRESHOLDS },
    variants: [...variants],
    scenarios: [...scenarios],
    sizes: [],
    points: [],
    fits: [],
  };
  const save = () => {
    file.fits = scaleFits(file.points, variants, scenarios, productionEntries);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n');
    renameSync(tmp, path);
  };
  const planned = plans.length * variants.length * scenarios.length;
  const { isolateScenarios } = await import('../capacity/isolate.js');
  const { writeResultAtomic } = await import('../result/write.js');
  let broken: string | undefined;
  try {
    for (const [i, plan] of plans.entries()) {
      if (signal.aborted || broken) break;
      const { size, prefix } = plan;
      const started = performance.now();
      const entry: ScaleSize = {
        label: size.label, entries: size.entries, accounts: size.accounts, userAddresses: size.userAddresses,
        baselineDatabase: baselineDatabaseName(prefix), reused: plan.reuse, seedSec: null, buildSec: {}, totalSec: null,
      };
      file.sizes.push(entry);
      save();
      const at = `scale [${i + 1}/${plans.length}] ${size.label} (${size.entries.toLocaleString('en-US')} entries)`;
      if (plan.reuse) {
        log(`${at}: reusing ${entry.baselineDatabase} (complete, seeded with this size, unchanged)`);
      } else {
        if (plan.why) log(`${at}: not reusing ${entry.baselineDatabase}: ${plan.why}`);
        log(`${at}: seeding ${entry.baselineDatabase}`);
        await seedBaseline(serverUrl, { ...s, dbPrefix: prefix, scale: size.base, entries: size.entries, accounts: size.accounts, quiet: true }, log, signal);
        entry.seedSec = (performance.now() - started) / 1000;
        log(`${at}: seeded in ${entry.seedSec.toFixed(1)} s`);
        save();
      }
      const sizeDir = join(outDir, size.label);
      mkdirSync(sizeDir, { recursive: true });
      const runs = await isolateScenarios({
        serverUrl,
        prefix,
        variants,
        scenarios,
        ...isolationRunSettings(s),
        config: redactSettings({ command: 'scale', ...s, size: size.label }),
        signal,
        onBuild: (v, phase, sec) => {
          if (phase === 'building') return log(`${at}: building ${v}`);
          entry.buildSec[v] = sec;
          log(`${at}: built ${v} in ${sec.toFixed(1)} s`);
          save();
        },
        onStepDown: (v, sc, rate, achieved, next) => log(`${at}: ${v} / ${sc}: achieved ${achieved.toFixed(1)} of ${rate}/s, not held: again at ${next}/s`),
        onRun: async (r) => {
          const written = await writeResultAtomic(sizeDir, r.result, `${r.variant}--${r.scenario}.json`);
          const point = pointOf(size, r.variant, r.scenario, r.held, r.result, `${size.label}/${basename(written)}`);
          file.points.push(point);
          save();
          const p95 = point.p95Ms === null ? 'no data' : `p95 ${point.p95Ms.toFixed(2)} ms`;
          log(`${at}: ${r.variant} / ${r.scenario}: ${p95} at ${point.rate}/s${r.result.partial ? ' [PARTIAL]' : r.held ? '' : ' (not held: the p95 includes queueing)'}`);
        },
      });
      const last = runs.at(-1);
      if (last?.result.partial && (last.result.partialKind ?? 'broken') === 'broken') broken = `${size.label} / ${last.variant} / ${last.scenario}: ${last.result.partialReason ?? 'the run broke'}`;
      if (runs.length === variants.length * scenarios.length && !runs.some((r) => r.result.partial)) entry.totalSec = (performance.now() - started) / 1000;
      save();
    }
  } catch (err) {
    // Interrupted while seeding or building (abortable rejects with the signal's reason): keep what was measured.
    if (!signal.aborted) {
      file.partialReason = `failed: ${(err as Error).message}`;
      save();
      throw err;
    }
  }
  const complete = file.points.length === planned && !file.points.some((p) => p.partial);
  file.partial = !complete;
  if (complete) delete file.partialReason;
  else file.partialReason = broken ? `a run broke (${broken})` : signal.aborted ? 'interrupted' : 'stopped early';
  save();
  return { file, path, planned, ...(broken ? { broken } : {}) };
}

/** The point a run measured. */
function pointOf(size: SeedSize, variant: string, scenario: string, held: boolean, result: RunResult, resultFile: string): ScalePoint {
  const x = result.scenarios.find((y) => y.name === scenario);
  const has = !!x && x.count > 0;
  const p95Ci = latencyCiP95(x);
  return {
    scale: size.label, entries: size.entries, variant, scenario,
    p50Ms: has ? x.latencyMs.p50 : null, p95Ms: has ? x.latencyMs.p95 : null, p99Ms: has ? x.latencyMs.p99 : null,
    ...(p95Ci ? { p95Ci } : {}),
    rate: result.target.rate, held, partial: result.partial, count: x?.count ?? 0, errors: x?.errors ?? 0, resultFile,
  };
}

/**
 * The p95's confidence interval when the result carries one (`latencyCi`, added by a
 * later result version): read as `{ low, high }` or `[low, high]`, else undefined.
 */
/** The p95's 95% interval of a scenario result (high null: above the largest sample); none without one. */
function latencyCiP95(x: ScenarioResult | undefined): { low: number; high: number | null } | undefined {
  const ci = x?.latencyCi?.p95;
  return ci && ci.lo !== null ? { low: ci.lo, high: ci.hi } : undefined;
}
