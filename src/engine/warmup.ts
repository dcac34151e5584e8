/**
 * When the warm-up ends. With a fixed warm-up (maxWarmupSec <= warmupSec) the measured
 * window starts at warmupSec, as it always did. Otherwise ("settle" mode) the controller
 * is fed every second of the whole process (all workers merged, progress.ts) and asks
 * the settle rule (src/stats/settle.ts) at the end of each second k from
 * ceil(warmupSec) - 1 on: if the system is steady the window starts at k + 1, one whole
 * second after the samples it was judged on, so the start is announced before any slot
 * due in the window was dispatched (see LoadRunner.setWindowStart for a late
 * announcement). If it is still not steady at ceil(maxWarmupSec) - 1, the window starts
 * at ceil(maxWarmupSec) anyway and the result says `settled: false`. It starts early,
 * also `settled: false`, once the run is evidently saturated: slots dropped (the backlog
 * full) in each of the last {@link SATURATED_SEC} seconds while completions stayed under
 * 99% of the offered rate. Such a run cannot settle at this rate (it would have to drain
 * a full backlog with less throughput than the arrivals need); waiting out the maximum
 * only spent time (30 s of a saturated baseline at 1,000 TPS in every bench).
 */
import { createHistogram, type Histogram } from '../stats/histogram.js';
import { judgeSettle, settleHistorySec, type SettleSecond } from '../stats/settle.js';

/** The end of the warm-up, decided once per run. */
export interface WarmupDecision {
  /** Start of the measured window, seconds from t0 (whole seconds in settle mode). */
  startSec: number;
  /** true: steady when the window started; false: never settled by the maximum; null: fixed warm-up (not judged). */
  settled: boolean | null;
  /** Why, for the progress line. */
  reason: string;
  /** Ended early, unsettled, because the run was evidently saturated (drops every second, behind the rate). */
  saturated?: boolean;
}

/** Consecutive seconds of drops, behind the offered rate, that end a warm-up as saturated. */
export const SATURATED_SEC = 5;

/** True when the warm-up waits for the steady state (a maximum above the minimum, and at least one judged second). */
export function settleMode(warmupSec: number, maxWarmupSec: number): boolean {
  return maxWarmupSec > warmupSec && Math.ceil(maxWarmupSec) >= 2;
}

export class WarmupController {
  /** Set once decided; in fixed mode from the start. */
  decision: WarmupDecision | undefined;
  private readonly seconds: SettleSecond[] = [];
  private readonly keep: number;
  private readonly firstTick: number;
  private readonly lastTick: number;

  constructor(
    readonly minSec: number,
    readonly maxSec: number,
    /** Offered rate of this process (rate / segment count). */
    private readonly rate: number,
  ) {
    this.keep = Math.max(settleHistorySec(rate), SATURATED_SEC);
    this.firstTick = Math.max(1, Math.ceil(minSec) - 1);
    this.lastTick = Math.max(this.firstTick, Math.ceil(maxSec) - 1);
    if (!settleMode(minSec, maxSec)) this.decision = { startSec: minSec, settled: null, reason: `fixed warm-up of ${minSec} s` };
  }

  /**
   * Feeds second `t` (all workers merged; `hist` is copied, the caller keeps it).
   * Returns the decision when it is taken at this second, else undefined.
   */
  observe(t: number, backlog: number, dropped: number, hist: Histogram): WarmupDecision | undefined {
    if (this.decision) return undefined;
    const copy = createHistogram();
    copy.add(hist);
    this.seconds.push({ t, backlog, dropped, hist: copy });
    while (this.seconds.length > this.keep) this.seconds.shift()!.hist.destroy();
    if (t < this.firstTick) return undefined;
    const v = judgeSettle(this.seconds, this.rate);
    const last = this.seconds.slice(-SATURATED_SEC);
    const saturated = last.length === SATURATED_SEC && last.every((x) => x.dropped > 0) && last.reduce((a, x) => a + x.hist.totalCount, 0) < 0.99 * this.rate * SATURATED_SEC;
    if (v.steady) this.decision = { startSec: t + 1, settled: true, reason: `steady at ${t + 1} s: ${v.reason}` };
    else if (saturated && t < this.lastTick) {
      const why = `slots dropped in each of the last ${SATURATED_SEC} s (the backlog full) with completions under 99% of the offered rate, so it cannot settle at this rate`;
      this.decision = { startSec: t + 1, settled: false, saturated: true, reason: `saturated at ${t + 1} s: ${why}: measuring anyway` };
    } else if (t >= this.lastTick) this.decision = { startSec: t + 1, settled: false, reason: `never settled by ${t + 1} s (${v.reason}): measuring anyway` };
    if (this.decision) this.destroy();
    return this.decision;
  }

  destroy(): void {
    for (const s of this.seconds) s.hist.destroy();
    this.seconds.length = 0;
  }
}
