import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchInflation,
  distFromSamples,
  mergeDists,
  minSamples,
  orderStatisticRanks,
  quantile,
  quantileInterval,
  tQuantile,
  type Dist,
} from '../src/stats/quantile-ci.js';
import { distFromEncoded } from '../src/stats/histogram-dist.js';
import { latencyCi } from '../src/stats/latency-ci.js';
import { createHistogram, encodeHistogram } from '../src/stats/histogram.js';
import { createRng } from '../src/random/rng.js';

test('fewest samples for a 95% interval: median 6, p95 59, p99 299 (1 - p^n - (1-p)^n >= 0.95)', () => {
  assert.equal(minSamples(50), 6);
  assert.equal(minSamples(95), 59);
  assert.equal(minSamples(99), 299);
});

test('order-statistic ranks: exact binomial values', () => {
  // Median of 100: the classical ranks 40 and 61 (coverage 95.2%).
  assert.deepEqual(orderStatisticRanks(100, 50), [40, 61]);
  // p95 of 2,000: ranks 1,880-1,920 (quantile levels 94.0-96.0%).
  assert.deepEqual(orderStatisticRanks(2000, 95), [1880, 1920]);
  // At the minimum the upper bound is the largest sample.
  assert.deepEqual(orderStatisticRanks(59, 95), [50, 59]);
  assert.deepEqual(orderStatisticRanks(6, 50), [1, 6]);
  assert.equal(orderStatisticRanks(58, 95), null);
});

test('t quantiles match the tables', () => {
  for (const [df, exact] of [
    [4, 2.776],
    [9, 2.262],
    [19, 2.093],
    [29, 2.045],
  ] as const)
    assert.ok(Math.abs(tQuantile(df) - exact) < 0.0006, `t(${df}) = ${tQuantile(df)}, table ${exact}`);
});

test('too few samples: no interval and the reason, never a bare interval', () => {
  const e = quantileInterval(distFromSamples(Array.from({ length: 58 }, (_, i) => i + 1)), [], 95);
  assert.equal(e.value, 56);
  assert.equal(e.lo, null);
  assert.equal(e.hi, null);
  assert.match(e.reason!, /59 samples needed for a p95 interval, 58 measured/);
  const empty = quantileInterval(distFromSamples([]), [], 95);
  assert.equal(empty.value, null);
});

test('without enough batches the interval is the order-statistic one', () => {
  const d = distFromSamples(Array.from({ length: 2000 }, (_, i) => i + 1));
  const e = quantileInterval(d, [d], 95);
  assert.equal(e.method, 'order-statistic');
  assert.equal(e.value, 1900);
  assert.deepEqual([e.lo, e.hi], [1880, 1920]);
  assert.equal(e.nEff, 2000, 'i.i.d.: every sample counts');
});

test('batch means on independent batches is never narrower than the i.i.d. interval', () => {
  const rng = createRng(7);
  const samples = Array.from({ length: 2000 }, () => rng.next());
  const batches = Array.from({ length: 20 }, (_, b) => distFromSamples(samples.slice(b * 100, b * 100 + 100)));
  const e = quantileInterval(distFromSamples(samples), batches, 95);
  assert.equal(e.method, 'batch-means');
  assert.equal(e.batches, 20);
  const sorted = [...samples].sort((a, b) => a - b);
  assert.ok(e.lo! <= sorted[1880 - 1]! && e.hi! >= sorted[1920 - 1]!, JSON.stringify(e));
  assert.ok(batchInflation(batches, 95)!.inflation >= 1);
  // The effective sample is n over the inflation: what sequential sampling asks of an interval still open above.
  assert.equal(e.nEff, Math.max(1, Math.floor(2000 / batchInflation(batches, 95)!.inflation)));
});

test('batch means on a short independent run: bounded by the sample, as the order-statistic interval is', () => {
  const rng = createRng(11);
  const samples = Array.from({ length: 80 }, () => rng.next());
  const batches = Array.from({ length: 20 }, (_, b) => distFromSamples(samples.slice(b * 4, b * 4 + 4)));
  const e = quantileInterval(distFromSamples(samples), batches, 95);
  assert.equal(e.method, 'batch-means');
  assert.notEqual(e.hi, null, 'an upper bound from 80 samples');
  const os = quantileInterval(distFromSamples(samples), [], 95);
  assert.ok(e.lo! <= os.lo! && e.hi! >= os.hi!, `${JSON.stringify(e)} within ${JSON.stringify(os)}`);
});

/** Latencies from a stationary Gaussian AR(1) (marginal N(0, 1)) through exp: a queue-like, positively correlated series. */
function ar1Latencies(rng: { next(): number }, n: number, phi: number): number[] {
  const out: number[] = [];
  const sd = Math.sqrt(1 - phi * phi);
  let x = gauss(rng);
  for (let i = 0; i < n; i++) {
    x = phi * x + sd * gauss(rng);
    out.push(10 * Math.exp(x));
  }
  return out;
}
function gauss(rng: { next(): number }): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

test('coverage on autocorrelated samples: batch means near 95%, the i.i.d. interval far below', () => {
  // True p95 of 10 * exp(N(0, 1)): 10 * exp(1.6449).
  const truth = 10 * Math.exp(1.6448536);
  const rng = createRng(20261206);
  const reps = 400;
  let batchHit = 0;
  let iidHit = 0;
  for (let r = 0; r < reps; r++) {
    const xs = ar1Latencies(rng, 2000, 0.9);
    const pooled = distFromSamples(xs);
    const batches: Dist[] = Array.from({ length: 20 }, (_, b) => distFromSamples(xs.slice(b * 100, b * 100 + 100)));
    const bm = quantileInterval(pooled, batches, 95);
    const iid = quantileInterval(pooled, [], 95);
    assert.equal(bm.method, 'batch-means');
    if (bm.lo! <= truth && (bm.hi === null || truth <= bm.hi)) batchHit++;
    if (iid.lo! <= truth && truth <= iid.hi!) iidHit++;
  }
  const batchCov = batchHit / reps;
  const iidCov = iidHit / reps;
  process.stdout.write(`# coverage over ${reps} repetitions: batch means ${batchCov}, i.i.d. ${iidCov}\n`);
  // 400 repetitions: a true 95% coverage lands in 92-98% with ~99% probability.
  assert.ok(batchCov >= 0.91 && batchCov <= 0.99, `batch-means coverage ${batchCov}`);
  assert.ok(iidCov < 0.75, `i.i.d. order-statistic coverage ${iidCov} (should be far below 95% on correlated data)`);
});

test('histogram distributions: values in ms at the top of their bucket; intervals per percentile', () => {
  const h = createHistogram();
  const batches = Array.from({ length: 20 }, () => createHistogram(2));
  for (let i = 1; i <= 1000; i++) {
    h.recordValue(i * 100);
    batches[i % 20]!.recordValue(i * 100);
  }
  const d = distFromEncoded(encodeHistogram(h));
  assert.equal(d.n, 1000);
  assert.ok(Math.abs(quantile(d, 95) - 95) <= 0.095, String(quantile(d, 95)));
  const ci = latencyCi(encodeHistogram(h), batches.map(encodeHistogram));
  assert.equal(ci.conf, 0.95);
  assert.equal(ci.p95.method, 'batch-means');
  assert.ok(ci.p95.lo! < 95 && ci.p95.hi! > 95, JSON.stringify(ci.p95));
  // 1,000 samples: enough for a p99 interval (299), bounded by the sample.
  assert.ok(ci.p99.lo !== null);
  assert.equal(mergeDists([d, d]).n, 2000);
  h.destroy();
  for (const b of batches) b.destroy();
});
