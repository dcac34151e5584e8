/**
 * `run --target URL`: the scenario mix on an existing database, measured as it is.
 * No server is started, no database created, cloned, pre-warmed or marked; sessions are
 * read-only unless --allow-writes. Returns the result for `run` to write and judge.
 */
import { redactSettings } from '../config/load.js';
import type { Settings } from '../config/options.js';
import type { BudgetSet } from '../config/budget-grammar.js';
import type { RunResult } from '../result/types.js';
import { maxWarmupSec } from './warmup-settings.js';
import { runEngineSettings } from './engine-settings.js';
import { openTargetJob, TARGET_VARIANT, targetWarnings } from './target-settings.js';

/** The settings `run --target` reads. */
type RunTargetSettings = Pick<
  Settings,
  | 'target' | 'allowWrites' | 'databaseUrl' | 'db' | 'mix' | 'rate' | 'durationSec' | 'warmupSec' | 'maxWarmupSec' | 'arrival' | 'connections' | 'backlog' | 'maxTries'
  | 'workers' | 'queryMode' | 'reconnectTimeoutSec' | 'engineTimer' | 'engineDriver' | 'quiet' | 'seed' | 'evidence'
> & Record<string, unknown>;

/** Opens the target, runs the mix on it, and returns the result with its `targetDatabase` (and evidence) attached. */
export async function runOnTarget(s: RunTargetSettings, budgets: BudgetSet, log: (line: string) => void, signal: AbortSignal): Promise<RunResult> {
  const t = await openTargetJob(s, log);
  const { scenarioWorkloadSpec } = await import('../../scenarios/workload.js');
  const { runLoad } = await import('../engine/run-load.js');
  const maxWarmup = maxWarmupSec(s);
  log(`running the target's mix on ${t.database}: ${s.rate}/s for ${s.durationSec}s after ${maxWarmup > s.warmupSec ? `${s.warmupSec}-${maxWarmup}s` : `${s.warmupSec}s`} warm-up (not pre-warmed: the target is measured as it is)`);
  // Evidence reads pg_stat_statements only where it is installed already (never created here).
  let evidence: import('../compare/evidence.js').EvidenceSession | undefined;
  if (s.evidence) {
    const { startEvidence } = await import('../compare/evidence.js');
    evidence = await startEvidence({ url: t.url, features: t.features, side: 'after', mix: t.mix, seed: s.seed, createExtension: false, context: t.context });
  }
  const result = await runLoad({
    databaseUrl: t.url,
    workload: scenarioWorkloadSpec({ variant: TARGET_VARIANT, side: 'after', mix: t.mix, refreshIntervalSec: 0, target: t.workload() }),
    ...runEngineSettings(s),
    maxWarmupSec: maxWarmup,
    signal,
    config: redactSettings({ command: 'run', ...s, budgets }),
    variant: TARGET_VARIANT,
  });
  await t.annotate(result);
  if (evidence) await (await import('../compare/evidence.js')).attachEvidence(result, evidence);
  for (const w of targetWarnings(result)) log(w);
  if (result.targetDatabase?.entriesWritten !== undefined) log(`target: this run wrote ${result.targetDatabase.entriesWritten} journal entries, description "${result.targetDatabase.entryTag}"`);
  return result;
}
