/**
 * `--target URL` (docs/target.md): run, isolate and capacity on a database ledger-bench
 * did not create, restored into the second server (Debian's PostgreSQL 15) with the
 * harness's marks removed, leave every row, table and setting of it as it was; a
 * target missing what the scenarios need is bad input naming each gap; and a
 * --database-url naming a database is refused instead of silently ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cli, hasStackTrace, lastLines } from '../helpers/cli.js';
import { scratchDatabase, serverUrl } from '../helpers/db.js';
import { foreignFixtureCopy } from '../helpers/foreign-copy.js';
import { tempDir } from '../helpers/temp-dir.js';
import { serverUrlProblem, withDatabase } from '../../src/db/connection-url.js';
import { withAdminClient } from '../../src/db/ownership.js';
import type { RunResult } from '../../src/result/types.js';

const pg15 = process.env.LEDGER_BENCH_PG15_URL;

/** Everything a measurement could change: rows (count and checksum per table), relations, extensions, the database's settings and comment. */
async function snapshot(url: string): Promise<Record<string, unknown>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1`);
    const tables = (await c.query<{ t: string }>(`SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`)).rows.map((r) => r.t);
    const rows: Record<string, string> = {};
    for (const t of tables) {
      const r = await c.query<{ n: string; h: string | null }>(`SELECT count(*) AS n, md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS h FROM ${t} x`);
      rows[t] = `${r.rows[0]!.n} ${r.rows[0]!.h}`;
    }
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      rows,
      relations: await q(`SELECT c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%' ORDER BY 1, 2`),
      functions: await q(`SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1`),
      extensions: await q(`SELECT extname FROM pg_extension ORDER BY 1`),
      roleSettings: await q(`SELECT setrole, setconfig FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1`),
      settings: await q(`SELECT name, setting FROM pg_settings WHERE source IN ('database', 'database user') ORDER BY 1`),
      comment: await q(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = current_database()`),
    };
  } finally {
    await c.end();
  }
}

/** The one result JSON a `run` wrote into `dir`. */
function runResult(dir: string): RunResult {
  const file = readdirSync(dir).find((f) => f.startsWith('result-') && f.endsWith('.json'));
  assert.ok(file, `a result in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResult;
}

const READS = 'balance-lookup=1,journal-entry-search=1,recent-entries=1,balance-history=1,anchor-obligation-summary=1,all-account-balances=1';
const quick = ['--budget', 'max<60000', '--quiet'];

test('run, isolate and capacity --target leave a foreign copy on PostgreSQL 15 unchanged; --allow-writes inserts only tagged entries', { skip: pg15 ? false : 'LEDGER_BENCH_PG15_URL not set (Debian postgresql-15 not installed)', timeout: 120_000 }, async () => {
  const copy = await foreignFixtureCopy(pg15!, 15, { entries: 1500 });
  try {
    const before = await snapshot(copy.url);
    const runOut = tempDir('target-run');
    const run = await cli(['run', '--target', copy.url, '--mix', READS, '--rate', '30', '--duration', '1s', '--warmup', '0.2s', ...quick, '--out', runOut]);
    assert.equal(run.code, 0, run.stderr);
    const result = runResult(runOut);
    const t = result.targetDatabase!;
    assert.equal(t.database, copy.name);
    assert.equal(t.readOnly, true);
    assert.equal(t.parameters.asOf, '2025-06-30', '"today" is the latest entry date of the fixture');
    assert.equal(t.queries.length, 6);
    // The fixture has the baseline's schema only: every scenario runs its before-query, and says why.
    for (const q of t.queries) assert.ok(q.side === 'before' && /^before-query: /.test(q.why), JSON.stringify(q));
    assert.ok(t.zeroRows.reduce((a, z) => a + z.reads, 0) > 0, 'reads were counted');
    assert.match(t.serverEvidence, /not created/);
    assert.match(run.stdout, /\| balance-lookup \| account_balances \(before\) \| before-query: /);

    const isoOut = tempDir('target-iso');
    const iso = await cli(['isolate', '--target', copy.url, '--scenarios', 'balance-lookup,balance-history', '--isolate-rate', '20', '--isolate-sec', '0.5s', '--isolate-warmup', '0s', ...quick, '--out', isoOut]);
    assert.equal(iso.code, 0, iso.stderr);
    assert.match(readFileSync(join(isoOut, 'report.md'), 'utf8'), /## Target database[\s\S]*\| balance-history \| window \(before\) \|/);

    const capOut = tempDir('target-cap');
    const cap = await cli(['capacity', '--target', copy.url, '--start-rate', '20', '--max-rate', '20', '--step-sec', '0.5s', '--step-warmup', '0s', '--mix', READS, ...quick, '--out', capOut]);
    assert.equal(cap.code, 0, cap.stderr);
    assert.deepEqual(await snapshot(copy.url), before, 'not a row, table or setting of the target changed');

    // With --allow-writes, post-journal-entry inserts entries carrying the run's tag, and the run counts them.
    const wOut = tempDir('target-writes');
    const w = await cli(['run', '--target', copy.url, '--allow-writes', '--mix', 'post-journal-entry=1', '--rate', '20', '--duration', '0.5s', '--warmup', '0s', ...quick, '--out', wOut]);
    assert.equal(w.code, 0, w.stderr);
    const wt = runResult(wOut).targetDatabase!;
    assert.equal(wt.readOnly, false);
    const c = new pg.Client({ connectionString: copy.url });
    await c.connect();
    try {
      const tagged = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM journal_entries WHERE description = $1`, [wt.entryTag])).rows[0]!.n);
      assert.ok(tagged > 0 && tagged === wt.entriesWritten, `${tagged} tagged entries, ${wt.entriesWritten} reported`);
      assert.match(w.stderr, new RegExp(`this run wrote ${tagged} journal entries`));
    } finally {
      await c.end();
    }
  } finally {
    await copy.drop();
  }
});

test('a target missing tables or columns is bad input naming each one; nothing runs', { timeout: 60_000 }, async () => {
  const db = await scratchDatabase('target_gap');
  try {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(`CREATE TABLE journal_entries (id uuid, date date, status text)`);
    await c.end();
    const out = tempDir('target-gap');
    const r = await cli(['run', '--target', db.url, '--mix', 'balance-lookup=1,journal-entry-search=1', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
    assert.match(r.stderr, /table "account_balances" is missing \(needed by balance-lookup/);
    assert.match(r.stderr, /table "journal_entry_lines" is missing \(needed by the parameter draws/);
    assert.match(r.stderr, /column "journal_entries\.source" is missing \(needed by the parameter draws, journal-entry-search\)/);
    assert.match(r.stderr, /column "journal_entries\.entry_number" is missing/);
    assert.deepEqual(lastLines(r.stderr), ['ledger-bench run: exit 2 (bad input)']);
    assert.deepEqual(readdirSync(out), [], 'nothing ran, nothing written');
  } finally {
    await db.drop();
  }
});

test('--target refuses write scenarios without --allow-writes, anchor-lifecycle always, and what cannot go with it (no database needed)', async () => {
  const nowhere = 'postgres://nobody@127.0.0.1:1/ledger';
  const r = await cli(['run', '--target', nowhere, '--mix', 'balance-lookup=1,post-journal-entry=1,anchor-lifecycle=1', '--variant', 'indexes']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /post-journal-entry writes .* add --allow-writes/);
  assert.match(r.stderr, /anchor-lifecycle cannot run on a --target/);
  assert.match(r.stderr, /--target and --variant exclude each other/);
  const w = await cli(['capacity', '--allow-writes']);
  assert.equal(w.code, 2, w.stderr);
  assert.match(w.stderr, /--allow-writes applies to --target only/);
});

test('--database-url naming a database other than the maintenance one is refused (pointing to --target), nothing created', { timeout: 60_000 }, async () => {
  assert.equal(serverUrlProblem('postgres://u@h/postgres', '--database-url'), undefined);
  assert.equal(serverUrlProblem('postgres://u@h', '--database-url'), undefined);
  assert.equal(serverUrlProblem('postgres://u@h/template1', '--database-url'), undefined);
  assert.match(serverUrlProblem('postgres://u:secret@h/sovr_staging', '--database-url') ?? '', /names the database "sovr_staging".*--target postgres:\/\/u:\*\*\*@h\/sovr_staging/);
  // Every command acquires its server through one function (src/db/server.ts acquireServer): a few of them as a user would.
  const prefix = `lb_tgt_${randomBytes(2).toString('hex')}`;
  const named = withDatabase(serverUrl(), `${prefix}_somedb`);
  const commands: string[][] = [['seed'], ['run', '--variant', 'baseline'], ['isolate']];
  const runs = await Promise.all(commands.map((args) => cli([...args, '--database-url', named, '--db-prefix', prefix])));
  runs.forEach((r, i) => {
    const name = commands[i]![0];
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`names the database "${prefix}_somedb".*use --target`), `${name}: ${r.stderr}`);
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  });
  const made = await withAdminClient(serverUrl(), async (c) => (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows);
  assert.deepEqual(made, [], 'no database created');
});
