/**
 * Issue 7, defects 2 and 5, through the real CLI on a real server:
 * - verify (and a run of the write mix on the baseline) leave the seeded baseline and
 *   the built variants with exactly the data they had (row counts and sums);
 * - a run on a variant whose data changed after it was built says so (stderr and
 *   `dataDiverged` in the result);
 * - a half-built variant (migrate interrupted: by a failing step, and by a real SIGINT)
 *   keeps an incomplete mark, and run / verify refuse it with exit 2;
 * - run refuses an incomplete baseline and a database ledger-bench did not create.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { databaseState, dropOwnedDatabase, recreateOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';
import { withDatabase } from '../../src/db/connection-url.js';
import { migrateVariant } from '../../src/variant-build/migrate.js';
import { getVariant } from '../../variants/registry.js';
import { runWriteBurst } from '../../src/verify/write-burst.js';
import { tempDir } from '../helpers/temp-dir.js';

const prefix = `ledger_bench_t_trust_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl() });
// These runs are about which data they touch, not latency: a budget no busy machine misses keeps the exit code 0.
const quick = ['--rate', '20', '--duration', '1s', '--warmup', '0s', '--quiet', '--budget', 'max<600000', '--db-prefix', prefix];

/** Exact contents summary: counts and sums, not the harness's own fingerprint. */
async function contents(db: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: withDatabase(serverUrl(), db) });
  await c.connect();
  try {
    const r = await c.query(
      `SELECT (SELECT count(*) FROM journal_entries)::text AS entries,
              (SELECT count(*) FROM journal_entry_lines)::text AS lines,
              (SELECT sum(amount) FROM journal_entry_lines)::text AS line_sum,
              (SELECT count(*) FROM anchor_authorizations)::text AS anchors,
              (SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT status, count(*) n FROM anchor_authorizations GROUP BY status) s) AS anchor_status`,
    );
    return r.rows[0];
  } finally {
    await c.end();
  }
}

async function markOf(db: string): Promise<string> {
  const s = await withAdminClient(serverUrl(), (c) => databaseState(c, db));
  return s.exists ? (s.comment ?? '') : '(missing)';
}

async function databasesLike(pattern: string): Promise<string[]> {
  return withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1`, [pattern])).rows.map((r) => r.datname),
  );
}

before(async () => {
  // Not the tiny scale: SIGINT during migrate below needs a migration long enough to catch mid-step.
  const r = await cli(['seed', '--scale', 'small', '--quiet', '--db-prefix', prefix], { env: env(), timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  for (const n of await databasesLike(`${prefix}%`)) await dropOwnedDatabase(serverUrl(), n, { force: true });
});

test('verify leaves the baseline and the built variants with identical, unchanged data', { timeout: 300_000 }, async () => {
  const m = await cli(['migrate', '--variant', 'indexes', '--db-prefix', prefix], { env: env() });
  assert.equal(m.code, 0, m.stderr);
  const seeded = await contents(`${prefix}_baseline`);
  assert.deepEqual(await contents(`${prefix}_indexes`), seeded);
  const v = await cli(['verify', '--variants', 'indexes', '--sample', '3', '--writes', '40', '--db-prefix', prefix], { env: env(), timeoutMs: 300_000 });
  assert.equal(v.code, 0, v.stderr);
  assert.deepEqual(await contents(`${prefix}_baseline`), seeded, 'the baseline changed');
  assert.deepEqual(await contents(`${prefix}_indexes`), seeded, 'the variant changed');
  assert.match(await markOf(`${prefix}_baseline`), /baseline complete/);
  assert.match(await markOf(`${prefix}_indexes`), /variant indexes complete/);
  assert.deepEqual(await databasesLike(`${prefix}%verify`), [], 'scratch clones are dropped');
});

test('a run of the write mix on the baseline leaves the seeded baseline unchanged', { timeout: 120_000 }, async () => {
  const seeded = await contents(`${prefix}_baseline`);
  const out = tempDir('trust');
  const r = await cli(['run', '--variant', 'baseline', '--mix', 'post-journal-entry=1', ...quick, '--out', out], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await contents(`${prefix}_baseline`), seeded);
});

test('a run on a variant whose data changed after it was built says so', { timeout: 120_000 }, async () => {
  const db = `${prefix}_indexes`;
  const clean = await cli(['run', '--variant', 'indexes', '--mix', 'journal-entry-search=1', ...quick, '--out', tempDir('trust')], { env: env() });
  assert.equal(clean.code, 0, clean.stderr);
  assert.doesNotMatch(clean.stderr, /no longer holds the data/);
  const w = await runWriteBurst({ url: withDatabase(serverUrl(), db), features: (await getVariant('indexes')).features, transactions: 10, seed: 3 });
  assert.equal(w.failed, 0, w.firstError);
  const out = tempDir('trust');
  const r = await cli(['run', '--variant', 'indexes', '--mix', 'journal-entry-search=1', ...quick, '--out', out, '--json'], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`database "${db}" no longer holds the data it was built with \\(.*entries \\d+ -> \\d+`));
  const result = JSON.parse(r.stdout);
  assert.equal(result.dataDiverged.database, db);
  assert.ok(result.dataDiverged.differs.some((d: string) => d.startsWith('entries ')), JSON.stringify(result.dataDiverged));
});

test('a variant whose migrate failed half-way stays incomplete; run refuses it (exit 2)', { timeout: 120_000 }, async () => {
  const def = await getVariant('optimized');
  const broken = { ...def, steps: [def.steps[0]!, { kind: 'sql' as const, name: 'fails', sql: 'SELECT 1/0' }] };
  await assert.rejects(migrateVariant({ serverUrl: serverUrl(), prefix, variant: broken, concurrently: false }), /division by zero/);
  assert.match(await markOf(`${prefix}_optimized`), /building: incomplete/);
  const run = await cli(['run', '--variant', 'optimized', ...quick, '--out', tempDir('trust')], { env: env() });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`database "${prefix}_optimized" is incomplete \\(migrate was interrupted.*ledger-bench migrate --variant optimized`));
  assert.equal(hasStackTrace(run.stderr), false, run.stderr);
});

test('SIGINT during migrate leaves an incomplete mark, and run refuses the database', { timeout: 180_000 }, async () => {
  const db = `${prefix}_partitioned`;
  // Hold a lock on the clone as soon as it exists, so the migration is surely mid-step when SIGINT arrives.
  let locker: pg.Client | undefined;
  let sent = false;
  const r = await cli(['migrate', '--variant', 'partitioned', '--db-prefix', prefix], {
    env: env(),
    onStderr: (all, child) => {
      if (sent || !all.includes('building partitioned')) return;
      sent = true;
      void (async () => {
        for (let i = 0; i < 500; i++) {
          if (/building/.test(await markOf(db))) break;
          await new Promise((res) => setTimeout(res, 10));
        }
        locker = new pg.Client({ connectionString: withDatabase(serverUrl(), db) });
        await locker.connect();
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE journal_entry_lines IN ACCESS SHARE MODE');
        // The migration's next DDL on the table now waits for this lock.
        for (let i = 0; i < 100; i++) {
          const waiting = await withAdminClient(serverUrl(), async (c) =>
            (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [db])).rowCount,
          );
          if (waiting) break;
          await new Promise((res) => setTimeout(res, 50));
        }
        child.kill('SIGINT');
      })();
    },
  });
  await locker?.end().catch(() => undefined);
  assert.equal(r.code, 130, r.stderr);
  assert.match(await markOf(db), /building: incomplete/);
  const run = await cli(['run', '--variant', 'partitioned', ...quick, '--out', tempDir('trust')], { env: env() });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /is incomplete \(migrate was interrupted/);
});

test('run refuses an incomplete baseline and a database ledger-bench did not create (exit 2, no stack trace)', { timeout: 60_000 }, async () => {
  const other = `${prefix}x`;
  await recreateOwnedDatabase(serverUrl(), `${other}_baseline`, { purpose: 'baseline seeding (incomplete)' });
  const a = await cli(['run', '--variant', 'baseline', '--rate', '20', '--duration', '1s', '--warmup', '0s', '--quiet', '--db-prefix', other, '--out', tempDir('trust')], { env: env() });
  assert.equal(a.code, 2, a.stderr);
  assert.match(a.stderr, /baseline "ledger_bench_t_trust_\w+x_baseline" is incomplete \(its seeding was interrupted\): run `ledger-bench seed` again/);
  await withAdminClient(serverUrl(), (c) => c.query(`CREATE DATABASE ${prefix}_matviews`));
  const b = await cli(['run', '--variant', 'matviews', ...quick, '--out', tempDir('trust')], { env: env() });
  assert.equal(b.code, 2, b.stderr);
  assert.match(b.stderr, new RegExp(`database "${prefix}_matviews" .*was not created by ledger-bench`));
  const c = await cli(['verify', '--variants', 'matviews', '--sample', '1', '--db-prefix', prefix], { env: env() });
  assert.equal(c.code, 2, c.stderr);
  assert.match(c.stderr, new RegExp(`database "${prefix}_matviews" exists but was not created by ledger-bench`));
  const cmpOut = tempDir('trust');
  const d = await cli(['compare', '--variants', 'matviews', ...quick, '--out', cmpOut], { env: env() });
  assert.equal(d.code, 2, d.stderr);
  assert.deepEqual(readdirSync(cmpOut), [], 'refused before the baseline run');
  assert.match(d.stderr, new RegExp(`database "${prefix}_matviews" exists but was not created by ledger-bench`));
  assert.equal(hasStackTrace(a.stderr + b.stderr + c.stderr + d.stderr), false);
  assert.equal(await markOf(`${prefix}_matviews`), '', 'the foreign database was not touched');
});
