/**
 * The `targetDatabase` object of a result: a run on an existing database measured as
 * it is (`--target`, docs/target.md). Optional and loose, like every later addition:
 * older readers ignore it, older results lack it.
 */
import { z } from 'zod';

/** One feature of the review looked up in the target's catalog. */
export const targetFeatureSchema = z.looseObject({ feature: z.string(), present: z.boolean(), why: z.string() });

/** Which query a read scenario ran on the target, and why. */
export const targetQuerySchema = z.looseObject({
  scenario: z.string(),
  /** The query's label (scenarios/*.ts). */
  query: z.string(),
  /** 'after' when the target has the feature the query needs, 'before' otherwise. */
  side: z.enum(['before', 'after']),
  why: z.string(),
});

/** Reads of one scenario in this run and those that returned no row. */
export const targetZeroRowsSchema = z.looseObject({ scenario: z.string(), reads: z.number().int(), zeroRows: z.number().int(), share: z.number() });

export const targetDatabaseSchema = z.looseObject({
  /** The database's name (never its URL). */
  database: z.string(),
  /** Sessions ran with default_transaction_read_only = on (false only with --allow-writes). */
  readOnly: z.boolean(),
  features: z.array(targetFeatureSchema),
  queries: z.array(targetQuerySchema),
  /** How the parameters were drawn from the data, and the facts they were drawn from. */
  parameters: z.looseObject({ asOf: z.string(), firstDate: z.string(), historyDays: z.number(), description: z.array(z.string()) }),
  /** Per read scenario, warm-up included. */
  zeroRows: z.array(targetZeroRowsSchema),
  /** Read scenarios whose zero-row share is above the warning threshold: unrealistic parameters for this data. */
  zeroRowWarnings: z.array(z.string()).optional(),
  /** Whether pg_stat_statements evidence could be read (it is never created in the target), and why not. */
  serverEvidence: z.string(),
  /** With --allow-writes: the description the run's entries carry, and how many this run wrote. */
  entryTag: z.string().optional(),
  entriesWritten: z.number().int().optional(),
});
