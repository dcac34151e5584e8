/**
 * The confidence intervals a scenario's latency percentiles carry in the result JSON
 * (`latencyCi`): p50, p90, p95 and p99 of the latency from the intended start, from the
 * scenario's pooled histogram and its per-batch histograms (contiguous sub-windows of
 * the measured window). See quantile-ci.ts for the methods.
 */
import { distFromEncoded } from './histogram-dist.js';
import { quantileInterval, type CiMethod, type Dist, type QuantileEstimate } from './quantile-ci.js';

/** Confidence level of every interval the harness prints (a verdict's own level may be stricter: see sequential.ts). */
export const CONF = 0.95;

/**
 * Contiguous batches a measured window is cut into (by intended start). 20 keeps the
 * t-interval's own variance small (t(19) = 2.09 against z = 1.96) while each batch of a
 * short run still holds samples; intervals need at least MIN_BATCHES non-empty ones.
 */
export const BATCHES = 20;

/** The percentiles that carry intervals, as keyed in the result's latency summary. */
export const CI_PERCENTILES = { p50: 50, p90: 90, p95: 95, p99: 99 } as const;
export type CiKey = keyof typeof CI_PERCENTILES;

/** One percentile's interval in the result JSON; lo/hi null = none (see `reason`), hi null alone = above the largest sample. */
export type PercentileCi = {
  lo: number | null;
  hi: number | null;
  method: CiMethod | null;
  batches?: number;
  reason?: string;
};

/** The intervals of one scenario (ms). */
export type LatencyCi = { conf: number } & Record<CiKey, PercentileCi>;

/** A {@link QuantileEstimate} as stored in the result. */
export function toPercentileCi(e: QuantileEstimate): PercentileCi {
  return {
    lo: e.lo,
    hi: e.hi,
    method: e.method,
    ...(e.batches !== undefined ? { batches: e.batches } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  };
}

/** Intervals of the four percentiles from already decoded distributions. */
export function latencyCiOfDists(pooled: Dist, batches: readonly Dist[], conf = CONF): LatencyCi {
  const out = { conf } as LatencyCi;
  for (const [key, p] of Object.entries(CI_PERCENTILES) as [CiKey, number][]) out[key] = toPercentileCi(quantileInterval(pooled, batches, p, conf));
  return out;
}

/** Intervals of the four percentiles from encoded histograms (the pooled one and one per batch). */
export function latencyCi(histogram: string, batchHistograms: readonly string[] | undefined, conf = CONF): LatencyCi {
  return latencyCiOfDists(distFromEncoded(histogram), (batchHistograms ?? []).map(distFromEncoded), conf);
}

/** The interval of any percentile level from encoded histograms (for budgets on e.g. p(97.5)). */
export function percentileEstimate(histogram: string, batchHistograms: readonly string[] | undefined, p: number, conf = CONF): QuantileEstimate {
  return quantileInterval(distFromEncoded(histogram), (batchHistograms ?? []).map(distFromEncoded), p, conf);
}
