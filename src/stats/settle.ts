/**
 * The settle rule: is a load run in its steady state at the end of second k? Pure (no
 * I/O, no clock): it judges the per-second samples it is given, so the engine can ask
 * it once a second and tests can ask it with exact tiny inputs.
 *
 * Steady means all of:
 * - the backlog is drained: at the end of each of the last W seconds at most
 *   `backlogFraction` × rate slots waited for a connection (0 below 100/s);
 * - nothing was dropped in the last W seconds;
 * - the p95 is stable: the p95 of the last W seconds (their histograms merged) is within
 *   `relBand` (50%) of the larger of the two, or within `floorMs` (5 ms) of it (so
 *   millisecond jitter counts as stable: a transient moves the p95 many times over).
 *
 * W is `windowSec`, longer at low rates so each window holds at least `minSamples`
 * completions (a p95 of 3 samples says nothing): W = clamp(ceil(minSamples / rate),
 * windowSec, maxWindowSec). Judging needs 2W seconds of samples.
 */
import { createHistogram, type Histogram } from './histogram.js';

/** One second of a run as the rule sees it. */
export interface SettleSecond {
  /** End of the second, whole seconds since t0. */
  t: number;
  /** Slots waiting for a connection at the end of the second. */
  backlog: number;
  /** Slots dropped during the second. */
  dropped: number;
  /** Latencies (µs, from the intended start) of the successful transactions completed in the second. */
  hist: Histogram;
}

/** Parameters of the rule. */
export interface SettleRule {
  /** Seconds per judged window at high rates. */
  windowSec: number;
  /** Longest window (low rates). */
  maxWindowSec: number;
  /** Completions a window should hold before its p95 is judged. */
  minSamples: number;
  /** Largest relative change of the window p95 that still counts as stable. */
  relBand: number;
  /** Changes of the window p95 up to this many milliseconds always count as stable. */
  floorMs: number;
  /** Backlog tolerated at each second's end, as a fraction of the rate (rounded down). */
  backlogFraction: number;
}

/** The rule the engine uses (see docs/engine.md, "Warm-up: waiting for the steady state"). */
// The band is wide on purpose: on the shared 2-core dev machine the 2 s window p95 of a
// steady `SELECT 1` at 200/s moved between 4 and 26 ms from one second to the next (per
// second), while the transients this rule is for move it 25-100x (1,075 ms -> 10-40 ms).
export const SETTLE_RULE: SettleRule = { windowSec: 2, maxWindowSec: 10, minSamples: 50, relBand: 0.5, floorMs: 5, backlogFraction: 0.01 };

/** What the rule decided at the last second given. */
export interface SettleVerdict {
  steady: boolean;
  /** Why, in a few words (progress lines). */
  reason: string;
  /** Seconds per judged window. */
  windowSec: number;
  /** p95 (ms) of the last window and of the one before, when both were judged. */
  recentP95Ms?: number;
  previousP95Ms?: number;
}

/** Seconds per judged window at `rate` (per second). */
export function settleWindowSec(rate: number, rule: SettleRule = SETTLE_RULE): number {
  const want = rate > 0 ? Math.ceil(rule.minSamples / rate) : rule.maxWindowSec;
  return Math.min(rule.maxWindowSec, Math.max(rule.windowSec, want));
}

/** Seconds of samples the rule needs before it can say steady at `rate`. */
export function settleHistorySec(rate: number, rule: SettleRule = SETTLE_RULE): number {
  return 2 * settleWindowSec(rate, rule);
}

/** Judges the last second of `seconds` (consecutive, oldest first) at offered `rate` per second. */
export function judgeSettle(seconds: readonly SettleSecond[], rate: number, rule: SettleRule = SETTLE_RULE): SettleVerdict {
  const w = settleWindowSec(rate, rule);
  if (seconds.length < 2 * w) return { steady: false, reason: `fewer than ${2 * w} seconds to judge`, windowSec: w };
  const recent = seconds.slice(-w);
  const previous = seconds.slice(-2 * w, -w);
  const allowed = Math.floor(rate * rule.backlogFraction);
  const backlog = Math.max(...recent.map((s) => s.backlog));
  if (backlog > allowed) return { steady: false, reason: `backlog ${backlog}`, windowSec: w };
  const dropped = recent.reduce((a, s) => a + s.dropped, 0);
  if (dropped > 0) return { steady: false, reason: `${dropped} dropped`, windowSec: w };
  const r = windowP95(recent);
  const p = windowP95(previous);
  if (r === undefined || p === undefined) return { steady: false, reason: 'no completions to judge', windowSec: w };
  const ms = { recentP95Ms: r, previousP95Ms: p };
  const band = Math.max(rule.floorMs, rule.relBand * Math.max(r, p));
  if (Math.abs(r - p) > band) return { steady: false, reason: `p95 moving (${fmt(p)} -> ${fmt(r)} ms)`, windowSec: w, ...ms };
  return { steady: true, reason: `backlog drained, p95 stable (${fmt(p)} -> ${fmt(r)} ms)`, windowSec: w, ...ms };
}

/** p95 (ms) of the seconds' histograms merged; undefined when they hold nothing. */
function windowP95(seconds: readonly SettleSecond[]): number | undefined {
  const h = createHistogram();
  try {
    for (const s of seconds) h.add(s.hist);
    return h.totalCount ? h.getValueAtPercentile(95) / 1000 : undefined;
  } finally {
    h.destroy();
  }
}

function fmt(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms.toFixed(2);
}
