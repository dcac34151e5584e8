/**
 * Ledger invariants, checked on one database (after a write run, in every variant):
 *
 * 1. every posted entry balances (debits = credits, at least two lines);
 * 2. the trial balance over all posted lines is zero;
 * 3. account_balances = SUM over posted lines, per account (missing row = 0);
 * 4. with balance events: the events rollup = SUM over posted lines;
 * 5. every materialized view, right after a refresh, = SUM over posted lines
 *    (mv_account_balances_current lists every account; the optimized one those with events).
 *
 * Before refreshing, each view's staleness is recorded: how many accounts it shows
 * a different balance for, and the newest posting it reflects vs the newest posted.
 */
import { newClient } from '../db/client.js';
import pg from 'pg';
import { quoteIdent } from '../db/ownership.js';
import type { VariantDefinition } from '../variant-build/types.js';
import { TEXT_TYPES } from './rows.js';

/** One invariant's outcome. */
export interface InvariantResult {
  name: string;
  ok: boolean;
  /** Up to 5 offending rows. */
  examples: Record<string, unknown>[];
}

/** A view's staleness at the moment verify looked, before it refreshed it. */
export interface ViewStaleness {
  view: string;
  /** Accounts whose balance in the view differs from the live ledger. */
  staleAccounts: number;
  newestReflectedAt: string | null;
  newestPostedAt: string | null;
}

/** All invariants of one database. */
export interface InvariantReport {
  variant: string;
  ok: boolean;
  results: InvariantResult[];
  staleness: ViewStaleness[];
}

const LIVE = `SELECT l.account_id, sum(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END) AS balance
  FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id AND e.status = 'Posted'
 GROUP BY l.account_id`;

/** Rows where two per-account balance sources disagree (missing = 0). */
function mismatchSql(a: string, b: string): string {
  return `WITH a AS (${a}), b AS (${b})
SELECT coalesce(a.account_id, b.account_id) AS account_id, a.balance AS expected, b.balance AS actual
  FROM a FULL JOIN b ON a.account_id = b.account_id
 WHERE coalesce(a.balance, 0) <> coalesce(b.balance, 0)
 ORDER BY 1`;
}

const EVENTS = `SELECT account_id, sum(CASE WHEN event_type = 'DEBIT' THEN amount ELSE -amount END) AS balance
  FROM account_balance_events GROUP BY account_id`;

function viewSql(view: string): string {
  return view === 'mv_account_balances_current'
    ? `SELECT id AS account_id, current_balance AS balance FROM mv_account_balances_current`
    : `SELECT account_id, current_balance AS balance FROM ${quoteIdent(view)}`;
}

async function check(client: pg.Client, name: string, sql: string): Promise<InvariantResult> {
  const r = await client.query(sql);
  return { name, ok: r.rows.length === 0, examples: r.rows.slice(0, 5) };
}

/** Checks the invariants of the database at `url`, built as `variant`. */
export async function checkInvariants(url: string, variant: Pick<VariantDefinition, 'name' | 'features' | 'materializedViews'>): Promise<InvariantReport> {
  const client = newClient({ connectionString: url, types: TEXT_TYPES });
  await client.connect();
  try {
    const results: InvariantResult[] = [];
    results.push(
      await check(
        client,
        'every posted entry balances',
        `SELECT e.id, e.date, count(l.id) AS lines,
                coalesce(sum(l.amount) FILTER (WHERE l.line_type = 'DEBIT'), 0) AS debits,
                coalesce(sum(l.amount) FILTER (WHERE l.line_type = 'CREDIT'), 0) AS credits
           FROM journal_entries e LEFT JOIN journal_entry_lines l ON l.journal_entry_id = e.id
          WHERE e.status = 'Posted'
          GROUP BY e.id, e.date
         HAVING count(l.id) < 2
             OR coalesce(sum(l.amount) FILTER (WHERE l.line_type = 'DEBIT'), 0)
                <> coalesce(sum(l.amount) FILTER (WHERE l.line_type = 'CREDIT'), 0)
          LIMIT 5`,
      ),
    );
    results.push(
      await check(client, 'trial balance is zero', `SELECT total FROM (SELECT coalesce(sum(balance), 0) AS total FROM (${LIVE}) x) t WHERE total <> 0`),
    );
    results.push(
      await check(client, 'account_balances = posted lines', mismatchSql(LIVE, `SELECT account_id, current_balance AS balance FROM account_balances`)),
    );
    if (variant.features.includes('balance-events')) {
      results.push(await check(client, 'balance events rollup = posted lines', mismatchSql(LIVE, EVENTS)));
    }
    const staleness: ViewStaleness[] = [];
    for (const mv of variant.materializedViews ?? []) {
      const stale = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${mismatchSql(LIVE, viewSql(mv.name))}) d`);
      const fresh = await client.query<{ reflected: string | null; posted: string | null }>(
        `SELECT (SELECT max(${quoteIdent(mv.freshnessColumn)}) FROM ${quoteIdent(mv.name)})::text AS reflected,
                (SELECT max(created_at) FROM journal_entries WHERE status = 'Posted')::text AS posted`,
      );
      staleness.push({
        view: mv.name,
        staleAccounts: Number(stale.rows[0]?.n ?? 0),
        newestReflectedAt: fresh.rows[0]?.reflected ?? null,
        newestPostedAt: fresh.rows[0]?.posted ?? null,
      });
      await client.query(`REFRESH MATERIALIZED VIEW ${quoteIdent(mv.name)}`);
      results.push(await check(client, `${mv.name} after refresh = posted lines`, mismatchSql(LIVE, viewSql(mv.name))));
    }
    return { variant: variant.name, ok: results.every((r) => r.ok), results, staleness };
  } finally {
    await client.end();
  }
}
