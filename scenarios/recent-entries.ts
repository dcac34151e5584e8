/**
 * The 100 most recent journal entries dated within the last 30 days (before asOf),
 * newest first.
 *
 * "Before" is the review's query with two corrections: asOf instead of CURRENT_DATE
 * (reproducible data) and entry_number as a tie-break so the order is total. The
 * review's "after" is NOT the same question: it adds `status = 'Posted'` and joins
 * the lines, so LIMIT 100 counts lines, not entries. It is kept as `reviewAfterSql`
 * (the oracle rejects it); the after-query here is the same question on the
 * partitioned table (pruning to the last two months).
 */
import { defineRead } from './types.js';

const SQL = `SELECT id, entry_number, date, source, status, description, created_at, posted_at
  FROM journal_entries
 WHERE date >= $1::date - 30
 ORDER BY created_at DESC, entry_number DESC
 LIMIT 100`;

export const scenario = defineRead<{ asOf: string }>({
  kind: 'read',
  name: 'recent-entries',
  title: 'Recent entries',
  description: 'Newest 100 entries dated in the 30 days before asOf.',
  params: (_rng, ctx) => ({ asOf: ctx.asOf }),
  before: { label: 'scan', requires: [], sql: SQL, values: (p) => [p.asOf] },
  after: [
    {
      label: 'pruned',
      requires: ['partitioned-journal'],
      sql: SQL,
      values: (p) => [p.asOf],
      note: 'Same question; the date predicate prunes to the last two monthly partitions.',
    },
  ],
  compare: { ordered: true },
  reviewAfterSql: `SELECT je.*, jel.*
  FROM journal_entries je
  JOIN journal_entry_lines jel ON je.id = jel.journal_entry_id
 WHERE je.date >= $1::date - 30
   AND je.status = 'Posted'
 ORDER BY je.created_at DESC
 LIMIT 100`,
});
