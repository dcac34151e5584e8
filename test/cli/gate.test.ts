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

// Short blocks of one read scenario: 100 samples per block and side. A generous budget
// (--budget-ms), so that an exit 99 can only come from a regression; the budget has its own test.
const FAST = ['--mix', 'journal-entry-search=1', '--rate', '100', '--block-duration', '1s', '--warmup', '0.2s', '--budget-ms', '100000', '--db-prefix', prefix, '--variants-dir', variantsDir];

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
  await seedDatabase({ url, scale: 'small', seed: 7, entries: 80_000, progress: silentProgress });
  await setOwnedDatabasePurpose(serverUrl(), `${prefix}_baseline`, 'baseline complete scale=small seed=7 (test, 80000 entries)');
});

after(async () => {
  for (const n of await databasesLike(`${prefix}%`)) await dropOwnedDatabase(serverUrl(), n);
});

test('head == base passes in repeated runs: no false alarm beyond the design rate', { timeout: 180_000 }, async () => {
  // By design an A/A gate of 6 blocks flags with probability at most 1/64 (all six
  // ratios on the slow side; docs/gate.md): three seeds would then fail a strict "never"
  // about one run in twenty on correct code. At most one flag in three is allowed: a
  // calibrated gate gives two with probability at most 3 * (1/64)^2, under 0.08%, a gate whose
  // order or sides were biased (every block on one side) flags all three.
  const flagged: string[] = [];
  for (const seed of ['1', '2', '3']) {
    const out = join(dir, `aa-${seed}`);
    const r = await cli(['gate', '--base', 'with-idx', '--head', 'with-idx', '--blocks', '6', '--seed', seed, '--out', out, ...FAST], { env: env() });
    const g = report(out);
    assert.equal(g.complete, true);
    assert.equal(g.blocks.length, 6);
    assert.match(r.stderr, /gate: block 6\/6, /, 'without --quiet: a progress line per block and side');
    const s = g.scenarios.find((x) => x.scenario === 'journal-entry-search')!;
    assert.equal(s.judged, true, 'the scenario had enough samples to be judged');
    if (r.code === 99 && s.verdict === 'regression') {
      assert.deepEqual(g.regressions, ['journal-entry-search']);
      assert.match(r.stderr, /gate failed: regression in journal-entry-search: exit 99\n/);
      flagged.push(`seed ${seed}: ${s.estimate} [${s.low}, ${s.high}]`);
      continue;
    }
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(s.verdict, 'regression');
    assert.deepEqual(g.regressions, []);
    assert.match(r.stderr, /gate passed: .*exit 0\n/);
  }
  assert.ok(flagged.length <= 1, `A/A flagged in ${flagged.length} of 3 runs: ${flagged.join('; ')}`);
});

test('a head without the index the workload needs fails with exit 99: a regression, not a budget', { timeout: 180_000 }, async () => {
  const out = join(dir, 'drop');
  const r = await cli(['gate', '--base', 'with-idx', '--head', 'no-idx', '--blocks', '12', '--seed', '5', '--out', out, '--quiet', ...FAST], { env: env() });
  assert.equal(r.code, 99, r.stderr);
  assert.doesNotMatch(r.stderr, /gate: (block|building)/, '--quiet: no progress lines');
  const g = report(out);
  assert.deepEqual(g.regressions, ['journal-entry-search']);
  assert.deepEqual(g.budgets.failed, [], 'the budgets were met: the failure is the regression');
  const s = g.scenarios[0]!;
  assert.equal(s.verdict, 'regression');
  assert.ok(s.low! > 1 && s.estimate! > 1.1, JSON.stringify(s));
  // Each block ran both sides once, in the recorded order; the orders are not all the same.
  for (const b of g.blocks) assert.deepEqual([...b.order!].sort(), ['base', 'head']);
  assert.equal(new Set(g.blocks.map((b) => b.order!.join())).size, 2, 'the order is randomized per block');
  assert.match(r.stderr, /gate failed: regression in journal-entry-search: exit 99\n/);
  assert.match(readFileSync(join(out, 'gate-junit.xml'), 'utf8'), /<failure message="regression: head\/base/);
  assert.match(readFileSync(join(out, 'gate.md'), 'utf8'), /\*\*FAIL\*\*[\s\S]*\| journal-entry-search \|.*\*\*REGRESSION\*\*/);

  // The pooled side results keep the per-block p95s: gating them again needs no server.
  const again = join(dir, 'again');
  const r2 = await cli(['gate', '--base', join(out, 'gate-base.json'), '--head', join(out, 'gate-head.json'), '--budget-ms', '100000', '--out', again, '--json'], { env: { GITHUB_STEP_SUMMARY: '', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
  assert.equal(r2.code, 99, r2.stderr);
  const g2 = report(again);
  assert.deepEqual(JSON.parse(r2.stdout), g2, '--json: stdout is gate.json, nothing else');
  assert.deepEqual(g2.blocks.map((b) => b.head), g.blocks.map((b) => b.head));
  assert.deepEqual(g2.regressions, ['journal-entry-search']);
  assert.equal(g2.scenarios[0]!.estimate, s.estimate, 'the same blocks give the same verdict');
});

test('the absolute budget on the head fails the gate even without a regression (result files, no run)', async () => {
  const out = join(dir, 'budget');
  const aa = join(dir, 'aa-1');
  const summary = join(dir, 'summary.md');
  const r = await cli(['gate', '--base', join(aa, 'gate-base.json'), '--head', join(aa, 'gate-head.json'), '--budget', 'p(95)<0.001', '--out', out], {
    env: { GITHUB_STEP_SUMMARY: summary, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
  });
  assert.equal(r.code, 99, r.stderr);
  const g = report(out);
  assert.deepEqual(g.regressions, []);
  assert.equal(g.budgets.failed.length, 1);
  assert.match(r.stderr, /gate failed: 1 budget\(s\) failed on the head: exit 99\n/);
  assert.match(readFileSync(summary, 'utf8'), /## ledger-bench gate: head result/);
});

test('bad --base/--head values are user errors, all at once, nothing touched', async () => {
  const before = await databasesLike(`${prefix}_gate%`);
  const notResult = join(dir, 'not-a-result.json');
  writeFileSync(notResult, '{"hello": 1}');
  const r = await cli(['gate', '--base', 'origin/no-such-branch', '--head', 'missing.json', '--min-effect', 'lots', '--db-prefix', prefix, '--variants-dir', variantsDir], { env: env() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--base "origin\/no-such-branch" is neither a variant .*, nor a result JSON file, nor a git ref/);
  assert.match(r.stderr, /--head missing\.json: no such file/);
  assert.match(r.stderr, /--min-effect/);
  assert.equal(hasStackTrace(r.stderr), false);
  const r2 = await cli(['gate', '--base', notResult, '--head', 'with-idx', '--blocks', '5', '--db-prefix', prefix, '--variants-dir', variantsDir], { env: env() });
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /not-a-result\.json: not a ledger-bench result JSON \(schemaVersion: /);
  assert.match(r2.stderr, /--blocks 5: too few to reach 95% confidence over the 8 scenario\(s\) of the mix; use --blocks 9/);
  assert.deepEqual(await databasesLike(`${prefix}_gate%`), before);
});
