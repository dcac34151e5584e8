/** Sequential sampling and pooled stages (pure): the looks' confidence, when a run extends, and what a pooled result holds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { couldDecide, lookConf, nextLook } from '../../src/stats/sequential.js';
import { poolStages } from '../../src/capacity/pool-stages.js';
import { minSamples } from '../../src/stats/quantile-ci.js';
import { createHistogram, encodeHistogram } from '../../src/stats/histogram.js';
import { result, scenario } from '../helpers/result-fixture.js';

test('each of K looks judges at 1 - 0.05/K (Bonferroni); a p95 then needs more samples', () => {
  assert.equal(lookConf(1), 0.95);
  assert.ok(Math.abs(lookConf(3) - (1 - 0.05 / 3)) < 1e-12);
  assert.throws(() => lookConf(0), /maxLooks/);
  assert.equal(minSamples(95, 0.95), 59);
  assert.equal(minSamples(95, lookConf(3)), 80);
});

test('a run extends while an open check could still be decided, and stops when decided, at the cap, or for futility', () => {
  assert.deepEqual(nextLook([], 1, 3), { extend: false, reason: 'decided' });
  const straddling = { n: 100, need: 80, value: 49, lo: 40, hi: 60, threshold: 50 };
  // 49 [40, 60] against 50: three times the samples shrink the half-width 11 to 6.4: still across. Futile.
  assert.equal(couldDecide(straddling, 1, 3), false);
  assert.deepEqual(nextLook([straddling], 1, 3), { extend: false, reason: 'futile' });
  // 44 [38, 50.5] against 50: 6 > 6.5/sqrt(3): another stage may decide it.
  const near = { ...straddling, value: 44, lo: 38, hi: 50.5 };
  assert.deepEqual(nextLook([near], 1, 3), { extend: true, reason: 'undecided' });
  assert.deepEqual(nextLook([near], 3, 3), { extend: false, reason: 'cap' });
  // Too few samples: extend only when the cap can bring enough (30 x 3 >= 80; 20 x 3 < 80).
  assert.equal(couldDecide({ n: 30, need: 80, lo: null, value: 10 }, 1, 3), true);
  assert.equal(couldDecide({ n: 20, need: 80, lo: null, value: 10 }, 1, 3), false);
  assert.equal(couldDecide({ n: 0, need: 80, value: null }, 1, 3), false, 'a scenario the mix never drew');
  // An interval unbounded above may still close.
  assert.equal(couldDecide({ ...straddling, hi: null }, 1, 3), true);
  // ... once its effective sample reaches `need`: 30 effective samples x 3 >= 80 may close it; 20 x 3 cannot
  // (a scenario the mix draws rarely, far under the budget, no longer extends a probe to its cap for nothing).
  const openAbove = { n: 90, need: 80, value: 12, lo: 11, hi: null, threshold: 50 };
  assert.equal(couldDecide({ ...openAbove, nEff: 30 }, 1, 3), true);
  assert.equal(couldDecide({ ...openAbove, nEff: 20 }, 1, 3), false);
  assert.equal(couldDecide({ ...openAbove, nEff: 60 }, 2, 3), true, '60 x 1.5 = 90');
  assert.equal(couldDecide({ ...openAbove, nEff: 50 }, 2, 3), false, '50 x 1.5 = 75');
  // Over the threshold the lower bound alone may still decide it (a fail), whatever the effective sample.
  assert.equal(couldDecide({ ...openAbove, value: 60, lo: 45, nEff: 5 }, 1, 3), true);
});

/** A scenario with `ms` spread over `batches` batch histograms (2 significant digits, as the engine writes them). */
function batched(name: string, ms: number[], batches: number) {
  const s = scenario(name, ms);
  const per = Math.ceil(ms.length / batches);
  const list = Array.from({ length: batches }, (_, b) => {
    const h = createHistogram(2);
    for (const x of ms.slice(b * per, (b + 1) * per)) h.recordValue(Math.round(x * 1000));
    const e = h.totalCount ? encodeHistogram(h) : '';
    h.destroy();
    return e;
  });
  return { ...s, batchHistograms: list };
}

test('poolStages: counts add, rates per second of the pooled time, histograms merged, batches concatenated, intervals at the look\'s confidence', () => {
  const one = { ...result('v', [batched('a', Array.from({ length: 60 }, (_, i) => 1 + i / 10), 10)]), measuredSec: 6, offeredRate: 10, achievedRate: 10, dropped: 0 };
  const two = { ...result('v', [batched('a', Array.from({ length: 40 }, (_, i) => 20 + i), 10)]), measuredSec: 4, offeredRate: 10, achievedRate: 9, dropped: 1 };
  const p = poolStages([one, two], lookConf(2));
  const a = p.scenarios[0]!;
  assert.equal(a.count, 100);
  assert.equal(a.batchHistograms!.length, 20);
  assert.equal(p.measuredSec, 10);
  assert.equal(p.achievedRate, (10 * 6 + 9 * 4) / 10);
  assert.equal(p.dropped, 1);
  assert.equal(p.stages, 2);
  assert.equal(a.latencyCi!.conf, lookConf(2));
  // The pooled p95 is of all 100 samples (the second stage's slow tail), not of either stage.
  assert.ok(a.latencyMs.p95 > 50 && a.latencyMs.p95 < 60, String(a.latencyMs.p95));
  assert.equal(a.latencyCi!.p95.method, 'batch-means');
  // One stage: the same run, its intervals at the asked confidence.
  assert.equal(poolStages([one], 0.99).scenarios[0]!.latencyCi!.conf, 0.99);
  assert.throws(() => poolStages([]), /no stages/);
});
