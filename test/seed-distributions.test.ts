import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exponential, scatterRank, unscatterRank, zipfSampler } from '../src/random/distributions.js';
import { weightedChoice } from '../src/random/weighted-choice.js';
import { createRng } from '../src/random/rng.js';

test('createRng is reproducible and pinned to exact values', () => {
  const r = createRng(42);
  assert.deepEqual([r.u32(), r.u32(), r.u32()], [1028872839, 2516511472, 400437680]);
  assert.equal(createRng(42).next(), 0.23955312534235418);
  assert.equal(createRng(7).int(1, 100), 85);
  const a = createRng(3);
  const b = createRng(3);
  for (let i = 0; i < 1000; i++) assert.equal(a.next(), b.next());
  assert.notEqual(createRng(1).next(), createRng(2).next());
});

test('createRng.next is in [0,1) and int is inclusive', () => {
  const r = createRng(5);
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    const k = r.int(1, 6);
    assert.ok(Number.isInteger(k) && k >= 1 && k <= 6);
    seen.add(k);
  }
  assert.equal(seen.size, 6);
});

test('zipf ranks are within [1, n], pinned, and skewed', () => {
  const z = zipfSampler(1000, 0.99);
  const r = createRng(1);
  assert.deepEqual([z(r), z(r), z(r), z(r), z(r)], [13, 206, 97, 27, 775]);
  for (const theta of [0, 0.5, 0.99, 1, 2]) {
    const n = 10_000;
    const s = zipfSampler(n, theta);
    const rng = createRng(9);
    let top1pct = 0;
    const draws = 50_000;
    for (let i = 0; i < draws; i++) {
      const k = s(rng);
      assert.ok(Number.isInteger(k) && k >= 1 && k <= n, `rank ${k} out of bounds for theta ${theta}`);
      if (k <= n / 100) top1pct++;
    }
    const share = top1pct / draws;
    if (theta === 0) assert.ok(share < 0.02, `uniform top-1% share ${share}`);
    // theta 0.99 over 10k: H(100)/H(10k) ~ 0.53; theta 2: nearly everything.
    if (theta === 0.99) assert.ok(share > 0.45 && share < 0.6, `theta 0.99 top-1% share ${share}`);
    if (theta === 2) assert.ok(share > 0.97, `theta 2 top-1% share ${share}`);
  }
});

test('zipf with theta >= 1 is exact: rank 1 frequency matches 1/zeta', () => {
  const s = zipfSampler(100, 2);
  const rng = createRng(11);
  let ones = 0;
  for (let i = 0; i < 100_000; i++) if (s(rng) === 1) ones++;
  let zeta = 0;
  for (let i = 1; i <= 100; i++) zeta += 1 / (i * i);
  assert.ok(Math.abs(ones / 100_000 - 1 / zeta) < 0.01);
});

test('scatterRank is a pinned bijection with an inverse', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => scatterRank(i, 10, 99)),
    [3, 8, 1, 6, 7, 2, 5, 10, 9, 4],
  );
  for (const n of [1, 2, 3, 7, 10, 64, 100, 1000, 1023]) {
    for (const key of [0, 1, 12345]) {
      const seen = new Set<number>();
      for (let r = 1; r <= n; r++) {
        const x = scatterRank(r, n, key);
        assert.ok(x >= 1 && x <= n);
        assert.equal(unscatterRank(x, n, key), r);
        seen.add(x);
      }
      assert.equal(seen.size, n);
    }
  }
  // Hot ranks are not the first ids.
  const hot = [1, 2, 3, 4, 5].map((r) => scatterRank(r, 10_000, 7));
  assert.ok(hot.some((x) => x > 100));
});

test('exponential has the requested mean; weightedChoice follows weights', () => {
  const r = createRng(4);
  let sum = 0;
  for (let i = 0; i < 100_000; i++) {
    const x = exponential(r, 10_000);
    assert.ok(x >= 0 && Number.isFinite(x));
    sum += x;
  }
  assert.ok(Math.abs(sum / 100_000 - 10_000) < 200);
  const c = weightedChoice(['a', 'b', 'c'], [0.7, 0.2, 0.1]);
  const counts = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 100_000; i++) counts[c.pick(r) as 'a' | 'b' | 'c']++;
  assert.ok(Math.abs(counts.a / 100_000 - 0.7) < 0.01);
  assert.ok(Math.abs(counts.c / 100_000 - 0.1) < 0.01);
});
