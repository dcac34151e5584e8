/**
 * Open-model schedule arithmetic. Slot i of the *global* schedule is due at a fixed
 * offset from t0 (never from the previous slot), so timer jitter never accumulates.
 * A process owns the slots `i ≡ offset (mod stride)`: workers and machine segments
 * interleave on one global schedule, which keeps the union exactly the offered rate.
 */
import { SlotRng, mixSeed } from '../random/rng.js';

/** How arrivals are spaced. */
export type Arrival = 'uniform' | 'poisson';

/** Due offset (ms from t0) of global slot `i` under a uniform schedule at `rate` per second. */
export function uniformDueMs(i: number, rate: number): number {
  return (i * 1000) / rate;
}

/**
 * Which global slots a process owns: every `stride`-th slot starting at `offset`.
 * Segment s of S (0-based) and worker w of W own offset = s + S*w, stride = S*W.
 */
export function slotOwnership(segment: { index: number; count: number }, worker: number, workers: number): { offset: number; stride: number } {
  return { offset: segment.index + segment.count * worker, stride: segment.count * workers };
}

/**
 * Iterator over the owned slots of a schedule, in due order. `next()` advances and
 * returns false when the next owned slot would be due at or after `endMs`.
 * Poisson gaps are exponential with mean 1/rate, drawn from a stream seeded by `seed`,
 * so every process generates the same global sequence and keeps only its own slots.
 */
export class ScheduleCursor {
  /** Global slot index of the current slot (valid after `next()` returned true). */
  slot = -1;
  /** Due time of the current slot, ms from t0. */
  dueMs = 0;
  private globalIndex = -1;
  private globalDue = 0;
  private readonly rng: SlotRng;

  constructor(
    private readonly arrival: Arrival,
    private readonly rate: number,
    private readonly offset: number,
    private readonly stride: number,
    /** End of the schedule (exclusive); may be moved earlier between calls to `next()`. */
    public endMs: number,
    seed: number,
  ) {
    this.rng = new SlotRng(mixSeed(seed, 0x5ced));
  }

  /** Advances to the next owned slot; false once the schedule is exhausted. */
  next(): boolean {
    if (this.arrival === 'uniform') {
      const i = this.slot < 0 ? this.offset : this.slot + this.stride;
      const due = uniformDueMs(i, this.rate);
      if (due >= this.endMs) return false;
      this.slot = i;
      this.dueMs = due;
      return true;
    }
    // Poisson: walk the global sequence, keep every stride-th slot.
    for (;;) {
      this.globalIndex++;
      // The first arrival is at t0 like the uniform schedule; later gaps are exponential.
      if (this.globalIndex > 0) this.globalDue += (-Math.log(1 - this.rng.next()) * 1000) / this.rate;
      if (this.globalDue >= this.endMs) return false;
      if (this.globalIndex % this.stride === this.offset) {
        this.slot = this.globalIndex;
        this.dueMs = this.globalDue;
        return true;
      }
    }
  }
}

/** All owned due offsets (ms) before `endMs`: a convenience for tests and planning. */
export function dueTimes(arrival: Arrival, rate: number, endMs: number, seed = 1, offset = 0, stride = 1): number[] {
  const c = new ScheduleCursor(arrival, rate, offset, stride, endMs, seed);
  const out: number[] = [];
  while (c.next()) out.push(c.dueMs);
  return out;
}
