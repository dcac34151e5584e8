/**
 * One test per trap of field notes section 1 that applies: the review's SQL fails or
 * is wrong, the corrected form works.
 */
import { variantDatabase } from '../src/variant-build/migrate.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serverUrl } from './helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { buildFixtureBaseline, type FixtureAccounts } from './helpers/fixture.js';
import { migrateVariant } from '../src/variant-build/migrate.js';
import { getVariant } from '../variants/registry.js';
import { measureStaleness, refreshAndLog, startMvRefresher } from '../src/variant-build/mv-refresh.js';
import { runWriteBurst } from '../src/verify/write-burst.js';
import { REVIEW_MV_CURRENT_ORIGINAL, REVIEW_MV_INDEXES_ORIGINAL, MV_CURRENT_INDEXES } from '../variants/parts/mv-current.js';
import { REVIEW_CREATE_MONTHLY_PARTITION } from '../variants/parts/partition-functions.js';
import { REVIEW_BALANCE_HISTORY_SQL, scenario as history } from '../scenarios/balance-history.js';
import { ADVANCE_SQL } from '../scenarios/anchor-lifecycle.js';
import { withDatabase } from '../src/db/connection-url.js';

const prefix = `ledger_bench_t_trap_${randomBytes(3).toString('hex')}`;
const VARIANTS = ['matviews', 'event-sourced', 'partitioned'] as const;
let special: FixtureAccounts;
const url = (v: string) => withDatabase(serverUrl(), variantDatabase(prefix, v));

async function withClient<T>(u: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: u });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Waits until `blocked`'s backend waits on a lock. A fixed sleep raced under load: when
 * the UPDATE reached the row only after COMMIT, it saw the moved row and did not error.
 */
async function waitUntilBlocked(u: string, blocked: pg.Client): Promise<void> {
  const pid = (blocked as unknown as { processID: number }).processID;
  await withClient(u, async (c) => {
    for (let i = 0; i < 500; i++) {
      const r = await c.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
      if (r.rows[0]?.wait_event_type === 'Lock') return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`backend ${pid} never blocked on the row lock`);
  });
}

async function sqlState(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code';
  }
  return 'no error';
}

describe('traps in the review SQL', () => {
  before(async () => {
    const u = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    special = await buildFixtureBaseline({ url: u, entries: 3000 });
    for (const v of VARIANTS) await migrateVariant({ serverUrl: serverUrl(), prefix, variant: await getVariant(v) });
  });
  after(async () => {
    for (const v of ['baseline', ...VARIANTS]) await dropOwnedDatabase(serverUrl(), variantDatabase(prefix, v));
  });

  test('trap 1: the typo index fails on a missing relation, the fixed one builds', async () => {
    await withClient(url('baseline'), async (c) => {
      await c.query('BEGIN');
      await c.query(REVIEW_MV_CURRENT_ORIGINAL);
      assert.equal(await sqlState(c.query(REVIEW_MV_INDEXES_ORIGINAL[1])), '42P01'); // undefined_table
      await c.query('ROLLBACK');
      await c.query('BEGIN');
      await c.query(REVIEW_MV_CURRENT_ORIGINAL);
      for (const sql of MV_CURRENT_INDEXES) await c.query(sql);
      await c.query('ROLLBACK');
    });
  });

  test('trap 2: the review MV drops accounts with only Draft/Void entries; the corrected one keeps them at 0', async () => {
    await withClient(url('matviews'), async (c) => {
      await c.query('BEGIN');
      await c.query(REVIEW_MV_CURRENT_ORIGINAL.replace('mv_account_balances_current', 'mv_review'));
      const ids = [special.draftOnly, special.voidOnly, special.noEntries];
      const review = await c.query(`SELECT id FROM mv_review WHERE id = ANY($1) ORDER BY id`, [ids]);
      assert.deepEqual(review.rows.map((r) => r.id), [special.noEntries], 'the review keeps only the account with no lines at all');
      const fixed = await c.query(`SELECT id, current_balance FROM mv_account_balances_current WHERE id = ANY($1) ORDER BY id`, [ids]);
      assert.deepEqual(fixed.rows, ids.map((id) => ({ id, current_balance: '0.0000' })));
      const counts = await c.query(`SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM mv_account_balances_current)::int AS mv`);
      assert.equal(counts.rows[0].mv, counts.rows[0].accounts);
      await c.query('ROLLBACK');
    });
  });

  test('trap 3: a primary key without the partition key is refused; the variant uses (id, date) and (id, status)', async () => {
    await withClient(url('partitioned'), async (c) => {
      assert.equal(await sqlState(c.query(`CREATE TABLE t3 (id uuid PRIMARY KEY, date date NOT NULL) PARTITION BY RANGE (date)`)), '0A000');
      const pk = await c.query(
        `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE contype = 'p' AND conrelid IN ('journal_entries'::regclass, 'anchor_authorizations'::regclass) ORDER BY 1`,
      );
      assert.deepEqual(pk.rows, [
        { t: 'anchor_authorizations', def: 'PRIMARY KEY (id, status)' },
        { t: 'journal_entries', def: 'PRIMARY KEY (id, date)' },
      ]);
    });
  });

  test('trap 4: a foreign key to journal_entries (id) alone is refused; lines reference (id, date)', async () => {
    await withClient(url('partitioned'), async (c) => {
      assert.equal(await sqlState(c.query(`CREATE TABLE t4 (e uuid REFERENCES journal_entries (id))`)), '42830'); // invalid_foreign_key
      const e = await c.query(`SELECT id, date FROM journal_entries LIMIT 1`);
      const wrongDate = await sqlState(
        c.query(`INSERT INTO journal_entry_lines (journal_entry_id, journal_entry_date, line_number, account_id, line_type, amount)
                 VALUES ($1, $2::date + 1, 99, 1, 'DEBIT', 1)`, [e.rows[0].id, e.rows[0].date]),
      );
      assert.equal(wrongDate, '23503', 'a line with the wrong entry date violates the composite key');
    });
  });

  test('trap 5: a plain table cannot be partitioned in place; a row beyond all ranges lands in DEFAULT; id-only lookups scan every partition', async () => {
    await withClient(url('baseline'), async (c) => {
      assert.equal(
        await sqlState(c.query(`CREATE TABLE je_x PARTITION OF journal_entries FOR VALUES FROM ('2030-01-01') TO ('2030-02-01')`)),
        '42P17', // "journal_entries" is not partitioned
      );
    });
    await withClient(url('partitioned'), async (c) => {
      await c.query('BEGIN');
      await c.query(`INSERT INTO journal_entries (date, source, status) VALUES ('2099-01-15', 'MANUAL', 'Draft')`);
      const where = await c.query(`SELECT tableoid::regclass::text AS part FROM journal_entries WHERE date = '2099-01-15'`);
      assert.equal(where.rows[0].part, 'journal_entries_default');
      await c.query('ROLLBACK');
      const plan = await c.query(`EXPLAIN (COSTS OFF) SELECT * FROM journal_entries WHERE id = gen_random_uuid()`);
      const byId = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      const parts = await c.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'journal_entries'::regclass`);
      assert.ok((byId.match(/journal_entries_\d{4}_\d{2}|journal_entries_default/g) ?? []).length >= parts.rows[0].n, 'every partition is scanned');
      const pruned = await c.query(`EXPLAIN (COSTS OFF) SELECT * FROM journal_entries WHERE id = gen_random_uuid() AND date = '2025-06-01'`);
      assert.equal(pruned.rows.map((r) => r['QUERY PLAN']).join('\n').match(/journal_entries_\d{4}_\d{2}/g)?.length, 1);
    });
  });

  test('trap 6: the review create_monthly_partition fails on a schema-qualified name; the corrected one works and creates ahead', async () => {
    await withClient(url('partitioned'), async (c) => {
      await c.query('BEGIN');
      await c.query(REVIEW_CREATE_MONTHLY_PARTITION.replace('create_monthly_partition', 'review_create_monthly_partition'));
      assert.equal(await sqlState(c.query(`SELECT review_create_monthly_partition('public.journal_entries', '2031-01-01')`)), '42P01');
      await c.query('ROLLBACK');
      const made = await c.query(`SELECT create_monthly_partition('public.journal_entries', '2031-01-17') AS p`);
      assert.equal(made.rows[0].p, 'public.journal_entries_2031_01');
      const bounds = await c.query(`SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE relname = 'journal_entries_2031_01'`);
      assert.equal(bounds.rows[0].b, "FOR VALUES FROM ('2031-01-01') TO ('2031-02-01')");
      // Idempotent, and partitions exist 3 months beyond the newest data.
      await c.query(`SELECT create_monthly_partition('journal_entries', '2031-01-01')`);
      const ahead = await c.query(
        `SELECT to_regclass('journal_entries_' || to_char((SELECT max(date) FROM journal_entries WHERE date < '2031-01-01') + interval '3 months', 'YYYY_MM')) IS NOT NULL AS ok`,
      );
      assert.equal(ahead.rows[0].ok, true);
    });
  });

  test('trap 7: CONCURRENTLY fails on a partitioned parent and in a transaction block; ON ONLY + per partition + ATTACH yields a valid index', async () => {
    await withClient(url('partitioned'), async (c) => {
      assert.equal(await sqlState(c.query(`CREATE INDEX CONCURRENTLY t7 ON journal_entries (source)`)), '0A000');
      await c.query('BEGIN');
      assert.equal(await sqlState(c.query(`CREATE INDEX CONCURRENTLY t7 ON journal_entry_lines (memo)`)), '25001');
      await c.query('ROLLBACK');
      const valid = await c.query(
        `SELECT i.indisvalid AS ok FROM pg_index i WHERE i.indexrelid = 'idx_anchor_authorizations_user'::regclass`,
      );
      assert.equal(valid.rows[0].ok, true, 'the ON ONLY parent index became valid once every partition index was attached');
      const attached = await c.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'idx_anchor_authorizations_user'::regclass`);
      assert.equal(attached.rows[0].n, 2);
    });
  });

  test('trap 8: REFRESH CONCURRENTLY needs a unique index on plain columns', async () => {
    await withClient(url('event-sourced'), async (c) => {
      await c.query(`CREATE MATERIALIZED VIEW t8 AS SELECT account_id, count(*) AS n FROM account_balance_events GROUP BY account_id`);
      assert.equal(await sqlState(c.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY t8`)), '55000');
      await c.query(`CREATE UNIQUE INDEX ON t8 (account_id) WHERE n > 0`);
      assert.equal(await sqlState(c.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY t8`)), '55000', 'a partial unique index does not count');
      await c.query(`DROP MATERIALIZED VIEW t8`);
      // The variant's views have that index and refresh concurrently.
      await c.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY mv_account_balances_optimized`);
    });
  });

  test('trap 9: MV staleness under write load is measured per refresh', async () => {
    const u = url('matviews');
    const since = new Date(Date.now() - 1000);
    const refresher = startMvRefresher({ url: u, views: [{ name: 'mv_account_balances_current', freshnessColumn: 'last_transaction_at' }], intervalSec: 0.3 });
    const burst = await runWriteBurst({ url: u, features: ['mv-current'], mix: { 'post-journal-entry': 1 }, transactions: 300, concurrency: 3 });
    await new Promise((r) => setTimeout(r, 400));
    const records = await refresher.stop();
    assert.equal(burst.failed, 0);
    assert.ok(records.length >= 2, `refreshed ${records.length} times`);
    await withClient(u, (c) => refreshAndLog(c, { name: 'mv_account_balances_current', freshnessColumn: 'last_transaction_at' }));
    const [summary] = await measureStaleness({ url: u, since });
    assert.ok(summary && summary.refreshes >= 3);
    assert.ok(summary.maxUnreflectedAgeMs.max > 0, 'postings waited for a refresh');
    assert.ok(summary.maxUnreflectedAgeMs.max >= summary.refreshMs.max * 0.5);
  });

  test("trap 10: the review's balance history does not type-check; the window query ends at the account's balance", async () => {
    await withClient(url('baseline'), async (c) => {
      assert.equal(await sqlState(c.query(REVIEW_BALANCE_HISTORY_SQL)), '42883'); // operator does not exist: uuid = integer
      const account = await c.query(`SELECT account_id, current_balance FROM account_balances ORDER BY current_balance DESC LIMIT 1`);
      const { account_id, current_balance } = account.rows[0];
      const rows = await c.query(history.before.sql, history.before.values({ accountId: account_id, from: '1900-01-01', to: '2100-01-01' }));
      assert.equal(Number(rows.rows.at(-1).running_balance), Number(current_balance));
    });
  });

  test('trap 11: a status change moves the row between partitions; a concurrent update gets 40001 and a retry succeeds; a status in no list errors', async () => {
    const u = url('partitioned');
    await withClient(u, async (a) =>
      withClient(u, async (b) => {
        const row = await a.query(`SELECT id, user_address FROM anchor_authorizations WHERE status = 'PENDING' ORDER BY expires_at, id LIMIT 1`);
        const { id, user_address } = row.rows[0];
        await a.query('BEGIN');
        await a.query(`UPDATE anchor_authorizations SET status = 'FULFILLED' WHERE id = $1`, [id]);
        const moved = await a.query(`SELECT tableoid::regclass::text AS part FROM anchor_authorizations WHERE id = $1`, [id]);
        assert.equal(moved.rows[0].part, 'anchor_authorizations_completed');
        // b targets the same row (READ COMMITTED) and blocks on it.
        const pending = sqlState(b.query(`UPDATE anchor_authorizations SET status = 'FAILED' WHERE id = $1 AND status = 'PENDING'`, [id]));
        await waitUntilBlocked(u, b);
        await a.query('COMMIT');
        assert.equal(await pending, '40001');
        // The scenario's statement is retry-safe: re-running it advances the user's next active one.
        const retry = await b.query(ADVANCE_SQL, [user_address, 'FULFILLED']);
        assert.ok((retry.rowCount ?? 0) <= 1);
        assert.equal(await sqlState(b.query(`UPDATE anchor_authorizations SET status = 'CANCELLED' WHERE id = $1`, [id])), '23514');
      }),
    );
    // Unpartitioned, the same race does not error: the loser re-checks its WHERE and updates nothing.
    await withClient(url('baseline'), async (a) =>
      withClient(url('baseline'), async (b) => {
        const row = await a.query(`SELECT id FROM anchor_authorizations WHERE status = 'PENDING' LIMIT 1`);
        const id = row.rows[0].id;
        await a.query('BEGIN');
        await a.query(`UPDATE anchor_authorizations SET status = 'FULFILLED' WHERE id = $1`, [id]);
        const pending = b.query(`UPDATE anchor_authorizations SET status = 'FAILED' WHERE id = $1 AND status = 'PENDING'`, [id]);
        pending.catch(() => undefined); // awaited below: no unhandled rejection while COMMIT runs
        await waitUntilBlocked(url('baseline'), b);
        await a.query('COMMIT');
        assert.equal((await pending).rowCount, 0);
      }),
    );
  });

  test('partition triggers: audit rows name the logical table, and a cross-partition move is audited as DELETE + INSERT', async () => {
    await withClient(url('partitioned'), async (c) => {
      const row = await c.query(`SELECT id FROM anchor_authorizations WHERE status = 'PENDING' LIMIT 1`);
      const id = row.rows[0].id;
      await c.query(`UPDATE anchor_authorizations SET status = 'EXPIRED' WHERE id = $1`, [id]);
      const audit = await c.query(`SELECT table_name, action FROM audit_log WHERE record_id = $1 ORDER BY id`, [id]);
      assert.ok(audit.rows.length >= 1);
      assert.ok(audit.rows.every((r) => r.table_name === 'anchor_authorizations'));
      assert.deepEqual(audit.rows.map((r) => r.action).slice(-2), ['DELETE', 'INSERT']);
    });
  });

  test('trap 13: gen_random_uuid() works without pgcrypto', async () => {
    await withClient(url('event-sourced'), async (c) => {
      const ext = await c.query(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pgcrypto'`);
      assert.equal(ext.rows[0].n, 0);
      const r = await c.query(`SELECT count(DISTINCT id)::int AS n, count(*)::int AS total FROM account_balance_events`);
      assert.equal(r.rows[0].n, r.rows[0].total);
    });
  });
});
