/**
 * The scheduler without PostgreSQL: its arithmetic driven with explicit instants, and the
 * whole load runner on an in-memory connection factory (not a database: the fake answers
 * every query the same way; what is tested is scheduling, backlog, drops, reconnects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadRunner } from '../src/engine/load-runner.js';
import type { ConnectionFactory, PoolConn } from '../src/engine/connection.js';
import { cumulativeWeights, pickType } from '../src/random/weighted-choice.js';
import type { WorkerPlan } from '../src/engine/plan.js';
import { Recorder } from '../src/engine/recorder.js';
import { Scheduler, type SchedulePlan } from '../src/engine/scheduler.js';
import { blockFor } from '../src/engine/ticker.js';
import { uniformDueMs } from '../src/stats/schedule.js';
import { mixSeed, SlotRng } from '../src/random/rng.js';
import type { Workload } from '../src/workload/types.js';

/** A scheduler over `rate`/s for `endMs`, with `free` connections that never come back. */
function scheduler(o: { rate: number; endMs: number; backlog: number; free: number; offset?: number; stride?: number; cum?: Float64Array }) {
  const plan: SchedulePlan = { arrival: 'uniform', rate: o.rate, offset: o.offset ?? 0, stride: o.stride ?? 1, seed: 7, backlog: o.backlog };
  const cum = o.cum ?? new Float64Array([1]);
  const rec = new Recorder(Array.from(cum, (_, i) => `t${i}`), Array.from(cum, () => 1 / cum.length), 0, o.endMs / 1000);
  const started: Array<{ slot: number; due: number; type: number }> = [];
  let free = o.free;
  let firstDrops = 0;
  const s = new Scheduler(plan, cum, o.endMs, rec, {
    tryStart: (slot, due, type) => (free > 0 ? (free--, started.push({ slot, due, type }), true) : false),
    onFirstDrop: () => firstDrops++,
  });
  return { s, rec, started, firstDrops: () => firstDrops };
}

test('scheduler: every slot due by an instant is dispatched at once; free connections first, then the backlog, then drops', () => {
  const { s, rec, started, firstDrops } = scheduler({ rate: 1000, endMs: 20, backlog: 3, free: 2 });
  s.pump(10.5); // a wake-up 10.5 ms late: slots 0..10 are due
  assert.deepEqual(started.map((x) => [x.slot, x.due]), [[0, 0], [1, 1]]);
  assert.equal(s.backlog.length, 3);
  const queued = [s.backlog.shift(), s.backlog.shift(), s.backlog.shift()].map((at) => [s.backlog.slot[at]!, s.backlog.due[at]!]);
  assert.deepEqual(queued, [[2, 2], [3, 3], [4, 4]], 'FIFO, with the original due times');
  assert.equal(s.backlog.shift(), -1);
  assert.equal(s.dropped, 6, 'slots 5..10');
  assert.equal(firstDrops(), 1);
  assert.equal(rec.stats[0]!.offered, 11);
  assert.equal(rec.stats[0]!.dropped, 6);
  assert.equal(s.nextDueMs, 11, 'the next slot keeps its own due time (no drift after a late wake-up)');
  s.pump(10.9);
  assert.equal(s.dropped, 6, 'nothing new is due');
  s.pump(19.5);
  assert.equal(s.done, true, 'slot 20 would be due at the end of the schedule');
  assert.equal(rec.stats[0]!.offered, 20, 'exactly rate x duration slots');
  // Slots 11..19: the backlog (emptied above) takes three again, the other six are dropped.
  assert.equal(s.backlog.length, 3);
  assert.equal(s.dropped, 12);
  assert.equal(firstDrops(), 1, 'the drop warning is raised once');
  rec.destroy();
});

test('scheduler: due times come from t0 (no accumulated rounding), a stride owns every n-th slot, types follow the slot', () => {
  // 3/s: a period of 333.33... ms that is not exact in binary; slot 3000 is still due at exactly 1,000,000 ms.
  const { s, started, rec } = scheduler({ rate: 3, endMs: 1_000_001, backlog: 0, free: 1e9, offset: 0, stride: 3 });
  s.pump(1_000_000);
  assert.equal(started.length, 1001);
  started.forEach((x, k) => {
    assert.equal(x.slot, 3 * k);
    assert.equal(x.due, uniformDueMs(x.slot, 3));
  });
  assert.equal(started.at(-1)!.due, 1_000_000);
  rec.destroy();
  // With a mix, slot i gets the type its own seeded draw picks, whichever process owns it.
  const cum = cumulativeWeights([{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }]);
  const whole = scheduler({ rate: 100, endMs: 1000, backlog: 0, free: 1e9, cum });
  const part = scheduler({ rate: 100, endMs: 1000, backlog: 0, free: 1e9, cum, offset: 1, stride: 2 });
  whole.s.pump(1000);
  part.s.pump(1000);
  for (const x of part.started) assert.equal(x.type, whole.started[x.slot]!.type);
  for (const x of whole.started) assert.equal(x.type, pickType(cum, new SlotRng(mixSeed(7, x.slot)).next()));
  const bs = whole.started.filter((x) => x.type === 1).length;
  assert.ok(bs > 60 && bs < 90, `type b (weight 3 of 4) got ${bs} of 100`);
  whole.rec.destroy();
  part.rec.destroy();
});

// ---- the load runner on an in-memory connection ------------------------------------

/** In-memory "server": answers after `delayMs` (or never), can drop every connection and refuse new ones. */
class FakeServer {
  delayMs: number | 'never' = 0;
  up = true;
  readonly conns = new Set<FakeConn>();
  /** Call instants, ms from t0. */
  readonly calls: number[] = [];
  t0 = 0;
  connects = 0;
  readonly connect: ConnectionFactory = async (id) => {
    this.connects++;
    if (!this.up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const c = new FakeConn(id, this);
    this.conns.add(c);
    return c;
  };
  /** Every connection dies: queries in flight fail with 57P01, idle connections report their death. */
  crash(): void {
    this.up = false;
    for (const c of this.conns) c.kill();
    this.conns.clear();
  }
}

class FakeConn implements PoolConn {
  dead = false;
  deathError: Error | undefined;
  onDeath: (() => void) | undefined;
  private pending: ((err: Error) => void) | undefined;
  constructor(
    readonly id: number,
    private readonly server: FakeServer,
  ) {}
  query<R>(): Promise<{ rows: R[]; rowCount: number | null }> {
    if (this.dead) return Promise.reject(new Error('Connection terminated: client is not queryable'));
    this.server.calls.push(performance.now() - this.server.t0);
    const d = this.server.delayMs;
    return new Promise((resolve, reject) => {
      this.pending = reject;
      const done = () => {
        this.pending = undefined;
        resolve({ rows: [], rowCount: 0 });
      };
      if (d === 'never') return;
      if (d === 0) queueMicrotask(done);
      else setTimeout(done, d);
    });
  }
  kill(): void {
    this.dead = true;
    this.deathError = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const p = this.pending;
    this.pending = undefined;
    if (p) p(this.deathError);
    else this.onDeath?.();
  }
  transactionStatus(): string {
    return 'I';
  }
  async close(): Promise<void> {
    this.dead = true;
  }
}

const oneQuery: Workload = { transactions: [{ name: 'q', weight: 1, execute: async (c) => void (await c.query('q')) }] };

function plan(p: Partial<WorkerPlan>): WorkerPlan {
  return {
    databaseUrl: 'postgres://in-memory/none', rate: 100, arrival: 'uniform', warmupSec: 0, durationSec: 1, connections: 2, backlog: 100,
    maxTries: 1, offset: 0, stride: 1, queryMode: 'prepared', seed: 1, exitOnAbort: false, drainTimeoutMs: 1000, spinMs: 1, timer: 'ticker',
    driver: 'wire', reconnectTimeoutSec: 30, rateTolerance: 0.01, segment: null, workerIndex: 0, workers: 1, maxWarmupSec: p.warmupSec ?? 0, ...p,
  };
}

async function run(server: FakeServer, p: Partial<WorkerPlan>, during?: (t0Epoch: number) => void) {
  const warnings: string[] = [];
  const r = new LoadRunner(plan(p), oneQuery, { onWarning: (m) => warnings.push(m) }, server.connect);
  await r.prepare();
  const start = Date.now() + 50;
  server.t0 = start - performance.timeOrigin;
  during?.(start);
  const result = await r.run(start);
  return { result, warnings };
}

test('runner on instant connections: every slot runs exactly once, never before it is due', async () => {
  const server = new FakeServer();
  const { result } = await run(server, { rate: 200, durationSec: 1 });
  const s = result.scenarios[0]!;
  assert.equal(s.offered, 200);
  // A completion after the window's end (a wake-up late by more than the last slot's 5 ms,
  // seen once on a loaded machine) is a straddler, not a lost slot.
  assert.equal(s.count + (s.straddlers ?? 0), 200);
  assert.ok((s.straddlers ?? 0) <= 1, `straddlers ${s.straddlers}`);
  assert.equal(s.errors + s.dropped, 0);
  assert.equal(result.reachedTarget, true);
  assert.equal(server.calls.length, 200);
  server.calls.forEach((at, k) => assert.ok(at >= uniformDueMs(k, 200), `query ${k} sent at ${at} ms, due at ${uniformDueMs(k, 200)}`));
  assert.equal(result.connectionsLost, 0);
  assert.equal(result.partial, false);
});

test('runner on connections that never answer: pool, then backlog, then exactly the rest dropped', async () => {
  const server = new FakeServer();
  server.delayMs = 'never';
  const { result, warnings } = await run(server, { rate: 100, durationSec: 0.5, connections: 2, backlog: 3, drainTimeoutMs: 100 });
  const s = result.scenarios[0]!;
  assert.equal(s.offered, 50);
  assert.equal(server.calls.length, 2, 'one transaction per connection');
  assert.equal(s.dropped, 50 - 2 - 3);
  assert.equal(s.straddlers, 3, 'the backlog never started: straddlers of the window end');
  assert.equal(s.count, 0);
  assert.equal(result.reachedTarget, false);
  assert.equal(warnings.filter((w) => w.startsWith('warning: dropping')).length, 1, warnings.join('\n'));
  assert.ok(warnings.some((w) => /2 transactions still running/.test(w)), warnings.join('\n'));
});

test('runner: a server gone for 0.3 s: connections re-established with backoff, the run goes on, the outage is recorded', async () => {
  const server = new FakeServer();
  server.delayMs = 5;
  const { result, warnings } = await run(server, { rate: 100, durationSec: 1.5, connections: 2, backlog: 100, reconnectTimeoutSec: 5 }, (start) => {
    const wait = (ms: number) => new Promise((r) => setTimeout(r, start - Date.now() + ms));
    void wait(502).then(() => server.crash());
    void wait(800).then(() => (server.up = true));
  });
  const s = result.scenarios[0]!;
  assert.equal(result.partial, false, result.partialReason);
  assert.equal(result.connectionsLost, 2);
  assert.equal(result.connectionsReplaced, 2);
  assert.ok(server.connects > 2 + 2, `reconnect attempts were retried while the server was down (${server.connects} connects)`);
  assert.equal(s.offered, 150);
  assert.equal(s.dropped, 0, 'the backlog held the slots due during the gap');
  assert.equal(s.count + s.errors + (s.straddlers ?? 0), 150);
  assert.equal(s.errors, s.errorsByCode['57P01'] ?? 0, JSON.stringify(s.errorsByCode));
  assert.equal(result.outages?.length, 1);
  const o = result.outages![0]!;
  assert.ok(o.startSec >= 0.5 && o.startSec < 0.6 && o.endSec !== null && o.endSec >= 0.8 && o.endSec < 1.3, JSON.stringify(o));
  // Slots due during the gap waited for a connection: their latency counts from their due time.
  assert.ok(s.latencyMs.max >= 200, `max ${s.latencyMs.max}`);
  assert.ok(warnings.some((w) => /server reachable again/.test(w)), warnings.join('\n'));
});

test('runner: a server that stays away past reconnectTimeoutSec ends the run partial, kind broken', async () => {
  const server = new FakeServer();
  server.delayMs = 5;
  const t = performance.now();
  const { result } = await run(server, { rate: 100, durationSec: 10, connections: 2, reconnectTimeoutSec: 0.3 }, (start) => {
    setTimeout(() => server.crash(), start - Date.now() + 300);
  });
  assert.ok(performance.now() - t < 3000, 'ended at the reconnect limit, not after the 10 s schedule');
  assert.equal(result.partial, true);
  assert.equal(result.partialKind, 'broken');
  assert.match(result.partialReason ?? '', /server connection lost for more than 0.3 s/);
  assert.equal(result.outages?.at(-1)?.endSec, null);
  assert.ok((result.measuredSec ?? 10) < 1.5, `measured ${result.measuredSec}`);
});

test('blockFor: blocks the thread for at least the time asked (sub-millisecond too), not at all for <= 0', () => {
  for (const ms of [0.3, 2]) {
    const t = performance.now();
    blockFor(ms);
    const took = performance.now() - t;
    assert.ok(took >= ms, `blockFor(${ms}) returned after ${took} ms`);
  }
  const t = performance.now();
  blockFor(0);
  blockFor(-5);
  assert.ok(performance.now() - t < 50, 'blockFor(<= 0) returns at once');
});

test('runner in settle mode: a window start announced late moves to the next whole second no slot of which was dispatched, with a warning', async () => {
  // One process, driven by hand: the window start (normally announced one second ahead by
  // run-load.ts) comes at 1.5 s for a window said to start at 1 s, after slots due in
  // [1, 1.5) s were dispatched. On time (a second case): the window starts where announced.
  for (const [announceAtMs, startSec, expectSec] of [[1500, 1, 2], [1500, 2, 2]] as const) {
    const server = new FakeServer();
    const warnings: string[] = [];
    const r = new LoadRunner(plan({ rate: 100, warmupSec: 1, maxWarmupSec: 3, durationSec: 1 }), oneQuery, { onWarning: (m) => warnings.push(m) }, server.connect);
    await r.prepare();
    const start = Date.now() + 50;
    setTimeout(() => r.setWindowStart(startSec), start - Date.now() + announceAtMs);
    const result = await r.run(start);
    const late = warnings.filter((w) => /after slots due then were dispatched/.test(w));
    assert.equal(result.warmup?.endedSec, expectSec, `announced ${startSec} s at ${announceAtMs} ms`);
    assert.equal(late.length, startSec < expectSec ? 1 : 0, warnings.join('\n'));
    if (late.length) assert.match(late[0]!, new RegExp(`window's start \\(${startSec} s\\).*its window starts at ${expectSec} s`));
    const s = result.scenarios[0]!;
    assert.equal(s.offered, 100, 'exactly the slots due in the 1 s window');
    assert.equal(s.count, 100);
    assert.ok(server.calls.length >= 300 - 2 && server.calls.length <= 300, `the schedule ended with the window (3 s), ${server.calls.length} calls`);
  }
});
