/** The gate's statistics on tiny hand-made inputs: exact values, and each side of the verdict. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perScenarioConfidence, ratioEstimate, ratioVerdict } from '../../src/gate/gate-stats.js';

const pairs = (base: number[], head: number[]) => base.map((b, i) => ({ base: b, head: head[i]! }));
const opts = { confidence: 0.95, seed: 1 };

test('identical pairs: ratio exactly 1, interval [1, 1], no change', () => {
  const e = ratioEstimate(pairs([10, 12, 9, 11], [10, 12, 9, 11]), opts);
  assert.deepEqual(e.ratios, [1, 1, 1, 1]);
  assert.equal(e.estimate, 1);
  assert.equal(e.low, 1);
  assert.equal(e.high, 1);
  assert.equal(ratioVerdict(e, 0.1), 'no-change');
});

test('every block 1.5x slower: a regression', () => {
  const e = ratioEstimate(pairs([10, 20, 8, 12, 5, 30], [15, 30, 12, 18, 7.5, 45]), opts);
  assert.ok(Math.abs(e.estimate - 1.5) < 1e-12);
  assert.ok(Math.abs(e.low - 1.5) < 1e-12 && Math.abs(e.high - 1.5) < 1e-12);
  assert.equal(ratioVerdict(e, 0.1), 'regression');
});

test('the geometric mean of [2, 0.5] is 1: a slowdown and an equal speed-up cancel', () => {
  const e = ratioEstimate(pairs([10, 10], [20, 5]), opts);
  assert.ok(Math.abs(e.estimate - 1) < 1e-12);
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

test('a consistent large speed-up is an improvement, never a failure', () => {
  const e = ratioEstimate(pairs([10, 10, 10, 10], [5, 6, 5.5, 5.2]), opts);
  assert.equal(ratioVerdict(e, 0.1), 'improvement');
});

test('the bootstrap is deterministic for a seed, and the interval holds the estimate', () => {
  const p = pairs([10, 11, 9, 10, 12, 10], [11, 13, 9.5, 12, 12.5, 11]);
  const a = ratioEstimate(p, opts);
  const b = ratioEstimate(p, opts);
  assert.deepEqual(a, b);
  assert.ok(a.low <= a.estimate && a.estimate <= a.high);
  const wider = ratioEstimate(p, { confidence: 0.99, seed: 1 });
  assert.ok(wider.low <= a.low && wider.high >= a.high, 'a higher confidence gives a wider interval');
});

test('Bonferroni: judging k scenarios at 95% overall widens each interval', () => {
  assert.equal(perScenarioConfidence(0.95, 1), 0.95);
  assert.ok(Math.abs(perScenarioConfidence(0.95, 5) - 0.99) < 1e-12);
});

test('bad inputs are refused', () => {
  assert.throws(() => ratioEstimate([], opts), /no block pairs/);
  assert.throws(() => ratioEstimate(pairs([0], [1]), opts), /positive/);
  assert.throws(() => ratioEstimate(pairs([1], [1]), { confidence: 1, seed: 1 }), /confidence/);
});
