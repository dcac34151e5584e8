import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeSamples, percentileSorted } from '../src/stats/percentiles.js';
import { createHistogram, encodeHistogram, mergeEncoded, summarizeEncoded, summarizeHistogram, countEncoded } from '../src/stats/histogram.js';
import { dueTimes, slotOwnership, uniformDueMs } from '../src/stats/schedule.js';
import { achievedRate, reachedTarget, splitEvenly } from '../src/stats/rate.js';
import { cumulativeWeights, pickType } from '../src/random/weighted-choice.js';
import { SlotRng } from '../src/random/rng.js';

test('percentile summary of 1..100 is exact (nearest rank)', () => {
  const s = summarizeSamples(Array.from({ length: 100 }, (_, i) => 100 - i));
  assert.deepEqual(s, { p50: 50, p90: 90, p95: 95, p99: 99, p999: 100, max: 100, mean: 50.5 });
  assert.equal(percentileSorted([1, 2, 3, 4], 50), 2);
  assert.equal(percentileSorted([], 50), 0);
});

test('histogram summary of 1..100 ms matches the exact one', () => {
  const h = createHistogram();
  for (let i = 1; i <= 100; i++) h.recordValue(i * 1000);
  const s = summarizeHistogram(h);
  h.destroy();
  // 3 significant digits: each value is reported as the top of its bucket (within 0.1%).
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= b * 0.001;
  assert.ok(near(s.p50, 50) && near(s.p95, 95) && near(s.p99, 99) && near(s.max, 100), JSON.stringify(s));
  assert.ok(s.p50 >= 50 && s.p95 >= 95);
  assert.ok(Math.abs(s.mean - 50.5) < 0.05);
});

test('merging encoded histograms equals one combined run', () => {
  const a = createHistogram();
  const b = createHistogram();
  const all = createHistogram();
  const rng = new SlotRng(7);
  for (let i = 0; i < 5000; i++) {
    const v = 100 + Math.floor(rng.next() * 50000);
    (i % 3 === 0 ? a : b).recordValue(v);
    all.recordValue(v);
  }
  const merged = mergeEncoded([encodeHistogram(a), encodeHistogram(b)]);
  // Same bucket counts => same summary as the combined run (both through the encoding).
  assert.deepEqual(summarizeEncoded(merged), summarizeEncoded(encodeHistogram(all)));
  assert.equal(summarizeEncoded(merged).p95, summarizeHistogram(all).p95);
  assert.equal(countEncoded(merged), 5000);
  [a, b, all].forEach((h) => h.destroy());
});

test('uniform schedule: due times are i/rate from t0, never chained', () => {
  assert.deepEqual(dueTimes('uniform', 4, 1000), [0, 250, 500, 750]);
  assert.equal(uniformDueMs(3000, 3000), 1000);
  // 1/3 ms spacing accumulates no float drift: slot 3e6 is exactly 1e6 ms.
  assert.equal(uniformDueMs(3_000_000, 3000), 1_000_000);
});

test('segments and workers interleave into exactly the global schedule', () => {
  const global = dueTimes('uniform', 10, 1000);
  const parts: number[] = [];
  for (let s = 0; s < 3; s++)
    for (let w = 0; w < 2; w++) {
      const { offset, stride } = slotOwnership({ index: s, count: 3 }, w, 2);
      parts.push(...dueTimes('uniform', 10, 1000, 1, offset, stride));
    }
  assert.deepEqual(parts.sort((x, y) => x - y), global);
  assert.deepEqual(slotOwnership({ index: 1, count: 3 }, 1, 2), { offset: 4, stride: 6 });
});

test('poisson schedule is deterministic per seed, has the right mean and splits exactly', () => {
  const a = dueTimes('poisson', 1000, 10_000, 42);
  assert.deepEqual(a, dueTimes('poisson', 1000, 10_000, 42));
  assert.notDeepEqual(a.slice(0, 10), dueTimes('poisson', 1000, 10_000, 43).slice(0, 10));
  assert.equal(a[0], 0);
  assert.ok(a.length > 9500 && a.length < 10500, `count ${a.length}`);
  for (let i = 1; i < a.length; i++) assert.ok(a[i]! >= a[i - 1]!);
  const even = dueTimes('poisson', 1000, 10_000, 42, 0, 2);
  const odd = dueTimes('poisson', 1000, 10_000, 42, 1, 2);
  assert.deepEqual([...even, ...odd].sort((x, y) => x - y), a);
});

test('rate arithmetic', () => {
  assert.equal(achievedRate(995, 1), 995);
  assert.equal(reachedTarget(990, 1000), true);
  assert.equal(reachedTarget(989, 1000), false);
  assert.deepEqual(splitEvenly(10, 3), [4, 3, 3]);
});

test('weighted mix picks types by cumulative weight', () => {
  const cum = cumulativeWeights([
    { name: 'a', weight: 1 },
    { name: 'b', weight: 3 },
  ]);
  assert.deepEqual(Array.from(cum), [0.25, 1]);
  assert.equal(pickType(cum, 0.2), 0);
  assert.equal(pickType(cum, 0.25), 1);
  assert.equal(pickType(cum, 0.99), 1);
  assert.throws(() => cumulativeWeights([]));
});

test('seeded rng is deterministic and uniform-ish', () => {
  const r1 = new SlotRng(1);
  const r2 = new SlotRng(1);
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const x = r1.next();
    assert.equal(x, r2.next());
    assert.ok(x >= 0 && x < 1);
    sum += x;
  }
  assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
  const r = new SlotRng(3);
  for (let i = 0; i < 1000; i++) {
    const v = r.int(5, 7);
    assert.ok(v >= 5 && v <= 7 && Number.isInteger(v));
  }
});

test('error codes: SQLSTATEs as they are; socket errors (EPIPE looks like a SQLSTATE) count as a lost connection', async () => {
  const { errorCode } = await import('../src/engine/connection.js');
  assert.equal(errorCode(Object.assign(new Error('x'), { code: '40001', severity: 'ERROR' }), false), '40001');
  assert.equal(errorCode(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }), true), 'CONNECTION_LOST');
  assert.equal(errorCode(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' }), true), 'CONNECTION_LOST');
  assert.equal(errorCode(new Error('boom'), false), 'CLIENT');
});

test('error codes: a bare EPIPE code without errno/syscall is still not a SQLSTATE', async () => {
  const { errorCode } = await import('../src/engine/connection.js');
  assert.equal(errorCode(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), true), 'CONNECTION_LOST');
  assert.equal(errorCode(Object.assign(new Error('admin shutdown'), { code: '57P01' }), true), '57P01');
});
