/**
 * The p95 figures a probe records (pure): each scenario's p95 with its interval at the
 * probe's confidence, and the whole mix's (every scenario's samples together, batch by
 * batch): the latency-throughput curve's y.
 */
import type { RunResult, ScenarioResult } from '../result/types.js';
import { distFromEncoded } from '../stats/histogram-dist.js';
import { mergeDists, quantileInterval, type Dist, type QuantileEstimate } from '../stats/quantile-ci.js';
import type { P95Ci } from '../report/capacity-figures.js';

const toP95 = (e: QuantileEstimate, conf: number): P95Ci => ({ value: e.value, lo: e.lo, hi: e.hi, n: e.n, conf });

/** A scenario's p95 with its interval at `conf` (no interval below minSamples: n says how many there were). */
export function scenarioP95(s: ScenarioResult, conf: number): P95Ci {
  if (!s.histogram) return { value: null, lo: null, hi: null, n: s.count, conf };
  return toP95(quantileInterval(distFromEncoded(s.histogram), (s.batchHistograms ?? []).map(distFromEncoded), 95, conf), conf);
}

/** The whole mix's p95 with its interval at `conf`: every scenario's samples pooled, batch i with batch i. */
export function mixP95(result: RunResult, conf: number): P95Ci {
  const withData = result.scenarios.filter((s) => s.histogram);
  const pooled = mergeDists(withData.map((s) => distFromEncoded(s.histogram)));
  const len = Math.max(0, ...withData.map((s) => s.batchHistograms?.length ?? 0));
  const batches: Dist[] = Array.from({ length: len }, (_, i) => mergeDists(withData.map((s) => distFromEncoded(s.batchHistograms?.[i] ?? ''))));
  return toP95(quantileInterval(pooled, batches, 95, conf), conf);
}
