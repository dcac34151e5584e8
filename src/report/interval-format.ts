/**
 * A scenario's percentiles as reports print them: always with the 95% interval (or why it
 * has none), and before/after improvements with the ratio's interval. The interval is the
 * result's own `latencyCi`; results written before it existed get it computed from their
 * histograms (src/stats/latency-ci.ts: order-statistic intervals without batch
 * histograms); a result without a histogram (a k6 summary) prints `(no interval)`.
 * The text rules are src/stats/interval-format.ts's.
 */
import { CONF, latencyCi, type CiKey, type LatencyCi } from '../stats/latency-ci.js';
import { fmtEstimate, improvement, type Improvement } from '../stats/interval-format.js';
import type { IntervalEstimate } from '../stats/ratio-ci.js';
import type { ScenarioResult } from '../result/types.js';

export { fmtEstimate, fmtMs, fmtBounds, improvement, type Improvement } from '../stats/interval-format.js';

/** Intervals computed for results that do not store them (decoding is not free: once per scenario object). */
const computed = new WeakMap<ScenarioResult, LatencyCi | null>();

/** The 95% intervals of a scenario's p50/p90/p95/p99: stored, else computed from its histograms, else null. */
export function scenarioCi(s: ScenarioResult): LatencyCi | null {
  if (s.latencyCi && s.latencyCi.conf === CONF) return s.latencyCi as LatencyCi;
  if (!s.histogram) return null;
  if (!computed.has(s)) computed.set(s, latencyCi(s.histogram, s.batchHistograms));
  return computed.get(s)!;
}

/** A percentile of a scenario with its interval (`lo` null = none), or null without data. */
export function percentileEstimate(s: ScenarioResult | undefined, key: CiKey): (IntervalEstimate & { n: number; hasInterval: boolean }) | null {
  if (!s || s.count === 0) return null;
  const ci = scenarioCi(s)?.[key];
  return { value: s.latencyMs[key], lo: ci?.lo ?? null, hi: ci?.hi ?? null, n: s.count, hasInterval: !!ci };
}

/** `51.0 [38.2, 66.9]`, `51.0 (n=40, too few for an interval)`, `51.0 (no interval)` or `no data`. */
export function fmtPercentile(s: ScenarioResult | undefined, key: CiKey, fmt?: (x: number) => string): string {
  if (!s || s.count === 0) return 'no data';
  return fmtEstimate(s.latencyMs[key], scenarioCi(s)?.[key], s.count, fmt);
}

/** A scenario's `p50 / p95 / p99`, each with its interval, or 'no data'. */
export function fmtPercentiles(s: ScenarioResult | undefined): string {
  return s && s.count > 0 ? (['p50', 'p95', 'p99'] as const).map((k) => fmtPercentile(s, k)).join(' / ') : 'no data';
}

/** Before / after of a percentile (default p95) with the ratio's interval (src/stats/interval-format.ts `improvement`). */
export function improvementOf(before: ScenarioResult | undefined, after: ScenarioResult | undefined, key: CiKey = 'p95'): Improvement {
  return improvement(percentileEstimate(before, key), percentileEstimate(after, key));
}
