/**
 * Tiny result objects for pure reporter and budget tests: a scenario whose latency
 * histogram holds exactly the given values, summarised the way the engine does.
 * (Command tests use results of real runs instead.)
 */
import { createHistogram, encodeHistogram, summarizeHistogram } from '../../src/stats/histogram.js';
import type { RunResult, ScenarioResult } from '../../src/result/types.js';

/** A scenario result with latencies `ms` (each recorded once), rates and counts as given. */
export function scenario(name: string, ms: readonly number[], o: Partial<Pick<ScenarioResult, 'targetRate' | 'achievedRate' | 'errors' | 'dropped'>> = {}): ScenarioResult {
  const h = createHistogram();
  for (const x of ms) h.recordValue(Math.round(x * 1000));
  const latencyMs = summarizeHistogram(h);
  const histogram = encodeHistogram(h);
  h.destroy();
  return {
    name,
    targetRate: o.targetRate ?? 10,
    achievedRate: o.achievedRate ?? 10,
    count: ms.length,
    errors: o.errors ?? 0,
    errorsByCode: {},
    retries: 0,
    dropped: o.dropped ?? 0,
    latencyMs,
    serviceMs: latencyMs,
    lagMs: { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 },
    histogram,
  };
}

/** A complete result of one variant holding `scenarios`. */
export function result(variant: string, scenarios: ScenarioResult[], o: { partial?: boolean; timeline?: RunResult['timeline'] } = {}): RunResult {
  return {
    schemaVersion: 1,
    partial: o.partial ?? false,
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:10.000Z',
    tool: { name: 'ledger-bench', version: 'test' },
    target: { rate: 10, durationSec: 10, warmupSec: 0, arrival: 'uniform', connections: 1, workers: 1, segment: null },
    achievedRate: 10,
    reachedTarget: true,
    server: null,
    config: {},
    variant,
    seed: 1,
    scenarios,
    ...(o.timeline ? { timeline: o.timeline } : {}),
  };
}
