/** `ledger-bench scale` end to end on tiny, a custom size and small (short windows), its bad input, reuse and Ctrl-C; `seed --entries/--accounts`. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cli, hasStackTrace, lastLines } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { tempDir } from '../helpers/temp-dir.js';
import { dropOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';
import { withDatabase } from '../../src/db/connection-url.js';
import { parseScaleFile } from '../../src/result/scale-schema.js';

const prefix = `lb_t_scale_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl() });
const ours = () => withAdminClient(serverUrl(), async (c) => (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((r) => r.datname));

after(async () => {
  for (const n of await ours()) await dropOwnedDatabase(serverUrl(), n);
});

test('scale and seed: every bad flag at once, exit 2, no stack trace, no database created', async () => {
  const r = await cli(['scale', '--scales', 'tiny,huge,0,tiny', '--variants', 'nope', '--scenarios', 'no-such', '--isolate-sec', '0', '--production-entries', '-5', '--db-prefix', prefix], { env: env() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--production-entries must be at least 0/);
  assert.match(r.stderr, /--scales: "huge" is neither a scale/);
  assert.match(r.stderr, /--scales: "0": entries must be between 1 and/);
  assert.match(r.stderr, /--scales: the size tiny \(5000x10000\) is listed twice/);
  assert.match(r.stderr, /--variants: unknown variant "nope"/);
  assert.match(r.stderr, /--scenarios: unknown scenario "no-such"/);
  assert.match(r.stderr, /--isolate-sec must be above 0/);
  assert.equal(hasStackTrace(r.stderr), false);
  const one = await cli(['scale', '--scales', 'small', '--db-prefix', prefix], { env: env() });
  assert.equal(one.code, 2, one.stderr);
  assert.match(one.stderr, /name at least two sizes with different entry counts/);
  const seed = await cli(['seed', '--entries', '-3', '--accounts', '1.5', '--db-prefix', prefix], { env: env() });
  assert.equal(seed.code, 2, seed.stderr);
  assert.match(seed.stderr, /--entries must be at least 0/);
  assert.match(seed.stderr, /--accounts expected a whole number/);
  assert.deepEqual(await ours(), []);
});

test('seed --entries N --accounts M: a custom size, recorded as NxM in the mark and the metadata, user addresses in the scale\'s proportion', { timeout: 120_000 }, async () => {
  const r = await cli(['seed', '--scale', 'tiny', '--entries', '2000', '--accounts', '500', '--quiet', '--db-prefix', `${prefix}_c`], { env: env(), timeoutMs: 100_000 });
  assert.equal(r.code, 0, r.stderr);
  const c = new pg.Client({ connectionString: withDatabase(serverUrl(), `${prefix}_c_baseline`) });
  await c.connect();
  try {
    const q = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
    assert.equal(await q('SELECT count(*) AS n FROM journal_entries'), 2000);
    // 500 regular accounts and the 8 system ones.
    assert.equal(await q('SELECT count(*) AS n FROM accounts'), 508);
    const meta = (await c.query<{ value: { scale: string; userAddresses: number; zipfAccounts: number } }>(`SELECT value FROM ledger_bench_meta WHERE key = 'seed'`)).rows[0]!.value;
    // tiny has 5,000 addresses for 10,000 accounts: 250 for 500.
    assert.deepEqual([meta.scale, meta.zipfAccounts, meta.userAddresses], ['2000x500', 500, 250]);
  } finally {
    await c.end();
  }
  const mark = await withAdminClient(serverUrl(), async (a) => (await a.query<{ d: string }>(`SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = $1`, [`${prefix}_c_baseline`])).rows[0]!.d);
  assert.match(mark, /baseline complete scale=2000x500 base=tiny seed=42 /);
});

// tiny, a custom size and small: three sizes, so each fit has a slope interval (seeding small takes ~4 s).
const scaleArgs = (out: string, scales = 'tiny,10000,small') => [
  'scale', '--db-prefix', prefix, '--scales', scales, '--variants', 'baseline,indexes', '--scenarios', 'balance-history',
  '--isolate-sec', '0.5s', '--isolate-warmup', '0.2s', '--production-entries', '1000000',
  // A budget any run meets on a busy test machine; 0.5 s windows leave a p95 undecided (too few samples), let through:
  // this test is about the job.
  '--budget-ms', '60000', '--inconclusive', 'pass', '--out', out,
];

test('scale: seeds each size (tiny, a custom one, small), builds, measures each query alone, fits with an interval, writes scale.json and four reports; then reuses the baselines, and Ctrl-C leaves a partial scale.json (130)', { timeout: 240_000 }, async () => {
  const out = tempDir('scale');
  const r = await cli(scaleArgs(out), { env: env(), timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(lastLines(r.stderr)[0]!, /ledger-bench scale: exit 0 \(ok\)/);
  // Progress: each size seeded, each variant built, each query measured.
  assert.match(r.stderr, /scale \[1\/3\] tiny \(5,000 entries\): seeded in [\d.]+ s/);
  assert.match(r.stderr, /scale \[2\/3\] 10000x10000 \(10,000 entries\): seeded in [\d.]+ s/);
  assert.match(r.stderr, /scale \[2\/3\] 10000x10000 \(10,000 entries\): built indexes in [\d.]+ s/);
  assert.match(r.stderr, /scale \[3\/3\] small \(100,000 entries\): seeded in [\d.]+ s/);
  assert.match(r.stderr, /scale \[3\/3\] small \(100,000 entries\): built indexes in [\d.]+ s/);
  assert.equal([...r.stderr.matchAll(/: (baseline|indexes) \/ balance-history: (p95 [\d.]+ ms|no data) at \d+\/s/g)].length, 6);
  // The custom size holds what it says.
  const c = new pg.Client({ connectionString: withDatabase(serverUrl(), `${prefix}_e10000_a10000_baseline`) });
  await c.connect();
  const n = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM journal_entries')).rows[0]!.n);
  await c.end();
  assert.equal(n, 10_000);
  const parsed = parseScaleFile(JSON.parse(readFileSync(join(out, 'scale.json'), 'utf8')));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const f = parsed.value;
  assert.equal(f.partial, false);
  assert.deepEqual(f.sizes.map((s) => [s.label, s.entries, s.reused]), [['tiny', 5000, false], ['10000x10000', 10_000, false], ['small', 100_000, false]]);
  assert.equal(f.points.length, 6);
  for (const p of f.points) assert.ok(existsSync(join(out, p.resultFile)), p.resultFile);
  assert.equal(f.fits.length, 2);
  for (const fit of f.fits) {
    // Three sizes: a slope with its interval around it; the estimate is labelled and has a prediction interval around it.
    assert.equal(fit.n, 3);
    assert.equal(typeof fit.slope, 'number');
    assert.ok(fit.slopeCi && fit.slopeCi.low < fit.slope! && fit.slope! < fit.slopeCi.high, JSON.stringify(fit));
    assert.equal(fit.production?.kind, 'model estimate');
    const est = fit.production!;
    assert.ok(est.interval && est.interval.low < est.p95Ms && est.p95Ms < est.interval.high, JSON.stringify(est));
  }
  for (const file of ['report.md', 'report.json', 'junit.xml', 'report.html']) assert.ok(existsSync(join(out, file)), file);
  assert.match(r.stdout, /### balance-history\n/);
  // Each variant's row prints the exponent with its interval, and the estimate with its prediction interval.
  assert.equal([...r.stdout.matchAll(/ \| -?[\d.]+ \[-?[\d.]+, -?[\d.]+\], (flat|logarithmic-ish|linear|worse) \| ~\S+ \[\S+, \S+\] \(model estimate\) \|/g)].length, 2, r.stdout);
  assert.doesNotMatch(r.stdout, /no interval: 2 sizes/);

  // Again, on the two smaller sizes only (Ctrl-C comes after the first point: small would never be reached):
  // their baselines are reused.
  const out2 = tempDir('scale-int');
  let sent = false;
  const r2 = await cli(scaleArgs(out2, 'tiny,10000'), {
    env: env(),
    timeoutMs: 120_000,
    onStderr: (all, child) => {
      if (!sent && /: baseline \/ balance-history: p95/.test(all)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.equal(r2.code, 130, r2.stderr);
  assert.match(r2.stderr, /scale \[1\/2\] tiny \(5,000 entries\): reusing/);
  assert.match(lastLines(r2.stderr)[0]!, /exit 130 \(interrupted/);
  const f2 = JSON.parse(readFileSync(join(out2, 'scale.json'), 'utf8'));
  assert.equal(f2.partial, true);
  assert.ok(f2.points.length >= 1 && f2.points.length < 4, String(f2.points.length));
  assert.equal(f2.sizes[0].reused, true);
});
