/**
 * Live progress: combines the per-second samples of all workers into one stderr line
 * per second, and keeps the timeline recorded in the result.
 */
import type { Writable } from 'node:stream';
import type { TimelinePoint } from '../result/types.js';
import { createHistogram, decodeHistogram, type Histogram } from '../stats/histogram.js';
import type { TickSample } from './plan.js';
import type { WarmupController, WarmupDecision } from './warmup.js';

export type { TimelinePoint } from '../result/types.js';

export class ProgressAggregator {
  private readonly pending = new Map<number, TickSample[]>();
  private readonly sinceStart: Histogram = createHistogram();
  readonly timeline: TimelinePoint[] = [];
  private errorsTotal = 0;
  private droppedTotal = 0;
  /** Called once when the warm-up's end is decided in settle mode (run-load.ts tells the runners). */
  onWindow: ((d: WarmupDecision) => void) | undefined;

  constructor(
    private readonly workers: number,
    /** Offered rate of this process (rate / segment count). */
    private readonly offeredRate: number,
    /** Decides when the warm-up ends (fixed, or when steady: see warmup.ts). */
    private readonly warmup: WarmupController,
    private readonly out: Pick<Writable, 'write'> | null,
    /** Pool size of this process (all workers). */
    private readonly connections: number,
    /** Where the one `warm-up ended: ...` line goes, even when progress lines are off (quiet). */
    private readonly notes: Pick<Writable, 'write'> | null = out,
  ) {}

  /** Adds a sample; prints the line once every worker reported that second. */
  add(s: TickSample): void {
    const list = this.pending.get(s.second) ?? [];
    list.push(s);
    this.pending.set(s.second, list);
    if (list.length >= this.workers) this.flush(s.second);
  }

  /** Prints anything still pending (workers that ended at different instants). */
  flushAll(): void {
    for (const sec of [...this.pending.keys()].sort((a, b) => a - b)) this.flush(sec);
  }

  private flush(second: number): void {
    const list = this.pending.get(second);
    if (!list) return;
    this.pending.delete(second);
    const h = createHistogram();
    let offered = 0;
    let completed = 0;
    let errors = 0;
    let dropped = 0;
    let retries = 0;
    let backlog = 0;
    let inflight = 0;
    let connections = 0;
    let connectionsMin = 0;
    let errorsByCode: Record<string, number> | undefined;
    for (const s of list) {
      const d = decodeHistogram(s.hist);
      h.add(d);
      d.destroy();
      offered += s.offered;
      completed += s.completed;
      errors += s.errors;
      dropped += s.dropped;
      retries += s.retries;
      backlog += s.backlog;
      inflight += s.inflight;
      connections += s.connections;
      connectionsMin += s.connectionsMin;
      if (s.errorsByCode) {
        errorsByCode ??= {};
        for (const [code, n] of Object.entries(s.errorsByCode)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
      }
    }
    this.sinceStart.add(h);
    this.errorsTotal += errors;
    this.droppedTotal += dropped;
    const ms = (p: number): number => (h.totalCount ? h.getValueAtPercentile(p) / 1000 : 0);
    const p95 = ms(95);
    const p95all = this.sinceStart.totalCount ? this.sinceStart.getValueAtPercentile(95) / 1000 : 0;
    this.timeline.push({
      t: second,
      offered,
      completed,
      errors,
      dropped,
      backlog,
      p50Ms: ms(50),
      p95Ms: p95,
      p99Ms: ms(99),
      maxMs: h.totalCount ? h.maxValue / 1000 : 0,
      retries,
      inflight,
      connections,
      connectionsMin,
      ...(errorsByCode ? { errorsByCode } : {}),
    });
    const decided = this.warmup.observe(second, backlog, dropped, h);
    h.destroy();
    if (this.out) {
      const phase = second <= (this.warmup.decision?.startSec ?? Infinity) ? 'warmup' : 'run';
      // Connections are only shown when some were missing during the second (a gap).
      const gap = connectionsMin < this.connections ? ` connections ${connectionsMin}/${this.connections}` : '';
      this.out.write(
        `[${String(second).padStart(4)}s ${phase}] offered ${fmt(this.offeredRate)}/s achieved ${fmt(completed)}/s ` +
          `p95 ${p95.toFixed(2)}ms (so far ${p95all.toFixed(2)}ms) errors ${this.errorsTotal} dropped ${this.droppedTotal} ` +
          `backlog ${backlog} in-flight ${inflight}${gap}\n`,
      );
    }
    if (decided) {
      this.notes?.write(`warm-up ended: ${decided.reason}\n`);
      this.onWindow?.(decided);
    }
  }

  destroy(): void {
    this.warmup.destroy();
    this.sinceStart.destroy();
  }
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}
