/**
 * `--variants-dir`: an engineer's own index, as a .sql file, compared like a built-in
 * variant (README: `echo 'CREATE INDEX ...' > my/idx.sql`), and the splitter that
 * turns such a file into steps.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase, setOwnedDatabasePurpose, withAdminClient } from '../../src/db/ownership.js';
import { seedDatabase } from '../../seed/seed-database.js';
import { silentProgress } from '../../seed/progress.js';
import { splitSqlStatements } from '../../src/variant-build/sql-split.js';
import { sqlFileSteps } from '../../src/variant-build/sql-dir.js';
import { tempDir } from '../helpers/temp-dir.js';

const prefix = `ledger_bench_t_vdir_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl() });

async function databasesLike(pattern: string): Promise<string[]> {
  return withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1`, [pattern])).rows.map((r) => r.datname),
  );
}

test('the splitter ends statements only at top-level semicolons', () => {
  const script = [
    "-- a comment; not a statement",
    "CREATE INDEX a ON t (x) WHERE s = 'a;b''c';",
    '/* block; /* nested; */ still comment; */',
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;',
    "SELECT E'it\\'s; fine', \"odd;name\", $$x;y$$",
    ';;',
  ].join('\n');
  const got = splitSqlStatements(script);
  assert.deepEqual(
    got.map((s) => s.line),
    [2, 4, 5],
  );
  assert.equal(got[0]!.sql, "CREATE INDEX a ON t (x) WHERE s = 'a;b''c'");
  assert.match(got[1]!.sql, /\$body\$ BEGIN RETURN 1; END \$body\$$/);
  assert.equal(got[2]!.sql, "SELECT E'it\\'s; fine', \"odd;name\", $$x;y$$");
  assert.throws(() => splitSqlStatements("SELECT 'open"), /string opened on line 1 is never closed/);
  assert.throws(() => splitSqlStatements('SELECT $q$ open'), /dollar quote \$q\$ opened on line 1/);
});

test('a SQL file becomes one step per statement; CONCURRENTLY ones run outside a transaction', () => {
  const steps = sqlFileSteps('idx.sql', 'CREATE INDEX CONCURRENTLY i1 ON journal_entries (source);\ncreate unique index i2 on accounts (code, id);\nANALYZE accounts;');
  assert.deepEqual(
    steps.map((s) => [s.transaction, s.createsIndex]),
    [
      [false, { index: 'i1', table: 'journal_entries' }],
      [undefined, { index: 'i2', table: 'accounts' }],
      [undefined, undefined],
    ],
  );
  assert.match(steps[0]!.name, /^idx\.sql:1 CREATE INDEX CONCURRENTLY i1/);
});

before(async () => {
  const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
  await seedDatabase({ url, scale: 'small', seed: 7, entries: 3000, progress: silentProgress });
  await setOwnedDatabasePurpose(serverUrl(), `${prefix}_baseline`, 'baseline complete scale=small seed=7 (test, 3000 entries)');
});

after(async () => {
  for (const n of await databasesLike(`${prefix}%`)) await dropOwnedDatabase(serverUrl(), n);
});

test('compare --variants-dir runs a .sql variant beside the baseline, with its index built and sized', { timeout: 180_000 }, async () => {
  const dir = tempDir('vdir');
  const my = join(dir, 'my');
  mkdirSync(my);
  writeFileSync(join(my, 'idx.sql'), 'CREATE INDEX CONCURRENTLY idx_my_lines_account ON journal_entry_lines (account_id, journal_entry_id);\n');
  const out = join(dir, 'out');
  const r = await cli(
    ['compare', '--variants-dir', my, '--variants', 'baseline,idx', '--mix', 'balance-history=1', '--rate', '20', '--duration', '1s', '--warmup', '0.2s', '--quiet', '--out', out, '--db-prefix', prefix,
      // A budget any run meets on a busy machine: this is about the variants directory, not speed.
      '--budget', 'max<60000'],
    { env: env() },
  );
  assert.equal(r.code, 0, r.stderr);
  const cmp = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')) as {
    complete: boolean;
    runs: Array<{ variant: string; migration?: { steps: Array<{ name: string; transaction: boolean; ms: number }>; indexes: Array<{ index: string; concurrently: boolean; sizeBytes: number }> } }>;
  };
  assert.equal(cmp.complete, true);
  assert.deepEqual(cmp.runs.map((x) => x.variant), ['baseline', 'idx']);
  const m = cmp.runs[1]!.migration!;
  assert.equal(m.steps.length, 1);
  assert.equal(m.steps[0]!.transaction, false, 'CREATE INDEX CONCURRENTLY runs outside a transaction');
  assert.deepEqual(m.indexes.map((i) => [i.index, i.concurrently]), [['idx_my_lines_account', true]]);
  assert.ok(m.indexes[0]!.sizeBytes > 0, 'the index size is measured');
  // A featureless variant runs the baseline's queries: same prepared statement label.
  const idx = JSON.parse(readFileSync(join(out, 'idx.json'), 'utf8')) as { variant: string; scenarios: Array<{ name: string; count: number }> };
  assert.equal(idx.variant, 'idx');
  assert.ok(idx.scenarios.find((s) => s.name === 'balance-history')!.count > 0);
});

test('a failing statement leaves no half-built variant', { timeout: 120_000 }, async () => {
  const dir = tempDir('vdir');
  writeFileSync(join(dir, 'broken.sql'), 'CREATE INDEX idx_ok ON accounts (code);\nCREATE INDEX idx_bad ON no_such_table (x);\n');
  const r = await cli(['migrate', '--variants-dir', dir, '--variant', 'broken', '--db-prefix', prefix], { env: env() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /broken\.sql: variant step "broken\.sql:2 CREATE INDEX idx_bad ON no_such_table.*" failed: relation "no_such_table" does not exist; the clone was dropped/);
  assert.equal(hasStackTrace(r.stderr), false);
  assert.deepEqual(await databasesLike(`${prefix}_broken`), [], 'the clone was dropped');
});

test('bad .sql variant names and clashes with built-in variants are user errors, all reported at once', async () => {
  const dir = tempDir('vdir');
  writeFileSync(join(dir, 'indexes.sql'), 'CREATE INDEX x ON accounts (code);');
  writeFileSync(join(dir, 'My Index.sql'), 'CREATE INDEX y ON accounts (code);');
  writeFileSync(join(dir, 'empty.sql'), '-- nothing here\n');
  const existing = await databasesLike(`${prefix}_%`);
  const r = await cli(['migrate', '--variants-dir', dir, '--variant', 'all', '--db-prefix', prefix], { env: env() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /"My Index" is not a valid variant name/);
  assert.match(r.stderr, /indexes\.sql would replace the built-in variant "indexes"/);
  assert.match(r.stderr, /empty\.sql holds no SQL statement/);
  assert.equal(hasStackTrace(r.stderr), false);
  const missing = await cli(['compare', '--variants-dir', join(dir, 'nope'), '--db-prefix', prefix], { env: env() });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--variants-dir: .*nope is not a directory/);
  assert.deepEqual(await databasesLike(`${prefix}_%`), existing, 'nothing was created');
});
