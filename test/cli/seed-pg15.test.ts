import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { cli } from '../helpers/cli.js';
import { withDatabase } from '../../src/db/connection-url.js';
import { dropOwnedDatabase, withAdminClient, databaseState } from '../../src/db/ownership.js';

const pg15 = process.env.LEDGER_BENCH_PG15_URL;

test('`ledger-bench seed --database-url` works against the system PostgreSQL 15', { skip: pg15 ? false : 'LEDGER_BENCH_PG15_URL not set (Debian postgresql-15 not installed)', timeout: 240_000 }, async () => {
  const url = pg15!;
  const prefix = 'lb_pg15';
  const r = await cli(['seed', '--database-url', url, '--db-prefix', prefix, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /total\s+[\d,]+/);
  const db = new pg.Client({ connectionString: withDatabase(url, `${prefix}_baseline`) });
  await db.connect();
  try {
    const v = await db.query<{ n: string }>(`SELECT current_setting('server_version_num') AS n`);
    assert.ok(Number(v.rows[0]!.n) >= 150000 && Number(v.rows[0]!.n) < 160000, 'really PostgreSQL 15');
    const c = await db.query<{ n: string }>('SELECT count(*) AS n FROM journal_entries');
    assert.equal(Number(c.rows[0]!.n), 100_000);
    const tb = await db.query<{ s: string }>(
      `SELECT coalesce(sum(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END), 0)::text AS s
         FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id WHERE e.status = 'Posted'`,
    );
    assert.equal(Number(tb.rows[0]!.s), 0, 'trial balance is zero');
  } finally {
    await db.end();
  }
  const state = await withAdminClient(url, (c) => databaseState(c, `${prefix}_baseline`));
  assert.ok(state.exists && state.owned && /baseline complete scale=small seed=42/.test(state.comment ?? ''), JSON.stringify(state));
  await dropOwnedDatabase(url, `${prefix}_baseline`);
});
