/**
 * The workload factory the engine imports (WorkloadSpec kind 'module',
 * exportName 'createScenarioWorkload'): scenarios -> weighted transaction types
 * running the SQL of one variant, "before" or "after" side.
 *
 * It runs once per engine worker thread, so the options are plain JSON. When the
 * variant has materialized views and `refreshIntervalSec` > 0, each instance starts
 * a refresher; an advisory lock lets only one of them refresh (see mv-refresh.ts).
 */
import { newClient } from '../src/db/client.js';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { getVariant } from '../variants/registry.js';
import { startMvRefresher } from '../src/variant-build/mv-refresh.js';
import type { WorkloadContext } from '../src/workload/build.js';
import type { TransactionType, Workload } from '../src/workload/types.js';
import { UserError } from '../src/errors.js';
import { DEFAULTS } from '../src/config/defaults.js';
import { loadScenarioContext } from './context.js';
import { DEFAULT_MIX } from './mix.js';
import { getScenario, queryFor } from './registry.js';
import { contextFromDraws, type TargetDraws } from './target-context.js';
import { ZeroRowCounters } from './zero-rows.js';
import type { Feature } from '../src/variant-build/types.js';

/** Options of {@link createScenarioWorkload} (JSON-serialisable). */
export interface ScenarioWorkloadOptions {
  /** Variant the database was built as (its features pick the after-queries). */
  variant: string;
  /** The `--variants-dir` the variant may come from (worker threads look it up again). */
  variantsDir?: string;
  /** 'before' runs the baseline SQL, 'after' the variant's (default 'after'). */
  side?: 'before' | 'after';
  /** Scenario name -> weight (default DEFAULT_MIX). Zero weights are left out. */
  mix?: Record<string, number>;
  /** Seconds between MV refresh rounds during the run; 0 disables (default DEFAULTS.refreshIntervalSec). */
  refreshIntervalSec?: number;
  /**
   * An existing database measured as it is (`--target`): its features (from its
   * catalog) pick the queries instead of the variant's, its data's ranking draws the
   * parameters, nothing is refreshed, and each read's empty answers are counted.
   */
  target?: TargetWorkloadOptions;
}

/** The `target` part of {@link ScenarioWorkloadOptions} (structured-cloneable: it crosses into worker threads). */
export interface TargetWorkloadOptions {
  features: Feature[];
  draws: TargetDraws;
  /** Description the write scenarios give their entries, so they can be found. */
  entryTag: string;
  /** Zero-row counters ({@link ZeroRowCounters}), shared with the worker threads. */
  zeroRows: SharedArrayBuffer;
}

/** Absolute path of this module, for WorkloadSpec.module. */
export const SCENARIO_WORKLOAD_MODULE = fileURLToPath(import.meta.url);

/** The WorkloadSpec that makes the engine build this workload. */
export function scenarioWorkloadSpec(options: ScenarioWorkloadOptions): {
  kind: 'module';
  module: string;
  exportName: string;
  options: ScenarioWorkloadOptions;
} {
  return { kind: 'module', module: SCENARIO_WORKLOAD_MODULE, exportName: 'createScenarioWorkload', options };
}

/** The context of a seeded database (its ledger_bench_meta and data). */
async function seededContext(url: string, features: readonly Feature[]) {
  const client = newClient({ connectionString: url });
  await client.connect();
  try {
    return await loadScenarioContext(client, features);
  } finally {
    await client.end();
  }
}

/** Builds the workload. */
export async function createScenarioWorkload(options: unknown, ctx: WorkloadContext): Promise<Workload> {
  const o = options as ScenarioWorkloadOptions;
  if (!o || typeof o.variant !== 'string') throw new UserError('scenario workload options need a "variant" name');
  const t = o.target;
  // A target is no variant: its own catalog's features pick the queries.
  const variant = t ? { features: t.features, materializedViews: undefined } : await getVariant(o.variant, { variantsDir: o.variantsDir });
  const side = o.side ?? 'after';
  const mix = o.mix ?? DEFAULT_MIX;
  const scenarioCtx = t ? contextFromDraws(t.draws, t.features, t.entryTag) : await seededContext(ctx.databaseUrl, variant.features);
  const zeroRows = t ? new ZeroRowCounters(t.zeroRows) : undefined;
  const transactions: TransactionType[] = [];
  for (const [name, weight] of Object.entries(mix)) {
    if (!(weight > 0)) continue;
    const s = getScenario(name);
    if (s.kind === 'write') {
      transactions.push({ name, weight, execute: (conn, rng) => s.execute(conn, rng, scenarioCtx) });
      continue;
    }
    const q = queryFor(s, variant.features, side);
    const stmt = `${name}:${q.label}`;
    const slot = zeroRows?.slotOf(name);
    transactions.push({
      name,
      weight,
      execute: async (conn, rng) => {
        const r = await conn.query(q.sql, q.values(s.params(rng, scenarioCtx)), stmt);
        if (slot !== undefined) zeroRows!.count(slot, r.rows.length === 0);
      },
    });
  }
  if (transactions.length === 0) throw new UserError('the scenario mix has no scenario with a positive weight');
  const interval = o.refreshIntervalSec ?? DEFAULTS.refreshIntervalSec;
  const refresher =
    variant.materializedViews?.length && interval > 0
      ? startMvRefresher({ url: ctx.databaseUrl, views: variant.materializedViews, intervalSec: interval })
      : undefined;
  return {
    transactions,
    close: async () => {
      await refresher?.stop();
    },
  };
}
