/**
 * Counts, per read scenario, the reads of a run and those that returned no row. On an
 * existing database (`--target`) a high share of empty answers means the parameters
 * do not fit its data (dates outside its range, accounts without history), and the
 * latency then describes empty lookups, not the ledger's queries.
 *
 * The counters live in a SharedArrayBuffer that the workload options carry into every
 * engine worker thread, so the main process reads the whole run's counts after it.
 */
import { SCENARIOS } from './registry.js';

/** Reads and zero-row reads of one scenario. */
export interface ZeroRowCount {
  scenario: string;
  reads: number;
  zeroRows: number;
}

/** Two Int32 counters (reads, zero-row reads) per scenario of the registry, in its order. */
export class ZeroRowCounters {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SCENARIOS.length * 2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.cells = new Int32Array(buffer);
  }

  /** The slot of scenario `name` (undefined for an unknown name). */
  slotOf(name: string): number | undefined {
    const i = SCENARIOS.findIndex((s) => s.name === name);
    return i < 0 ? undefined : i;
  }

  /** Counts one read of `slot`, and whether it returned no row. */
  count(slot: number, empty: boolean): void {
    Atomics.add(this.cells, slot * 2, 1);
    if (empty) Atomics.add(this.cells, slot * 2 + 1, 1);
  }

  /** The scenarios with at least one read. */
  read(): ZeroRowCount[] {
    return SCENARIOS.flatMap((s, i) => {
      const reads = Atomics.load(this.cells, i * 2);
      return reads > 0 ? [{ scenario: s.name, reads, zeroRows: Atomics.load(this.cells, i * 2 + 1) }] : [];
    });
  }
}
