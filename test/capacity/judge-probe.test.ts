import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeProbe, sustainedRate } from '../../src/capacity/variant-capacity.js';
import { parseBudgetSpec } from '../../src/config/budget-grammar.js';
import { result, scenario } from '../helpers/result-fixture.js';

const budgets = (...items: string[]) => {
  const r = parseBudgetSpec(items);
  if (!r.ok) throw new Error(String(r.problems));
  return r.value;
};
/** `n` samples spread evenly over [lo, hi] ms. */
const spread = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

test('a probe holds only when every judged check passes, decided: the whole p95 interval under the budget', () => {
  const r = result('optimized', [scenario('a', spread(200, 1, 10)), scenario('b', spread(100, 5, 6))]);
  const v = judgeProbe(r, budgets('p(95)<50'), 0.99);
  assert.equal(v.verdict, 'holds');
  assert.equal(v.holds, true);
  assert.equal(v.sustained, true);
  assert.deepEqual([v.failed, v.inconclusive, v.open], [[], [], []]);
  // Each scenario's p95 with its interval (order statistics: these fixtures have no batches).
  const a = v.p95Ci!.a!;
  assert.equal(a.n, 200);
  assert.ok(a.lo! <= a.value! && a.value! <= a.hi! && a.hi! < 50, JSON.stringify(a));
  assert.ok(v.mixP95!.n === 300 && v.mixP95!.hi! < 50);
});

test('a decided fail or a mix shortfall fails the probe, each named with its measure and interval', () => {
  const r = { ...result('optimized', [scenario('a', spread(100, 70, 90)), scenario('b', spread(100, 1, 2))]), achievedRate: 9.8, offeredRate: 10 };
  const v = judgeProbe(r, budgets('p(95)<50'), 0.99);
  assert.equal(v.verdict, 'fails');
  assert.equal(v.holds, false);
  assert.equal(v.failed.length, 2, v.failed.join('; '));
  assert.match(v.failed[0]!, /^a: p\(95\)<50 \(measured 8\d\.\d+ \[\d+\.\d+, \d+\.\d+\]\)$/);
  assert.equal(v.failed[1], 'mix: rate>=0.99 (measured 0.980)');
  assert.equal(v.sustained, false, '98% of the offered slots: the server fell behind');
  assert.deepEqual(v.open, [], 'decided: no more stages');
  // Without the mix's rate budget only the latency fails; sustained is still judged (at 0.99).
  const noMix = judgeProbe(r, budgets('p(95)<50'), 0);
  assert.equal(noMix.failed.length, 1);
  assert.equal(noMix.sustained, false);
  // Every slot completed, only latency over budget: failed but sustained.
  const kept = judgeProbe({ ...r, achievedRate: 10 }, budgets('p(95)<50'), 0.99);
  assert.deepEqual([kept.verdict, kept.sustained], ['fails', true]);
});

test('too few samples, no data or an interval across the budget: inconclusive with the reason, never held, never "unsampled"', () => {
  const r = result('baseline', [scenario('a', spread(100, 1, 5)), scenario('rare', []), scenario('few', [1, 2, 3]), scenario('edge', [...spread(90, 5, 10), ...spread(10, 45, 55)])]);
  const v = judgeProbe(r, budgets('p(95)<50'), 0);
  assert.equal(v.verdict, 'inconclusive');
  assert.equal(v.holds, false);
  assert.deepEqual(v.failed, []);
  assert.deepEqual(v.inconclusive!.map((x) => x.split(':')[0]), ['rare', 'few', 'edge']);
  assert.match(v.inconclusive![0]!, /rare: p\(95\)<50 \(measured no data\)/);
  assert.match(v.inconclusive![1]!, /few: p\(95\)<50 \(measured 3\.\d+ \(59 samples needed for a p95 interval, 3 measured\)\)/);
  assert.match(v.inconclusive![2]!, /edge: p\(95\)<50 \(measured \d+\.\d+ \[\d+\.\d+, \d+\.\d+\]\)/);
  // Still open (more stages could decide them): the sequential rule sees each with its samples.
  assert.deepEqual(v.open.map((c) => c.n), [0, 3, 100]);
  assert.equal(JSON.stringify(v).includes('unsampled'), false);
});

test('floor-bound scenarios are not judged in the probe; a decided fail elsewhere still fails it', () => {
  const r = result('baseline', [scenario('slow', spread(100, 70, 90)), scenario('a', spread(100, 1, 5))]);
  assert.equal(judgeProbe(r, budgets('p(95)<50'), 0, 0.95).verdict, 'fails');
  const v = judgeProbe(r, budgets('p(95)<50'), 0, 0.95, ['slow']);
  assert.equal(v.verdict, 'holds');
  // Its p95 is still recorded (the curve and the thresholds use it).
  assert.ok(v.p95Ci!.slow!.value! > 50);
});

test('sustained: >= the ratio of slots completed, nothing dropped, the backlog at the end bounded', () => {
  const base = result('v', [scenario('a', [1])]);
  assert.deepEqual(sustainedRate(base, 0.99), { sustained: true });
  assert.deepEqual(sustainedRate({ ...base, dropped: 3 }, 0.99), { sustained: false, why: 'mix: 3 slots dropped (backlog full)' });
  const point = { t: 1, completed: 10, errors: 0, dropped: 0, p95Ms: 1 };
  assert.equal(sustainedRate({ ...base, timeline: [{ ...point, backlog: 10 }] }, 0.99).sustained, true);
  assert.deepEqual(sustainedRate({ ...base, timeline: [{ ...point, backlog: 11 }] }, 0.99), { sustained: false, why: 'mix: backlog 11 at the end (bound 10)' });
});
