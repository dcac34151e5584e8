/**
 * The all-account balance report (review section 5: "~200ms" before, "~5ms" after).
 *
 * Before: the review's query (plus a.id, so rows with equal names stay apart). It
 * lists accounts with at least one posted line. After: the review selects `name`
 * from mv_account_balances_optimized, which has no name column; the correction joins
 * accounts. The corrected mv_account_balances_current lists every account (0 for
 * none), so its after-query keeps only accounts with posted activity
 * (last_transaction_at IS NOT NULL) to answer the same question. Order is not part
 * of the contract (the before-query has no ORDER BY): compared as sets.
 */
import { defineRead } from './types.js';

export const scenario = defineRead<Record<string, never>>({
  kind: 'read',
  name: 'all-account-balances',
  title: 'All account balances report',
  description: 'Balance of every account with posted activity.',
  params: () => ({}),
  before: {
    label: 'aggregate',
    requires: [],
    sql: `SELECT a.id, a.name,
       SUM(CASE WHEN jel.line_type = 'DEBIT' THEN jel.amount ELSE -jel.amount END) AS balance
  FROM accounts a
  JOIN journal_entry_lines jel ON a.id = jel.account_id
  JOIN journal_entries je ON jel.journal_entry_id = je.id
 WHERE je.status = 'Posted'
 GROUP BY a.id, a.name`,
    values: () => [],
  },
  after: [
    {
      label: 'mv_account_balances_optimized',
      requires: ['mv-optimized'],
      sql: `SELECT a.id, a.name, m.current_balance AS balance
  FROM mv_account_balances_optimized m
  JOIN accounts a ON a.id = m.account_id
 ORDER BY a.name`,
      values: () => [],
      note: 'The review selects name from the MV, which has none: joined to accounts.',
    },
    {
      label: 'mv_account_balances_current',
      requires: ['mv-current'],
      sql: `SELECT id, name, current_balance AS balance
  FROM mv_account_balances_current
 WHERE last_transaction_at IS NOT NULL
 ORDER BY name`,
      values: () => [],
    },
  ],
  compare: { ordered: false },
  claim: { beforeMs: [200, 200], afterMs: [5, 5], source: 'Section 5, Optimized Balance Queries (~200ms -> ~5ms)' },
  reviewAfterSql: `SELECT name, current_balance FROM mv_account_balances_optimized ORDER BY name`,
});
