/**
 * One side's block runs pooled into one result (written as gate-base.json /
 * gate-head.json, judged against the absolute budgets): histograms are added, so its
 * percentiles are those of every measured transaction of that side; rates are the
 * mean over the blocks (the runs were sequential, not concurrent parts of one run as
 * mergeResults assumes); the per-second timeline is dropped (its clocks restart each
 * block). The per-block p95s are kept as `gateBlocks`, so a later gate can read them.
 */
import { mergeResults } from '../result/merge.js';
import type { RunResult } from '../result/types.js';
import type { StoredBlocks } from './sides.js';

/** Pools the sequential runs of one side; `blocks` are their per-scenario p95s, in block order. */
export function poolSequentialRuns(results: readonly RunResult[], blocks: StoredBlocks): RunResult {
  const first = results[0];
  if (!first) throw new Error('poolSequentialRuns: no runs');
  const n = results.length;
  const { timeline: _timeline, ...merged } = mergeResults(results);
  const sum = (f: (r: RunResult) => number | undefined): number => results.reduce((a, r) => a + (f(r) ?? 0), 0);
  return {
    ...merged,
    target: { ...first.target, durationSec: sum((r) => r.target.durationSec) },
    measuredSec: sum((r) => r.measuredSec ?? r.target.durationSec),
    ...(merged.offeredRate !== undefined ? { offeredRate: merged.offeredRate / n } : {}),
    achievedRate: merged.achievedRate / n,
    scenarios: merged.scenarios.map((s) => ({ ...s, targetRate: s.targetRate / n, achievedRate: s.achievedRate / n })),
    notes: [...(merged.notes ?? []), `pooled from ${n} gate block run(s) of ${first.target.durationSec}s each; per-block p95s in gateBlocks`],
    gateBlocks: blocks,
  } as RunResult;
}
