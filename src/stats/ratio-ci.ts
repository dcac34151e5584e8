/**
 * The interval of a ratio of two independent percentile estimates (pure), e.g. the
 * improvement before p95 / after p95. Each estimate's 95% interval is read as a
 * half-width on the log scale, below and above its value; the ratio's log half-widths are
 * the two sides' combined in quadrature (independent runs: variances add):
 *
 *   r = a / b
 *   lower = r * exp(-sqrt(ln(a / a_lo)^2 + ln(b_hi / b)^2))
 *   upper = r * exp( sqrt(ln(a_hi / a)^2 + ln(b / b_lo)^2))
 *
 * The log scale keeps the interval of a/b the reciprocal of that of b/a, and asymmetric
 * percentile intervals stay asymmetric. An estimate without an interval (too few samples)
 * gives no ratio interval; an upper bound above the largest sample (`hi` null) leaves the
 * ratio unbounded on that side.
 */

/** A percentile with its interval: `lo` null = no interval; `hi` null alone = above the largest sample. */
export interface IntervalEstimate {
  value: number;
  lo: number | null;
  hi: number | null;
}

/** A ratio with its interval; `hi` null = unbounded above. */
export interface RatioInterval {
  ratio: number;
  lo: number;
  hi: number | null;
}

/** ln(x / y) for the bound x of a positive estimate y; Infinity when the bound is 0 or missing. */
function logSpan(x: number | null, y: number): number {
  if (x === null || x <= 0 || y <= 0) return Infinity;
  return Math.abs(Math.log(x / y));
}

/** `a / b` with its interval, or null when either estimate has no interval or a value that is not positive. */
export function ratioInterval(a: IntervalEstimate, b: IntervalEstimate): RatioInterval | null {
  if (a.lo === null || b.lo === null || !(a.value > 0) || !(b.value > 0)) return null;
  const r = a.value / b.value;
  const down = Math.hypot(logSpan(a.lo, a.value), logSpan(b.hi, b.value));
  const up = Math.hypot(logSpan(a.hi, a.value), logSpan(b.lo, b.value));
  return { ratio: r, lo: r * Math.exp(-down), hi: Number.isFinite(up) ? r * Math.exp(up) : null };
}

/** Whether the interval excludes 1 (a significant difference at the intervals' level). */
export function ratioSignificant(ri: RatioInterval): boolean {
  return ri.lo > 1 || (ri.hi !== null && ri.hi < 1);
}
