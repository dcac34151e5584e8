/** The serialisable plan of one load process (in-process or a worker thread). */
import type { Arrival } from '../stats/schedule.js';
import type { EngineDriver, QueryMode } from './connection.js';

/** How the loop waits for the next slot: the ticker thread, or setImmediate polling (see docs/engine.md). */
export type EngineTimer = 'ticker' | 'spin';

export interface WorkerPlan {
  databaseUrl: string;
  /** Global offered rate (all segments and workers), transactions per second. */
  rate: number;
  arrival: Arrival;
  warmupSec: number;
  /** Longest warm-up; above warmupSec the window starts once the run is steady (settle mode, warmup.ts). */
  maxWarmupSec: number;
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
  timer: EngineTimer;
  driver: EngineDriver;
  /** A lost connection is re-tried with bounded backoff for this long before its slot is given up. */
  reconnectTimeoutSec: number;
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
  /** Slots that came due (were dispatched) in this second. */
  offered: number;
  /** Completions (success or final failure) in this second. */
  completed: number;
  errors: number;
  dropped: number;
  retries: number;
  backlog: number;
  inflight: number;
  /** Live connections at the end of the second, and the fewest during it (a gap shows as 0). */
  connections: number;
  connectionsMin: number;
  /** Final failures of this second by SQLSTATE / client code (absent when none). */
  errorsByCode?: Record<string, number>;
  /** Encoded latency histogram of the completions in this second (µs). */
  hist: string;
}
