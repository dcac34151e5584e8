/** The gate's statistics on tiny hand-made inputs: exact values, and each side of the verdict. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minBlocksFor, perScenarioConfidence, ratioEstimate, ratioVerdict, signedRankCut } from '../../src/gate/gate-stats.js';
import { judgeBlocks } from '../../src/gate/judge.js';

const pairs = (base: number[], head: number[]) => base.map((b, i) => ({ base: b, head: head[i]! }));
const opts = { confidence: 0.95 };
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

test('the exact signed-rank cut: 6 blocks are the fewest for a 95% interval', () => {
  // P(T+ = 0) = 1/64 <= 0.025 < P(T+ <= 1) = 2/64: k = 1, coverage 1 - 2/64.
  assert.deepEqual(signedRankCut(6, 0.95), { k: 1, coverage: 1 - 2 / 64 });
  assert.equal(signedRankCut(5, 0.95).k, 0);
  // n = 10: P(T+ <= 8) = 25/1024 <= 0.025 < P(T+ <= 9) = 33/1024 (the textbook critical value 8).
  assert.deepEqual(signedRankCut(10, 0.95), { k: 9, coverage: 1 - 50 / 1024 });
  assert.equal(minBlocksFor(0.95), 6);
  assert.equal(minBlocksFor(perScenarioConfidence(0.95, 8)), 9);
});

test('identical pairs: ratio exactly 1, interval [1, 1], no change', () => {
  const e = ratioEstimate(pairs([10, 12, 9, 11, 10, 13], [10, 12, 9, 11, 10, 13]), opts);
  assert.deepEqual(e.ratios, [1, 1, 1, 1, 1, 1]);
  assert.equal(e.estimate, 1);
  assert.equal(e.low, 1);
  assert.equal(e.high, 1);
  assert.equal(ratioVerdict(e, 0.1), 'no-change');
});

test('every block 1.5x slower: a regression', () => {
  const e = ratioEstimate(pairs([10, 20, 8, 12, 5, 30], [15, 30, 12, 18, 7.5, 45]), opts);
  assert.ok(near(e.estimate, 1.5) && near(e.low, 1.5) && near(e.high, 1.5), JSON.stringify(e));
  assert.equal(ratioVerdict(e, 0.1), 'regression');
});

test('the interval is the Walsh averages cut at k: [min, max] ratio for 6 blocks', () => {
  const e = ratioEstimate(pairs([1, 1, 1, 1, 1, 1], [1.2, 1.4, 1.3, 1.25, 1.5, 1.35]), opts);
  assert.ok(near(e.low, 1.2) && near(e.high, 1.5));
  // Hodges-Lehmann: the median of the 21 Walsh averages of the logs.
  const logs = [1.2, 1.4, 1.3, 1.25, 1.5, 1.35].map(Math.log);
  const w: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = i; j < 6; j++) w.push((logs[i]! + logs[j]!) / 2);
  w.sort((a, b) => a - b);
  assert.ok(near(e.estimate, Math.exp(w[10]!)));
  assert.equal(ratioVerdict(e, 0.1), 'regression');
});

test('three blocks, all slower, are not significant at 95% (one chance in eight under no change)', () => {
  const e = ratioEstimate(pairs([10, 10, 10], [20, 21, 22]), opts);
  assert.equal(e.low, 0);
  assert.equal(e.high, Infinity);
  assert.equal(ratioVerdict(e, 0.1), 'no-change');
});

test('a consistent but small slowdown (about 5%) passes: significant, yet below the minimum effect', () => {
  const e = ratioEstimate(pairs([10, 10, 10, 10, 10, 10], [10.4, 10.6, 10.5, 10.3, 10.7, 10.5]), opts);
  assert.ok(e.low > 1, `significant: ${e.low}`);
  assert.ok(e.estimate < 1.1);
  assert.equal(ratioVerdict(e, 0.1), 'no-change');
  // The same data with a 2% minimum effect is a regression: the threshold decides, not luck.
  assert.equal(ratioVerdict(e, 0.02), 'regression');
});

test('a large but inconsistent difference passes: the interval includes 1', () => {
  const e = ratioEstimate(pairs([10, 10, 10, 10, 10, 10], [30, 5, 30, 5, 30, 8]), opts);
  assert.ok(e.estimate > 1.1, `large: ${e.estimate}`);
  assert.ok(e.low < 1, `not significant: ${e.low}`);
  assert.equal(ratioVerdict(e, 0.1), 'no-change');
});

test('noisy ratios around 1.05 pass', () => {
  const e = ratioEstimate(pairs([10, 10, 10, 10, 10, 10, 10, 10], [11.5, 9.5, 10.8, 9.9, 11, 10.2, 10.9, 10.4]), opts);
  assert.ok(e.estimate > 1 && e.estimate < 1.1, String(e.estimate));
  assert.equal(ratioVerdict(e, 0.1), 'no-change');
});

test('a consistent large speed-up is an improvement, never a failure', () => {
  const e = ratioEstimate(pairs([10, 10, 10, 10, 10, 10], [5, 6, 5.5, 5.2, 4.9, 5.1]), opts);
  assert.equal(ratioVerdict(e, 0.1), 'improvement');
});

test('judgeBlocks: thin scenarios and too few blocks are reported, never judged', () => {
  const blk = (i: number, headP95: number, count = 50) => ({
    index: i,
    base: { a: { p95: 10, count }, thin: { p95: 10, count: 5 } },
    head: { a: { p95: headP95, count }, thin: { p95: 30, count: 5 } },
  });
  const six = [0, 1, 2, 3, 4, 5].map((i) => blk(i, 15 + i));
  const got = judgeBlocks(six, { confidence: 0.95, minEffect: 0.1 });
  assert.deepEqual(got.map((g) => [g.scenario, g.judged, g.verdict]), [['a', true, 'regression'], ['thin', false, undefined]]);
  assert.match(got[1]!.reason!, /fewer than 20 successful transactions/);
  const five = judgeBlocks(six.slice(0, 5), { confidence: 0.95, minEffect: 0.1 });
  assert.equal(five[0]!.judged, false);
  assert.match(five[0]!.reason!, /5 blocks cannot reach 95% confidence: at least 6 are needed/);
});

test('Bonferroni: judging k scenarios at 95% overall widens each interval', () => {
  assert.equal(perScenarioConfidence(0.95, 1), 0.95);
  assert.ok(near(perScenarioConfidence(0.95, 5), 0.99));
});

test('bad inputs are refused', () => {
  assert.throws(() => ratioEstimate([], opts), /no block pairs/);
  assert.throws(() => ratioEstimate(pairs([0], [1]), opts), /positive/);
  assert.throws(() => ratioEstimate(pairs([1], [1]), { confidence: 1 }), /confidence/);
});
