/**
 * `mv_account_balances_current` (review section 1), corrected:
 * - trap 2: the review filters `WHERE je.status = 'Posted' OR je.id IS NULL` after
 *   two LEFT JOINs, so an account whose only entries are Draft/Void vanishes. The
 *   status condition belongs inside the join; such accounts stay with balance 0.
 * - trap 1: `CREATE INDEX ... ON mv_balances_current(type)` names a relation that
 *   does not exist; the index is created on `mv_account_balances_current`.
 * - trap 8: REFRESH ... CONCURRENTLY needs a unique index on plain columns (no
 *   WHERE, no expression): `idx_mv_balances_account (id)` is that index.
 * The balance is cast to numeric(19,4) so it compares exactly (as a string) with
 * account_balances.current_balance.
 */
import { isPartitioned } from '../../src/variant-build/catalog.js';
import type { VariantStep } from '../../src/variant-build/types.js';
import { refreshLogSteps } from './refresh-log.js';

/** The review's original definition, kept verbatim for the trap tests (drops accounts). */
export const REVIEW_MV_CURRENT_ORIGINAL = `
CREATE MATERIALIZED VIEW mv_account_balances_current AS
SELECT
    a.id,
    a.name,
    a.type,
    COALESCE(SUM(CASE WHEN jel.line_type = 'DEBIT' THEN jel.amount ELSE -jel.amount END), 0) as current_balance,
    MAX(je.created_at) as last_transaction_at
FROM accounts a
LEFT JOIN journal_entry_lines jel ON a.id = jel.account_id
LEFT JOIN journal_entries je ON jel.journal_entry_id = je.id
WHERE je.status = 'Posted' OR je.id IS NULL
GROUP BY a.id, a.name, a.type`;

/** The review's three index statements verbatim; the second fails (trap 1). */
export const REVIEW_MV_INDEXES_ORIGINAL = [
  `CREATE UNIQUE INDEX idx_mv_balances_account ON mv_account_balances_current(id)`,
  `CREATE INDEX idx_mv_balances_type ON mv_balances_current(type)`,
  `CREATE INDEX idx_mv_balances_updated ON mv_account_balances_current(last_transaction_at)`,
] as const;

/**
 * Corrected definition. With a partitioned journal_entries the join also matches
 * the entry date the lines carry, so the planner can join partition by partition.
 */
export function mvCurrentSql(partitioned: boolean): string {
  const dateJoin = partitioned ? ' AND e.date = l.journal_entry_date' : '';
  return `
CREATE MATERIALIZED VIEW mv_account_balances_current AS
SELECT a.id,
       a.name,
       a.type,
       COALESCE(SUM(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END), 0)::numeric(19,4) AS current_balance,
       MAX(e.created_at) AS last_transaction_at
  FROM accounts a
  LEFT JOIN (journal_entry_lines l
             JOIN journal_entries e
               ON e.id = l.journal_entry_id${dateJoin} AND e.status = 'Posted')
    ON l.account_id = a.id
 GROUP BY a.id, a.name, a.type`;
}

/** The corrected index statements (typo fixed; the unique one enables CONCURRENTLY). */
export const MV_CURRENT_INDEXES = [
  `CREATE UNIQUE INDEX idx_mv_balances_account ON mv_account_balances_current (id)`,
  `CREATE INDEX idx_mv_balances_type ON mv_account_balances_current (type)`,
  `CREATE INDEX idx_mv_balances_updated ON mv_account_balances_current (last_transaction_at)`,
] as const;

/** Steps creating the view, its indexes and the refresh log. */
export const mvCurrentSteps: readonly VariantStep[] = [
  {
    kind: 'dynamic',
    name: 'materialized view mv_account_balances_current',
    async expand(client) {
      const partitioned = await isPartitioned(client, 'journal_entries');
      return [
        { kind: 'sql', name: 'materialized view mv_account_balances_current', sql: mvCurrentSql(partitioned) },
        { kind: 'sql', name: 'indexes on mv_account_balances_current', sql: MV_CURRENT_INDEXES.join(';\n') },
      ];
    },
  },
  ...refreshLogSteps,
];
