/**
 * Journal entry search by date range + source + status (the review's "most common
 * filter", served by idx_journal_entries_date_source_status and partition pruning).
 *
 * The status is a literal 'Posted', not a parameter: the partial indexes are
 * `WHERE status = 'Posted'`, and a prepared statement's generic plan cannot prove
 * `status = $4` implies that predicate, so a parameter would silently stop using the
 * index after the fifth execution.
 */
import { addDays, lookbackDays } from './context.js';
import { defineRead } from './types.js';

const SOURCES = ['ANCHOR', 'ORACLE', 'SETTLEMENT', 'SYSTEM', 'MANUAL'] as const;
const SOURCE_WEIGHTS = [0.45, 0.25, 0.15, 0.1, 0.05];

const SQL = `SELECT id, entry_number, date, source, status, description, created_at, posted_at
  FROM journal_entries
 WHERE date >= $1 AND date < $2 AND source = $3 AND status = 'Posted'
 ORDER BY date, entry_number
 LIMIT 200`;

export const scenario = defineRead<{ from: string; to: string; source: string }>({
  kind: 'read',
  name: 'journal-entry-search',
  title: 'Journal entry search',
  description: 'Posted entries of one source in a 7-day window (within the last 2 years), first 200 by date.',
  params: (rng, ctx) => {
    const from = addDays(ctx.asOf, -lookbackDays(rng, ctx, 7));
    // The data's own sources and shares where known (an existing database), else the seeder's.
    const values = ctx.sourceShares?.map((x) => x.value) ?? SOURCES;
    const weights = ctx.sourceShares?.map((x) => x.share) ?? SOURCE_WEIGHTS;
    let u = rng.next();
    let source: string = values[0] ?? SOURCES[0];
    for (let i = 0; i < values.length; i++) {
      u -= weights[i] as number;
      if (u < 0) {
        source = values[i] as string;
        break;
      }
    }
    return { from, to: addDays(from, 7), source };
  },
  before: { label: 'scan', requires: [], sql: SQL, values: (p) => [p.from, p.to, p.source] },
  after: [
    {
      label: 'compound-index',
      requires: ['compound-indexes'],
      sql: SQL,
      values: (p) => [p.from, p.to, p.source],
      note: 'Same SQL; idx_journal_entries_date_source_status (partial on Posted) serves it.',
    },
    {
      label: 'pruned',
      requires: ['partitioned-journal'],
      sql: SQL,
      values: (p) => [p.from, p.to, p.source],
      note: 'Same SQL; the date range prunes to one or two monthly partitions.',
    },
  ],
  compare: { ordered: true },
  claim: { beforeMs: [200, 500], afterMs: [20, 50], source: 'Expected Performance Improvements: Journal Entry Search' },
});
