/**
 * `ledger-bench gate` on a real server: head == base passes in repeated runs (no false
 * alarm), a head without the index journal-entry-search needs fails with exit 99 for
 * the right reason (a regression, budgets met), the reverse change passes as an
 * improvement, stored per-block results can be gated again without a run, and bad
 * input is refused before anything is touched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase, setOwnedDatabasePurpose, withAdminClient } from '../../src/db/ownership.js';
import { seedDatabase } from '../../seed/seed-database.js';
import { silentProgress } from '../../seed/progress.js';
import type { GateReport } from '../../src/gate/gate-report.js';

const prefix = `ledger_bench_t_gate_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl(), GITHUB_STEP_SUMMARY: '' });
const dir = mkdtempSync(join(tmpdir(), 'lb-gate-'));
const variantsDir = join(dir, 'variants');

// Short blocks of one read scenario: ~100 samples per block and side, a few seconds per gate.
const FAST = ['--mix', 'journal-entry-search=1', '--rate', '200', '--blocks', '6', '--block-duration', '0.5s', '--warmup', '0.2s', '--db-prefix', prefix, '--variants-dir', variantsDir];

async function databasesLike(pattern: string): Promise<string[]> {
  return withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1`, [pattern])).rows.map((r) => r.datname),
  );
}

function report(out: string): GateReport {
  return JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8')) as GateReport;
}

before(async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(variantsDir);
  // The index journal-entry-search needs (source + date range on Posted entries), and a variant without it.
  writeFileSync(join(variantsDir, 'with-idx.sql'), "CREATE INDEX idx_gate_je_search ON journal_entries (source, date) WHERE status = 'Posted';\n");
  writeFileSync(join(variantsDir, 'no-idx.sql'), "COMMENT ON TABLE journal_entries IS 'gate test: the search index was dropped';\n");
  const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
  await seedDatabase({ url, scale: 'small', seed: 7, entries: 20_000, progress: silentProgress });
  await setOwnedDatabasePurpose(serverUrl(), `${prefix}_baseline`, 'baseline complete scale=small seed=7 (test, 20000 entries)');
});

after(async () => {
  for (const n of await databasesLike(`${prefix}%`)) await dropOwnedDatabase(serverUrl(), n);
});

test('head == base passes in repeated runs: no false alarm', { timeout: 180_000 }, async () => {
  for (const seed of ['1', '2', '3']) {
    const out = join(dir, `aa-${seed}`);
    const r = await cli(['gate', '--base', 'with-idx', '--head', 'with-idx', '--seed', seed, '--out', out, ...FAST], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    const g = report(out);
    assert.equal(g.complete, true);
    assert.equal(g.blocks.length, 6);
    const s = g.scenarios.find((x) => x.scenario === 'journal-entry-search')!;
    assert.equal(s.judged, true, 'the scenario had enough samples to be judged');
    assert.notEqual(s.verdict, 'regression');
    assert.deepEqual(g.regressions, []);
    assert.match(r.stderr, /gate passed: .*exit 0\n$/);
  }
});

test('a head without the index the workload needs fails with exit 99: a regression, not a budget', { timeout: 120_000 }, async () => {
  const out = join(dir, 'drop');
  // A generous budget: exit 99 can only come from the regression.
  const r = await cli(['gate', '--base', 'with-idx', '--head', 'no-idx', '--seed', '5', '--budget-ms', '100000', '--out', out, ...FAST], { env: env() });
  assert.equal(r.code, 99, r.stderr);
  const g = report(out);
  assert.deepEqual(g.regressions, ['journal-entry-search']);
  assert.deepEqual(g.budgets.failed, []);
  const s = g.scenarios[0]!;
  assert.equal(s.verdict, 'regression');
  assert.ok(s.low! > 1 && s.estimate! > 1.1, JSON.stringify(s));
  // Each block's sides ran in the order recorded, both sides once.
  for (const b of g.blocks) assert.deepEqual([...b.order!].sort(), ['base', 'head']);
  assert.match(r.stderr, /gate failed: regression in journal-entry-search: exit 99\n$/);
  assert.match(readFileSync(join(out, 'gate-junit.xml'), 'utf8'), /<failure message="regression: head\/base/);
  assert.match(readFileSync(join(out, 'gate.md'), 'utf8'), /\*\*FAIL\*\*.*\n[\s\S]*\| journal-entry-search \|.*\*\*REGRESSION\*\*/);

  // The same pair the other way round is an improvement: the gate is not "always fail".
  const back = join(dir, 'add');
  const r2 = await cli(['gate', '--base', 'no-idx', '--head', 'with-idx', '--seed', '5', '--budget-ms', '100000', '--out', back, ...FAST], { env: env() });
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(report(back).scenarios[0]!.verdict, 'improvement');

  // The pooled side results keep the per-block p95s: gating them again needs no server.
  const again = join(dir, 'again');
  const r3 = await cli(['gate', '--base', join(out, 'gate-base.json'), '--head', join(out, 'gate-head.json'), '--budget-ms', '100000', '--out', again, '--database-url', 'postgres://nobody@127.0.0.1:1/none'], { env: { GITHUB_STEP_SUMMARY: '' } });
  assert.equal(r3.code, 99, r3.stderr);
  const g3 = report(again);
  assert.deepEqual(g3.blocks.map((b) => b.base), g.blocks.map((b) => b.base));
  assert.deepEqual(g3.regressions, ['journal-entry-search']);
});

test('the absolute budget on the head fails the gate even without a regression', { timeout: 120_000 }, async () => {
  const out = join(dir, 'budget');
  const r = await cli(['gate', '--base', 'with-idx', '--head', 'with-idx', '--seed', '9', '--budget', 'p(95)<0.001', '--out', out, ...FAST], { env: env() });
  assert.equal(r.code, 99, r.stderr);
  const g = report(out);
  assert.deepEqual(g.regressions, []);
  assert.equal(g.budgets.failed.length, 1);
  assert.match(r.stderr, /gate failed: 1 budget\(s\) failed on the head: exit 99\n$/);
});

test('bad --base/--head values are user errors, all at once, nothing touched', async () => {
  const before = await databasesLike(`${prefix}_gate%`);
  const r = await cli(['gate', '--base', 'origin/main', '--head', 'missing.json', '--min-effect', 'lots', '--db-prefix', prefix, '--variants-dir', variantsDir], { env: env() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--base "origin\/main" is neither a variant .* git refs are not supported yet/);
  assert.match(r.stderr, /--head missing\.json: no such file/);
  assert.match(r.stderr, /--min-effect/);
  assert.equal(hasStackTrace(r.stderr), false);
  assert.deepEqual(await databasesLike(`${prefix}_gate%`), before);
});
