/**
 * Exact percentile summaries of small in-memory samples (tests, pgbench per-transaction
 * logs). The engine itself uses HDR histograms; this is the reference they are checked against.
 */

/** The fixed set of statistics every latency distribution is reported with (milliseconds). */
export type LatencySummary = {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
};

/**
 * Nearest-rank percentile of an ascending-sorted array: the smallest value such that at
 * least `p`% of the samples are <= it (the definition HdrHistogram uses, no interpolation).
 */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Summary (p50..p99.9, max, mean) of raw samples, in the samples' unit. Empty input gives zeros. */
export function summarizeSamples(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  let sum = 0;
  for (const v of arr) sum += v;
  return {
    p50: percentileSorted(arr, 50),
    p90: percentileSorted(arr, 90),
    p95: percentileSorted(arr, 95),
    p99: percentileSorted(arr, 99),
    p999: percentileSorted(arr, 99.9),
    max: arr[arr.length - 1]!,
    mean: sum / arr.length,
  };
}
