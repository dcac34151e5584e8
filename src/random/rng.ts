/**
 * Every seedable random generator of ledger-bench, deterministic given a seed so that
 * data sets and runs can be replayed. Both are sfc32, seeded differently and with a
 * different double resolution, and each stream is pinned by tests, so they stay two:
 *
 * - {@link createRng} ({@link SeededRng}): the seeder's, scenarios' and verify's
 *   generator; any finite seed (splitmix32-mixed), doubles with 32 random bits.
 * - {@link SlotRng}: the engine's per-schedule-slot stream (see {@link slotRng}), so the
 *   transaction mix does not depend on how slots are split across workers or machines;
 *   a 32-bit seed, doubles with 53 random bits, reseedable in place.
 */
import type { Rng } from '../workload/types.js';

/** A seedable {@link Rng} that can also hand out raw 32-bit words. */
export interface SeededRng extends Rng {
  /** Uniform unsigned 32-bit integer. */
  u32(): number;
}

/**
 * Mixes a seed into 32 bits with splitmix32, so that nearby seeds (1, 2, 3...)
 * start sfc32 from unrelated states.
 */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a fast seedable PRNG (sfc32, a 128-bit state small-fast-counter generator
 * that passes PractRand; a few integer ops per draw, which matters at ~10^8 draws).
 *
 * @param seed any finite number; its integer part (mod 2^32 and the high bits) selects the stream.
 * @returns an {@link Rng} whose `next()` is uniform in [0, 1) with 32 bits of resolution.
 */
export function createRng(seed: number): SeededRng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  const mix = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix() | 1;
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of a freshly seeded sfc32 are weakly mixed.
  for (let i = 0; i < 12; i++) u32();
  return {
    u32,
    next: () => u32() / 4294967296,
    int: (lo: number, hi2: number) => lo + Math.floor((u32() / 4294967296) * (hi2 - lo + 1)),
  };
}

/** 32-bit avalanche hash (murmur3 finalizer); the basis of every derived seed. */
export function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Combines a seed and an index (up to 2^53) into a 32-bit seed. */
export function mixSeed(seed: number, index: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  return hash32(hash32(hash32(seed >>> 0) ^ lo) ^ Math.imul(hi, 0x9e3779b1));
}

/**
 * sfc32 generator (passes PractRand at these sizes), doubles with 53 random bits.
 * A class with mutable fields rather than closures: one object per in-flight
 * transaction, no per-call allocation.
 */
export class SlotRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Discard the first outputs: sfc32 needs a few rounds to decorrelate from the seed.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Re-seeds in place (reuse an object instead of allocating a new one). */
  reseed(seed: number): this {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
    return this;
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of randomness. */
  next(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [lo, hi], both inclusive (pgbench's `random(lo, hi)` mapping). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }
}

/** The random stream of global schedule slot `slot` under run seed `seed`. */
export function slotRng(seed: number, slot: number): SlotRng {
  return new SlotRng(mixSeed(seed, slot));
}

/**
 * The generator of one scenario's parameter draws outside a timed run (verify's
 * equivalence checks, the evidence pass's EXPLAIN): seeded by the run's seed and the
 * scenario's name, so both draw the same parameters for the same seed.
 */
export function scenarioDrawRng(seed: number, scenario: string): SeededRng {
  return createRng(hash32(seed ^ hash32(scenario.length * 7919 + scenario.charCodeAt(0))));
}
