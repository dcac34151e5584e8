/** `ledger-bench compare`: the same mixed workload on several variants, same data, same seed, same schedule. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../../errors.js';
import { requireSeededBaseline } from '../baseline-check.js';
import { redactSettings } from '../../config/load.js';
import { defineCommand } from '../command.js';
import { parseMix, parseVariantList } from '../parse-lists.js';
import { partialOutcome } from '../run-outcome.js';
import { openServer } from '../server-session.js';
import type { Comparison } from '../../compare/compare-variants.js';

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'run the same mixed workload on several variants and print the p95 table beside the review\'s claims',
  usage: 'compare [--variants LIST|all] [options]',
  description: `
For each variant in turn: a fresh clone of the seeded baseline (the baseline runs on a
clone of itself, so no run's writes leak into the next), the variant's migration, then
the same open-model run (same --seed, same schedule, same mix) at --rate. The baseline
runs the queries the review calls "before", every other variant its "after" queries.
Writes one result JSON per variant plus comparison.json and comparison.md to --out,
each as soon as it is known, and prints the p95 table with the review's claimed numbers,
the budget verdicts, migration times and the measured staleness of materialized views. If a run does not finish, no further
variant starts; the exit code is then 130 (interrupted) or 1 (the run broke, e.g. the
server stayed away past --reconnect-timeout), never 0.`,
  keys: [
    'databaseUrl', 'dataDir', 'dbPrefix', 'force', 'variants', 'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'workers',
    'maxTries', 'seed', 'budgetMs', 'refreshIntervalSec', 'reconnectTimeoutSec', 'engineTimer', 'engineDriver', 'quiet', 'out',
  ],
  examples: [
    'ledger-bench compare --variants baseline,indexes,matviews,event-sourced,partitioned,optimized --rate 1000 --duration 30s',
    'ledger-bench compare --variants indexes --mix journal-entry-search=1 --rate 200',
  ],
  async run({ settings: s, log, signal }) {
    const cmp = await compareAndPrint(s, log, signal);
    return comparisonOutcome(cmp, log, signal);
  },
});

/** Settings `compare` (and `bench`) needs. */
export interface CompareSettings {
  databaseUrl: string;
  dataDir: string;
  dbPrefix: string;
  force: boolean;
  variants: string;
  mix: string;
  rate: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  workers: number;
  maxTries: number;
  reconnectTimeoutSec: number;
  engineTimer: 'ticker' | 'spin';
  engineDriver: 'wire' | 'pg';
  seed: number;
  budgetMs: number;
  refreshIntervalSec: number;
  quiet: boolean;
  out: string;
}

/** Validates, runs the comparison on `serverUrl` (or a server it opens) and prints it. */
export async function compareAndPrint(s: CompareSettings, log: (line: string) => void, signal: AbortSignal, serverUrl?: string): Promise<Comparison> {
  const { listVariants } = await import('../../variants/registry.js');
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const { DEFAULT_MIX } = await import('../../../scenarios/mix.js');
  const names = parseVariantList(s.variants, (await listVariants()).map((v) => v.name));
  const mix = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : { ...DEFAULT_MIX };
  let url = serverUrl;
  if (!url) {
    const server = await openServer(s, log);
    await requireSeededBaseline(server.url, s.dbPrefix, server.label);
    url = server.url;
  }
  const outDir = resolve(s.out);
  mkdirSync(outDir, { recursive: true });
  const { compareVariants } = await import('../../compare/compare-variants.js');
  const { renderComparison } = await import('../../report/comparison.js');
  // No race against Ctrl-C here: the engine ends the current run itself and its
  // partial result is still written; no further variant starts.
  const cmp = await compareVariants({
      serverUrl: url,
      prefix: s.dbPrefix,
      variants: names,
      rate: s.rate,
      durationSec: s.durationSec,
      warmupSec: s.warmupSec,
      seed: s.seed,
      mix,
      outDir,
      refreshIntervalSec: s.refreshIntervalSec,
      ...(s.connections > 0 ? { connections: s.connections } : {}),
      workers: s.workers,
      maxTries: s.maxTries,
      reconnectTimeoutSec: s.reconnectTimeoutSec,
      timer: s.engineTimer,
      driver: s.engineDriver,
      quiet: s.quiet,
      signal,
      config: redactSettings({ command: 'compare', ...s }),
      onVariant: (v, phase) => log(`compare: ${phase === 'migrate' ? 'building' : `running ${s.rate}/s for ${s.durationSec}s (+${s.warmupSec}s warm-up) on`} ${v}`),
    });
  process.stdout.write('\n' + renderComparison(cmp, { mix, budgetMs: s.budgetMs }));
  log(`results: ${outDir} (one JSON per variant, comparison.json, comparison.md)`);
  return cmp;
}

/**
 * The exit code of a comparison, with its outcome as the last line: a partial run
 * never exits 0 (130 interrupted, 1 broke), nor does a comparison that stopped before
 * running every variant.
 */
export function comparisonOutcome(cmp: Comparison, log: (line: string) => void, signal: AbortSignal): number {
  const partial = partialOutcome(cmp.runs.map((r) => ({ label: r.variant, result: r.result })));
  if (partial) {
    log(`comparison incomplete: ${partial.line}`);
    return partial.code;
  }
  if (signal.aborted) {
    log(`comparison interrupted after ${cmp.runs.length} run(s): exit ${ExitCode.interrupted}`);
    return ExitCode.interrupted;
  }
  log(`comparison complete (${cmp.runs.length} runs): exit ${ExitCode.ok}`);
  return ExitCode.ok;
}
