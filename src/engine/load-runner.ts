/**
 * The open-model load loop of one process: schedule, bounded pool + backlog, retries,
 * connection replacement, recording. Worker threads and the in-process path both run
 * exactly this class; the orchestrator (run-load.ts) merges their results.
 *
 * Timing: all times are `performance.now()` milliseconds relative to t0. Slot i is due
 * at a fixed offset from t0 (ScheduleCursor), so a late wake-up never shifts later slots:
 * the loop dispatches every slot already due and then sleeps until the next one.
 */
import { createHistogram, encodeHistogram, summarizeHistogram, type Histogram } from '../stats/histogram.js';
import { achievedRate, reachedTarget } from '../stats/rate.js';
import { ScheduleCursor } from '../stats/schedule.js';
import { SCHEMA_VERSION } from '../result/schema.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import { mixSeed, SlotRng } from '../random/rng.js';
import type { TransactionType, Workload } from '../workload/types.js';
import { EngineConn, errorCode, isConnectionLoss, isRetryable } from './connection.js';
import { cumulativeWeights, pickType } from '../random/weighted-choice.js';
import type { TickSample, WorkerPlan } from './plan.js';
import { Ticker } from './ticker.js';
import { TOOL } from './tool.js';

/** `LEDGER_BENCH_ENGINE_TIMER=spin` polls with setImmediate instead of the ticker thread (for comparison). */
const SPIN = process.env.LEDGER_BENCH_ENGINE_TIMER === 'spin';

/** Per transaction type counters and histograms (measured window only). */
class TypeStats {
  readonly latency: Histogram = createHistogram();
  readonly service: Histogram = createHistogram();
  readonly lag: Histogram = createHistogram();
  count = 0;
  errors = 0;
  readonly errorsByCode: Record<string, number> = {};
  retries = 0;
  dropped = 0;
  straddlers = 0;
  offered = 0;
  constructor(
    readonly name: string,
    readonly share: number,
  ) {}
  destroy(): void {
    this.latency.destroy();
    this.service.destroy();
    this.lag.destroy();
  }
}

/** Hooks a process reports through. */
export interface RunnerHooks {
  onTick?(sample: TickSample): void;
  onWarning?(message: string): void;
}

/** The last stretch before a slot that the loop spins (setImmediate) instead of sleeping on the ticker. */
const SPIN_TAIL_MS = 0.25;

/** Loop timer while every connection is busy (release() does the work meanwhile). */
const IDLE_WAIT_MS = 5;

const toUs = (ms: number): number => (ms > 0 ? Math.round(ms * 1000) : 0);

export class LoadRunner {
  private readonly types: TransactionType[];
  private readonly stats: TypeStats[];
  private readonly cum: Float64Array;
  private readonly pool: EngineConn[] = [];
  private readonly free: EngineConn[] = [];
  // Backlog: FIFO ring of (slot, due, type) for due transactions waiting for a connection.
  private readonly qSlot: Float64Array;
  private readonly qDue: Float64Array;
  private readonly qType: Uint32Array;
  private qHead = 0;
  private qLen = 0;

  private t0 = 0;
  private readonly ws: number;
  private we: number;
  private cursor!: ScheduleCursor;
  private cursorDone = false;
  private stopping = false;
  private closed = false;
  private inflight = 0;
  private partialReason: string | undefined;
  private droppedTotal = 0;
  private warnedDrop = false;
  private connectionsReplaced = 0;
  private liveConnections = 0;
  private drainResolve: (() => void) | undefined;
  private loopTimer: NodeJS.Timeout | undefined;
  /** The loop sleeps on a timer only because every connection was busy (see loop()). */
  private loopIdleWait = false;
  /** Precise wake-ups for the last stretch before a slot (see ticker.ts); none with spinMs 0. */
  private ticker: Ticker | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private tickIndex = 0;
  // Interval (per-second) progress counters, whole run.
  private readonly interval: Histogram = createHistogram();
  private iCompleted = 0;
  private iErrors = 0;
  private iDropped = 0;
  private iRetries = 0;
  private startedAtIso = '';
  private endedAtMs = 0;

  constructor(
    private readonly plan: WorkerPlan,
    workload: Workload,
    private readonly hooks: RunnerHooks = {},
  ) {
    this.types = workload.transactions;
    this.cum = cumulativeWeights(this.types);
    this.stats = this.types.map((t, i) => new TypeStats(t.name, this.cum[i]! - (i > 0 ? this.cum[i - 1]! : 0)));
    const cap = Math.max(0, plan.backlog);
    this.qSlot = new Float64Array(Math.max(1, cap));
    this.qDue = new Float64Array(Math.max(1, cap));
    this.qType = new Uint32Array(Math.max(1, cap));
    this.ws = plan.warmupSec * 1000;
    this.we = (plan.warmupSec + plan.durationSec) * 1000;
  }

  /** Opens the pool (all connections up front, so connection setup never lands in the measurements). */
  async prepare(): Promise<void> {
    const conns = Array.from({ length: this.plan.connections }, (_, i) => new EngineConn(this.plan.databaseUrl, this.plan.queryMode, this.plan.workerIndex * 100000 + i));
    const results = await Promise.allSettled(conns.map((c) => c.connect()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(conns.map((c) => c.close()));
      throw (failed as PromiseRejectedResult).reason;
    }
    this.pool.push(...conns);
    this.free.push(...conns);
    this.liveConnections = conns.length;
  }

  /** Stops scheduling now; the result is flagged partial with `reason`. */
  abort(reason: string): void {
    if (this.stopping) return;
    this.partialReason ??= reason;
    this.we = Math.min(this.we, performance.now() - this.t0);
    this.stopSchedule();
  }

  /**
   * Runs the schedule. `startAtEpochMs` is a wall-clock instant shared by all workers;
   * each converts it to its own performance.now() domain so their schedules line up.
   */
  async run(startAtEpochMs: number): Promise<RunResult> {
    this.t0 = startAtEpochMs - performance.timeOrigin;
    this.cursor = new ScheduleCursor(this.plan.arrival, this.plan.rate, this.plan.offset, this.plan.stride, this.we, this.plan.seed);
    this.cursorDone = !this.cursor.next();
    const drained = new Promise<void>((resolve) => (this.drainResolve = resolve));
    if (this.plan.spinMs > 0 && !SPIN) this.ticker = new Ticker(this.loop);
    const wait = Math.max(0, this.t0 - performance.now());
    await new Promise((r) => setTimeout(r, wait));
    this.startedAtIso = new Date(performance.timeOrigin + this.t0).toISOString();
    this.scheduleTick();
    this.loop();
    await drained;
    this.endedAtMs = performance.timeOrigin + performance.now();
    await this.ticker?.stop();
    // The last, partial second is not reported as a progress line (it would read as a rate drop).
    if (this.tickTimer) clearTimeout(this.tickTimer);
    await Promise.all(this.pool.map((c) => c.close()));
    return this.buildResult();
  }

  // ---- scheduling ----------------------------------------------------------------

  private readonly loop = (): void => {
    this.loopTimer = undefined;
    this.loopIdleWait = false;
    if (this.stopping) return;
    this.pump();
    if (this.stopping) return;
    if (this.cursorDone) {
      this.stopSchedule();
      return;
    }
    const delta = this.cursor.dueMs - (performance.now() - this.t0);
    // Timers have ~1 ms granularity: with a connection free, the ticker thread (µs
    // precision, see ticker.ts) wakes the loop SPIN_TAIL_MS before the slot and the loop
    // polls with setImmediate (which still lets I/O callbacks run) for the rest. Without
    // a ticker (spinMs 0, or LEDGER_BENCH_ENGINE_TIMER=spin) timers sleep while the next
    // slot is far and setImmediate polls below spinMs + 1 ms.
    // With every connection busy there is nothing to be precise about (a due slot can
    // only wait in the backlog, and its latency counts from its due time anyway), so the
    // loop sleeps instead of spinning: on a small machine shared with the server a
    // spinning client takes a whole core away from it. release() wakes it early.
    if (this.free.length > 0 && this.ticker && delta > SPIN_TAIL_MS) {
      // Sleep in epoll; the ticker thread wakes the loop a little before the due instant
      // (its wake-up takes ~0.1-0.2 ms), and the loop spins the rest of the way.
      this.ticker.arm(performance.timeOrigin + this.t0 + this.cursor.dueMs - SPIN_TAIL_MS);
    } else if (delta > this.plan.spinMs + 1) {
      this.ticker?.disarm();
      this.loopTimer = setTimeout(this.loop, delta - this.plan.spinMs - 0.5);
    } else if (this.free.length === 0) {
      // release() pumps due slots into the backlog while the loop sleeps; the timer only
      // catches up when nothing completes for a while (a stall).
      this.loopIdleWait = true;
      this.ticker?.disarm();
      this.loopTimer = setTimeout(this.loop, Math.max(IDLE_WAIT_MS, delta));
    } else setImmediate(this.loop);
  };

  /** Dispatches every slot already due (catch-up after a late wake-up, no drift). */
  private pump(): void {
    const now = performance.now() - this.t0;
    const c = this.cursor;
    while (!this.cursorDone && c.dueMs <= now) {
      this.dispatch(c.slot, c.dueMs);
      if (this.stopping) return;
      if (!c.next()) this.cursorDone = true;
    }
  }

  private dispatch(slot: number, due: number): void {
    // A single-type workload needs no draw (saves an RNG per slot at high rates).
    const ti = this.cum.length === 1 ? 0 : pickType(this.cum, new SlotRng(mixSeed(this.plan.seed, slot)).next());
    const inWindow = due >= this.ws && due < this.we;
    if (inWindow) this.stats[ti]!.offered++;
    const conn = this.free.pop();
    if (conn) {
      this.start(conn, slot, due, ti);
      return;
    }
    if (this.qLen < this.plan.backlog) {
      const at = (this.qHead + this.qLen) % this.qSlot.length;
      this.qSlot[at] = slot;
      this.qDue[at] = due;
      this.qType[at] = ti;
      this.qLen++;
      return;
    }
    // No connection and no room: drop (k6's dropped_iterations), never slow the offered rate.
    this.droppedTotal++;
    this.iDropped++;
    if (inWindow) this.stats[ti]!.dropped++;
    if (!this.warnedDrop) {
      this.warnedDrop = true;
      this.hooks.onWarning?.(
        `warning: dropping transactions: all ${this.liveConnections} connections busy and the backlog (${this.plan.backlog}) is full; ` +
          `the server cannot keep up with ${this.plan.rate}/s or the pool is too small (raise connections or backlog). Dropped transactions are counted in the result.`,
      );
    }
  }

  private start(conn: EngineConn, slot: number, due: number, ti: number): void {
    this.inflight++;
    void this.execute(conn, slot, due, ti);
  }

  private async execute(conn: EngineConn, slot: number, due: number, ti: number): Promise<void> {
    const sent = performance.now() - this.t0;
    const type = this.types[ti]!;
    const seed = mixSeed(this.plan.seed, slot);
    const rng = new SlotRng(seed);
    rng.next(); // the draw that picked the type
    let tries = 0;
    let failCode: string | undefined;
    let lost = false;
    for (;;) {
      tries++;
      try {
        await type.execute(conn, rng);
        failCode = undefined;
        break;
      } catch (err) {
        lost = isConnectionLoss(err, conn);
        const code = errorCode(err, lost);
        failCode = code;
        if (lost) break;
        if (conn.transactionStatus() !== 'I') {
          try {
            await conn.query('ROLLBACK');
          } catch (e2) {
            lost = isConnectionLoss(e2, conn);
            if (lost) break;
          }
        }
        if (isRetryable(code) && tries < this.plan.maxTries && !this.closed) {
          // pgbench replays a retried transaction with the same random draws.
          rng.reseed(seed).next();
          continue;
        }
        if (code === 'CLIENT' && this.plan.exitOnAbort) this.abort(`client error: ${err instanceof Error ? err.message : String(err)}`);
        break;
      }
    }
    const end = performance.now() - this.t0;
    this.record(ti, due, sent, end, tries - 1, failCode);
    this.inflight--;
    if (lost) this.replace(conn);
    else this.release(conn);
  }

  private record(ti: number, due: number, sent: number, end: number, retries: number, failCode: string | undefined): void {
    if (this.closed) return;
    this.iCompleted++;
    this.iRetries += retries;
    if (failCode) this.iErrors++;
    else this.interval.recordValue(toUs(end - due));
    const s = this.stats[ti]!;
    if (due >= this.ws && end <= this.we) {
      s.retries += retries;
      if (failCode) {
        s.errors++;
        s.errorsByCode[failCode] = (s.errorsByCode[failCode] ?? 0) + 1;
      } else {
        s.count++;
        s.latency.recordValue(toUs(end - due));
        s.service.recordValue(toUs(end - sent));
        s.lag.recordValue(toUs(sent - due));
      }
    } else if (due < this.we && end > this.ws) {
      s.straddlers++;
    }
  }

  private release(conn: EngineConn): void {
    // Every connection was busy, so the loop sleeps: queue (or drop) what became due first.
    if (this.loopIdleWait && !this.stopping) this.pump();
    if (!this.stopping && this.qLen > 0) {
      const at = this.qHead;
      this.qHead = (this.qHead + 1) % this.qSlot.length;
      this.qLen--;
      this.start(conn, this.qSlot[at]!, this.qDue[at]!, this.qType[at]!);
      return;
    }
    this.free.push(conn);
    if (this.loopIdleWait && !this.stopping) {
      // The loop slept because no connection was free: resume it now that one is.
      if (this.loopTimer) clearTimeout(this.loopTimer);
      this.loop();
      return;
    }
    this.checkDrained();
  }

  private replace(conn: EngineConn): void {
    this.connectionsReplaced++;
    this.liveConnections--;
    void conn.close(500);
    if (this.plan.exitOnAbort) {
      this.abort(`connection lost (${conn.deathError?.message ?? 'terminated'}) and exitOnAbort is set`);
      this.checkDrained();
      return;
    }
    if (this.stopping) {
      this.checkDrained();
      return;
    }
    this.hooks.onWarning?.(`warning: connection ${conn.id} lost (${conn.deathError?.message ?? 'terminated'}); replacing it`);
    const fresh = new EngineConn(this.plan.databaseUrl, this.plan.queryMode, conn.id);
    this.inflight++; // the reconnect holds the slot so draining waits for it
    fresh.connect().then(
      () => {
        this.inflight--;
        const i = this.pool.indexOf(conn);
        if (i >= 0) this.pool[i] = fresh;
        else this.pool.push(fresh);
        this.liveConnections++;
        if (this.stopping) {
          void fresh.close();
          this.checkDrained();
        } else this.release(fresh);
      },
      (err: unknown) => {
        this.inflight--;
        const i = this.pool.indexOf(conn);
        if (i >= 0) this.pool.splice(i, 1);
        this.hooks.onWarning?.(`warning: could not replace lost connection: ${err instanceof Error ? err.message : String(err)}`);
        if (this.liveConnections <= 0) this.abort('all connections lost and none could be re-established');
        this.checkDrained();
      },
    );
  }

  private stopSchedule(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.loopTimer) clearTimeout(this.loopTimer);
    this.ticker?.disarm();
    // Backlogged transactions never started: those due in the window straddle its end.
    while (this.qLen > 0) {
      const at = this.qHead;
      this.qHead = (this.qHead + 1) % this.qSlot.length;
      this.qLen--;
      const due = this.qDue[at]!;
      if (due < this.we && due >= this.ws) this.stats[this.qType[at]!]!.straddlers++;
    }
    if (this.inflight > 0) {
      // Do not wait forever for a transaction stuck on a lock: give up after the drain timeout.
      setTimeout(() => {
        if (this.inflight > 0) {
          this.hooks.onWarning?.(`warning: ${this.inflight} transactions still running ${this.plan.drainTimeoutMs} ms after the end; abandoning them`);
          this.finish();
        }
      }, this.plan.drainTimeoutMs).unref();
    }
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.stopping && this.inflight <= 0) this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.drainResolve?.();
  }

  // ---- progress ------------------------------------------------------------------

  private scheduleTick(): void {
    this.tickIndex++;
    const at = this.t0 + this.tickIndex * 1000;
    this.tickTimer = setTimeout(() => {
      this.emitTick();
      if (!this.closed) this.scheduleTick();
    }, Math.max(0, at - performance.now()));
  }

  private emitTick(): void {
    if (!this.hooks.onTick) return;
    this.hooks.onTick({
      workerIndex: this.plan.workerIndex,
      second: this.tickIndex,
      completed: this.iCompleted,
      errors: this.iErrors,
      dropped: this.iDropped,
      retries: this.iRetries,
      backlog: this.qLen,
      inflight: this.inflight,
      hist: encodeHistogram(this.interval),
    });
    this.interval.reset();
    this.iCompleted = this.iErrors = this.iDropped = this.iRetries = 0;
  }

  // ---- result --------------------------------------------------------------------

  private buildResult(): RunResult {
    const measuredSec = Math.max(0, Math.min(this.we, (this.plan.warmupSec + this.plan.durationSec) * 1000) - this.ws) / 1000;
    const processRate = this.plan.rate / this.plan.stride;
    let completed = 0;
    let offered = 0;
    let dropped = 0;
    let straddlers = 0;
    const scenarios: ScenarioResult[] = this.stats.map((s) => {
      const done = s.count + s.errors;
      completed += done;
      offered += s.offered;
      dropped += s.dropped;
      straddlers += s.straddlers;
      return {
        name: s.name,
        targetRate: processRate * s.share,
        achievedRate: achievedRate(done, measuredSec),
        offered: s.offered,
        count: s.count,
        errors: s.errors,
        errorsByCode: s.errorsByCode,
        retries: s.retries,
        dropped: s.dropped,
        straddlers: s.straddlers,
        latencyMs: summarizeHistogram(s.latency),
        serviceMs: summarizeHistogram(s.service),
        lagMs: summarizeHistogram(s.lag),
        histogram: encodeHistogram(s.latency),
        serviceHistogram: encodeHistogram(s.service),
        lagHistogram: encodeHistogram(s.lag),
      };
    });
    for (const s of this.stats) s.destroy();
    this.interval.destroy();
    return {
      schemaVersion: SCHEMA_VERSION,
      partial: this.partialReason !== undefined,
      ...(this.partialReason !== undefined ? { partialReason: this.partialReason } : {}),
      startedAt: this.startedAtIso,
      endedAt: new Date(this.endedAtMs).toISOString(),
      tool: TOOL,
      target: {
        rate: this.plan.rate,
        durationSec: this.plan.durationSec,
        warmupSec: this.plan.warmupSec,
        arrival: this.plan.arrival,
        connections: this.plan.connections,
        workers: 1,
        segment: this.plan.segment,
      },
      measuredSec,
      offeredRate: achievedRate(offered, measuredSec),
      achievedRate: achievedRate(completed, measuredSec),
      reachedTarget: reachedTarget(completed, offered, this.plan.rateTolerance) && dropped === 0,
      dropped,
      straddlers,
      connectionsReplaced: this.connectionsReplaced,
      server: null,
      config: null,
      seed: this.plan.seed,
      scenarios,
    };
  }
}
