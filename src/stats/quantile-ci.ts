/**
 * Confidence intervals for a percentile (pure: sorted value/count arrays in, numbers out).
 *
 * Two methods, chosen per estimate:
 * - **batch means** (honest under autocorrelation): the run's measured window is cut into
 *   contiguous batches by time. The quantile is a level crossing: the share of samples at
 *   or below the true p-quantile is p. How much that share moves from batch to batch
 *   measures its real variance, carried-over queues included. Its ratio to the i.i.d.
 *   variance (times (t(B-1)/z)^2 for a variance estimated from B batches) is an inflation
 *   factor; the interval takes the exact order-statistic ranks of an effective sample of
 *   n / inflation, scaled back to the n samples. It is never narrower than the i.i.d.
 *   interval (a positive autocorrelation only widens it; a small batch count must not
 *   narrow it by chance), and equals it when the batches vary as independent samples do.
 * - **order statistic** (distribution-free, assumes independent samples): the count of
 *   samples below the true quantile is Binomial(n, p); the interval is two order statistics
 *   whose ranks cover the quantile with the confidence asked. Used where too few batches hold
 *   samples, and labelled as assuming independence.
 *
 * A percentile with too few samples for any interval ({@link minSamples}: a p95 needs 59, a
 * p99 299 at 95%) gets none: reported as such, never as a bare number.
 */
import { probit } from 'simple-statistics';
import { studentTQuantile } from './student-t.js';

/** A sorted discrete distribution: ascending distinct values with their counts; `n` = total count. */
export interface Dist {
  values: number[];
  counts: number[];
  n: number;
}

/** How an interval was obtained. */
export type CiMethod = 'batch-means' | 'order-statistic';

/** A percentile with its confidence interval (or why it has none). */
export interface QuantileEstimate {
  /** The percentile level, 0..100 (95 = p95). */
  p: number;
  /** Nearest-rank value (the HdrHistogram definition); null without samples. */
  value: number | null;
  n: number;
  /** Interval bounds; `hi` null = above the largest sample (the data cannot bound it). Both null: no interval. */
  lo: number | null;
  hi: number | null;
  method: CiMethod | null;
  /** Batches that held samples (batch means only). */
  batches?: number;
  /**
   * The effective sample behind the interval: n over the batches' inflation (batch means),
   * n (order statistic). An interval closes above once this reaches {@link minSamples}.
   */
  nEff?: number;
  /** Why there is no interval, e.g. `59 samples needed for a p95 interval, 12 measured`. */
  reason?: string;
}

/** Batches below this count make batch means unreliable (the t-interval's own variance): fall back. */
export const MIN_BATCHES = 10;

/** Builds a {@link Dist} from raw samples. */
export function distFromSamples(samples: readonly number[]): Dist {
  const sorted = Float64Array.from(samples).sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (values.length && values[values.length - 1] === v) counts[counts.length - 1]!++;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  return { values, counts, n: sorted.length };
}

/** Merges distributions (sum of counts per value). */
export function mergeDists(dists: readonly Dist[]): Dist {
  const m = new Map<number, number>();
  for (const d of dists) d.values.forEach((v, i) => m.set(v, (m.get(v) ?? 0) + d.counts[i]!));
  const values = [...m.keys()].sort((a, b) => a - b);
  const counts = values.map((v) => m.get(v)!);
  return { values, counts, n: counts.reduce((a, b) => a + b, 0) };
}

/** Value of 1-based rank `r` (clamped to 1..n); NaN when empty. */
export function valueAtRank(d: Dist, r: number): number {
  if (d.n === 0) return NaN;
  const rank = Math.min(Math.max(1, r), d.n);
  let seen = 0;
  for (let i = 0; i < d.values.length; i++) {
    seen += d.counts[i]!;
    if (seen >= rank) return d.values[i]!;
  }
  return d.values[d.values.length - 1]!;
}

/** Samples at or below `v`. */
export function countAtOrBelow(d: Dist, v: number): number {
  let c = 0;
  for (let i = 0; i < d.values.length && d.values[i]! <= v; i++) c += d.counts[i]!;
  return c;
}

/** Nearest-rank p-th percentile (p in 0..100): rank ceil(p/100 * n), as HdrHistogram. */
export function quantile(d: Dist, p: number): number {
  return valueAtRank(d, Math.ceil((p / 100) * d.n - 1e-9));
}

/** Fewest samples for which any two order statistics cover the p-quantile with `conf`: 1 - q^n - (1-q)^n >= conf. */
export function minSamples(p: number, conf = 0.95): number {
  const q = p / 100;
  for (let n = 1; n < 1e7; n++) if (1 - q ** n - (1 - q) ** n >= conf) return n;
  return Infinity;
}

/** Binomial(n, q) CDF at 0..n, or null when n is large enough for the normal approximation. */
function binomialCdf(n: number, q: number): Float64Array | null {
  if (n > 20_000) return null;
  const cdf = new Float64Array(n + 1);
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  let logPmf = n * l1q;
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    sum += Math.exp(logPmf);
    cdf[k] = Math.min(1, sum);
    logPmf += Math.log(n - k) - Math.log(k + 1) + lq - l1q;
  }
  return cdf;
}

/**
 * Ranks [j, k] (1-based) of the order-statistic interval for the p-quantile of n i.i.d.
 * samples: P(x(j) <= quantile <= x(k)) >= conf. Equal tails where the sample allows; where
 * the upper rank would pass n, k = n and j is the highest rank that keeps the coverage
 * (the asymmetric interval behind {@link minSamples}). Null when n is too small.
 */
export function orderStatisticRanks(n: number, p: number, conf = 0.95): [number, number] | null {
  if (n < minSamples(p, conf)) return null;
  const q = p / 100;
  const a = (1 - conf) / 2;
  const cdf = binomialCdf(n, q);
  if (!cdf) {
    const z = probit(1 - a);
    const sd = Math.sqrt(n * q * (1 - q));
    const j = Math.max(1, Math.floor(n * q - z * sd));
    const k = Math.min(n, Math.ceil(n * q + 1 + z * sd));
    return [j, k];
  }
  // F(m) = P(X <= m), X ~ Bin(n, q) the count below the quantile. Coverage of [x(j), x(k)] = F(k-1) - F(j-1).
  const F = (m: number): number => (m < 0 ? 0 : m >= n ? 1 : cdf[m]!);
  let k = 1;
  while (k <= n && F(k - 1) < 1 - a) k++;
  k = Math.min(k, n);
  let j = 1;
  while (j + 1 <= k && F(k - 1) - F(j) >= conf && F(j) <= a) j++;
  if (F(k - 1) - F(j - 1) < conf) return null;
  return [j, k];
}

/** Two-sided Student t quantile t(df, 1 - alpha/2) (exact: ./student-t.ts); z for an infinite df. */
export function tQuantile(df: number, conf = 0.95): number {
  return Number.isFinite(df) ? studentTQuantile(1 - (1 - conf) / 2, df) : probit(1 - (1 - conf) / 2);
}

/**
 * How much wider than the i.i.d. one the batch-means interval of the p-quantile is: the
 * variance of the pooled share of samples at or below the batches' own p-quantile, from
 * the spread of that share between batches, over its i.i.d. variance p(1-p)/N, times
 * (t(B-1)/z)^2 for the uncertainty of a variance estimated from B batches; never below 1.
 * The interval then has the order-statistic ranks of an effective sample of N/inflation,
 * scaled back to the N samples. Null with fewer than {@link MIN_BATCHES} non-empty batches.
 */
export function batchInflation(batches: readonly Dist[], p: number, conf = 0.95): { inflation: number; batches: number } | null {
  const used = batches.filter((b) => b.n > 0);
  if (used.length < MIN_BATCHES) return null;
  const q = p / 100;
  // The threshold is the batches' pooled quantile, at the batches' own resolution, so that
  // each batch's share is counted against a value on its own grid.
  const threshold = quantile(mergeDists(used), p);
  const N = used.reduce((s, b) => s + b.n, 0);
  const shares = used.map((b) => countAtOrBelow(b, threshold) / b.n);
  const mean = used.reduce((s, b, i) => s + b.n * shares[i]!, 0) / N;
  const B = used.length;
  let v = 0;
  used.forEach((b, i) => (v += (b.n / N) ** 2 * (shares[i]! - mean) ** 2));
  const varBatch = (B / (B - 1)) * v;
  const varIid = (q * (1 - q)) / N;
  const tz = tQuantile(B - 1, conf) / probit(1 - (1 - conf) / 2);
  return { inflation: Math.max(1, (varBatch / varIid) * tz * tz), batches: B };
}

/**
 * The p-quantile of `pooled` with its interval: batch means over `batches` (contiguous
 * sub-windows of the same samples) where at least {@link MIN_BATCHES} hold samples, else the
 * order-statistic interval; none below {@link minSamples}.
 */
export function quantileInterval(pooled: Dist, batches: readonly Dist[], p: number, conf = 0.95): QuantileEstimate {
  const n = pooled.n;
  if (n === 0) return { p, value: null, n, lo: null, hi: null, method: null, reason: 'no samples' };
  const value = quantile(pooled, p);
  const need = minSamples(p, conf);
  if (n < need) return { p, value, n, lo: null, hi: null, method: null, reason: `${need} samples needed for a p${p} interval, ${n} measured` };
  const bm = batchInflation(batches, p, conf);
  if (bm) {
    // The exact ranks of an effective sample (equal to the i.i.d. interval when the batches
    // vary no more than independent samples would), scaled back to the pooled ranks.
    const nEff = Math.max(1, Math.floor(n / bm.inflation));
    const scale = n / nEff;
    const ranks = orderStatisticRanks(nEff, p, conf);
    if (ranks) {
      // The k-th of nEff lies at or below the k*scale-th of the n (the largest sample at most): conservative.
      const hi = valueAtRank(pooled, Math.min(n, Math.ceil(ranks[1] * scale - 1e-9)));
      return { p, value, n, lo: valueAtRank(pooled, Math.max(1, Math.floor(ranks[0] * scale + 1e-9))), hi, method: 'batch-means', batches: bm.batches, nEff };
    }
    // Too small an effective sample for exact ranks: the normal approximation of the level.
    const q = p / 100;
    const h = probit(1 - (1 - conf) / 2) * Math.sqrt((bm.inflation * q * (1 - q)) / n);
    const hiRank = Math.ceil(n * (q + h)) + 1;
    return { p, value, n, lo: valueAtRank(pooled, Math.floor(n * (q - h))), hi: hiRank > n ? null : valueAtRank(pooled, hiRank), method: 'batch-means', batches: bm.batches, nEff };
  }
  const [j, k] = orderStatisticRanks(n, p, conf)!;
  return { p, value, n, lo: valueAtRank(pooled, j), hi: valueAtRank(pooled, k), method: 'order-statistic', nEff: n };
}
