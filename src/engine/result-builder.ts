/** Builds one load process's result (before run-load.ts merges workers and adds server facts). */
import { encodeHistogram, summarizeHistogram } from '../stats/histogram.js';
import { latencyCi } from '../stats/latency-ci.js';
import { achievedRate, reachedTarget } from '../stats/rate.js';
import { SCHEMA_VERSION } from '../result/schema-version.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import type { WorkerPlan } from './plan.js';
import type { Outage } from './pool.js';
import type { Recorder } from './recorder.js';
import { TOOL } from './tool.js';

/** Why a run ended early: the caller stopped it, or it broke (server gone, connections lost). */
export type PartialKind = 'interrupted' | 'broken';

/** Run-level facts the recorder does not hold. */
export interface RunFacts {
  partial?: { reason: string; kind: PartialKind };
  startedAtIso: string;
  endedAtMs: number;
  connectionsLost: number;
  connectionsReplaced: number;
  outages: readonly Outage[];
  /** The warm-up as this process ran it (`settled` is added by run-load.ts, which decided it). */
  warmup: { minSec: number; maxSec: number; endedSec: number | null };
}

/** The result of one process; destroys the recorder's histograms. */
export function buildProcessResult(plan: WorkerPlan, rec: Recorder, facts: RunFacts): RunResult {
  // rec.ws is Infinity when the window never started (stopped during a settle-mode warm-up): 0 s measured.
  const measuredSec = Math.max(0, Math.min(rec.we, rec.ws + plan.durationSec * 1000) - rec.ws) / 1000 || 0;
  const processRate = plan.rate / plan.stride;
  let completed = 0;
  let offered = 0;
  let dropped = 0;
  let straddlers = 0;
  const scenarios: ScenarioResult[] = rec.stats.map((s) => {
    const done = s.count + s.errors;
    completed += done;
    offered += s.offered;
    dropped += s.dropped;
    straddlers += s.straddlers;
    const histogram = encodeHistogram(s.latency);
    const batchHistograms = s.encodeBatches();
    return {
      name: s.name,
      targetRate: processRate * s.share,
      achievedRate: achievedRate(done, measuredSec),
      offered: s.offered,
      count: s.count,
      errors: s.errors,
      errorsByCode: s.errorsByCode,
      retries: s.retries,
      dropped: s.dropped,
      straddlers: s.straddlers,
      latencyMs: summarizeHistogram(s.latency),
      serviceMs: summarizeHistogram(s.service),
      lagMs: summarizeHistogram(s.lag),
      latencyCi: latencyCi(histogram, batchHistograms),
      histogram,
      batchHistograms,
      serviceHistogram: encodeHistogram(s.service),
      lagHistogram: encodeHistogram(s.lag),
    };
  });
  rec.destroy();
  return {
    schemaVersion: SCHEMA_VERSION,
    partial: facts.partial !== undefined,
    ...(facts.partial ? { partialReason: facts.partial.reason, partialKind: facts.partial.kind } : {}),
    startedAt: facts.startedAtIso,
    endedAt: new Date(facts.endedAtMs).toISOString(),
    tool: TOOL,
    target: {
      rate: plan.rate,
      durationSec: plan.durationSec,
      warmupSec: plan.warmupSec,
      arrival: plan.arrival,
      connections: plan.connections,
      workers: 1,
      segment: plan.segment,
    },
    measuredSec,
    offeredRate: achievedRate(offered, measuredSec),
    achievedRate: achievedRate(completed, measuredSec),
    reachedTarget: reachedTarget(completed, offered, plan.rateTolerance) && dropped === 0,
    dropped,
    straddlers,
    connectionsReplaced: facts.connectionsReplaced,
    connectionsLost: facts.connectionsLost,
    ...(facts.outages.length ? { outages: facts.outages.map((o) => ({ startSec: o.startSec, endSec: o.endSec })) } : {}),
    warmup: { ...facts.warmup, settled: null },
    server: null,
    config: null,
    seed: plan.seed,
    scenarios,
  };
}
