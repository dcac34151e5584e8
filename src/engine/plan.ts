/** The serialisable plan of one load process (in-process or a worker thread). */
import type { Arrival } from '../stats/schedule.js';
import type { QueryMode } from './connection.js';

export interface WorkerPlan {
  databaseUrl: string;
  /** Global offered rate (all segments and workers), transactions per second. */
  rate: number;
  arrival: Arrival;
  warmupSec: number;
  durationSec: number;
  /** Pool size of this process. */
  connections: number;
  /** Backlog bound of this process (due transactions waiting for a connection). */
  backlog: number;
  maxTries: number;
  /** This process owns global slots offset, offset + stride, ... */
  offset: number;
  stride: number;
  queryMode: QueryMode;
  seed: number;
  exitOnAbort: boolean;
  /** How long to wait for in-flight transactions after the schedule ends. */
  drainTimeoutMs: number;
  /** > 0: ticker thread + short setImmediate poll before each slot; 0 (or no ticker): timers, setImmediate polling below spinMs + 1 ms. */
  spinMs: number;
  rateTolerance: number;
  segment: { index: number; count: number } | null;
  workerIndex: number;
  workers: number;
}

/** One per-second progress sample from a process. */
export interface TickSample {
  workerIndex: number;
  /** Whole seconds since t0 this sample closes. */
  second: number;
  completed: number;
  errors: number;
  dropped: number;
  retries: number;
  backlog: number;
  inflight: number;
  /** Encoded latency histogram of the completions in this second (µs). */
  hist: string;
}
