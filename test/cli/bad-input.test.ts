import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, hasStackTrace, lastLines } from '../helpers/cli.js';
import { withAdminClient } from '../../src/db/ownership.js';
import { serverUrl } from '../helpers/db.js';

/**
 * Every database on the server but those of the other test files, which may come and go
 * meanwhile (test/concurrent-files.ts): they are all named ledger_bench_t_<file>_<random>,
 * a name no command here can create but under its own prefix ledger_bench_t_badmix_.
 */
async function databaseNames(): Promise<string[]> {
  return withAdminClient(serverUrl(), async (c) =>
    (
      await c.query<{ datname: string }>(
        String.raw`SELECT datname FROM pg_database WHERE datname NOT LIKE 'ledger\_bench\_t\_%' OR datname LIKE 'ledger\_bench\_t\_badmix\_%' ORDER BY 1`,
      )
    ).rows.map((r) => r.datname),
  );
}

test('bad input: every problem at once, exit 2, no stack trace, no database touched', async () => {
  const before = await databaseNames();
  const r = await cli(['seed', '--scale', 'huge', '--seed', '-3', '--db-prefix', 'Bad-Prefix', '--zipf-thta', '1'], {
    env: { DATABASE_URL: serverUrl() },
  });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  assert.match(r.stderr, /4 problems/);
  assert.match(r.stderr, /--scale expected one of tiny, small, medium, large/);
  assert.match(r.stderr, /--seed must be at least 0/);
  assert.match(r.stderr, /--db-prefix expected lower-case letters/);
  assert.match(r.stderr, /unknown option --zipf-thta \(did you mean --zipf-theta\?\)/);
  assert.deepEqual(lastLines(r.stderr), ['ledger-bench seed: exit 2 (bad input)']);
  assert.deepEqual(await databaseNames(), before);
});

test('an unreachable --database-url is a clear user error', async () => {
  const r = await cli(['seed', '--database-url', 'postgres://nobody:secret@127.0.0.1:1/postgres']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/postgres/);
  assert.doesNotMatch(r.stderr, /secret/, 'the password is never printed');
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  assert.deepEqual(lastLines(r.stderr), ['ledger-bench seed: exit 2 (bad input)']);
});

test('unknown command suggests the closest one', async () => {
  const r = await cli(['sed']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "sed" \(did you mean "seed"\?\)/);
  assert.deepEqual(lastLines(r.stderr), ['ledger-bench: exit 2 (bad input)']);
  const none = await cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /^Usage: ledger-bench <command>/m);
  assert.deepEqual(lastLines(none.stderr), ['ledger-bench: exit 2 (bad input: no command given)']);
});

test('--help works for the binary and every command', async () => {
  const top = await cli(['--help']);
  assert.equal(top.code, 0);
  const names = [...top.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
  assert.ok(names.includes('seed') && names.includes('db'), top.stdout);
  for (const name of names) {
    const h = await cli([name, '--help']);
    assert.equal(h.code, 0, `${name} --help: ${h.stderr}`);
    assert.match(h.stdout, new RegExp(`^Usage: ledger-bench ${name}`));
    assert.match(h.stdout, /-h, --help/);
  }
});

test('settings problems and list problems (--mix, --variants) come out as one list', async () => {
  const r = await cli(['run', '--rate', '-5', '--mix', 'x=1', '--duration', 'zz'], { env: { DATABASE_URL: serverUrl() } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /ledger-bench run: 3 problems:/);
  assert.match(r.stderr, /- --rate must be at least/);
  assert.match(r.stderr, /- --duration expected a duration/);
  assert.match(r.stderr, /- --mix: unknown scenario "x"/);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);

  for (const command of ['compare', 'bench']) {
    const c = await cli([command, '--rate', '-5', '--mix', 'x=1', '--variants', 'indexs'], { env: { DATABASE_URL: serverUrl() } });
    assert.equal(c.code, 2, c.stderr);
    assert.match(c.stderr, new RegExp(`ledger-bench ${command}: 3 problems:`));
    assert.match(c.stderr, /- --rate must be at least/);
    assert.match(c.stderr, /- --variants: unknown variant "indexs" \(did you mean "indexes"\?\)/);
    assert.match(c.stderr, /- --mix: unknown scenario "x"/);
  }
  const m = await cli(['migrate', '--variant', 'nope', '--db-prefix', 'Bad'], { env: { DATABASE_URL: serverUrl() } });
  assert.equal(m.code, 2, m.stderr);
  assert.match(m.stderr, /2 problems:[\s\S]*--db-prefix[\s\S]*--variant: unknown variant "nope"/);
});

test('bench checks --mix and --variants before it touches any server or database', { timeout: 300_000 }, async () => {
  const before = await databaseNames();
  const prefix = `ledger_bench_t_badmix_${process.pid}`;
  const r = await cli(['bench', '--db-prefix', prefix, '--mix', 'balance-lookup=1,nope=2', '--quiet'], { env: { DATABASE_URL: serverUrl() } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--mix: unknown scenario "nope"/);
  assert.doesNotMatch(r.stderr, /\[1\/4\] server/, 'no step started');
  assert.deepEqual(await databaseNames(), before, 'no database created or changed');
});

test('bench refuses foreign databases its later steps would replace before it seeds anything, every one at once', { timeout: 300_000 }, async () => {
  // Under the prefix databaseNames() watches (the other files' databases come and go meanwhile).
  const prefix = `ledger_bench_t_badmix_foreign_${process.pid}`;
  // Not created by ledger-bench (no ownership comment): the capacity step's probe clone and verify's scratch clone.
  const foreign = [`${prefix}_baseline_cap`, `${prefix}_optimized_verify`];
  await withAdminClient(serverUrl(), async (c) => {
    for (const n of foreign) await c.query(`CREATE DATABASE "${n}"`);
  });
  try {
    const before = await databaseNames();
    const r = await cli(['bench', '--db-prefix', prefix, '--quiet'], { env: { DATABASE_URL: serverUrl() } });
    assert.equal(r.code, 2, r.stderr);
    for (const n of foreign) assert.match(r.stderr, new RegExp(`database "${n}" exists but was not created by ledger-bench`));
    assert.match(r.stderr, /--force/);
    assert.doesNotMatch(r.stderr, /\[2\/\d\] seed/, 'nothing seeded');
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
    assert.deepEqual(lastLines(r.stderr), ['ledger-bench bench: exit 2 (bad input)']);
    assert.deepEqual(await databaseNames(), before, 'no database created or changed');
  } finally {
    await withAdminClient(serverUrl(), async (c) => {
      for (const n of foreign) await c.query(`DROP DATABASE IF EXISTS "${n}"`);
    });
  }
});

test('a segmented baseline run whose mix writes is bad input (segments would recreate one clone under each other); read-only mixes pass validation', async () => {
  const before = await databaseNames();
  const r = await cli(['run', '--variant', 'baseline', '--segment', '2/3', '--duration', '2s'], { env: { DATABASE_URL: serverUrl() } });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  assert.match(r.stderr, /--segment 2\/3 with --variant baseline and a mix that writes: each segment would recreate ledger_bench_baseline_run/);
  assert.match(r.stderr, /--variant base-copy --segment I\/N\), or leave the write scenarios out with --mix/);
  assert.deepEqual(lastLines(r.stderr), ['ledger-bench run: exit 2 (bad input)']);
  assert.deepEqual(await databaseNames(), before);
  // Without segments, or with reads only, that problem is not raised (the run then fails later for its own reasons: a wrong prefix here).
  for (const extra of [['--segment', '1/1'], ['--segment', '2/3', '--mix', 'balance-lookup=1']]) {
    const ok = await cli(['run', '--variant', 'baseline', '--duration', '2s', '--db-prefix', 'lb_no_such_prefix', ...extra], { env: { DATABASE_URL: serverUrl() } });
    assert.doesNotMatch(ok.stderr, /a mix that writes/, ok.stderr);
  }
});
