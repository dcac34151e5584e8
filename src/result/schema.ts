/**
 * The result JSON contract (engine -> reporters, compare, CI gates). Field names are
 * fixed; objects are "loose" so later versions can add optional fields (plans, notes)
 * without breaking older readers. Bump SCHEMA_VERSION on any incompatible change.
 */
import { z } from 'zod';
import { evidenceSchema } from './evidence-schema.js';
import { targetDatabaseSchema } from './target-schema.js';

import { SCHEMA_VERSION } from './schema-version.js';

export { SCHEMA_VERSION };

/** p50..p99.9, max and mean in milliseconds. */
export const latencySummarySchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
  mean: z.number(),
});

/** One percentile's confidence interval (ms); lo/hi null = none (see reason); hi null alone = above the largest sample. */
export const percentileCiSchema = z.looseObject({
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  method: z.enum(['batch-means', 'order-statistic']).nullable(),
  /** Non-empty batches the batch-means interval used. */
  batches: z.number().int().optional(),
  /** Why there is no interval (too few samples). */
  reason: z.string().optional(),
});

/** Confidence intervals of the latency percentiles (src/stats/latency-ci.ts). */
export const latencyCiSchema = z.looseObject({
  conf: z.number(),
  p50: percentileCiSchema,
  p90: percentileCiSchema,
  p95: percentileCiSchema,
  p99: percentileCiSchema,
});

export const segmentSchema = z.object({ index: z.number().int().min(0), count: z.number().int().min(1) });

/** One transaction type (scenario) of a run. */
export const scenarioResultSchema = z.looseObject({
  name: z.string(),
  /** Offered rate of this type in this result (its weight share of the process's rate). */
  targetRate: z.number(),
  /** Completions (success or final failure) per second inside the measured window. */
  achievedRate: z.number(),
  /** Slots of this type due in the measured window. */
  offered: z.number().int().optional(),
  /** Transactions that started and finished inside the measured window and succeeded. */
  count: z.number().int(),
  /** Transactions in the window that failed after their last try. */
  errors: z.number().int(),
  /** Final failures by SQLSTATE (or a client code such as CONNECTION_LOST, CLIENT). */
  errorsByCode: z.record(z.string(), z.number().int()),
  /** Retries (extra tries after 40001 / 40P01) spent by transactions in the window. */
  retries: z.number().int(),
  /** Slots due in the window that were never started because the backlog was full. */
  dropped: z.number().int(),
  /** Transactions that straddled a phase boundary (excluded from the statistics). */
  straddlers: z.number().int().optional(),
  /** Intended start -> completion (coordinated-omission correct), successful transactions. */
  latencyMs: latencySummarySchema,
  /** Sent -> completion (what a closed-loop tool would report). */
  serviceMs: latencySummarySchema,
  /** Due -> sent (time waiting for the scheduler or a free connection); absent when the tool does not measure it (k6). */
  lagMs: latencySummarySchema.optional(),
  /**
   * 95% confidence intervals of latencyMs's p50..p99 (absent in results written before
   * they existed, and where no histogram was exported: k6 summaries).
   */
  latencyCi: latencyCiSchema.optional(),
  /** Compressed base64 V2 HdrHistogram of latency, microseconds; '' when the source exported none (k6 summaries). */
  histogram: z.string(),
  /**
   * Latency histograms (2 significant digits) of contiguous batches of the measured window
   * by intended start, '' for a batch without samples: what latencyCi's batch means read.
   */
  batchHistograms: z.array(z.string()).optional(),
  serviceHistogram: z.string().optional(),
  lagHistogram: z.string().optional(),
  plans: z.unknown().optional(),
  notes: z.array(z.string()).optional(),
  /**
   * Set when the database no longer held the data it was built with when the run
   * started (earlier runs' writes stayed in it): not comparable with a fresh variant.
   */
  dataDiverged: z.looseObject({ database: z.string(), differs: z.array(z.string()) }).optional(),
});

/**
 * One second of the run (the interval (t-1, t] seconds after t0). The fields after
 * p95Ms were added later and are optional, so older results still parse. Latency
 * percentiles are of the successful transactions that completed in the interval,
 * from their intended start; in merged parts of a run they are the max of the parts
 * (an upper bound), except for worker threads of one process, merged exactly.
 */
export const timelinePointSchema = z.looseObject({
  /** End of the interval, whole seconds since t0. */
  t: z.number(),
  /** Completions in the interval (success or final failure): the achieved rate per second. */
  completed: z.number(),
  /** Final failures in the interval. */
  errors: z.number(),
  /** Slots dropped in the interval (no connection free, backlog full). */
  dropped: z.number(),
  /** Slots waiting for a connection at the end of the interval. */
  backlog: z.number(),
  p95Ms: z.number(),
  /** Slots that came due (were dispatched) in the interval: the offered rate per second. */
  offered: z.number().optional(),
  p50Ms: z.number().optional(),
  p99Ms: z.number().optional(),
  maxMs: z.number().optional(),
  /** Extra tries after 40001 / 40P01 in the interval. */
  retries: z.number().optional(),
  /** Transactions running at the end of the interval. */
  inflight: z.number().optional(),
  /** Live connections at the end of the interval, and the fewest during it (0 = no connection: a gap). */
  connections: z.number().optional(),
  connectionsMin: z.number().optional(),
  /** Final failures of the interval by SQLSTATE or client code (absent when none). */
  errorsByCode: z.record(z.string(), z.number()).optional(),
});

export const serverInfoSchema = z.looseObject({
  version: z.string(),
  versionNum: z.number().int(),
  settings: z.record(z.string(), z.string()),
});

export const resultSchema = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  partial: z.boolean(),
  partialReason: z.string().optional(),
  /**
   * Why a partial run ended (absent in results written before this field): 'interrupted'
   * (stopped by the caller, Ctrl-C: CLI exit 130) or 'broken' (server gone, connections
   * lost past the reconnect limit, a client error with exitOnAbort: CLI exit 1).
   */
  partialKind: z.enum(['interrupted', 'broken']).optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  target: z.looseObject({
    /** Global offered rate (transactions/s) across all workers and segments. */
    rate: z.number(),
    durationSec: z.number(),
    warmupSec: z.number(),
    arrival: z.enum(['uniform', 'poisson']),
    connections: z.number().int(),
    workers: z.number().int(),
    /** The slice of the global schedule this result covers; null = all of it. */
    segment: segmentSchema.nullable(),
  }),
  /** Length of the measured window actually run (shorter than durationSec when aborted). */
  measuredSec: z.number().optional(),
  /** Offered rate of the slots this result covers, realised in the window (per second). */
  offeredRate: z.number().optional(),
  achievedRate: z.number(),
  reachedTarget: z.boolean(),
  dropped: z.number().int().optional(),
  straddlers: z.number().int().optional(),
  /** Lost connections re-established during the run. */
  connectionsReplaced: z.number().int().optional(),
  /** Connections lost during the run (terminated backends, a server restart or crash). */
  connectionsLost: z.number().int().optional(),
  /**
   * How the warm-up ended (absent in results written before it existed). `minSec` is
   * --warmup, `maxSec` --max-warmup (equal: a fixed warm-up); `endedSec` the start of the
   * measured window (seconds from t0; null when the run ended before it started);
   * `settled` true when the run was steady then, false when it never settled by
   * `maxSec` and was measured anyway, null for a fixed warm-up (not judged);
   * `saturated` true when it ended before `maxSec`, unsettled, because the run was
   * evidently saturated (slots dropped every second, completions behind the rate).
   */
  warmup: z
    .looseObject({ minSec: z.number(), maxSec: z.number(), endedSec: z.number().nullable(), settled: z.boolean().nullable(), saturated: z.boolean().optional() })
    .optional(),
  /** Slots waiting for a connection when the measured window began (> 0: the window began with a transient). */
  backlogAtStart: z.number().int().optional(),
  /** How the database was pre-warmed before the clock started (absent: it was not). */
  prewarm: z.looseObject({ method: z.string(), relations: z.number().int(), ms: z.number() }).optional(),
  /** Periods (seconds from t0, the timeline's clock) with no live connection; endSec null = never came back. */
  outages: z.array(z.looseObject({ startSec: z.number(), endSec: z.number().nullable() })).optional(),
  server: serverInfoSchema.nullable(),
  config: z.unknown(),
  variant: z.string().optional(),
  /** How the load reached PostgreSQL: the engine's own connections (absent = sql) or the ledger API over HTTP. */
  transport: z.enum(['sql', 'http']).optional(),
  seed: z.number(),
  scenarios: z.array(scenarioResultSchema),
  /** Per-second samples of the whole run, warm-up included (see timelinePointSchema). */
  timeline: z.array(timelinePointSchema).optional(),
  notes: z.array(z.string()).optional(),
  /**
   * Set when the database no longer held the data it was built with when the run
   * started (earlier runs' writes stayed in it): not comparable with a fresh variant.
   */
  dataDiverged: z.looseObject({ database: z.string(), differs: z.array(z.string()) }).optional(),
  /** Server evidence (plans, pg_stat_statements deltas, index use), collected outside the timed window. */
  evidence: evidenceSchema.optional(),
  /** The run measured an existing database as it is (--target): what was found there and how it was measured. */
  targetDatabase: targetDatabaseSchema.optional(),
  /** Stages pooled into this result (a run extended by sequential sampling: src/capacity/pool-stages.ts); absent = one. */
  stages: z.number().int().optional(),
});
