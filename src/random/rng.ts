/**
 * Small, fast, seedable random sources. Deterministic given a seed so that runs can be
 * replayed: the engine derives one stream per schedule slot (see `slotRng`) so the
 * transaction mix does not depend on how slots are split across workers or machines.
 */
import type { Rng } from '../workload/types.js';

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
export class SeededRng implements Rng {
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
export function slotRng(seed: number, slot: number): SeededRng {
  return new SeededRng(mixSeed(seed, slot));
}
