/**
 * The typed shape of a schema variant: a named list of migration steps applied to a
 * clone of the baseline database, plus the features it offers to scenarios.
 *
 * Adding a variant means adding one file under `variants/` that exports a
 * {@link VariantDefinition} as `variant` (or, without editing the repository, a
 * `<name>.sql` file in `--variants-dir`); the registry discovers it, and nothing in
 * the engine changes.
 */
import type pg from 'pg';

/**
 * Capabilities a variant adds. Scenarios declare which features an "after" query
 * needs, so a new variant that combines existing features gets the right queries
 * without editing any scenario.
 */
export type Feature =
  /** The review's compound and partial indexes (section 3). */
  | 'compound-indexes'
  /** `mv_account_balances_current` (corrected, section 1). */
  | 'mv-current'
  /** `account_balance_events` written instead of the account_balances trigger. */
  | 'balance-events'
  /** `mv_account_balances_optimized` + `get_account_balance_fast()` (section 4). */
  | 'mv-optimized'
  /** `journal_entries` range-partitioned by month; lines carry `journal_entry_date`. */
  | 'partitioned-journal'
  /** `anchor_authorizations` list-partitioned by status. */
  | 'partitioned-anchors'
  /** `v_slow_queries`, `v_index_usage` (section 6). */
  | 'monitoring';

/** SQL run in one transaction (or, with `transaction: false`, as one bare statement). */
export interface SqlStep {
  kind: 'sql';
  name: string;
  sql: string;
  /** false for statements that cannot run in a transaction block. Default true. */
  transaction?: boolean;
  /** Set when the step creates an index itself (e.g. `CREATE INDEX ... ON ONLY parent`). */
  createsIndex?: { index: string; table: string };
}

/**
 * One `CREATE INDEX` on a plain table or a single partition. The migrator decides
 * whether to add CONCURRENTLY (a concurrent build cannot run in a transaction block
 * and fails on a partitioned parent: field notes trap 7).
 */
export interface IndexStep {
  kind: 'index';
  name: string;
  /** Index name (unqualified; public schema). */
  index: string;
  /** Table (or partition) the index is built on. */
  table: string;
  /** Everything after `ON table`: `(cols) [INCLUDE (...)] [WHERE ...]`. */
  definition: string;
  unique?: boolean;
  /** Build concurrently when the migration allows it. Default true. */
  concurrently?: boolean;
}

/**
 * A step whose concrete steps depend on the database it runs on (e.g. one index
 * build per existing partition, or a foreign key that differs when journal_entries
 * is partitioned). Expanded right before it runs, after all earlier steps.
 */
export interface DynamicStep {
  kind: 'dynamic';
  name: string;
  expand(client: pg.Client): Promise<VariantStep[]>;
}

/** A step that records why it did nothing (e.g. pg_stat_statements not installed). */
export interface SkipStep {
  kind: 'skip';
  name: string;
  reason: string;
}

/** Any migration step. */
export type VariantStep = SqlStep | IndexStep | DynamicStep | SkipStep;

/** A materialized view a variant refreshes during runs, and how to read its freshness. */
export interface MaterializedViewSpec {
  name: string;
  /**
   * A timestamptz column holding the newest posting time reflected per row; the
   * max over the view is the newest posting the view reflects (staleness, trap 9).
   */
  freshnessColumn: string;
}

/** A schema variant: what it is, what it offers, how to build it from the baseline. */
export interface VariantDefinition {
  /** Database suffix and CLI name (kebab-case). */
  name: string;
  title: string;
  /** What the variant changes and why, one paragraph. */
  description: string;
  /** Sort key for listings and the compare table (baseline first). */
  order: number;
  features: readonly Feature[];
  steps: readonly VariantStep[];
  /** Materialized views to refresh during runs (REFRESH ... CONCURRENTLY). */
  materializedViews?: readonly MaterializedViewSpec[];
  /** The user's file a `--variants-dir` variant comes from (its failures are bad input). */
  origin?: string;
}
