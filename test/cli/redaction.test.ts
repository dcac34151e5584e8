/**
 * The password of --database-url never leaves the process: not on stdout, not on
 * stderr, not in any file a command writes (result JSON, comparison.json/.md). Every
 * command that takes a URL runs here with a password in it, on a role that has one,
 * and every output is searched for it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli, type CliRun } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';
import { tempDir } from '../helpers/temp-dir.js';

const PASSWORD = 's3cr3t-PW-ledger';
const tag = randomBytes(3).toString('hex');
const role = `ledger_bench_t_pw_${tag}`;
const prefix = `ledger_bench_t_pw_${tag}`;
const work = tempDir('redact');

/** The suite's server, as the password-holding role. */
function urlWithPassword(): string {
  const u = new URL(serverUrl());
  u.username = role;
  u.password = PASSWORD;
  return u.toString();
}

before(async () => {
  // A real role with a password (trust servers accept any password; others check it).
  await withAdminClient(serverUrl(), (c) => c.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`));
});

after(async () => {
  const names = await withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((r) => r.datname),
  );
  for (const n of names) await dropOwnedDatabase(serverUrl(), n);
  await withAdminClient(serverUrl(), (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Fails naming the command and the stream or file that holds the password. */
function assertNoPassword(what: string, r: CliRun, outDir?: string): void {
  const forms = [PASSWORD, encodeURIComponent(PASSWORD)];
  for (const f of forms) {
    assert.ok(!r.stdout.includes(f), `${what}: password on stdout:\n${r.stdout}`);
    assert.ok(!r.stderr.includes(f), `${what}: password on stderr:\n${r.stderr}`);
    for (const file of outDir ? filesUnder(outDir) : []) {
      assert.ok(!readFileSync(file, 'utf8').includes(f), `${what}: password in ${file}`);
    }
  }
}

test('the --database-url password appears in no output of seed, migrate, verify, run, compare, bench', { timeout: 600_000 }, async () => {
  const url = urlWithPassword();
  const env = { DATABASE_URL: undefined, LEDGER_BENCH_DATABASE_URL: undefined };
  const common = ['--database-url', url, '--db-prefix', prefix];
  // The tiny scale: this is about what commands print and write, not about the data (seconds, not minutes).
  const tiny = ['--scale', 'tiny'];
  // This test is about outputs, not speed: a budget no run misses (exit 99 would hide a
  // failure) and two frequent scenarios, so none goes without data in 1 s (50 arrivals,
  // each scenario drawn with probability 1/2: both drawn but for a 2 x 2^-50 chance).
  // A short fixed warm-up (--max-warmup = --warmup): waiting for a steady state adds nothing to what this test checks.
  const load = ['--rate', '50', '--duration', '1s', '--warmup', '0.5s', '--max-warmup', '0.5s', '--budget', 'max<60000', '--quiet'];
  const mix = ['--mix', 'balance-lookup=1,post-journal-entry=1'];
  const step = async (what: string, args: string[], expected: number, outDir?: string): Promise<CliRun> => {
    const r = await cli(args, { env, timeoutMs: 300_000 });
    assert.equal(r.code, expected, `${what}: ${r.stderr}`);
    assertNoPassword(what, r, outDir);
    return r;
  };

  await step('seed', ['seed', ...common, ...tiny, '--quiet'], 0);
  await step('migrate', ['migrate', ...common, '--variant', 'indexes'], 0);
  await step('verify', ['verify', ...common, '--variants', 'indexes', '--sample', '3', '--writes', '10'], 0);

  const runOut = join(work, 'run');
  const run = await step('run', ['run', ...common, '--variant', 'indexes', ...mix, ...load, '--out', runOut], 0, runOut);
  assert.equal(filesUnder(runOut).length, 1, 'run wrote its result JSON');
  const json = await step('run --json', ['run', ...common, '--variant', 'indexes', ...mix, ...load, '--json', '--out', runOut], 0, runOut);
  assert.match(json.stdout, /"config"/);
  assert.match(run.stderr, /result written to/);

  const script = join(work, 'q.sql');
  writeFileSync(script, '\\set id random(1, 100)\nSELECT :id::int + 1;\n');
  const sqlOut = join(work, 'sql');
  await step('run --sql-file', ['run', '--database-url', url, '--sql-file', script, ...load, '--out', sqlOut], 0, sqlOut);

  const cmpOut = join(work, 'compare');
  await step('compare', ['compare', ...common, '--variants', 'indexes', ...mix, ...load, '--out', cmpOut], 0, cmpOut);
  assert.ok(existsSync(join(cmpOut, 'comparison.json')) && existsSync(join(cmpOut, 'comparison.md')));
  const cmp = JSON.parse(readFileSync(join(cmpOut, 'comparison.json'), 'utf8')) as { runs: Array<{ variant: string; migration?: { database: string } }> };
  assert.equal(cmp.runs.find((r) => r.variant === 'indexes')?.migration?.database, `${prefix}_indexes`);

  // The baseline seeded above has bench's scale and default seed: bench reuses it.
  const benchOut = join(work, 'bench');
  // One short capacity probe and one short isolation run per scenario: their files and output are checked too, in little time.
  const short = ['--bench-probes', '1', '--step-sec', '1s', '--step-warmup', '0.5s', '--isolate-sec', '1s', '--scenarios', 'balance-lookup', '--isolate-warmup', '0s'];
  const bench = await step('bench', ['bench', ...common, ...tiny, '--variants', 'indexes', '--sample', '3', '--writes', '10', ...mix, ...load, ...short, '--out', benchOut], 0, benchOut);
  assert.match(bench.stderr, /reusing /);

  // Failure paths name the server too: a missing variant database, a rejected script.
  const missing = await step('run (no such variant database)', ['run', ...common, '--variant', 'matviews', ...load], 2);
  assert.match(missing.stderr, /does not exist on PostgreSQL [\d.]+ at postgres:\/\/[^ ]*:\*\*\*@/);
  writeFileSync(script, 'SELEC 1;\n');
  await step('run --sql-file (bad SQL)', ['run', '--database-url', url, '--sql-file', script, ...load, '--out', sqlOut], 2, sqlOut);

  // The log of the embedded server the suite runs on (when it does), which we configure.
  const dataDir = process.env.LEDGER_BENCH_TEST_DATA_DIR;
  const serverLog = dataDir ? join(dataDir, 'server.log') : '';
  if (serverLog && existsSync(serverLog)) assert.ok(!readFileSync(serverLog, 'utf8').includes(PASSWORD), `password in ${serverLog}`);
});
