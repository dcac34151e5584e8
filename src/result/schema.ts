/**
 * The result JSON contract (engine -> reporters, compare, CI gates). Field names are
 * fixed; objects are "loose" so later versions can add optional fields (plans, notes)
 * without breaking older readers. Bump SCHEMA_VERSION on any incompatible change.
 */
import { z } from 'zod';

/** Version of the result format written by this code. */
export const SCHEMA_VERSION = 1;

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
  /** Compressed base64 V2 HdrHistogram of latency, microseconds; '' when the source exported none (k6 summaries). */
  histogram: z.string(),
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

export const serverInfoSchema = z.looseObject({
  version: z.string(),
  versionNum: z.number().int(),
  settings: z.record(z.string(), z.string()),
});

export const resultSchema = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  partial: z.boolean(),
  partialReason: z.string().optional(),
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
  connectionsReplaced: z.number().int().optional(),
  server: serverInfoSchema.nullable(),
  config: z.unknown(),
  variant: z.string().optional(),
  /** How the load reached PostgreSQL: the engine's own connections (absent = sql) or the ledger API over HTTP. */
  transport: z.enum(['sql', 'http']).optional(),
  seed: z.number(),
  scenarios: z.array(scenarioResultSchema),
  /** Per-second progress samples (whole run including warm-up). */
  timeline: z
    .array(
      z.looseObject({ t: z.number(), completed: z.number(), errors: z.number(), dropped: z.number(), backlog: z.number(), p95Ms: z.number() }),
    )
    .optional(),
  notes: z.array(z.string()).optional(),
  /**
   * Set when the database no longer held the data it was built with when the run
   * started (earlier runs' writes stayed in it): not comparable with a fresh variant.
   */
  dataDiverged: z.looseObject({ database: z.string(), differs: z.array(z.string()) }).optional(),
});
