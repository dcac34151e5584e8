/**
 * `run --variant` collects server evidence too (outside the timed window), skips it
 * with --no-evidence, and on the seeded baseline itself reads counters only: it never
 * creates pg_stat_statements there (the baseline is never changed).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { buildFixtureBaseline } from '../helpers/fixture.js';
import { dropOwnedDatabase, recreateOwnedDatabase, setOwnedDatabasePurpose } from '../../src/db/ownership.js';
import { newClient } from '../../src/db/client.js';
import { withDatabase } from '../../src/db/connection-url.js';
import { dataFingerprint } from '../../src/db/fingerprint.js';
import { baselineCompletePurpose } from '../../src/db/marks.js';
import { migrateVariant } from '../../src/variant-build/migrate.js';
import { getVariant } from '../../variants/registry.js';
import { resultSchema } from '../../src/result/schema.js';

const prefix = `ledger_bench_t_evr_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl() });
// About what is collected, not latency: a budget no busy machine misses keeps the exit code 0.
const quick = ['--rate', '30', '--duration', '1s', '--warmup', '0s', '--quiet', '--budget', 'max<600000', '--db-prefix', prefix, '--mix', 'journal-entry-search=1', '--json'];

before(async () => {
  const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
  await buildFixtureBaseline({ url, entries: 3000 });
  const c = newClient({ connectionString: url });
  await c.connect();
  const fp = await dataFingerprint(c).finally(() => c.end());
  await setOwnedDatabasePurpose(serverUrl(), `${prefix}_baseline`, baselineCompletePurpose('fixture', fp));
  await migrateVariant({ serverUrl: serverUrl(), prefix, variant: await getVariant('indexes'), concurrently: false });
});

after(async () => {
  for (const v of ['baseline', 'indexes']) await dropOwnedDatabase(serverUrl(), `${prefix}_${v}`);
});

const run = async (variant: string, extra: string[] = []) => {
  const r = await cli(['run', '--variant', variant, ...quick, '--out', mkdtempSync(join(tmpdir(), 'lb-evr-')), ...extra], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  return resultSchema.parse(JSON.parse(r.stdout));
};

test('run --variant indexes records the evidence; --no-evidence leaves it out', { timeout: 120_000 }, async () => {
  const res = await run('indexes');
  const search = res.evidence?.scenarios.find((s) => s.scenario === 'journal-entry-search');
  assert.ok(search?.plan?.indexes.includes('idx_journal_entries_date_source_status'), JSON.stringify(res.evidence));
  assert.equal(res.evidence!.statementsAvailable, true, res.evidence!.statementsUnavailable);
  assert.ok(search!.statement!.calls > 0);
  // Pre-warmed before the clock started, and the result says how.
  assert.ok(res.prewarm && ['pg_prewarm', 'read-pass'].includes(res.prewarm.method) && res.prewarm.relations > 0, JSON.stringify(res.prewarm));
  assert.equal((await run('indexes', ['--no-evidence'])).evidence, undefined);
});

test('on the seeded baseline it creates nothing: statement counters are unavailable, plans and indexes still there', { timeout: 120_000 }, async () => {
  const res = await run('baseline');
  assert.equal(res.evidence!.statementsAvailable, false);
  // Pre-warmed with a read pass: pg_prewarm is not created in the seeded baseline either.
  assert.equal(res.prewarm?.method, 'read-pass');
  assert.match(res.evidence!.statementsUnavailable!, /does not exist in this database and was not created/);
  assert.ok(res.evidence!.scenarios[0]!.plan);
  const c = newClient({ connectionString: withDatabase(serverUrl(), `${prefix}_baseline`) });
  await c.connect();
  const ext = await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`).finally(() => c.end());
  assert.equal(ext.rowCount, 0);
});
