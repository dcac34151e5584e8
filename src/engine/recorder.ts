/**
 * What one load process measures: per transaction type counters and HDR histograms of
 * the measured window, and the per-second interval counters behind progress lines and
 * the result's `timeline`. Recording allocates nothing per transaction (histograms are
 * preallocated WebAssembly; the per-second error map only on failures).
 */
import { createHistogram, encodeHistogram, type Histogram } from '../stats/histogram.js';
import { BATCHES } from '../stats/latency-ci.js';
import type { TickSample } from './plan.js';

/** Per transaction type counters and histograms (measured window only). */
export class TypeStats {
  readonly latency: Histogram = createHistogram();
  readonly service: Histogram = createHistogram();
  readonly lag: Histogram = createHistogram();
  /**
   * Latency per contiguous batch of the measured window (by intended start), created on
   * first use: the confidence intervals' batch means (src/stats/quantile-ci.ts).
   */
  readonly batches: (Histogram | undefined)[] = new Array(BATCHES).fill(undefined);
  count = 0;
  errors = 0;
  readonly errorsByCode: Record<string, number> = {};
  retries = 0;
  dropped = 0;
  straddlers = 0;
  offered = 0;
  constructor(
    readonly name: string,
    /** Weight share of the type in the mix (0..1). */
    readonly share: number,
  ) {}
  /** Records a latency in batch `b`. */
  recordBatch(b: number, latencyUs: number): void {
    (this.batches[b] ??= createHistogram(2)).recordValue(latencyUs);
  }
  /** The batches' encoded histograms ('' for a batch with no sample). */
  encodeBatches(): string[] {
    return this.batches.map((h) => (h ? encodeHistogram(h) : ''));
  }
  destroy(): void {
    this.latency.destroy();
    this.service.destroy();
    this.lag.destroy();
    for (const h of this.batches) h?.destroy();
  }
}

const toUs = (ms: number): number => (ms > 0 ? Math.round(ms * 1000) : 0);

export class Recorder {
  readonly stats: TypeStats[];
  /** Start of the measured window, ms from t0; Infinity until decided (settle mode: nothing counts before it). */
  ws: number;
  /** End of the measured window, ms from t0 (earlier when the run is aborted). */
  we: number;
  /** Length of one batch of the window, ms. */
  private batchMs: number;
  /** Set once the run is over: late completions (abandoned transactions) are ignored. */
  closed = false;
  // Per-second interval counters, whole run (warm-up included).
  private readonly interval: Histogram = createHistogram();
  private iOffered = 0;
  private iCompleted = 0;
  private iErrors = 0;
  private iDropped = 0;
  private iRetries = 0;
  private iErrorsByCode: Record<string, number> | undefined;

  /**
   * `warmupSec` starts the window; with `pending` the start is not known yet (settle
   * mode): `warmupSec` is then the latest possible start, `we` the latest possible end,
   * and `openWindow` sets both once decided.
   */
  constructor(names: readonly string[], shares: readonly number[], warmupSec: number, durationSec: number, pending = false) {
    this.stats = names.map((n, i) => new TypeStats(n, shares[i]!));
    this.ws = pending ? Infinity : warmupSec * 1000;
    this.we = (warmupSec + durationSec) * 1000;
    this.batchMs = (durationSec * 1000) / BATCHES;
  }

  /** Starts the window at `startMs` (no slot due at or after it may have been offered yet) for `durationSec`. */
  openWindow(startMs: number, durationSec: number): void {
    this.ws = startMs;
    this.we = startMs + durationSec * 1000;
    this.batchMs = (durationSec * 1000) / BATCHES;
  }

  /** A slot came due (the scheduler dispatched it). */
  offer(ti: number, due: number): void {
    this.iOffered++;
    if (due >= this.ws && due < this.we) this.stats[ti]!.offered++;
  }

  /** A due slot found no connection and no room in the backlog. */
  drop(ti: number, due: number): void {
    this.iDropped++;
    if (due >= this.ws && due < this.we) this.stats[ti]!.dropped++;
  }

  /** A slot still in the backlog when the schedule ended: it straddles the window's end if due inside it. */
  leftOver(ti: number, due: number): void {
    if (due >= this.ws && due < this.we) this.stats[ti]!.straddlers++;
  }

  /** A transaction finished (successfully, or failed after its last try with `failCode`). */
  record(ti: number, due: number, sent: number, end: number, retries: number, failCode: string | undefined): void {
    if (this.closed) return;
    this.iCompleted++;
    this.iRetries += retries;
    // One conversion for the interval and the window's latency histogram.
    const latencyUs = toUs(end - due);
    if (failCode) {
      this.iErrors++;
      const m = (this.iErrorsByCode ??= {});
      m[failCode] = (m[failCode] ?? 0) + 1;
    } else this.interval.recordValue(latencyUs);
    const s = this.stats[ti]!;
    if (due >= this.ws && end <= this.we) {
      s.retries += retries;
      if (failCode) {
        s.errors++;
        s.errorsByCode[failCode] = (s.errorsByCode[failCode] ?? 0) + 1;
      } else {
        s.count++;
        s.latency.recordValue(latencyUs);
        s.recordBatch(Math.min(BATCHES - 1, Math.floor((due - this.ws) / this.batchMs) || 0), latencyUs);
        s.service.recordValue(toUs(end - sent));
        s.lag.recordValue(toUs(sent - due));
      }
    } else if (due < this.we && end > this.ws) {
      s.straddlers++;
    }
  }

  /** Closes the current one-second interval: its sample, then the counters start again. */
  sample(workerIndex: number, second: number, backlog: number, inflight: number, connections: number, connectionsMin: number): TickSample {
    const s: TickSample = {
      workerIndex,
      second,
      offered: this.iOffered,
      completed: this.iCompleted,
      errors: this.iErrors,
      dropped: this.iDropped,
      retries: this.iRetries,
      backlog,
      inflight,
      connections,
      connectionsMin,
      hist: encodeHistogram(this.interval),
      ...(this.iErrorsByCode ? { errorsByCode: this.iErrorsByCode } : {}),
    };
    this.interval.reset();
    this.iOffered = this.iCompleted = this.iErrors = this.iDropped = this.iRetries = 0;
    this.iErrorsByCode = undefined;
    return s;
  }

  destroy(): void {
    for (const s of this.stats) s.destroy();
    this.interval.destroy();
  }
}
