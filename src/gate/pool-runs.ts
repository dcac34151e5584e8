/**
 * One side's block runs pooled into one result (written as gate-base.json /
 * gate-head.json, judged against the absolute budgets): histograms are added, so its
 * percentiles are those of every measured transaction of that side; rates are the
 * mean over the blocks (the runs were sequential, not concurrent parts of one run as
 * mergeResults assumes); the per-second timeline is dropped (its clocks restart each
 * block). The per-block p95s are kept as `gateBlocks`, so a later gate can read them.
 *
 * The pooled intervals' batches are the BLOCKS (see {@link blockBatches}), not
 * mergeResults' batch-by-batch sum, which would add batch i of every block as if the
 * blocks had run at once.
 */
import { mergeResults } from '../result/merge.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import { mergeEncoded } from '../stats/histogram.js';
import { latencyCi } from '../stats/latency-ci.js';
import { MIN_BATCHES } from '../stats/quantile-ci.js';
import type { StoredBlocks } from './sides.js';

/**
 * The batches of a side pooled over sequential blocks: each block's own contiguous
 * batches merged into `ceil(MIN_BATCHES / blocks)` equal parts (one part, the whole block,
 * at 10 blocks or more), concatenated in block order. Blocks interleave base and head, so
 * what drifts between blocks (a neighbour's load, caches) varies from batch to batch and
 * widens the batch-means interval, as it should; 20 short batches per block would treat
 * the batches of one block as independent and miss that drift. A block without the
 * scenario contributes empty batches ('' = no samples). Undefined when a block that has
 * the scenario carries no batch histograms (older results): then the interval falls back
 * to the order statistic.
 */
export function blockBatches(perBlock: ReadonlyArray<string[] | undefined | null>): string[] | undefined {
  const parts = Math.ceil(MIN_BATCHES / Math.max(1, perBlock.length));
  if (perBlock.some((b) => b === undefined)) return undefined;
  return perBlock.flatMap((batches) =>
    Array.from({ length: parts }, (_, i) => {
      const list = batches ?? [];
      const group = list.slice(Math.round((i * list.length) / parts), Math.round(((i + 1) * list.length) / parts)).filter((e) => e);
      return group.length === 0 ? '' : group.length === 1 ? group[0]! : mergeEncoded(group);
    }),
  );
}

/** A pooled scenario with the block-level batches and the intervals they give. */
function withBlockBatches(s: ScenarioResult, results: readonly RunResult[]): ScenarioResult {
  const batches = blockBatches(
    results.map((r) => {
      const mine = r.scenarios.find((x) => x.name === s.name);
      return mine ? mine.batchHistograms : null;
    }),
  );
  const { batchHistograms: _b, ...rest } = s;
  return { ...rest, ...(batches ? { batchHistograms: batches } : {}), ...(s.histogram ? { latencyCi: latencyCi(s.histogram, batches) } : {}) };
}

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
    scenarios: merged.scenarios.map((s) => withBlockBatches({ ...s, targetRate: s.targetRate / n, achievedRate: s.achievedRate / n }, results)),
    notes: [
      ...(merged.notes ?? []),
      `pooled from ${n} gate block run(s) of ${first.target.durationSec}s each; per-block p95s in gateBlocks; interval batches: each block cut into ${Math.ceil(MIN_BATCHES / n)} part(s)`,
    ],
    gateBlocks: blocks,
  } as RunResult;
}
