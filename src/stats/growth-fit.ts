/**
 * How a query's latency grows with the data: a least-squares line through
 * (ln entries, ln p95). Its slope b is the growth exponent (p95 ∝ entries^b): 0 = flat,
 * 1 = linear. Pure and exact.
 *
 * Intervals (95%, two-sided): the slope's is b ± t(0.975, n-2)·se(b); the prediction at
 * a size x0 is exp(ŷ ± t·s·sqrt(1 + 1/n + (ln x0 - mean ln x)² / Sxx)), a prediction
 * interval (where a new measurement at x0 would fall, the model being right), not the
 * narrower confidence interval of the mean. With two sizes a line fits exactly and
 * leaves no residual to estimate the noise: there is no interval then (null), and
 * reports must say so. With three, t has one degree of freedom (12.7): the interval is
 * honest and wide. An extrapolation is a model estimate, never a measurement: it
 * assumes the growth stays a power law beyond the sizes measured.
 */
import { studentTQuantile } from './student-t.js';

/**
 * Growth classes by exponent, the one place their thresholds live (docs/scale.md):
 * - flat: b < 0.15 (ten times the data costs under 1.4x: an index lookup, a cache hit)
 * - logarithmic-ish: 0.15 <= b < 0.5 (grows, slower than the square root: a deeper B-tree, a bigger sort)
 * - linear: 0.5 <= b <= 1.2 (proportional to the data: a scan of it, or of the hot account's history)
 * - worse: b > 1.2 (faster than the data: a nested loop, spilling to disk)
 */
export const GROWTH_THRESHOLDS = { flatBelow: 0.15, logarithmicBelow: 0.5, linearUpTo: 1.2 } as const;

/** A growth class (see {@link GROWTH_THRESHOLDS}). */
export type GrowthClass = 'flat' | 'logarithmic-ish' | 'linear' | 'worse';

/** Confidence of every interval here. */
export const GROWTH_CONFIDENCE = 0.95;

/** One measured point: the data's size and the latency there (both > 0). */
export interface GrowthPoint {
  entries: number;
  p95Ms: number;
}

/** The fitted line (in natural logs) and what it says. */
export interface GrowthFit {
  /** Points used (sizes with a positive p95). */
  n: number;
  /** ln p95 = intercept + slope · ln entries. */
  intercept: number;
  /** The growth exponent. */
  slope: number;
  /** 95% interval of the slope; null with two points (a line fits them exactly: no noise estimate). */
  slopeCi: { low: number; high: number } | null;
  /** Residual standard deviation in ln units; null with two points. */
  residualSd: number | null;
  growth: GrowthClass;
  /** Mean of ln entries and Sxx (sum of squared deviations), kept for predictions. */
  meanLnX: number;
  sxx: number;
}

/** A p95 the fit predicts at a size. */
export interface GrowthPrediction {
  entries: number;
  p95Ms: number;
  /** 95% prediction interval; null when the fit has none (two points). */
  interval: { low: number; high: number } | null;
}

/** The class of an exponent. */
export function growthClass(slope: number): GrowthClass {
  if (slope < GROWTH_THRESHOLDS.flatBelow) return 'flat';
  if (slope < GROWTH_THRESHOLDS.logarithmicBelow) return 'logarithmic-ish';
  if (slope <= GROWTH_THRESHOLDS.linearUpTo) return 'linear';
  return 'worse';
}

/**
 * Fits ln p95 against ln entries. Points with a non-positive value are left out;
 * undefined when fewer than two distinct sizes remain (no line).
 */
export function fitGrowth(points: readonly GrowthPoint[]): GrowthFit | undefined {
  const used = points.filter((p) => p.entries > 0 && p.p95Ms > 0 && Number.isFinite(p.p95Ms));
  const n = used.length;
  const xs = used.map((p) => Math.log(p.entries));
  const ys = used.map((p) => Math.log(p.p95Ms));
  if (new Set(xs).size < 2) return undefined;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - meanX) ** 2;
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY);
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let slopeCi: GrowthFit['slopeCi'] = null;
  let residualSd: number | null = null;
  if (n > 2) {
    const sse = xs.reduce((acc, x, i) => acc + (ys[i]! - intercept - slope * x) ** 2, 0);
    residualSd = Math.sqrt(sse / (n - 2));
    const half = tCritical(n - 2) * (residualSd / Math.sqrt(sxx));
    slopeCi = { low: slope - half, high: slope + half };
  }
  return { n, intercept, slope, slopeCi, residualSd, growth: growthClass(slope), meanLnX: meanX, sxx };
}

/** The fit's p95 at `entries`, with its 95% prediction interval when the fit has one. */
export function predictGrowth(fit: GrowthFit, entries: number): GrowthPrediction {
  const x = Math.log(entries);
  const y = fit.intercept + fit.slope * x;
  if (fit.residualSd === null) return { entries, p95Ms: Math.exp(y), interval: null };
  const half = tCritical(fit.n - 2) * fit.residualSd * Math.sqrt(1 + 1 / fit.n + (x - fit.meanLnX) ** 2 / fit.sxx);
  return { entries, p95Ms: Math.exp(y), interval: { low: Math.exp(y - half), high: Math.exp(y + half) } };
}

/** Two-sided critical t of {@link GROWTH_CONFIDENCE} with `df` degrees of freedom. */
function tCritical(df: number): number {
  return studentTQuantile(1 - (1 - GROWTH_CONFIDENCE) / 2, df);
}
