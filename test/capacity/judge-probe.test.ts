import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeProbe } from '../../src/capacity/variant-capacity.js';
import { parseBudgetSpec } from '../../src/config/budget-grammar.js';
import { result, scenario } from '../helpers/result-fixture.js';

const budgets = (...items: string[]) => {
  const r = parseBudgetSpec(items);
  if (!r.ok) throw new Error(String(r.problems));
  return r.value;
};

test('a probe holds when every sampled scenario meets its budgets and the mix its rate', () => {
  const r = result('optimized', [scenario('a', [1, 2, 3, 40]), scenario('b', [5, 6])]);
  const v = judgeProbe(r, budgets('p(95)<50'), 0.99);
  assert.deepEqual(v, { holds: true, sustained: true, failed: [], unsampled: [], p95Ms: { a: r.scenarios[0]!.latencyMs.p95, b: r.scenarios[1]!.latencyMs.p95 } });
});

test('a failing budget or a mix shortfall fails the probe, each named with its measure', () => {
  const r = { ...result('optimized', [scenario('a', [1, 2, 3, 80]), scenario('b', [5])]), achievedRate: 9.8, offeredRate: 10 };
  const v = judgeProbe(r, budgets('p(95)<50'), 0.99);
  assert.equal(v.holds, false);
  // 80 ms as the HDR histogram holds it (3 significant digits).
  assert.deepEqual(v.failed, ['a: p(95)<50 (measured 80.1)', 'mix: rate>=0.99 (measured 0.980)']);
  assert.equal(v.sustained, false, '98% of the offered slots: the server fell behind');
  // Without the mix's rate budget only the latency fails; sustained is still judged (at 0.99).
  assert.deepEqual(judgeProbe(r, budgets('p(95)<50'), 0).failed, ['a: p(95)<50 (measured 80.1)']);
  assert.equal(judgeProbe(r, budgets('p(95)<50'), 0).sustained, false);
  // Every slot completed, only latency over budget: failed but sustained (bench's fallback rate).
  const kept = judgeProbe({ ...r, achievedRate: 10 }, budgets('p(95)<50'), 0.99);
  assert.deepEqual([kept.holds, kept.sustained], [false, true]);
});

test('a scenario the probe offered nothing of is unsampled, not a failure; one that only failed is judged', () => {
  const r = result('baseline', [scenario('a', [1]), scenario('rare', []), scenario('broken', [], { errors: 3 })]);
  const v = judgeProbe(r, budgets('p(95)<50'), 0);
  assert.deepEqual(v.unsampled, ['rare']);
  assert.deepEqual(v.failed, ['broken: p(95)<50 (measured no data)']);
  assert.equal(v.holds, false);
});
