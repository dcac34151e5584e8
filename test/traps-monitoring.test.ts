/**
 * Trap 12: the review's monitoring views use pg_stat_statements columns that were
 * renamed in PostgreSQL 13 and pg_stat_user_indexes columns that never existed.
 * The corrected views query fine on PostgreSQL 18 (DATABASE_URL) and, when
 * LEDGER_BENCH_PG15_URL names a PostgreSQL 15 server, on 15 as well.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serverUrl } from './helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { applySteps } from '../src/variant-build/migrate.js';
import { monitoringSteps } from '../variants/parts/monitoring.js';

const REVIEW_SLOW = `CREATE VIEW v_slow_queries_review AS
SELECT query, calls, total_time, mean_time, rows,
       100.0 * shared_blks_hit / nullif(shared_blks_hit + shared_blks_read, 0) AS hit_percent
FROM pg_stat_statements WHERE mean_time > 50 ORDER BY mean_time DESC`;
const REVIEW_INDEX_USAGE = `CREATE VIEW v_index_usage_review AS
SELECT schemaname, tablename, indexname, idx_scan, idx_tup_read, idx_tup_fetch
FROM pg_stat_user_indexes ORDER BY idx_scan DESC`;

async function checkServer(server: string): Promise<void> {
  const name = `ledger_bench_t_mon_${randomBytes(3).toString('hex')}`;
  const url = await recreateOwnedDatabase(server, name, { purpose: 'test' });
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, g::text FROM generate_series(1, 100) g; CREATE INDEX t_v ON t (v)`);
    const steps = await applySteps(c, monitoringSteps);
    const slowSkipped = steps.some((s) => s.skipped);
    await c.query(`SELECT * FROM t WHERE v = '7'`);
    const usage = await c.query(`SELECT tablename, indexname, idx_scan FROM v_index_usage WHERE tablename = 't' ORDER BY indexname`);
    assert.deepEqual(usage.rows.map((r) => r.indexname), ['t_pkey', 't_v']);
    if (!slowSkipped) {
      await c.query(`SELECT pg_sleep(0.06)`); // one statement averaging > 50 ms
      const slow = await c.query(`SELECT query, calls, mean_exec_time, total_exec_time, mean_plan_time FROM v_slow_queries`);
      assert.ok(slow.rows.some((r) => String(r.query).includes('pg_sleep')), 'the slow statement is listed');
      const err = await c.query(REVIEW_SLOW).then(() => 'no error', (e: { code?: string; message: string }) => `${e.code} ${e.message}`);
      assert.match(err, /^42703 column "total_time" does not exist/);
    }
    const err2 = await c.query(REVIEW_INDEX_USAGE).then(() => 'no error', (e: { code?: string; message: string }) => `${e.code} ${e.message}`);
    assert.match(err2, /^42703 column "tablename" does not exist/);
  } finally {
    await c.end();
    await dropOwnedDatabase(server, name);
  }
}

describe('trap 12: monitoring views', () => {
  test('query fine on the test server (PostgreSQL 18)', async () => {
    await checkServer(serverUrl());
  });
  test('query fine on PostgreSQL 15 (LEDGER_BENCH_PG15_URL)', { skip: process.env.LEDGER_BENCH_PG15_URL ? false : 'LEDGER_BENCH_PG15_URL is not set' }, async () => {
    await checkServer(process.env.LEDGER_BENCH_PG15_URL!);
  });
});
