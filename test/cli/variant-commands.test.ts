import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase, setOwnedDatabasePurpose, withAdminClient } from '../../src/db/ownership.js';
import { seedDatabase } from '../../seed/seed-database.js';
import { silentProgress } from '../../seed/progress.js';
import { resultSchema } from '../../src/result/schema.js';
import { tempDir } from '../helpers/temp-dir.js';

const prefix = `ledger_bench_t_cmd_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl() });

before(async () => {
  const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
  await seedDatabase({ url, scale: 'small', seed: 7, entries: 4000, progress: silentProgress });
  await setOwnedDatabasePurpose(serverUrl(), `${prefix}_baseline`, 'baseline complete scale=small seed=7 (test, 4000 entries)');
});

after(async () => {
  const names = await withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((r) => r.datname),
  );
  for (const n of names) await dropOwnedDatabase(serverUrl(), n);
});

test('migrate builds a variant and reports steps, index builds and sizes', { timeout: 120_000 }, async () => {
  const r = await cli(['migrate', '--variant', 'indexes', '--db-prefix', prefix], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`indexes -> ${prefix}_indexes: clone [\\d.]+ s`));
  assert.match(r.stdout, /idx_journal_entries_date_source_status\s+index\s+CONCURRENTLY\s+[\d.]+/);
});

test('migrate without --variant, or with an unknown one, is a user error', async () => {
  const a = await cli(['migrate', '--db-prefix', prefix], { env: env() });
  assert.equal(a.code, 2);
  assert.match(a.stderr, /migrate needs --variant: one of baseline, .*optimized, or all/);
  const b = await cli(['migrate', '--variant', 'indexs', '--db-prefix', prefix], { env: env() });
  assert.equal(b.code, 2);
  assert.match(b.stderr, /unknown variant "indexs" \(did you mean "indexes"\?\)/);
  assert.equal(hasStackTrace(a.stderr + b.stderr), false);
});

test('verify passes on identical data after writes', { timeout: 180_000 }, async () => {
  const r = await cli(['verify', '--variants', 'matviews', '--sample', '5', '--writes', '20', '--db-prefix', prefix], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /verify: OK: \d+ after-queries agree/);
});

test('compare runs each variant on the same data and writes results as it goes', { timeout: 180_000 }, async () => {
  const out = tempDir('cmp');
  const r = await cli(
    ['compare', '--variants', 'baseline,indexes', '--mix', 'journal-entry-search=3,post-journal-entry=1', '--rate', '40', '--duration', '2s', '--warmup', '0.5s', '--quiet', '--out', out, '--db-prefix', prefix,
      // A budget any run meets on a busy test machine (budget failures exit 99; see test/cli/bench.test.ts).
      '--budget', 'avg<60000'],
    { env: env() },
  );
  assert.equal(r.code, 0, r.stderr);
  // compare's stdout leads with the answer, then the p95 table (intervals, improvement with its interval).
  assert.match(r.stdout, /^\n## The answer\n\nDoes the review's claim hold\?/);
  assert.match(r.stdout, /\| journal-entry-search \| 200-500 \| 20-50 \| [\d.]+ (\[[^\]]+\]|\([^)]+\)) \| [\d.]+ (\[[^\]]+\]|\([^)]+\)), (no significant difference|[\d.]+x (faster|slower))[^|]* \|/);
  assert.match(r.stdout, /## Budget verdicts/);
  for (const f of ['baseline.json', 'indexes.json', 'comparison.json', 'comparison.md']) assert.ok(existsSync(join(out, f)), f);
  const base = resultSchema.parse(JSON.parse(readFileSync(join(out, 'baseline.json'), 'utf8')));
  const idx = resultSchema.parse(JSON.parse(readFileSync(join(out, 'indexes.json'), 'utf8')));
  assert.equal(base.seed, idx.seed);
  // Every variant alike, the baseline included, pre-warmed before its clock started; a
  // sub-second --warmup stays fixed (--max-warmup auto).
  for (const r of [base, idx]) {
    assert.ok(r.prewarm && r.prewarm.relations > 0, JSON.stringify(r.prewarm));
    assert.deepEqual(r.warmup, { minSec: 0.5, maxSec: 0.5, endedSec: 0.5, settled: null });
  }
  assert.deepEqual(base.scenarios.map((s) => s.name).sort(), ['journal-entry-search', 'post-journal-entry']);
  assert.ok(idx.scenarios.every((s) => s.count > 0 && s.errors === 0), JSON.stringify(idx.scenarios.map((s) => [s.name, s.count, s.errorsByCode])));
  assert.equal(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')).complete, true);
  assert.ok(!JSON.stringify(base.config).includes(serverUrl()), 'no database URL in the result');
});
