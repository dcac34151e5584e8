/** The floor's step-down when a query alone does not hold its rate (pure, exact). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepDownRate } from '../../src/capacity/isolate.js';

test('a run that did not hold its rate goes to half of it, or straight to the largest halving at or below what it achieved, never below the lowest', () => {
  // 5.2 of 20/s: straight to 5/s (not through 10/s, a window that cannot hold).
  assert.equal(stepDownRate(20, 5.2, 5), 5);
  // 12 of 20/s: half.
  assert.equal(stepDownRate(20, 12, 5), 10);
  // 6.9 of 10/s: half.
  assert.equal(stepDownRate(10, 6.9, 5), 5);
  // 1 of 20/s: the lowest rate, not 0.625/s (its window would last minutes to reach a p95's samples).
  assert.equal(stepDownRate(20, 1, 5), 5);
  assert.equal(stepDownRate(20, 0, 2.5), 2.5);
  // At the lowest rate already: nothing lower to try (the caller stops stepping, not "again at 5/s").
  assert.equal(stepDownRate(5, 0, 5), 5);
  // Rounded like every probed rate (three significant digits).
  assert.equal(stepDownRate(30, 3, 30 / 4), 7.5);
  assert.equal(stepDownRate(100 / 3, 20, 1), 16.7);
});
