import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBudget, parseBudgetSpec, formatBudgetSet } from '../src/config/budget-grammar.js';
import { checkResult, judgeBudgets, judgedVariants, measure } from '../src/budgets/evaluate.js';
import { effectiveBudgets, budgetScenarioProblems, describeMeasured } from '../src/budgets/settings.js';
import { resolveSettings } from '../src/config/load.js';
import { UserError } from '../src/errors.js';
import { result, scenario } from './helpers/result-fixture.js';

const set = (raw: unknown) => {
  const r = parseBudgetSpec(raw);
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
};

test('budget grammar: every k6 metric and operator parses to exact values', () => {
  assert.deepEqual(parseBudget('p(95)<50'), { expr: 'p(95)<50', metric: 'p', percentile: 95, op: '<', threshold: 50 });
  assert.deepEqual(parseBudget(' p( 99.9 ) <= 1.5 '), { expr: 'p(99.9)<=1.5', metric: 'p', percentile: 99.9, op: '<=', threshold: 1.5 });
  assert.deepEqual(parseBudget('rate>=0.99'), { expr: 'rate>=0.99', metric: 'rate', op: '>=', threshold: 0.99 });
  assert.deepEqual(parseBudget('errors<1e-3'), { expr: 'errors<0.001', metric: 'errors', op: '<', threshold: 0.001 });
  for (const m of ['avg', 'min', 'max', 'med']) for (const op of ['<', '<=', '>', '>=', '==', '!=']) assert.equal((parseBudget(`${m}${op}7`) as { op: string }).op, op);
});

test('budget grammar: each bad expression says what is wrong', () => {
  const problem = (s: string) => (parseBudget(s) as { problem: string }).problem;
  assert.match(problem('p95<50'), /unknown metric "p95".*p\(N\), avg/);
  assert.match(problem('p(0)<50'), /above 0 and at most 100/);
  assert.match(problem('p(101)<50'), /above 0 and at most 100/);
  assert.match(problem('p(x)<50'), /above 0 and at most 100/);
  assert.match(problem('avg 50'), /missing comparison/);
  assert.match(problem('avg=50'), /use ==/);
  assert.match(problem('avg<50ms'), /expected a number after <, got "50ms".*no units/);
  assert.match(problem(''), /not a budget/);
});

test('budget lists: flags (strings, repeated), config objects, scenario prefixes, every problem at once', () => {
  assert.deepEqual(formatBudgetSet(set('p(95)<50, rate>=0.99')), ['p(95)<50', 'rate>=0.99']);
  assert.deepEqual(formatBudgetSet(set(['p(95)<50', 'journal-entry-search:p(99)<120,avg<20'])), ['p(95)<50', 'avg<20', 'journal-entry-search:p(99)<120']);
  assert.deepEqual(formatBudgetSet(set({ '*': ['p(95)<50'], 'journal-entry-search': ['p(99)<120'] })), ['p(95)<50', 'journal-entry-search:p(99)<120']);
  const bad = parseBudgetSpec({ '*': ['p(95)<', 'avg<1'], 'balance-lookup': ['p95<3', 7], 'a b': ['avg<1'] });
  assert.ok(!bad.ok);
  assert.equal(bad.problems.length, 4, bad.problems.join('\n'));
  assert.match(bad.problems[0]!, /^"\*": "p\(95\)<": expected a number/);
  assert.match(bad.problems[1]!, /^"balance-lookup": "p95<3": unknown metric/);
  assert.match(bad.problems[2]!, /^"balance-lookup": expected budget strings.*got 7/);
  assert.match(bad.problems[3]!, /key "a b" is not a scenario name/);
});

test('budgets from the command line: repeatable --budget, config "budgets", all problems with their source', () => {
  const r = resolveSettings({ command: 'run', argv: ['--budget', 'p(95)<50', '--budget', 'q:avg<2'], keys: ['budgets', 'budgetMs'], env: {} });
  assert.deepEqual(formatBudgetSet(r.settings.budgets), ['p(95)<50', 'q:avg<2']);
  assert.throws(
    () => resolveSettings({ command: 'run', argv: ['--budget', 'p(95)<x', '--budget', 'mean<3', '--rate', '0'], keys: ['budgets', 'rate'], env: {} }),
    (err: UserError) => {
      assert.equal(err.problems.length, 3, err.problems.join('\n'));
      assert.ok(err.problems.some((p) => /^--rate must be at least/.test(p)));
      assert.ok(err.problems.some((p) => /^--budget: "p\(95\)<x": expected a number/.test(p)));
      assert.ok(err.problems.some((p) => /^--budget: "mean<3": unknown metric "mean"/.test(p)));
      return true;
    },
  );
  const env = { LEDGER_BENCH_BUDGETS: 'p(99)<<1' };
  assert.throws(() => resolveSettings({ command: 'run', argv: [], keys: ['budgets'], env }), /env LEDGER_BENCH_BUDGETS: "p\(99\)<<1"/);
});

test('--budget-ms is p(95)<N: the default budget, or added to explicit budgets when given', () => {
  assert.deepEqual(formatBudgetSet(effectiveBudgets({ budgets: {}, budgetMs: 50 })), ['p(95)<50']);
  assert.deepEqual(formatBudgetSet(effectiveBudgets({ budgets: set('avg<5'), budgetMs: 50 })), ['avg<5']);
  assert.deepEqual(formatBudgetSet(effectiveBudgets({ budgets: set('avg<5'), budgetMs: 20 }, 'flag')), ['avg<5', 'p(95)<20']);
  assert.deepEqual(budgetScenarioProblems(set('balance-lokup:avg<5'), ['balance-lookup'], 'file'), [
    'config "budgets": unknown scenario "balance-lokup" (did you mean "balance-lookup"?); scenarios: balance-lookup',
  ]);
});

test('budget evaluation on exact tiny inputs: percentiles from the summary and the histogram, rate, errors, no data', () => {
  // Latencies 1..100 ms: HDR keeps 3 significant digits, so p(75) is 75 ms within 0.1%.
  const s = scenario('q', Array.from({ length: 100 }, (_, i) => i + 1), { targetRate: 10, achievedRate: 9, errors: 1 });
  const near = (a: number | null, b: number) => a !== null && Math.abs(a - b) <= b * 0.001;
  assert.ok(near(measure(s, { metric: 'p', percentile: 95 }), 95));
  assert.ok(near(measure(s, { metric: 'p', percentile: 75 }), 75), String(measure(s, { metric: 'p', percentile: 75 })));
  assert.ok(near(measure(s, { metric: 'min' }), 1));
  assert.ok(near(measure(s, { metric: 'max' }), 100));
  assert.ok(near(measure(s, { metric: 'med' }), 50));
  assert.ok(Math.abs(measure(s, { metric: 'avg' })! - 50.5) < 0.05);
  assert.equal(measure(s, { metric: 'rate' }), 0.9);
  assert.equal(measure(s, { metric: 'errors' }), 1 / 101);
  // Percentile budgets are judged on the 95% interval (100 samples: p75 in [66, 84] by the
  // order-statistic ranks 66 and 84): inside it is inconclusive, beyond it decided.
  const checks = checkResult('v', result('v', [s]), set('p(75)<76,p(75)<90,p(75)<60,p(75)>60,rate>=0.9,rate>0.9,errors<0.01,min==1,max!=100'));
  assert.deepEqual(checks.map((c) => [c.expr, c.verdict]), [
    ['p(75)<76', 'inconclusive'], ['p(75)<90', 'pass'], ['p(75)<60', 'fail'], ['p(75)>60', 'pass'],
    ['rate>=0.9', 'pass'], ['rate>0.9', 'fail'], ['errors<0.01', 'pass'], ['min==1', 'pass'], ['max!=100', 'fail'],
  ]);
  const near1 = (a: number | null | undefined, b: number) => a != null && Math.abs(a - b) <= b * 0.001;
  assert.ok(near1(checks[0]!.interval?.lo, 66) && near1(checks[0]!.interval?.hi, 84), JSON.stringify(checks[0]!.interval));
  assert.deepEqual(checks.map((c) => c.pass), checks.map((c) => c.verdict === 'pass'));
  // No successful transaction: latency budgets are never a pass (inconclusive: no data).
  const empty = checkResult('v', result('v', [scenario('q', [])]), set('p(95)<50,max>=0'));
  assert.deepEqual(empty.map((c) => [c.measured, c.verdict, c.reason]), [[null, 'inconclusive', 'no data'], [null, 'inconclusive', 'no data']]);
  // Too few samples for an interval: inconclusive, with the reason.
  const few = checkResult('v', result('v', [scenario('q', [1, 2, 3])]), set('p(95)<50'));
  assert.deepEqual(few.map((c) => [c.verdict, c.reason]), [['inconclusive', '59 samples needed for a p95 interval, 3 measured']]);
});

test('budgets judge the candidate variants (all but baseline by default) and never a partial run', () => {
  assert.deepEqual(judgedVariants(['baseline', 'a', 'b'], ''), ['a', 'b']);
  assert.deepEqual(judgedVariants(['baseline'], ''), ['baseline']);
  assert.deepEqual(judgedVariants(['baseline', 'a', 'b'], 'all'), ['baseline', 'a', 'b']);
  assert.deepEqual(judgedVariants(['baseline', 'a', 'b'], 'b'), ['b']);
  const slow = scenario('q', new Array(100).fill(100));
  const fast = scenario('q', new Array(100).fill(1));
  const budgets = set('p(95)<50');
  const v = judgeBudgets([{ variant: 'baseline', result: result('baseline', [slow]) }, { variant: 'a', result: result('a', [fast]) }], budgets);
  assert.equal(v.judged, true);
  assert.equal(v.checks.length, 2, 'the baseline is reported beside the judged variant');
  assert.equal(v.failed.length, 0, 'the slow baseline is not judged');
  const over = judgeBudgets([{ variant: 'a', result: result('a', [slow]) }], budgets);
  assert.deepEqual(over.failed.map((c) => c.variant), ['a']);
  const partial = judgeBudgets([{ variant: 'a', result: result('a', [slow], { partial: true }) }], budgets);
  assert.equal(partial.judged, false);
  assert.equal(partial.failed.length, 0);
  // Inconclusive checks block by default (exit 99), not with --inconclusive pass.
  const undecided = [{ variant: 'a', result: result('a', [scenario('q', Array.from({ length: 100 }, (_, i) => i + 1))]) }];
  const strict = judgeBudgets(undecided, set('p(95)<96'));
  assert.deepEqual([strict.counts, strict.blocking.length], [{ pass: 0, fail: 0, inconclusive: 1 }, 1]);
  assert.equal(judgeBudgets(undecided, set('p(95)<96'), '', 'pass').blocking.length, 0);
});

test('a measured value prints its interval, naming the level when it is not 95% (an extended run judged at its looks\' level)', () => {
  const c = { expr: 'p(95)<50', measured: 41.23 };
  assert.equal(describeMeasured({ ...c, interval: { lo: 38.2, hi: 49.6, conf: 0.95 } }), '41.2 [38.2, 49.6]');
  assert.equal(describeMeasured({ ...c, interval: { lo: 37.9, hi: 51.4, conf: 1 - 0.05 / 3 } }), '41.2 [37.9, 51.4] at 98.3%');
  assert.equal(describeMeasured({ ...c, interval: { lo: 38.2, hi: null, conf: 0.95 } }), '41.2 [38.2, >max]');
  assert.equal(describeMeasured({ ...c, reason: '59 samples needed for a p95 interval, 40 measured' }), '41.2 (59 samples needed for a p95 interval, 40 measured)');
  assert.equal(describeMeasured({ ...c, measured: null }), 'no data');
});
