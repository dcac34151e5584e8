/**
 * The PR gate's statistics (pure, deterministic given a seed): per-block p95 pairs
 * (base_i, head_i) measured in the same job -> ratios head/base -> their geometric
 * mean and a seeded percentile-bootstrap confidence interval of it -> a verdict.
 *
 * Why these choices:
 * - Ratios within a block cancel what drifts between blocks (a noisy CI neighbour,
 *   caches warming): both sides of a block ran back to back on the same machine.
 * - The geometric mean of ratios (the mean of log ratios) is symmetric: 2x slower and
 *   2x faster cancel, which an arithmetic mean of ratios would not. With 4-10 blocks
 *   its bootstrap distribution is smooth, unlike the median's (a few order statistics).
 * - The verdict needs BOTH significance and size (as Mozilla's Perfherder does):
 *   regression = the interval's lower bound is above 1 (slower beyond the noise seen
 *   between blocks) AND the estimate is above 1 + minEffect (default 10%). A tiny
 *   but consistent slowdown passes; so does a large one the blocks do not agree on.
 *
 * Limits: the percentile bootstrap is too narrow with very few blocks (it cannot see
 * more spread than the blocks show); the minimum effect is the guard against that.
 * Fewer than {@link MIN_BLOCKS} pairs are never judged.
 */
import { quantileSorted } from 'simple-statistics';
import { createRng } from '../random/rng.js';

/** Pairs needed before a confidence interval means anything. */
export const MIN_BLOCKS = 3;

/** Bootstrap resamples (deterministic: a seeded generator). */
export const DEFAULT_RESAMPLES = 10_000;

/** One block: the p95 (ms) of the base and of the head. */
export interface BlockPair {
  base: number;
  head: number;
}

/** The geometric-mean ratio head/base with its bootstrap interval. */
export interface RatioEstimate {
  /** head/base per block. */
  ratios: number[];
  /** Geometric mean of the ratios (1 = no change, 1.2 = head 20% slower). */
  estimate: number;
  /** Two-sided percentile-bootstrap interval of the geometric mean. */
  low: number;
  high: number;
  /** The interval's coverage, e.g. 0.95. */
  confidence: number;
}

/**
 * Geometric mean of head/base over the pairs and its two-sided percentile-bootstrap
 * interval at `confidence` (resampling whole blocks with replacement, seeded).
 * Throws on an empty list or a non-positive p95 (a ratio needs two positive numbers).
 */
export function ratioEstimate(pairs: readonly BlockPair[], o: { confidence: number; seed: number; resamples?: number }): RatioEstimate {
  if (pairs.length === 0) throw new RangeError('ratioEstimate: no block pairs');
  if (!(o.confidence > 0 && o.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${o.confidence}`);
  for (const p of pairs) {
    if (!(p.base > 0 && p.head > 0)) throw new RangeError(`ratioEstimate: p95 values must be positive, got base ${p.base} head ${p.head}`);
  }
  const ratios = pairs.map((p) => p.head / p.base);
  const logs = ratios.map(Math.log);
  const n = logs.length;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const rng = createRng(o.seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += logs[Math.floor(rng.next() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const sorted = Array.from(means);
  const alpha = 1 - o.confidence;
  return {
    ratios,
    estimate: Math.exp(mean),
    low: Math.exp(quantileSorted(sorted, alpha / 2)),
    high: Math.exp(quantileSorted(sorted, 1 - alpha / 2)),
    confidence: o.confidence,
  };
}

/** What the gate concluded for one scenario. */
export type RatioVerdict =
  /** Significantly slower AND by more than the minimum effect: fails the gate. */
  | 'regression'
  /** Significantly faster by more than the minimum effect (reported, never a failure). */
  | 'improvement'
  /** Neither: no change the gate can call both real and large. */
  | 'no-change';

/**
 * The verdict of an estimate: a regression when the interval's lower bound is above 1
 * (significant) and the estimate above 1 + minEffect (large enough); an improvement
 * symmetrically (upper bound below 1, estimate below 1 / (1 + minEffect)).
 */
export function ratioVerdict(e: Pick<RatioEstimate, 'estimate' | 'low' | 'high'>, minEffect: number): RatioVerdict {
  if (e.low > 1 && e.estimate > 1 + minEffect) return 'regression';
  if (e.high < 1 && e.estimate < 1 / (1 + minEffect)) return 'improvement';
  return 'no-change';
}

/**
 * The per-scenario confidence when `k` scenarios are judged at once (Bonferroni):
 * each interval is widened so that the chance of ANY false alarm stays at most
 * 1 - confidence, not k times that.
 */
export function perScenarioConfidence(confidence: number, k: number): number {
  return 1 - (1 - confidence) / Math.max(1, k);
}
