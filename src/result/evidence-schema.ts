/**
 * Server evidence of one run (the `evidence` field of the result JSON): what the
 * server itself saw, collected outside the timed window. Optional everywhere, so
 * results written before it (or with `--no-evidence`) still parse.
 */
import { z } from 'zod';

/** A compact summary of one EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). */
export const planSummarySchema = z.looseObject({
  /** Node type of the plan's top node (e.g. Limit, Index Scan). */
  topNode: z.string(),
  /** Execution Time of the EXPLAIN ANALYZE, ms (one execution, not the run's). */
  executionMs: z.number(),
  planningMs: z.number().optional(),
  /** Shared buffers hit / read by the top node (it includes its children). */
  sharedHit: z.number().int(),
  sharedRead: z.number().int(),
  /** Every index any node of the plan scans, in plan order, without repeats. */
  indexes: z.array(z.string()),
  /** Node types used anywhere in the plan (Seq Scan, Index Only Scan, ...), without repeats. */
  nodeTypes: z.array(z.string()),
  /** An indented text rendering of the plan tree, truncated. */
  text: z.string(),
  /** The parameters drawn for it (one draw of the scenario's generator). */
  params: z.unknown().optional(),
});

/** pg_stat_statements counters accumulated by one statement during the run (after - before). */
export const statementDeltaSchema = z.looseObject({
  calls: z.number().int(),
  totalExecMs: z.number(),
  /** totalExecMs / calls (server execution only: no network, no queueing). */
  meanExecMs: z.number(),
  rows: z.number().int(),
  sharedBlksHit: z.number().int(),
  sharedBlksRead: z.number().int(),
  /** Time reading blocks, ms (blk_read_time, shared_blk_read_time since 17); 0 unless track_io_timing. */
  blkReadMs: z.number().optional(),
});

/** Evidence for one read scenario. */
export const scenarioEvidenceSchema = z.looseObject({
  scenario: z.string(),
  /** Label of the query the variant ran (scenarios' before/after labels). */
  query: z.string(),
  plan: planSummarySchema.optional(),
  /** Why there is no plan (the EXPLAIN failed or timed out). */
  planError: z.string().optional(),
  statement: statementDeltaSchema.optional(),
});

/** One index (partitions of a partitioned index folded into their root). */
export const indexEvidenceSchema = z.looseObject({
  index: z.string(),
  table: z.string(),
  sizeBytes: z.number(),
  /** idx_scan after the run minus before it (warm-up included). */
  idxScanDelta: z.number().int(),
  /** Partitions folded into this row (absent for a plain index). */
  partitions: z.number().int().optional(),
  unique: z.boolean(),
  primary: z.boolean(),
});

export const evidenceSchema = z.looseObject({
  database: z.string(),
  collectedAt: z.string(),
  /** pg_stat_statements counters were read; false with `statementsUnavailable` saying why. */
  statementsAvailable: z.boolean(),
  statementsUnavailable: z.string().optional(),
  scenarios: z.array(scenarioEvidenceSchema),
  indexes: z.array(indexEvidenceSchema),
  /** Anything that limited the evidence (missing counters, a failed step). */
  notes: z.array(z.string()).optional(),
});
