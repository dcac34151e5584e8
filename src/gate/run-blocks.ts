/**
 * The gate's measurement: each side that is a variant is built once, as a fresh clone
 * of the same seeded baseline (`<prefix>_gate_base`, `<prefix>_gate_head`, two
 * databases even when base and head are the same variant), then N blocks run; in each
 * block both sides run the same short fixed-rate load (same seed, so the same
 * schedule and parameters), in an order drawn per block from the gate's seed, back to
 * back. Randomized interleaving (Abedi & Brecht, ICPE 2017) keeps slow drifts of a
 * shared CI machine from landing on one side only. A run that ends partial stops the
 * gate: nothing after it is comparable.
 *
 * A git-ref side is built and run the same way, by this code, from the definitions of
 * the ref's tree: its variant (migrated into `<prefix>_gate_<side>` with the ownership
 * marks of this checkout) and its scenario workload module (the ref's SQL).
 */
import { DEFAULTS } from '../config/defaults.js';
import { withDatabase } from '../db/connection-url.js';
import { ownedDatabaseName } from '../db/names.js';
import { runLoad, type EngineOptions } from '../engine/run-load.js';
import { createRng, mixSeed } from '../random/rng.js';
import type { RunResult } from '../result/types.js';
import { migrateVariant } from '../variant-build/migrate.js';
import { getVariant } from '../../variants/registry.js';
import { SCENARIO_WORKLOAD_MODULE } from '../../scenarios/workload.js';
import type { VariantDefinition } from '../variant-build/types.js';
import type { RefTree } from './git-ref.js';
import { runsHere, sideVariantLabel, type GateSide } from './sides.js';

/** The two side names. */
export type SideName = 'base' | 'head';

/** Options of {@link runBlocks}. */
export interface RunBlocksOptions {
  serverUrl: string;
  prefix: string;
  /** Only the sides that are variants or git refs run; a result-file side is skipped. */
  sides: Record<SideName, GateSide>;
  /** For each git-ref side, its prepared tree and variant (git-ref.ts, prepareRefSide). */
  refs?: Partial<Record<SideName, { tree: RefTree; variant: VariantDefinition; variantsDir?: string }>>;
  variantsDir?: string;
  /** Replace a `<prefix>_gate_*` database ledger-bench did not create. */
  force?: boolean;
  blocks: number;
  blockSec: number;
  warmupSec: number;
  rate: number;
  seed: number;
  mix?: Record<string, number>;
  refreshIntervalSec?: number;
  engine?: Pick<EngineOptions, 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'timer' | 'driver'>;
  config?: Record<string, unknown>;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** One run of one side in one block. */
export interface BlockRun {
  block: number;
  side: SideName;
  /** Position in the block (0 = ran first). */
  position: number;
  result: RunResult;
}

/** Database a side is built into. */
export function gateDatabase(prefix: string, side: SideName): string {
  return ownedDatabaseName(prefix, `gate_${side}`);
}

/** The order of the sides in block `index` under `seed`: a fair coin per block, reproducible. */
export function blockOrder(seed: number, index: number): SideName[] {
  return createRng(mixSeed(seed ^ 0x6a7e, index)).next() < 0.5 ? ['base', 'head'] : ['head', 'base'];
}

/** Builds the variant sides and runs the blocks; returns every run so far (stops after a partial one). */
export async function runBlocks(o: RunBlocksOptions): Promise<BlockRun[]> {
  const log = o.log ?? (() => undefined);
  const urls: Partial<Record<SideName, string>> = {};
  const workloads: Partial<Record<SideName, { module: string; variant: string; variantsDir?: string }>> = {};
  for (const side of ['base', 'head'] as const) {
    const s = o.sides[side];
    if (!runsHere(s)) continue;
    if (o.signal?.aborted) return [];
    let def: VariantDefinition;
    if (s.kind === 'ref') {
      const prepared = o.refs?.[side];
      if (!prepared) throw new Error(`gate: the ${side} side is git ref ${s.ref} but its tree was not prepared`);
      def = prepared.variant;
      workloads[side] = { module: prepared.tree.workloadModule, variant: s.variant, ...(prepared.variantsDir ? { variantsDir: prepared.variantsDir } : {}) };
    } else {
      def = await getVariant(s.name, { variantsDir: o.variantsDir });
      workloads[side] = { module: SCENARIO_WORKLOAD_MODULE, variant: s.name, ...(o.variantsDir ? { variantsDir: o.variantsDir } : {}) };
    }
    log(`gate: building ${side} (${sideVariantLabel(s)}) as ${gateDatabase(o.prefix, side)}`);
    // Built without CONCURRENTLY: nobody else uses the fresh clone, and it is faster.
    const m = await migrateVariant({ serverUrl: o.serverUrl, prefix: o.prefix, variant: def, database: gateDatabase(o.prefix, side), force: o.force, concurrently: false, signal: o.signal });
    urls[side] = withDatabase(o.serverUrl, m.database);
  }
  const runs: BlockRun[] = [];
  for (let block = 0; block < o.blocks; block++) {
    const order = blockOrder(o.seed, block).filter((side) => urls[side]);
    for (const [position, side] of order.entries()) {
      if (o.signal?.aborted) return runs;
      const w = workloads[side]!;
      const variant = sideVariantLabel(o.sides[side] as Exclude<GateSide, { kind: 'result' }>);
      log(`gate: block ${block + 1}/${o.blocks}, ${side} (${variant}): ${o.rate}/s for ${o.blockSec}s (+${o.warmupSec}s warm-up)`);
      const result = await runLoad({
        databaseUrl: urls[side]!,
        // The options of scenarios/workload.ts, the same for a ref's copy of that module.
        workload: {
          kind: 'module',
          module: w.module,
          exportName: 'createScenarioWorkload',
          options: {
            variant: w.variant,
            ...(w.variantsDir ? { variantsDir: w.variantsDir } : {}),
            side: w.variant === 'baseline' ? 'before' : 'after',
            ...(o.mix ? { mix: o.mix } : {}),
            refreshIntervalSec: o.refreshIntervalSec ?? DEFAULTS.refreshIntervalSec,
          },
        },
        rate: o.rate,
        durationSec: o.blockSec,
        warmupSec: o.warmupSec,
        // Same seed for both sides of a block (same schedule, same parameters), another per block.
        seed: mixSeed(o.seed, block),
        variant,
        quiet: true,
        ...(o.signal ? { signal: o.signal } : {}),
        ...Object.fromEntries(Object.entries(o.engine ?? {}).filter(([, v]) => v !== undefined)),
        config: { ...o.config, gate: { side, block, position } },
      });
      runs.push({ block, side, position, result });
      if (result.partial) return runs;
    }
  }
  return runs;
}
