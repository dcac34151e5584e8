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
// (--budget-ms) and --inconclusive pass, so that an exit 99 can only come from a regression
// (a slower head's pooled p95 interval can be open above, "> max": undecided, which under
// --inconclusive fail fails the gate too, see docs/gate.md); the budgets have their own tests.
const FAST = ['--mix', 'journal-entry-search=1', '--rate', '100', '--block-duration', '1s', '--warmup', '0.2s', '--budget-ms', '100000', '--inconclusive', 'pass', '--db-prefix', prefix, '--variants-dir', variantsDir];

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
  // Posting a journal entry sleeps 60 ms (base) or 300 ms (head): a budget of 250 ms the base
  // meets with 190 ms to spare for a loaded machine (seen: 70 ms of overhead at p95 at load
  // 20 on 2 cores) and the head cannot meet, at a ratio (~3x) under --min-effect 1000%.
  for (const [name, sec] of [['sleep-60ms', 0.06], ['sleep-300ms', 0.3]] as const) {
    writeFileSync(
      join(variantsDir, `${name}.sql`),
      `CREATE FUNCTION gate_test_sleep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(${sec}); RETURN NULL; END $$;\n` +
        'CREATE TRIGGER gate_test_sleep AFTER INSERT ON journal_entries FOR EACH STATEMENT EXECUTE FUNCTION gate_test_sleep();\n',
    );
  }
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

test('a head that newly breaks a budget the base passes fails the gate: a new violation, not a regression', { timeout: 120_000 }, async () => {
  const out = join(dir, 'new-violation');
  const args = ['--mix', 'post-journal-entry=1', '--rate', '40', '--connections', '24', '--block-duration', '1s', '--warmup', '0.2s', '--blocks', '6', '--seed', '3'];
  const budgets = ['--budget', 'avg<250', '--budget', 'p(95)<250'];
  const r = await cli(['gate', '--base', 'sleep-60ms', '--head', 'sleep-300ms', ...args, '--min-effect', '1000%', ...budgets, '--db-prefix', prefix, '--variants-dir', variantsDir, '--out', out], { env: env() });
  assert.equal(r.code, 99, r.stderr);
  const g = report(out);
  assert.deepEqual(g.regressions, [], 'about 3x slower is under the 1000% minimum effect: the 99 is the budget');
  const [avg, p95, ...rest] = g.budgets.checks;
  assert.deepEqual(rest, []);
  // The mean is judged on its value: the base's is far under 250 ms, the head's at least 300.
  assert.deepEqual([avg!.expr, avg!.base!.verdict, avg!.head.verdict, avg!.standing, avg!.blocking], ['avg<250', 'pass', 'fail', 'new', true]);
  // The p95 on its interval: every head sample is at least 300 ms, so the head decidedly fails;
  // the base's interval is under 250 ms on a quiet machine (new), but one slow block on a loaded
  // one leaves it open above (seen: 152 [122, >max] at load 15 on 2 cores): then it is shared.
  assert.equal(p95!.head.verdict, 'fail');
  assert.ok(p95!.head.interval!.lo >= 300, JSON.stringify(p95));
  assert.notEqual(p95!.base!.verdict, 'fail', JSON.stringify(p95!.base));
  assert.equal(p95!.standing, p95!.base!.verdict === 'pass' ? 'new' : 'shared');
  assert.equal(g.budgets.counts.fail, g.budgets.failed.length);
  assert.match(r.stderr, new RegExp(`gate failed: ${g.budgets.failed.length} new budget violation\\(s\\) on the head: exit 99\\n`));
  // The pooled p95s carry their intervals (batch means over 12 batches: 2 per block at 6 blocks).
  const head = g.pooledP95['post-journal-entry']!.head!;
  assert.ok(head.lo !== null && head.lo >= 300 && head.method === 'batch-means', JSON.stringify(head));
  assert.match(readFileSync(join(out, 'gate.md'), 'utf8'), /> \*\*New budget violations\*\*[\s\S]*post-journal-entry avg<250: base [\d.]+ \(pass\), head [\d.]+ \(fail\): NEW VIOLATION/);
  assert.match(readFileSync(join(out, 'gate-junit.xml'), 'utf8'), /NEW VIOLATION, fails the gate" type="budget"/);
});

test('a budget both sides miss is shared: reported as floor-bound, not failed, unless --fail-shared-budgets (result files, no run)', async () => {
  const aa = join(dir, 'aa-1');
  const summary = join(dir, 'summary.md');
  const gate = (out: string, ...extra: string[]) =>
    cli(['gate', '--base', join(aa, 'gate-base.json'), '--head', join(aa, 'gate-head.json'), '--budget', 'p(95)<0.001', '--out', out, ...extra], {
      env: { GITHUB_STEP_SUMMARY: summary, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });
  const out = join(dir, 'budget');
  const r = await gate(out);
  assert.equal(r.code, 0, r.stderr);
  const g = report(out);
  assert.deepEqual(g.regressions, []);
  assert.deepEqual(g.budgets.failed, []);
  assert.deepEqual(g.budgets.shared.map((c) => [c.scenario, c.floorBound, c.blocking]), [['journal-entry-search', true, false]]);
  assert.match(r.stderr, /shared violation \(floor-bound: the base is over budget too\), not failed/);
  assert.match(r.stderr, /gate passed: .*no new budget violation \(1 shared with the base, reported\): exit 0\n/);
  assert.match(r.stdout, /> \*\*Shared budget violations\*\*/);
  assert.match(readFileSync(summary, 'utf8'), /## ledger-bench gate: head result/);
  const strict = await gate(join(dir, 'budget-strict'), '--fail-shared-budgets');
  assert.equal(strict.code, 99, strict.stderr);
  assert.match(strict.stderr, /gate failed: 1 shared budget violation\(s\) \(--fail-shared-budgets\): exit 99\n/);
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
