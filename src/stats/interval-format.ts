/**
 * How every report prints a percentile and a ratio with their 95% intervals (pure text,
 * one place, so Markdown, HTML, JUnit, JSON-adjacent lines and stdout tables agree):
 *
 * - `51.0 [38.2, 66.9]`: the value and its interval; `[38.2, >max]` when the data cannot
 *   bound it from above;
 * - `51.0 (n=40, too few for an interval)`: too few samples for any interval (a p95
 *   needs 59, a p99 299);
 * - `51.0 (no interval)`: the source has no histogram to compute one from (k6 summaries);
 * - ratios: `2.1x faster [1.6, 2.8]`, `1.3x slower [1.1, 1.6]`, or `no significant
 *   difference (0.77x [0.52, 1.14])` when the interval contains 1.
 *
 * Structural types only: the interval modules of src/stats and the result's `latencyCi`
 * both fit them.
 */
import { ratioInterval, ratioSignificant, type IntervalEstimate, type RatioInterval } from './ratio-ci.js';

/** An interval as stored (`latencyCi.p95`) or computed; `lo` null = none. */
export interface CiLike {
  lo: number | null;
  hi: number | null;
}

/** Milliseconds for tables: 3 significant-ish digits (1530, 51.0, 4.20), '-' when missing. */
export function fmtMs(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** `[38.2, 66.9]` / `[38.2, >max]`. */
export function fmtBounds(lo: number, hi: number | null, fmt: (x: number) => string = fmtMs): string {
  return `[${fmt(lo)}, ${hi === null ? '>max' : fmt(hi)}]`;
}

/**
 * A percentile with its interval: `51.0 [38.2, 66.9]`; `(n=40, too few for an interval)`
 * when `ci` has none; `(no interval)` when there is no `ci` at all; `no data` without a value.
 */
export function fmtEstimate(value: number | null | undefined, ci: CiLike | null | undefined, n: number | undefined, fmt: (x: number) => string = fmtMs): string {
  if (value === null || value === undefined || !Number.isFinite(value) || n === 0) return 'no data';
  if (!ci) return `${fmt(value)} (no interval)`;
  if (ci.lo === null) return `${fmt(value)} (${n === undefined ? 'too few samples' : `n=${n}, too few`} for an interval)`;
  return `${fmt(value)} ${fmtBounds(ci.lo, ci.hi, fmt)}`;
}

/** A ratio's figure: one decimal (2.1), two below 1.1 where the decision lives (1.03, 0.77). */
export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  return x < 1.1 ? x.toFixed(2) : x.toFixed(1);
}

/** `[1.6, 2.8]` for a ratio's interval (`∞` when unbounded). */
export function fmtRatioBounds(lo: number, hi: number | null): string {
  return `[${fmtRatio(lo)}, ${hi === null ? '∞' : fmtRatio(hi)}]`;
}

/** What an improvement (before / after) says: the words, its ratio interval (or null), whether significant. */
export interface Improvement {
  text: string;
  interval: RatioInterval | null;
  significant: boolean | null;
}

/**
 * Before / after (e.g. p95) as words with the ratio's interval: `2.1x faster [1.6, 2.8]`,
 * `1.3x slower [1.1, 1.6]` (after / before, the interval inverted), `no significant
 * difference (0.77x [0.52, 1.14])` when the interval contains 1, `2.1x faster (no interval)`
 * when either side has too few samples for one, '-' without data. When the interval reaches
 * 1 only through an open side (a p95 whose upper bound is above its largest sample: a run
 * that was not steady, e.g. saturated), nothing is decided either way: `19.8x faster, not
 * decided (open interval [0.00, ∞])`, never "no significant difference".
 */
export function improvement(before: IntervalEstimate | null, after: IntervalEstimate | null): Improvement {
  if (!before || !after || !(before.value > 0) || !(after.value > 0)) return { text: '-', interval: null, significant: null };
  const r = before.value / after.value;
  const point = r >= 1 ? `${fmtRatio(r)}x faster` : `${fmtRatio(1 / r)}x slower`;
  const ri = ratioInterval(before, after);
  if (!ri) return { text: `${point} (no interval)`, interval: null, significant: null };
  const openToward1 = (r >= 1 && ri.lo === 0) || (r < 1 && ri.hi === null);
  if (!ratioSignificant(ri) && openToward1) return { text: `${point}, not decided (open interval ${fmtRatioBounds(ri.lo, ri.hi)})`, interval: ri, significant: null };
  if (!ratioSignificant(ri)) return { text: `no significant difference (${fmtRatio(r)}x ${fmtRatioBounds(ri.lo, ri.hi)})`, interval: ri, significant: false };
  const text = ri.lo > 1 ? `${point} ${fmtRatioBounds(ri.lo, ri.hi)}` : `${point} ${fmtRatioBounds(1 / ri.hi!, ri.lo > 0 ? 1 / ri.lo : null)}`;
  return { text, interval: ri, significant: true };
}
