/**
 * The connection pool of one load process: all connections opened before t0, a free
 * list, and reconnection of lost connections with bounded backoff. A lost connection
 * is re-tried at once, then after 50 ms, 100 ms, ... (at most 1 s apart) until
 * `reconnectTimeoutMs` after the loss; then its place in the pool is given up.
 * Periods with no live connection at all are kept as outages (the gap in a result).
 */
import { ENGINE_DEFAULTS } from '../config/defaults.js';
import type { ConnectionFactory, PoolConn } from './connection.js';

/** What the pool tells its runner. */
export interface PoolEvents {
  /** A connection (re)connected during the run: hand it work. `outage` is the gap it ended, if it was the first back. */
  onReady(conn: PoolConn, outage: Outage | undefined): void;
  /** An idle connection died on its own (it was taken off the free list). */
  onIdleDeath(conn: PoolConn): void;
  /** A lost connection could not be re-established within the limit. */
  onGiveUp(id: number, err: unknown): void;
}

/** A period with no live connection, seconds from t0; `endSec` null if it never ended. */
export interface Outage {
  startSec: number;
  endSec: number | null;
}

export class Pool {
  /** Idle, live connections. */
  readonly free: PoolConn[] = [];
  /** Every connection object currently held, live or dead, by pool position. */
  private readonly all: Array<PoolConn | undefined>;
  /** Live connections (idle or busy). */
  live = 0;
  /** Fewest live connections since the last `resetMin()`. */
  liveMin = 0;
  /** Connections lost during the run, and how many of them were re-established. */
  lost = 0;
  replaced = 0;
  /** Positions currently being re-established. */
  reconnecting = 0;
  readonly outages: Outage[] = [];
  private outageStart = -1;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private events: PoolEvents | undefined;

  constructor(
    readonly size: number,
    private readonly connect: ConnectionFactory,
    /** Pool position -> connection id (ids are unique across workers). */
    private readonly idOf: (position: number) => number,
    private readonly reconnectTimeoutMs: number,
    /** ms since t0 (outages are recorded on the run's clock). */
    private readonly now: () => number,
  ) {
    this.all = new Array<PoolConn | undefined>(size);
  }

  /** Opens every connection; if any fails, closes the others and rethrows. */
  async open(events: PoolEvents): Promise<void> {
    this.events = events;
    const results = await Promise.allSettled(Array.from({ length: this.size }, (_, i) => this.connect(this.idOf(i))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
      throw (failed as PromiseRejectedResult).reason;
    }
    results.forEach((r, i) => this.adopt(i, (r as PromiseFulfilledResult<PoolConn>).value));
    this.live = this.liveMin = this.size;
    this.free.push(...(this.all as PoolConn[]));
  }

  private adopt(position: number, conn: PoolConn): void {
    this.all[position] = conn;
    conn.onDeath = () => {
      const i = this.free.indexOf(conn);
      if (i < 0) return; // busy: its transaction fails and the runner reports the loss
      this.free.splice(i, 1);
      this.events?.onIdleDeath(conn);
    };
  }

  /** A connection is gone (its transaction failed, or it died idle): re-establish it unless stopped. */
  lose(conn: PoolConn): void {
    conn.onDeath = undefined;
    void conn.close(500);
    this.lost++;
    this.live--;
    if (this.live < this.liveMin) this.liveMin = this.live;
    if (this.live === 0 && this.outageStart < 0) this.outageStart = this.now();
    if (this.stopped) return;
    const position = this.all.indexOf(conn);
    this.reconnecting++;
    void this.attempt(position, conn.id, this.now(), ENGINE_DEFAULTS.reconnectFirstDelayMs);
  }

  private async attempt(position: number, id: number, lostAt: number, nextDelay: number): Promise<void> {
    const left = lostAt + this.reconnectTimeoutMs - this.now();
    let fresh: PoolConn | undefined;
    let error: unknown;
    try {
      fresh = await this.withDeadline(this.connect(id), Math.max(left, ENGINE_DEFAULTS.reconnectMaxDelayMs));
    } catch (err) {
      error = err;
    }
    if (fresh) {
      this.reconnecting--;
      if (this.stopped) {
        void fresh.close();
        return;
      }
      this.adopt(position, fresh);
      this.live++;
      this.replaced++;
      let ended: Outage | undefined;
      if (this.outageStart >= 0) {
        ended = { startSec: this.outageStart / 1000, endSec: this.now() / 1000 };
        this.outages.push(ended);
        this.outageStart = -1;
      }
      this.events?.onReady(fresh, ended);
      return;
    }
    if (this.stopped) {
      this.reconnecting--;
      return;
    }
    const remaining = lostAt + this.reconnectTimeoutMs - this.now();
    if (remaining <= 0) {
      this.reconnecting--;
      this.all[position] = undefined;
      this.events?.onGiveUp(id, error);
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(position, id, lostAt, Math.min(nextDelay * 2, ENGINE_DEFAULTS.reconnectMaxDelayMs));
    }, Math.min(nextDelay, remaining));
    this.timers.add(t);
  }

  /** A connect that hangs (server accepting but not answering) must not outlive the limit. */
  private withDeadline(p: Promise<PoolConn>, ms: number): Promise<PoolConn> {
    return new Promise((resolve, reject) => {
      let late = false;
      const t = setTimeout(() => {
        late = true;
        reject(new Error(`connect timed out after ${Math.round(ms)} ms`));
      }, ms);
      p.then(
        (c) => {
          clearTimeout(t);
          if (late) void c.close(500);
          else resolve(c);
        },
        (err: unknown) => {
          clearTimeout(t);
          if (!late) reject(err);
        },
      );
    });
  }

  /** Starts a new interval for `liveMin`. */
  resetMin(): void {
    this.liveMin = this.live;
  }

  /** No more reconnecting (the schedule ended or the run was aborted). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Closes every connection; an outage still open at the end stays open (endSec null). */
  async closeAll(): Promise<void> {
    this.stop();
    if (this.outageStart >= 0) {
      this.outages.push({ startSec: this.outageStart / 1000, endSec: null });
      this.outageStart = -1;
    }
    await Promise.all(this.all.map((c) => c?.close()));
  }
}
