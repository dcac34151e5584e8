/** Server throughput of a run from its per-second timeline (pure; statistics from simple-statistics). */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { RunResult } from '../result/types.js';
import { windowStartSec } from './warmup-note.js';

/** Timeline points inside the measured window (after the warm-up, up to its measured end). */
function windowPoints(result: RunResult): NonNullable<RunResult['timeline']> {
  const from = windowStartSec(result);
  const to = from + (result.measuredSec ?? result.target.durationSec);
  return (result.timeline ?? []).filter((p) => p.t > from && p.t <= to);
}

/**
 * Completions per second during the measured window, whatever their due time (from the
 * per-second timeline). When a run is overloaded, transactions due in the window never
 * finish inside it (they wait behind older ones), so `achievedRate` can be near 0 while
 * the server is busy: this is how much it actually did.
 */
export function serverThroughput(result: RunResult): number | undefined {
  const w = windowPoints(result);
  return w.length ? mean(w.map((p) => p.completed)) : undefined;
}

/** Sample standard deviation of the per-second completions in the window (undefined under 2 seconds). */
export function throughputStdDev(result: RunResult): number | undefined {
  const w = windowPoints(result);
  return w.length >= 2 ? sampleStandardDeviation(w.map((p) => p.completed)) : undefined;
}
