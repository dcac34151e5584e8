/** The gate's budget rule (pure): only a new violation fails; shared ones are reported; undecided heads follow --inconclusive. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BudgetCheck, Verdict } from '../../src/budgets/evaluate.js';
import { budgetStanding, judgeGateBudgets, type GateBudgetOptions } from '../../src/gate/budget-gate.js';
import { renderGateJunit } from '../../src/gate/render.js';

const check = (scenario: string, verdict: Verdict, measured = 40): BudgetCheck => ({
  variant: 'v',
  scenario,
  expr: 'p(95)<50',
  measured,
  interval: { lo: measured - 5, hi: measured + 5, conf: 0.95 },
  verdict,
  pass: verdict === 'pass',
});
const strict: GateBudgetOptions = { policy: 'fail', failShared: false, slower: () => undefined };

test('standing: head pass passes; head fail is new only where the base passed; head inconclusive is undecided only where the base passed', () => {
  const table: Array<[Verdict | undefined, Verdict, string]> = [
    ['pass', 'pass', 'pass'],
    ['fail', 'pass', 'pass'],
    ['pass', 'fail', 'new'],
    ['fail', 'fail', 'shared'],
    ['inconclusive', 'fail', 'shared'],
    [undefined, 'fail', 'shared'],
    ['pass', 'inconclusive', 'undecided'],
    ['fail', 'inconclusive', 'inconclusive'],
    ['inconclusive', 'inconclusive', 'inconclusive'],
  ];
  for (const [base, head, want] of table) assert.equal(budgetStanding(base, head), want, `base ${base}, head ${head}`);
});

test('a new violation fails the gate; a shared one is reported (floor-bound when the base is decided over budget), not failed', () => {
  const base = [check('a', 'pass', 30), check('b', 'fail', 60), check('c', 'inconclusive', 50), check('d', 'pass', 20)];
  const head = [check('a', 'fail', 70), check('b', 'fail', 62), check('c', 'fail', 58), check('d', 'pass', 21)];
  const v = judgeGateBudgets(base, head, strict);
  assert.deepEqual(v.failed.map((c) => c.scenario), ['a']);
  assert.deepEqual(v.blocking.map((c) => c.scenario), ['a']);
  assert.deepEqual(v.shared.map((c) => [c.scenario, c.floorBound]), [['b', true], ['c', false]]);
  assert.deepEqual(v.counts, { pass: 1, fail: 1, inconclusive: 0, shared: 2, floorBound: 1 });
  // The shared ones alone never fail the gate, unless asked.
  const onlyShared = judgeGateBudgets(base.slice(1), head.slice(1), strict);
  assert.deepEqual(onlyShared.blocking, []);
  assert.deepEqual(judgeGateBudgets(base.slice(1), head.slice(1), { ...strict, failShared: true }).blocking.map((c) => c.scenario), ['b', 'c']);
});

test('undecided head where the base passed: --inconclusive pass lets it through; fail fails it unless the per-block comparison clears the head', () => {
  const base = [check('x', 'pass', 40)];
  const head = [check('x', 'inconclusive', 48)];
  assert.deepEqual(judgeGateBudgets(base, head, { ...strict, policy: 'pass' }).blocking, []);
  assert.equal(judgeGateBudgets(base, head, { ...strict, slower: () => true }).blocking.length, 1, 'significantly slower per block');
  assert.equal(judgeGateBudgets(base, head, { ...strict, slower: () => undefined }).blocking.length, 1, 'not compared per block: strict');
  const cleared = judgeGateBudgets(base, head, { ...strict, slower: () => false });
  assert.deepEqual(cleared.blocking, [], 'A/A noise around the threshold does not fail the gate');
  assert.equal(cleared.counts.inconclusive, 1);
  assert.match(cleared.checks[0]!.note!, /does not find the head slower/);
  // Inconclusive on both sides is nothing new, whatever the policy.
  assert.deepEqual(judgeGateBudgets([check('x', 'inconclusive')], head, { ...strict, slower: () => true }).blocking, []);
});

test('not judged: no checks, nothing blocks; the JUnit report fails new violations and shows shared ones as skipped', () => {
  assert.deepEqual(judgeGateBudgets([check('a', 'pass')], [check('a', 'fail')], strict, false).blocking, []);
  const budgets = judgeGateBudgets([check('a', 'pass', 30), check('b', 'fail', 60)], [check('a', 'fail', 70), check('b', 'fail', 61)], strict);
  const xml = renderGateJunit({ complete: true, scenarios: [], budgets, outcome: { code: 99, line: 'x' } } as unknown as Parameters<typeof renderGateJunit>[0]);
  assert.match(xml, /name="a p\(95\)&lt;50">\n {6}<failure message="a p\(95\)&lt;50: base 30\.0 \[25\.0, 35\.0\] \(pass\), head 70\.0 \[65\.0, 75\.0\] \(fail\): NEW VIOLATION, fails the gate" type="budget"/);
  assert.match(xml, /name="b p\(95\)&lt;50">\n {6}<skipped message="b .*shared violation \(floor-bound: the base is over budget too\), not failed"/);
  assert.match(xml, /failures="1" errors="0" skipped="1"/);
});
