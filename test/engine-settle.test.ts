/**
 * The warm-up waits for the steady state (src/engine/warmup.ts, src/stats/settle.ts),
 * against a real server. A workload that is slow only for its first seconds builds a
 * backlog; the settled run measures after it drained, the fixed warm-up measures the
 * transient (the user's report: p95 of a second against 10-40 ms once drained).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../src/engine/run-load.js';
import type { Workload } from '../src/workload/types.js';
import { scratchDatabase } from './helpers/db.js';

let db: Awaited<ReturnType<typeof scratchDatabase>>;
before(async () => {
  db = await scratchDatabase('settle');
});
after(async () => {
  await db.drop();
});

const capture = (): { write(s: string): boolean; text: string } => {
  const o = { text: '', write: (s: string) => ((o.text += s), true) };
  return o;
};

/** 50 ms per transaction for the first `slowMs` after its first call (2 connections: 40/s), then a plain SELECT. */
function slowAtFirst(slowMs: number): Workload {
  let first = 0;
  return {
    transactions: [
      {
        name: 'q',
        weight: 1,
        execute: async (c) => {
          first ||= performance.now();
          await c.query(performance.now() - first < slowMs ? 'SELECT pg_sleep(0.05)' : 'SELECT 1');
        },
      },
    ],
  };
}

test('settle: a backlog in the first seconds delays the window until it drained; a fixed warm-up measures the transient', async () => {
  const common = { databaseUrl: db.url, rate: 100, durationSec: 2, warmupSec: 1, connections: 2, seed: 3 };
  const out = capture();
  const settled = await runLoad({ ...common, workload: slowAtFirst(2500), maxWarmupSec: 15, output: out });
  const w = settled.warmup!;
  assert.equal(w.settled, true, out.text);
  assert.equal(w.minSec, 1);
  assert.equal(w.maxSec, 15);
  // The backlog lasts past 2.5 s, and the rule needs two calm windows after it.
  assert.ok(w.endedSec! >= 5 && w.endedSec! < 15, `window began at ${w.endedSec} s\n${out.text}`);
  assert.equal(settled.backlogAtStart, 0);
  assert.equal(settled.measuredSec, 2);
  assert.match(out.text, new RegExp(`warm-up ended: steady at ${w.endedSec} s: backlog drained, p95 stable`));
  assert.match(out.text, new RegExp(`\\[\\s+${w.endedSec}s warmup\\]`));
  assert.match(out.text, new RegExp(`\\[\\s+${w.endedSec! + 1}s run\\]`));
  const p95 = settled.scenarios[0]!.latencyMs.p95;
  assert.ok(p95 < 100, `settled p95 ${p95} ms excludes the transient`);
  // Every slot of the window was offered and completed inside it (the start was announced ahead).
  const s = settled.scenarios[0]!;
  assert.equal(s.offered, 200);
  assert.equal(s.count + s.straddlers!, 200);
  assert.equal(settled.reachedTarget, true);
  // The timeline still covers the whole run, warm-up included.
  assert.ok(settled.timeline!.length >= w.endedSec! + 1);

  const fixed = await runLoad({ ...common, workload: slowAtFirst(2500), output: capture() });
  assert.deepEqual(fixed.warmup, { minSec: 1, maxSec: 1, endedSec: 1, settled: null });
  assert.ok(fixed.backlogAtStart! > 0, `fixed warm-up began with backlog ${fixed.backlogAtStart}`);
  assert.ok(fixed.scenarios[0]!.latencyMs.p95 > 200, `fixed p95 ${fixed.scenarios[0]!.latencyMs.p95} ms holds the transient`);
});

test('settle: a run that never settles is measured from the maximum and says so', async () => {
  const out = capture();
  const r = await runLoad({
    databaseUrl: db.url, rate: 100, durationSec: 1, warmupSec: 1, maxWarmupSec: 3, connections: 2, backlog: 50,
    workload: slowAtFirst(60_000), output: out, drainTimeoutMs: 2000,
  });
  assert.deepEqual(r.warmup, { minSec: 1, maxSec: 3, endedSec: 3, settled: false });
  assert.ok(r.backlogAtStart! > 0);
  assert.match(out.text, /warm-up ended: never settled by 3 s \((backlog \d+|\d+ dropped|fewer than 4 seconds to judge)\): measuring anyway/);
  assert.match(out.text, /warning: the run never settled by 3 s of warm-up/);
  assert.match(out.text, /warning: the measured window began with \d+ slots waiting/);
});

test('settle: worker threads share one window start, announced by message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-bench-settle-'));
  const path = join(dir, 'one.sql');
  await writeFile(path, 'SELECT 1;\n');
  const out = capture();
  const r = await runLoad({ databaseUrl: db.url, workload: { kind: 'pgbench-script', path }, rate: 200, durationSec: 1, warmupSec: 1, maxWarmupSec: 10, workers: 2, output: out });
  const w = r.warmup!;
  assert.equal(w.settled, true, out.text);
  // Four seconds of samples are needed to judge; the start is the second after.
  assert.ok(w.endedSec! >= 5 && w.endedSec! <= 10, `window began at ${w.endedSec} s`);
  assert.doesNotMatch(out.text, /reached worker/);
  assert.equal(r.measuredSec, 1);
  assert.equal(r.scenarios[0]!.offered, 200);
  assert.equal(r.reachedTarget, true);
});
