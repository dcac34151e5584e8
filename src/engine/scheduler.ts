/**
 * Schedule arithmetic of one load process, without timers or I/O: which slots are due
 * at a given instant, and for each one whether it starts on a free connection, waits in
 * the backlog, or is dropped. The load runner calls `pump(now)` when it wakes; a late
 * wake-up dispatches every slot already due (catch-up), so no slot ever moves (no drift).
 */
import { ScheduleCursor, type Arrival } from '../stats/schedule.js';
import { mixSeed, SlotRng } from '../random/rng.js';
import { BacklogRing } from './backlog-ring.js';
import { pickType } from '../random/weighted-choice.js';
import type { Recorder } from './recorder.js';

/** The part of the plan the scheduler needs. */
export interface SchedulePlan {
  arrival: Arrival;
  rate: number;
  offset: number;
  stride: number;
  seed: number;
  backlog: number;
}

/** Where dispatched slots go. */
export interface SlotSink {
  /** Starts the slot on a free connection; false when none is free. */
  tryStart(slot: number, due: number, type: number): boolean;
  /** The first slot was dropped (called once). */
  onFirstDrop(): void;
}

export class Scheduler {
  readonly backlog: BacklogRing;
  /** Slots dropped (no connection, backlog full), whole run. */
  dropped = 0;
  /** True once the schedule is exhausted or halted. */
  done = false;
  private halted = false;
  private readonly cursor: ScheduleCursor;

  constructor(
    private readonly plan: SchedulePlan,
    /** Cumulative mix weights (mix.ts). */
    private readonly cum: Float64Array,
    /** End of the schedule, ms from t0. */
    endMs: number,
    private readonly recorder: Recorder,
    private readonly sink: SlotSink,
  ) {
    this.backlog = new BacklogRing(Math.max(0, plan.backlog));
    this.cursor = new ScheduleCursor(plan.arrival, plan.rate, plan.offset, plan.stride, endMs, plan.seed);
    this.done = !this.cursor.next();
  }

  /** Due time (ms from t0) of the next slot not yet dispatched (meaningless once `done`). */
  get nextDueMs(): number {
    return this.cursor.dueMs;
  }

  /**
   * Sets the end of the schedule once the window's start is decided (settle mode). Only
   * before the schedule is exhausted: the slot the cursor holds was due before the old end.
   */
  setEnd(endMs: number): void {
    if (this.done) return;
    this.cursor.endMs = endMs;
    if (this.cursor.dueMs >= endMs) this.done = true;
  }

  /** Dispatches every slot due at or before `now` (ms from t0). */
  pump(now: number): void {
    const c = this.cursor;
    while (!this.done && c.dueMs <= now) {
      this.dispatch(c.slot, c.dueMs);
      if (this.halted) return;
      if (!c.next()) this.done = true;
    }
  }

  private dispatch(slot: number, due: number): void {
    // A single-type workload needs no draw (saves an RNG per slot at high rates).
    const ti = this.cum.length === 1 ? 0 : pickType(this.cum, new SlotRng(mixSeed(this.plan.seed, slot)).next());
    this.recorder.offer(ti, due);
    if (this.sink.tryStart(slot, due, ti)) return;
    if (this.backlog.push(slot, due, ti)) return;
    // No connection and no room: drop (k6's dropped_iterations), never slow the offered rate.
    this.dropped++;
    this.recorder.drop(ti, due);
    if (this.dropped === 1) this.sink.onFirstDrop();
  }

  /** Stops dispatching; what still waits in the backlog never started (counted by the recorder). */
  halt(): void {
    this.halted = true;
    this.done = true;
    for (let at = this.backlog.shift(); at >= 0; at = this.backlog.shift()) this.recorder.leftOver(this.backlog.type[at]!, this.backlog.due[at]!);
  }
}
