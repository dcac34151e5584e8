/**
 * The open-model load loop of one process: wakes up for each slot, hands due slots to
 * the scheduler (scheduler.ts: start, backlog or drop), runs transactions with retries
 * on the pool's connections (pool.ts: reconnects lost ones), records them (recorder.ts)
 * and builds the process's result (result-builder.ts). Worker threads and the
 * in-process path both run this class; run-load.ts merges their results.
 *
 * Timing: all times are `performance.now()` milliseconds relative to t0. Slot i is due
 * at a fixed offset from t0, so a late wake-up never shifts later slots: the loop
 * dispatches every slot already due and then sleeps until the next one.
 */
import type { RunResult } from '../result/types.js';
import { mixSeed, SlotRng } from '../random/rng.js';
import type { TransactionType, Workload } from '../workload/types.js';
import { engineConnector, errorCode, isConnectionLoss, isRetryable, type ConnectionFactory, type PoolConn } from './connection.js';
import { cumulativeWeights } from '../random/weighted-choice.js';
import type { TickSample, WorkerPlan } from './plan.js';
import { Pool, type Outage } from './pool.js';
import { Recorder } from './recorder.js';
import { buildProcessResult, type PartialKind } from './result-builder.js';
import { Scheduler } from './scheduler.js';
import { blockFor, Ticker } from './ticker.js';
import { settleMode } from './warmup.js';

/** Hooks a process reports through. */
export interface RunnerHooks {
  onTick?(sample: TickSample): void;
  onWarning?(message: string): void;
}

/** The last stretch before a slot that the loop spins (setImmediate) instead of sleeping on the ticker. */
const SPIN_TAIL_MS = 0.25;

/**
 * With nothing in flight, a slot at most this far away is waited for by blocking the
 * thread (blockFor), and the ticker wakes the loop this long before a farther one.
 */
const BLOCK_MAX_MS = 1;

/** Loop timer while no connection is free (release() does the work meanwhile). */
const IDLE_WAIT_MS = 5;

export class LoadRunner {
  private readonly types: TransactionType[];
  private readonly cum: Float64Array;
  private readonly rec: Recorder;
  private readonly pool: Pool;
  private sched!: Scheduler;

  private t0 = 0;
  private stopping = false;
  private inflight = 0;
  private partial: { reason: string; kind: PartialKind } | undefined;
  private drainResolve!: () => void;
  /** Resolved once the schedule ended and nothing is in flight (or the drain timeout passed); made up front, since an abort can come before run(). */
  private readonly drained = new Promise<void>((resolve) => (this.drainResolve = resolve));
  private loopTimer: NodeJS.Timeout | undefined;
  /** The loop sleeps on a timer only because no connection was free (see loop()). */
  private loopIdleWait = false;
  /** The loop waits for the ticker (release() re-runs it when the last transaction in flight ends: see loop()). */
  private loopOnTicker = false;
  /** Precise wake-ups for the last stretch before a slot (see ticker.ts); none with spinMs 0. */
  private ticker: Ticker | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private tickIndex = 0;
  private startedAtIso = '';
  private endedAtMs = 0;

  constructor(
    private readonly plan: WorkerPlan,
    workload: Workload,
    private readonly hooks: RunnerHooks = {},
    /** Opens connections (default: EngineConn to plan.databaseUrl); tests pass an in-memory fake. */
    connect: ConnectionFactory = engineConnector(plan.databaseUrl, plan.queryMode, plan.driver),
  ) {
    this.types = workload.transactions;
    this.cum = cumulativeWeights(this.types);
    // Settle mode: the window's start comes later (setWindowStart); until then the
    // schedule runs to the latest possible end and nothing is counted in a window.
    const settle = settleMode(plan.warmupSec, plan.maxWarmupSec);
    this.rec = new Recorder(
      this.types.map((t) => t.name),
      this.types.map((_, i) => this.cum[i]! - (i > 0 ? this.cum[i - 1]! : 0)),
      settle ? Math.ceil(plan.maxWarmupSec) : plan.warmupSec,
      plan.durationSec,
      settle,
    );
    this.pool = new Pool(plan.connections, connect, (i) => plan.workerIndex * 100000 + i, plan.reconnectTimeoutSec * 1000, () => performance.now() - this.t0);
  }

  /** Opens the pool (all connections up front, so connection setup never lands in the measurements). */
  async prepare(): Promise<void> {
    await this.pool.open({
      onReady: (conn, outage) => this.connectionBack(conn, outage),
      onIdleDeath: (conn) => this.lost(conn),
      onGiveUp: (id, err) => this.gaveUp(id, err),
    });
  }

  /** Stops scheduling now; the result is flagged partial with `reason` (`kind` says whether it was stopped or broke). */
  abort(reason: string, kind: PartialKind = 'interrupted'): void {
    if (this.stopping) return;
    this.partial ??= { reason, kind };
    // Before run() there is no clock yet: nothing was measured.
    this.rec.we = Math.min(this.rec.we, this.t0 === 0 ? this.rec.ws : performance.now() - this.t0);
    this.stopSchedule();
  }

  /**
   * Settle mode: the measured window starts at `startSec` (whole seconds from t0) and
   * lasts durationSec. The announcement must come before any slot due at or after the
   * start was dispatched, so that nothing recorded earlier belongs to the window
   * (run-load.ts announces it one second ahead). If it comes late (this process already
   * dispatched such a slot: a stalled event loop or message queue), this process starts
   * its window at the next whole second none of whose slots was dispatched, says so in a
   * warning, and its result's `warmup.endedSec` shows the later start.
   */
  setWindowStart(startSec: number): void {
    if (this.stopping || this.rec.ws !== Infinity || !this.sched) return;
    let startMs = startSec * 1000;
    // Every dispatched slot was due before nextDueMs.
    if (this.sched.nextDueMs > startMs) {
      startMs = Math.ceil(this.sched.nextDueMs / 1000) * 1000;
      this.hooks.onWarning?.(
        `warning: the measured window's start (${startSec} s) reached worker ${this.plan.workerIndex} after slots due then were dispatched; its window starts at ${startMs / 1000} s`,
      );
    }
    this.rec.openWindow(startMs, this.plan.durationSec);
    this.sched.setEnd(this.rec.we);
  }

  /**
   * Runs the schedule. `startAtEpochMs` is a wall-clock instant shared by all workers;
   * each converts it to its own performance.now() domain so their schedules line up.
   */
  async run(startAtEpochMs: number): Promise<RunResult> {
    this.t0 = startAtEpochMs - performance.timeOrigin;
    this.sched = new Scheduler(this.plan, this.cum, this.rec.we, this.rec, {
      tryStart: (slot, due, ti) => {
        const conn = this.pool.free.pop();
        if (!conn) return false;
        this.start(conn, slot, due, ti, performance.now() - this.t0);
        return true;
      },
      onFirstDrop: () => this.warnDrop(),
    });
    if (this.plan.spinMs > 0 && this.plan.timer === 'ticker') this.ticker = new Ticker(this.loop);
    const wait = Math.max(0, this.t0 - performance.now());
    await new Promise((r) => setTimeout(r, wait));
    this.startedAtIso = new Date(performance.timeOrigin + this.t0).toISOString();
    this.scheduleTick();
    if (this.stopping) this.checkDrained();
    else this.loop();
    await this.drained;
    this.endedAtMs = performance.timeOrigin + performance.now();
    await this.ticker?.stop();
    // The last, partial second is not reported as a progress line (it would read as a rate drop).
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.pool.reconnecting > 0 && !this.partial) {
      this.hooks.onWarning?.(`warning: the schedule ended while ${this.pool.reconnecting} lost connection(s) were still being re-established`);
    }
    await this.pool.closeAll();
    return buildProcessResult(this.plan, this.rec, {
      ...(this.partial ? { partial: this.partial } : {}),
      startedAtIso: this.startedAtIso,
      endedAtMs: this.endedAtMs,
      connectionsLost: this.pool.lost,
      connectionsReplaced: this.pool.replaced,
      outages: this.pool.outages,
      warmup: { minSec: this.plan.warmupSec, maxSec: Math.max(this.plan.warmupSec, this.plan.maxWarmupSec), endedSec: Number.isFinite(this.rec.ws) ? this.rec.ws / 1000 : null },
    });
  }

  // ---- scheduling ----------------------------------------------------------------

  private readonly loop = (): void => {
    this.loopTimer = undefined;
    this.loopIdleWait = false;
    this.loopOnTicker = false;
    if (this.stopping) return;
    this.sched.pump(performance.now() - this.t0);
    if (this.stopping) return;
    if (this.sched.done) {
      this.stopSchedule();
      return;
    }
    const free = this.pool.free.length;
    const delta = this.sched.nextDueMs - (performance.now() - this.t0);
    // Timers have ~1 ms granularity: with a connection free, the ticker thread (µs
    // precision, see ticker.ts) wakes the loop SPIN_TAIL_MS before the slot and the loop
    // polls with setImmediate (which still lets I/O callbacks run) for the rest. Without
    // a ticker (spinMs 0, or timer 'spin') timers sleep while the next slot is far and
    // setImmediate polls below spinMs + 1 ms.
    // With no connection free there is nothing to be precise about (a due slot can only
    // wait in the backlog, and its latency counts from its due time anyway), so the
    // loop sleeps instead of spinning: on a small machine shared with the server a
    // spinning client takes a whole core away from it. release() wakes it early.
    if (free > 0 && this.ticker && delta > SPIN_TAIL_MS) {
      if (this.inflight === 0) {
        // Nothing in flight, so no response can arrive whose completion time a blocked
        // event loop would delay: close to the slot, block the thread until it is due (one
        // precise kernel wake-up instead of the ticker's two, each of which waits for a
        // CPU on a loaded machine); farther away, the ticker wakes the loop BLOCK_MAX_MS before.
        if (delta <= BLOCK_MAX_MS) {
          this.ticker.disarm();
          blockFor(delta);
          this.loop();
        } else {
          this.loopOnTicker = true;
          this.ticker.arm(performance.timeOrigin + this.t0 + this.sched.nextDueMs - BLOCK_MAX_MS);
        }
        return;
      }
      // Sleep in epoll; the ticker thread wakes the loop a little before the due instant
      // (its wake-up takes ~0.1-0.2 ms), and the loop spins the rest of the way; or the
      // last transaction in flight ends first and release() re-runs the loop.
      this.loopOnTicker = true;
      this.ticker.arm(performance.timeOrigin + this.t0 + this.sched.nextDueMs - SPIN_TAIL_MS);
    } else if (delta > this.plan.spinMs + 1) {
      this.ticker?.disarm();
      this.loopTimer = setTimeout(this.loop, delta - this.plan.spinMs - 0.5);
    } else if (free === 0) {
      // release() pumps due slots into the backlog while the loop sleeps; the timer only
      // catches up when nothing completes for a while (a stall, or no live connection).
      this.loopIdleWait = true;
      this.ticker?.disarm();
      this.loopTimer = setTimeout(this.loop, Math.max(IDLE_WAIT_MS, delta));
    } else setImmediate(this.loop);
  };

  private warnDrop(): void {
    const p = this.pool;
    const lost = p.size - p.live;
    this.hooks.onWarning?.(
      `warning: dropping transactions: ${lost > 0 ? `${lost} of ${p.size} connections lost (re-establishing), the others` : `all ${p.live} connections`} busy and the backlog (${this.plan.backlog}) is full; ` +
        `the server cannot keep up with ${this.plan.rate}/s or the pool is too small (raise connections or backlog). Dropped transactions are counted in the result.`,
    );
  }

  /** Starts slot `slot` on `conn`; `sent` is now (ms from t0), read by the caller. */
  private start(conn: PoolConn, slot: number, due: number, ti: number, sent: number): void {
    this.inflight++;
    const type = this.types[ti]!;
    const seed = mixSeed(this.plan.seed, slot);
    const rng = new SlotRng(seed);
    rng.next(); // the draw that picked the type
    if (type.start === undefined) {
      void this.execute(conn, due, ti, sent, seed, rng, undefined);
      return;
    }
    // The callback form (pgbench scripts): no promise or async frame per transaction.
    // A failure goes on in execute(), where the retry and rollback rules live.
    type.start(conn, rng, (err) => {
      if (err === undefined) this.completed(conn, ti, due, sent, 0, undefined, false);
      else void this.execute(conn, due, ti, sent, seed, rng, err);
    });
  }

  /**
   * Runs a transaction with its retries and records it. `firstError`: its first try
   * already ran through `start` and failed with it.
   */
  private async execute(conn: PoolConn, due: number, ti: number, sent: number, seed: number, rng: SlotRng, firstError: Error | undefined): Promise<void> {
    const type = this.types[ti]!;
    let tries = 0;
    let failCode: string | undefined;
    let lost = false;
    for (;;) {
      tries++;
      try {
        if (firstError) {
          const e = firstError;
          firstError = undefined;
          throw e;
        }
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
        if (isRetryable(code) && tries < this.plan.maxTries && !this.rec.closed) {
          // pgbench replays a retried transaction with the same random draws.
          rng.reseed(seed).next();
          continue;
        }
        if (code === 'CLIENT' && this.plan.exitOnAbort) this.abort(`client error: ${err instanceof Error ? err.message : String(err)}`, 'broken');
        break;
      }
    }
    this.completed(conn, ti, due, sent, tries - 1, failCode, lost);
  }

  /** Records a finished transaction and hands its connection on. */
  private completed(conn: PoolConn, ti: number, due: number, sent: number, retries: number, failCode: string | undefined, lost: boolean): void {
    const end = performance.now() - this.t0;
    this.rec.record(ti, due, sent, end, retries, failCode);
    this.inflight--;
    if (lost) this.lost(conn);
    else this.release(conn, end);
  }

  /**
   * Hands a connection that finished (or came back) to the next due slot, or to the
   * free list. `now` (ms from t0): when it finished. The clock is read once per
   * completion: the next slot's pump and send time are taken from it (they follow
   * within a microsecond, the resolution of the histograms).
   */
  private release(conn: PoolConn, now: number): void {
    if (conn.dead) {
      this.lost(conn);
      return;
    }
    // No connection was free, so the loop sleeps: queue (or drop) what became due first.
    if (this.loopIdleWait && !this.stopping) this.sched.pump(now);
    if (!this.stopping) {
      const b = this.sched.backlog;
      const at = b.shift();
      if (at >= 0) {
        this.start(conn, b.slot[at]!, b.due[at]!, b.type[at]!, now);
        return;
      }
    }
    this.pool.free.push(conn);
    if (this.loopOnTicker && this.inflight === 0 && !this.stopping) {
      // Nothing in flight any more: the loop can block until the next slot (see loop()).
      this.loop();
      return;
    }
    if (this.loopIdleWait && !this.stopping) {
      // The loop slept because no connection was free: resume it now that one is.
      if (this.loopTimer) clearTimeout(this.loopTimer);
      this.loop();
      return;
    }
    this.checkDrained();
  }

  /** A connection died (during a transaction, or idle): re-establish it, unless the run must end. */
  private lost(conn: PoolConn): void {
    const why = conn.deathError?.message ?? 'terminated';
    if (this.plan.exitOnAbort) {
      this.pool.stop();
      this.pool.lose(conn);
      this.abort(`connection lost (${why}) and exitOnAbort is set`, 'broken');
      this.checkDrained();
      return;
    }
    this.pool.lose(conn);
    // No connection id in the text: the warning is printed once per cause, not once per connection.
    if (!this.stopping) this.hooks.onWarning?.(`warning: connection lost (${why}); replacing it (re-trying for up to ${this.plan.reconnectTimeoutSec} s)`);
    this.checkDrained();
  }

  private connectionBack(conn: PoolConn, outage: Outage | undefined): void {
    if (outage && outage.endSec !== null) {
      this.hooks.onWarning?.(
        `note: server reachable again at ${outage.endSec.toFixed(1)} s after ${(outage.endSec - outage.startSec).toFixed(2)} s without any connection; due transactions waited in the backlog (or were dropped when it was full)`,
      );
    }
    this.release(conn, performance.now() - this.t0);
  }

  private gaveUp(id: number, err: unknown): void {
    const sec = this.plan.reconnectTimeoutSec;
    const msg = err instanceof Error ? err.message : String(err);
    this.hooks.onWarning?.(`warning: could not re-establish connection ${id} within ${sec} s: ${msg}`);
    if (this.pool.live <= 0 && this.pool.reconnecting <= 0) this.abort(`server connection lost for more than ${sec} s: ${msg}`, 'broken');
  }

  private stopSchedule(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.loopTimer) clearTimeout(this.loopTimer);
    this.ticker?.disarm();
    this.pool.stop();
    // Backlogged transactions never started: those due in the window straddle its end.
    this.sched?.halt();
    if (this.inflight > 0) {
      // Do not wait forever for a transaction stuck on a lock: give up after the drain timeout.
      setTimeout(() => {
        if (this.rec.closed) return;
        if (this.inflight > 0) this.hooks.onWarning?.(`warning: ${this.inflight} transactions still running ${this.plan.drainTimeoutMs} ms after the end; abandoning them`);
        this.finish();
      }, this.plan.drainTimeoutMs).unref();
    }
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.stopping && this.inflight <= 0) this.finish();
  }

  private finish(): void {
    if (this.rec.closed) return;
    this.rec.closed = true;
    this.drainResolve();
  }

  // ---- progress ------------------------------------------------------------------

  private scheduleTick(): void {
    this.tickIndex++;
    const at = this.t0 + this.tickIndex * 1000;
    this.tickTimer = setTimeout(() => {
      this.emitTick();
      if (!this.rec.closed) this.scheduleTick();
    }, Math.max(0, at - performance.now()));
  }

  private emitTick(): void {
    const p = this.pool;
    const sample = this.rec.sample(this.plan.workerIndex, this.tickIndex, this.sched.backlog.length, this.inflight, p.live, p.liveMin);
    p.resetMin();
    this.hooks.onTick?.(sample);
  }
}
