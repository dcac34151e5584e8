/**
 * Runs the same mixed workload on each variant, one after another: same data (each
 * variant freshly cloned from `<prefix>_baseline` right before its run, the baseline
 * too, so earlier runs' writes never leak into later ones), same seed, same
 * schedule. The baseline runs the "before" SQL, every other variant its "after" SQL.
 * One result file per variant, plus the p95 table beside the review's claims and the
 * measured MV staleness of each run.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULTS } from '../config/defaults.js';
import { runLoad, type EngineOptions } from '../engine/run-load.js';
import { buildTable, type Claim, type Comparison, type VariantRun } from '../result/comparison.js';
import { writeResultAtomic } from '../result/write.js';
import { withDatabase } from '../db/connection-url.js';
import { recreateOwnedDatabase } from '../db/ownership.js';
import { migrateVariant, variantDatabase, type MigrationReport } from '../variant-build/migrate.js';
import { measureStaleness } from '../variant-build/mv-refresh.js';
import { getVariant } from '../../variants/registry.js';
import { SCENARIOS } from '../../scenarios/registry.js';
import { DEFAULT_MIX } from '../../scenarios/mix.js';
import { scenarioWorkloadSpec } from '../../scenarios/workload.js';
import { formatP95Table } from '../report/p95-table.js';
import { attachEvidence, startEvidence } from './evidence.js';
import { prewarmDatabase } from '../db/prewarm.js';

/** Options of {@link compareVariants}. */
export interface CompareOptions {
  serverUrl: string;
  prefix: string;
  /** Variants to run, in order; 'baseline' is added first when missing. */
  variants: readonly string[];
  /** A folder of `<name>.sql` variants besides the built-in ones (variants/registry.ts). */
  variantsDir?: string;
  rate: number;
  durationSec: number;
  warmupSec: number;
  /** Longest warm-up: above warmupSec each run is measured once steady (see EngineOptions.maxWarmupSec); default warmupSec (fixed). */
  maxWarmupSec?: number;
  seed: number;
  /** Scenario mix (default DEFAULT_MIX). */
  mix?: Record<string, number>;
  /** Result files go here (`<variant>.json`, `comparison.json`, `comparison.md`). */
  outDir: string;
  /** MV refresh period during runs (default DEFAULTS.refreshIntervalSec; 0 = never refresh). */
  refreshIntervalSec?: number;
  connections?: number;
  workers?: number;
  maxTries?: number;
  /** Engine options passed to every run (see EngineOptions). */
  reconnectTimeoutSec?: number;
  timer?: EngineOptions['timer'];
  driver?: EngineOptions['driver'];
  quiet?: boolean;
  /** Build index concurrently during the per-run clones (default true). */
  concurrently?: boolean;
  /** Recorded in every result beside the comparison's own settings (secrets already removed). */
  config?: Record<string, unknown>;
  /** Ctrl-C: the current run ends early (its partial result is kept) and no further variant starts (nor after a run that broke). */
  signal?: AbortSignal;
  /** Collect server evidence (plans, pg_stat_statements deltas, index use) around each run (default true). */
  evidence?: boolean;
  /** Called before each variant's run. */
  onVariant?: (variant: string, phase: 'migrate' | 'run') => void;
}

/** Database a variant runs on during a comparison (the baseline runs on a clone of itself). */
export function runDatabase(prefix: string, variant: string): string {
  return variant === 'baseline' ? `${prefix}_baseline_run` : variantDatabase(prefix, variant);
}

/** The engine options a job over variants passes through to every run, only those set. */
export function engineOverrides(
  o: Pick<CompareOptions, 'signal' | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'timer' | 'driver'>,
): Partial<EngineOptions> {
  return {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.connections !== undefined ? { connections: o.connections } : {}),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    ...(o.maxTries !== undefined ? { maxTries: o.maxTries } : {}),
    ...(o.reconnectTimeoutSec !== undefined ? { reconnectTimeoutSec: o.reconnectTimeoutSec } : {}),
    ...(o.timer ? { timer: o.timer } : {}),
    ...(o.driver ? { driver: o.driver } : {}),
  };
}

/** Runs every variant and builds the comparison. */
export async function compareVariants(o: CompareOptions): Promise<Comparison> {
  const names = o.variants.includes('baseline') ? [...o.variants] : ['baseline', ...o.variants];
  const mix = o.mix ?? { ...DEFAULT_MIX };
  const claims: Record<string, Claim | undefined> = Object.fromEntries(SCENARIOS.map((s) => [s.name, s.claim]));
  await mkdir(o.outDir, { recursive: true });
  const runs: VariantRun[] = [];
  for (const name of names) {
    if (o.signal?.aborted) break;
    const def = await getVariant(name, { variantsDir: o.variantsDir });
    o.onVariant?.(name, 'migrate');
    let url: string;
    let migration: MigrationReport | undefined;
    if (name === 'baseline') {
      url = await recreateOwnedDatabase(o.serverUrl, runDatabase(o.prefix, name), {
        template: variantDatabase(o.prefix, 'baseline'),
        purpose: 'baseline run clone',
      });
    } else {
      migration = await migrateVariant({ serverUrl: o.serverUrl, prefix: o.prefix, variant: def, concurrently: o.concurrently });
      url = withDatabase(o.serverUrl, migration.database);
    }
    const side = name === 'baseline' ? 'before' : 'after';
    // Every variant's fresh clone (the baseline's too) is pre-warmed the same way, before
    // the evidence counters are read and before the clock starts.
    const prewarm = await prewarmDatabase(url);
    // Evidence counters are read before the first slot and after the last: outside the timed window.
    const evidence = o.evidence === false ? undefined : await startEvidence({ url, features: def.features, side, mix, seed: o.seed });
    o.onVariant?.(name, 'run');
    const startedAt = new Date();
    const result = await runLoad({
      databaseUrl: url,
      workload: scenarioWorkloadSpec({ variant: name, ...(o.variantsDir ? { variantsDir: o.variantsDir } : {}), side, mix, refreshIntervalSec: o.refreshIntervalSec ?? DEFAULTS.refreshIntervalSec }),
      rate: o.rate,
      durationSec: o.durationSec,
      warmupSec: o.warmupSec,
      ...(o.maxWarmupSec !== undefined ? { maxWarmupSec: o.maxWarmupSec } : {}),
      seed: o.seed,
      variant: name,
      quiet: o.quiet ?? true,
      ...engineOverrides(o),
      config: { ...o.config, compare: { variant: name, side, mix, rate: o.rate, durationSec: o.durationSec, warmupSec: o.warmupSec, maxWarmupSec: o.maxWarmupSec ?? o.warmupSec, seed: o.seed } },
    });
    result.prewarm = { ...prewarm };
    if (evidence) await attachEvidence(result, evidence);
    const resultFile = await writeResultAtomic(o.outDir, result, `${name}.json`);
    const staleness = def.materializedViews?.length ? await measureStaleness({ url, since: startedAt }) : [];
    runs.push({ variant: name, side, database: runDatabase(o.prefix, name), resultFile, ...(migration ? { migration } : {}), staleness, result });
    // Written after every variant, so an interrupted comparison keeps what it measured.
    await writeComparison(o.outDir, runs, mix, claims, names);
    // A run that broke (server gone) makes the rest incomparable: stop, keep what was measured.
    if (result.partial) break;
  }
  const table = buildTable(runs, mix, claims);
  const markdown = formatP95Table(table, runs.map((r) => r.variant));
  return { runs, table, claims, markdown };
}

async function writeComparison(
  outDir: string,
  runs: readonly VariantRun[],
  mix: Record<string, number>,
  claims: Comparison['claims'],
  planned: readonly string[],
): Promise<void> {
  const table = buildTable(runs, mix, claims);
  const done = runs.map((r) => r.variant);
  const pending = planned.filter((v) => !done.includes(v));
  const json = JSON.stringify({ complete: pending.length === 0, pending, table, runs: runs.map(({ result: _r, ...rest }) => rest) }, null, 2);
  await writeFileAtomic(path.join(outDir, 'comparison.json'), json);
  await writeFileAtomic(path.join(outDir, 'comparison.md'), formatP95Table(table, done) + '\n');
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
