/**
 * The contract between workloads (scenarios, pgbench scripts) and the load engine.
 *
 * A workload is a set of weighted transaction types. The engine owns scheduling,
 * connections, retries (40001/40P01), timing and recording; a transaction type only
 * says what one transaction does on a connection it is handed.
 */

/** Deterministic random source handed to parameter generators. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
}

/** Minimal connection surface a transaction sees (a wrapper over one pg.Client). */
export interface Conn {
  /**
   * Runs a statement. With a `name` it is a named prepared statement (prepared once
   * per connection, like pgbench -M prepared); without one it is a simple query.
   */
  query<R = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  /**
   * Optional: runs a statement (as `query` would) whose rows nobody reads, and calls
   * `done` once it ended, with its error if it failed. No promise and no row objects are
   * made for it. The engine's connections have it; a workload falls back to `query`
   * where it is missing.
   */
  send?(text: string, values: readonly unknown[] | undefined, name: string | undefined, done: (err: Error | undefined) => void): void;
}

/** One kind of transaction in a workload. */
export interface TransactionType {
  /** Unique within the workload; becomes the scenario name in results. */
  name: string;
  /** Relative share of the offered rate (weights are normalised by the engine). */
  weight: number;
  /**
   * Executes one transaction. Multi-statement transactions issue their own
   * BEGIN/COMMIT; on an error the engine rolls back if a transaction is open and
   * retries serialization failures / deadlocks up to --max-tries.
   */
  execute(conn: Conn, rng: Rng): Promise<void>;
  /**
   * Optional callback form of `execute`, which the engine calls instead when present:
   * one transaction, then `done` once, with its error if it failed (the engine's retry
   * rules then apply as for `execute`). It lets a transaction that reads no rows run
   * without a promise per transaction (pgbench scripts, through `Conn.send`).
   */
  start?(conn: Conn, rng: Rng, done: (err: Error | undefined) => void): void;
}

/** A built workload, ready for the engine. */
export interface Workload {
  transactions: TransactionType[];
  /** Optional one-off work before the run, on the workload's database (e.g. read metadata). */
  close?(): Promise<void>;
}
