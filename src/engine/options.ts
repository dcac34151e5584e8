/** Engine options, their defaults and validation. */
import type { Writable } from 'node:stream';
import { ENGINE_DEFAULTS } from '../config/defaults.js';
import type { Arrival } from '../stats/schedule.js';
import type { WorkloadSpec } from '../workload/build.js';
import type { Workload } from '../workload/types.js';
import type { ConnectionFactory, EngineDriver, QueryMode } from './connection.js';
import type { EngineTimer } from './plan.js';

/** Everything `runLoad` needs. Only databaseUrl, workload and rate are required. */
export interface EngineOptions {
  /** Database the workload runs against (must be reachable; the engine only reads server info). */
  databaseUrl: string;
  /** A serializable spec (required for workers > 1) or an in-process workload object. */
  workload: WorkloadSpec | Workload;
  /** Global offered rate, transactions per second, across all workers and segments. */
  rate: number;
  /** Measured window length (default 60). */
  durationSec?: number;
  /** Warm-up before the measured window (default 5); with maxWarmupSec above it, the shortest warm-up. */
  warmupSec?: number;
  /**
   * Longest warm-up (default: warmupSec, a fixed warm-up). Above warmupSec the window
   * starts at the first whole second the run is steady (backlog drained, nothing
   * dropped, p95 stable: src/stats/settle.ts), or at maxWarmupSec when it never settles
   * (the result then says `warmup.settled: false`). See docs/engine.md.
   */
  maxWarmupSec?: number;
  /** Arrival process (default 'uniform'). 'poisson' is deterministic given `seed`. */
  arrival?: Arrival;
  /** Total connections across workers (default: see `defaultConnections`). */
  connections?: number;
  /** Total backlog bound across workers (default: 2 s worth of arrivals, at least 100). */
  backlog?: number;
  /** Tries per transaction for 40001/40P01 (default 10; 1 = no retries). */
  maxTries?: number;
  /** worker_threads sharing the rate (default 1 = in-process). */
  workers?: number;
  /** This machine's share of a multi-machine run: 0-based index of `count` (default whole run). */
  segment?: { index: number; count: number };
  /** pgbench -M equivalent (default 'prepared'). */
  queryMode?: QueryMode;
  /** No progress lines (warnings are still printed). */
  quiet?: boolean;
  /** Seed of the schedule and of every transaction's random draws (default 1). */
  seed?: number;
  /** Aborting ends the run early; the result is flagged partial. */
  signal?: AbortSignal;
  /** Recorded verbatim in the result (the caller removes secrets first). */
  config?: unknown;
  /** Schema variant name recorded in the result. */
  variant?: string;
  /** End the run (partial) on a lost connection or a client-side (non-SQL) error. Default false. */
  exitOnAbort?: boolean;
  /** Where progress and warnings go (default process.stderr). */
  output?: Pick<Writable, 'write'>;
  /** Shortfall tolerated before `reachedTarget` is false (default 0.01). */
  rateTolerance?: number;
  /** Wait this long for in-flight transactions after the schedule ends (default 10000). */
  drainTimeoutMs?: number;
  /** > 0 (default 1): a ticker thread wakes the loop 0.25 ms before each slot, then it polls (setImmediate). 0: no ticker; timers while the next slot is > 1 ms away, setImmediate polling below (see docs/engine.md). */
  spinMs?: number;
  /** 'ticker' (default): the ticker thread above; 'spin': no ticker, as with spinMs 0 (the CLI's --engine-timer / LEDGER_BENCH_ENGINE_TIMER). */
  timer?: EngineTimer;
  /** 'wire' (default): the engine's own protocol path; 'pg': queries through node-pg (the CLI's --engine-driver / LEDGER_BENCH_ENGINE_DRIVER). */
  driver?: EngineDriver;
  /** A lost connection is re-tried with bounded backoff for this long; past it, with no connection left, the run ends partial ('broken'). Default 30. 0 = one immediate try. */
  reconnectTimeoutSec?: number;
  /** Opens the pool's connections (default: EngineConn to databaseUrl). Only with workers 1 (a function cannot cross threads). */
  connect?: ConnectionFactory;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<Omit<EngineOptions, 'segment' | 'signal' | 'config' | 'variant' | 'output' | 'connect'>> &
  Pick<EngineOptions, 'signal' | 'config' | 'variant' | 'connect'> & { segment: { index: number; count: number } | null; output: Pick<Writable, 'write'> };

/**
 * Default pool size: enough connections to carry the rate if every transaction took
 * the review's whole 50 ms budget (Little's law: in-flight = rate × latency), so the
 * pool is not what limits a mixed workload whose reports take tens of milliseconds;
 * at least 2 per worker, at most 64 per worker (beyond that the client CPU and the
 * server's cores, not the pool, are the limit on a small machine).
 */
export function defaultConnections(rate: number, workers: number): number {
  const want = Math.ceil(rate * ENGINE_DEFAULTS.poolLatencySec);
  return Math.min(Math.max(want, ENGINE_DEFAULTS.poolMinPerWorker * workers), ENGINE_DEFAULTS.poolMaxPerWorker * workers);
}

/** True when `w` is an in-process workload object rather than a spec. */
export function isWorkloadObject(w: WorkloadSpec | Workload): w is Workload {
  return Array.isArray((w as Workload).transactions);
}

/** Applies defaults and checks ranges; throws an Error naming the bad option. */
export function resolveOptions(o: EngineOptions): ResolvedOptions {
  const problems: string[] = [];
  if (!(o.rate > 0) || !Number.isFinite(o.rate)) problems.push(`rate must be a positive number (got ${o.rate})`);
  const D = ENGINE_DEFAULTS;
  const workers = o.workers ?? D.workers;
  if (!Number.isInteger(workers) || workers < 1) problems.push(`workers must be an integer >= 1 (got ${workers})`);
  if (workers > 1 && isWorkloadObject(o.workload)) problems.push('workers > 1 needs a serializable WorkloadSpec, not a workload object');
  if (workers > 1 && o.connect) problems.push('workers > 1 cannot use a custom connect factory (functions do not cross threads)');
  const reconnectTimeoutSec = o.reconnectTimeoutSec ?? D.reconnectTimeoutSec;
  if (!(reconnectTimeoutSec >= 0) || !Number.isFinite(reconnectTimeoutSec)) problems.push(`reconnectTimeoutSec must be a number >= 0 (got ${reconnectTimeoutSec})`);
  const connections = o.connections ?? defaultConnections(o.rate, workers);
  if (!Number.isInteger(connections) || connections < workers) problems.push(`connections must be an integer >= workers (got ${connections})`);
  const seg = o.segment ?? null;
  if (seg && !(Number.isInteger(seg.count) && seg.count >= 1 && Number.isInteger(seg.index) && seg.index >= 0 && seg.index < seg.count))
    problems.push(`segment must be {index, count} with 0 <= index < count (got ${JSON.stringify(seg)})`);
  const maxTries = o.maxTries ?? D.maxTries;
  if (!Number.isInteger(maxTries) || maxTries < 1) problems.push(`maxTries must be an integer >= 1 (got ${maxTries})`);
  const durationSec = o.durationSec ?? D.durationSec;
  const warmupSec = o.warmupSec ?? D.warmupSec;
  if (!(durationSec > 0)) problems.push(`durationSec must be > 0 (got ${durationSec})`);
  if (!(warmupSec >= 0)) problems.push(`warmupSec must be >= 0 (got ${warmupSec})`);
  const maxWarmupSec = o.maxWarmupSec ?? warmupSec;
  if (!(maxWarmupSec >= warmupSec) || !Number.isFinite(maxWarmupSec)) problems.push(`maxWarmupSec must be a number >= warmupSec (${warmupSec}) (got ${maxWarmupSec})`);
  if (problems.length) throw new Error('invalid engine options:\n  ' + problems.join('\n  '));
  return {
    databaseUrl: o.databaseUrl,
    workload: o.workload,
    rate: o.rate,
    durationSec,
    warmupSec,
    maxWarmupSec,
    arrival: o.arrival ?? D.arrival,
    connections,
    backlog: o.backlog ?? Math.max(D.backlogMin, Math.ceil(o.rate * D.backlogSec)),
    maxTries,
    workers,
    segment: seg,
    queryMode: o.queryMode ?? D.queryMode,
    quiet: o.quiet ?? false,
    seed: o.seed ?? D.seed,
    signal: o.signal,
    config: o.config,
    variant: o.variant,
    exitOnAbort: o.exitOnAbort ?? D.exitOnAbort,
    output: o.output ?? process.stderr,
    rateTolerance: o.rateTolerance ?? D.rateTolerance,
    drainTimeoutMs: o.drainTimeoutMs ?? D.drainTimeoutMs,
    spinMs: o.spinMs ?? D.spinMs,
    timer: o.timer ?? D.timer,
    driver: o.driver ?? D.driver,
    reconnectTimeoutSec,
    connect: o.connect,
  };
}
