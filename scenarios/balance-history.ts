/**
 * Running balance of one account over a 30-day window.
 *
 * The review's "history" query joins `je.id = ab.account_id`: an entry id to an
 * account id (uuid = integer does not even type-check; trap 10). A balance history
 * is a running sum over the account's posted lines in posting order; rows before the
 * window still count towards the opening balance, hence the window function over
 * all history up to the end date and the filter outside it.
 */
import { addDays, lookbackDays } from './context.js';
import { defineRead } from './types.js';

/** The review's query, verbatim (fails: operator does not exist: uuid = integer). */
export const REVIEW_BALANCE_HISTORY_SQL = `SELECT je.date, ab.current_balance
FROM journal_entries je
JOIN account_balances ab ON je.id = ab.account_id`;

function historySql(partitioned: boolean): string {
  const join = partitioned ? 'e.id = l.journal_entry_id AND e.date = l.journal_entry_date' : 'e.id = l.journal_entry_id';
  const bound = partitioned ? 'l.journal_entry_date < $3' : 'e.date < $3';
  return `SELECT entry_date, entry_number, line_id, signed_amount, running_balance
  FROM (SELECT e.date AS entry_date,
               e.entry_number,
               l.id AS line_id,
               CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END AS signed_amount,
               SUM(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END)
                   OVER (ORDER BY e.date, e.entry_number, l.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_balance
          FROM journal_entry_lines l
          JOIN journal_entries e ON ${join} AND e.status = 'Posted'
         WHERE l.account_id = $1 AND ${bound}) h
 WHERE entry_date >= $2
 ORDER BY entry_date, entry_number, line_id`;
}

export const scenario = defineRead<{ accountId: number; from: string; to: string }>({
  kind: 'read',
  name: 'balance-history',
  title: 'Balance history',
  description: 'Running balance of one (Zipf-drawn) account, lines in a 30-day window, opening balance from all prior history.',
  params: (rng, ctx) => {
    const from = addDays(ctx.asOf, -lookbackDays(rng, ctx, 30));
    return { accountId: ctx.pickAccount(rng), from, to: addDays(from, 30) };
  },
  before: { label: 'window', requires: [], sql: historySql(false), values: (p) => [p.accountId, p.from, p.to] },
  after: [
    {
      label: 'window-pruned',
      requires: ['partitioned-journal'],
      sql: historySql(true),
      values: (p) => [p.accountId, p.from, p.to],
      note: 'Lines carry journal_entry_date: the join matches (id, date) and the upper bound prunes partitions.',
    },
    {
      label: 'window-indexed',
      requires: ['compound-indexes'],
      sql: historySql(false),
      values: (p) => [p.accountId, p.from, p.to],
      note: 'Same SQL; idx_journal_lines_account_type_journal covers the line side.',
    },
  ],
  compare: { ordered: true },
  claim: { beforeMs: [500, 1000], afterMs: [50, 100], source: 'Expected Performance Improvements: Balance History' },
});
