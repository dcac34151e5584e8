/**
 * Pure, deterministic random distributions shared by the seeder and the scenarios
 * (the generators themselves are in ./rng.ts).
 *
 * Everything here is a function of an explicit seed, never of Math.random() or the
 * clock, so a seed reproduces the same data byte for byte and a scenario can draw
 * "the same hot accounts" the seeder made hot (see {@link scatterRank}).
 */
import type { Rng } from '../workload/types.js';

/**
 * Returns a sampler of Zipf-distributed ranks in [1, n] where P(rank = k) ∝ 1 / k^theta
 * (rank 1 is the hottest).
 *
 * - theta < 1: the closed-form approximation of Gray et al., "Quickly generating
 *   billion-record synthetic databases" (SIGMOD 1994), as used by YCSB; O(n) setup
 *   for zeta(n, theta) (cached per (n, theta)), O(1) per draw.
 * - theta >= 1 (e.g. a hotspot near s = 2): Gray's formula breaks down at theta = 1,
 *   so an exact inverse-CDF table (Float64Array of n cumulative weights) is searched
 *   by bisection: O(n) setup, O(log n) per draw, exact.
 *
 * @param n number of items (>= 1).
 * @param theta skew (>= 0); 0 is uniform, 0.99 is the YCSB/TigerBeetle default.
 */
export function zipfSampler(n: number, theta: number): (rng: Rng) => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf n must be an integer >= 1, got ${n}`);
  if (!(theta >= 0) || !Number.isFinite(theta)) throw new RangeError(`zipf theta must be >= 0, got ${theta}`);
  if (n === 1) return () => 1;
  if (theta === 0) return (rng) => 1 + Math.floor(rng.next() * n);
  if (theta < 1) return grayZipf(n, theta);
  return tableZipf(n, theta);
}

const zetaCache = new Map<string, number>();

/** zeta(n, theta) = sum_{i=1..n} 1/i^theta, cached because it is O(n). */
export function zeta(n: number, theta: number): number {
  const key = `${n}:${theta}`;
  const hit = zetaCache.get(key);
  if (hit !== undefined) return hit;
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / Math.pow(i, theta);
  zetaCache.set(key, sum);
  return sum;
}

function grayZipf(n: number, theta: number): (rng: Rng) => number {
  const zetan = zeta(n, theta);
  const zeta2 = zeta(2, theta);
  const alpha = 1 / (1 - theta);
  const eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
  const half = Math.pow(0.5, theta);
  return (rng) => {
    const u = rng.next();
    const uz = u * zetan;
    if (uz < 1) return 1;
    if (uz < 1 + half) return 2;
    const r = 1 + Math.floor(n * Math.pow(eta * u - eta + 1, alpha));
    return r > n ? n : r;
  };
}

function tableZipf(n: number, theta: number): (rng: Rng) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / Math.pow(i + 1, theta);
    cdf[i] = sum;
  }
  return (rng) => {
    const target = rng.next() * sum;
    // Smallest index whose cumulative weight exceeds target.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  };
}

/**
 * Deterministic bijection from a Zipf rank in [1, n] to an index in [1, n], so hot
 * ranks land on ids scattered over the table instead of the first physical pages
 * (pgbench's docs warn that skew otherwise correlates with physical row order).
 *
 * Implementation: a 4-round Feistel network on the smallest even-bit-width domain
 * covering n, with cycle-walking to stay inside [0, n). Each round key is derived
 * from `key`, so different keys give unrelated permutations.
 *
 * @param rank in [1, n].
 * @param n domain size (>= 1, < 2^30).
 * @param key permutation key (store it, e.g. in ledger_bench_meta.scatterKey).
 */
export function scatterRank(rank: number, n: number, key: number): number {
  if (n <= 1) return 1;
  const half = feistelHalfBits(n);
  const mask = (1 << half) - 1;
  let x = rank - 1;
  do {
    x = feistel(x, half, mask, key >>> 0);
  } while (x >= n);
  return x + 1;
}

/**
 * Inverse of {@link scatterRank}: the rank whose scattered index is `index`.
 * Useful to tell whether an account id is hot (small rank).
 */
export function unscatterRank(index: number, n: number, key: number): number {
  if (n <= 1) return 1;
  const half = feistelHalfBits(n);
  const mask = (1 << half) - 1;
  let x = index - 1;
  do {
    x = feistelInverse(x, half, mask, key >>> 0);
  } while (x >= n);
  return x + 1;
}

function feistelHalfBits(n: number): number {
  if (n > 1 << 30) throw new RangeError(`scatterRank supports n <= 2^30, got ${n}`);
  let bits = 2;
  while (1 << bits < n) bits += 2;
  return bits / 2;
}

function roundFn(x: number, round: number, key: number): number {
  let h = Math.imul(x ^ Math.imul(key, 0x9e3779b1) ^ Math.imul(round + 1, 0x85ebca6b), 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x1b873593);
  h ^= h >>> 13;
  return h >>> 0;
}

const ROUNDS = 4;

function feistel(x: number, half: number, mask: number, key: number): number {
  let l = (x >>> half) & mask;
  let r = x & mask;
  for (let i = 0; i < ROUNDS; i++) {
    const nl = r;
    r = (l ^ roundFn(r, i, key)) & mask;
    l = nl;
  }
  return ((l << half) | r) >>> 0;
}

function feistelInverse(x: number, half: number, mask: number, key: number): number {
  let l = (x >>> half) & mask;
  let r = x & mask;
  for (let i = ROUNDS - 1; i >= 0; i--) {
    const pr = l;
    l = (r ^ roundFn(l, i, key)) & mask;
    r = pr;
  }
  return ((l << half) | r) >>> 0;
}

/**
 * Exponentially distributed value with the given mean (inverse-CDF method).
 * Never returns +Infinity because `1 - next()` is in (0, 1].
 */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}
