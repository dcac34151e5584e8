/**
 * Scenarios: query selection per variant, the workload factory through the real
 * engine, and a short compareVariants run producing the p95 table and MV staleness.
 */
import { variantDatabase } from '../src/variant-build/migrate.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverUrl } from './helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { buildFixtureBaseline } from './helpers/fixture.js';
import { getVariant } from '../variants/registry.js';
import { SCENARIOS, queryFor, readScenarios } from '../scenarios/registry.js';
import { DEFAULT_MIX } from '../scenarios/mix.js';
import { compareVariants, runDatabase } from '../src/compare/compare-variants.js';
import { formatP95Table } from '../src/report/p95-table.js';

const prefix = `ledger_bench_t_scn_${randomBytes(3).toString('hex')}`;
let outDir = '';

describe('scenarios', () => {
  before(async () => {
    const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    await buildFixtureBaseline({ url, entries: 4000 });
    outDir = await mkdtemp(path.join(tmpdir(), 'ledger-bench-compare-'));
  });
  after(async () => {
    for (const v of ['baseline', 'matviews', 'partitioned']) await dropOwnedDatabase(serverUrl(), variantDatabase(prefix, v));
    await dropOwnedDatabase(serverUrl(), runDatabase(prefix, 'baseline'));
    await rm(outDir, { recursive: true, force: true });
  });

  test('the default mix names only known scenarios: 70% reads, 30% writes', () => {
    const names = new Set(SCENARIOS.map((s) => s.name));
    let reads = 0;
    let writes = 0;
    for (const [n, w] of Object.entries(DEFAULT_MIX)) {
      assert.ok(names.has(n), n);
      if (SCENARIOS.find((s) => s.name === n)!.kind === 'read') reads += w;
      else writes += w;
    }
    assert.equal(Math.round(reads), 70);
    assert.equal(Math.round(writes), 30);
  });

  test('after-queries are picked by variant features, falling back to the before SQL', async () => {
    const lookup = readScenarios().find((s) => s.name === 'balance-lookup')!;
    assert.equal(queryFor(lookup, (await getVariant('baseline')).features, 'after').label, 'account_balances');
    assert.equal(queryFor(lookup, (await getVariant('matviews')).features, 'after').label, 'mv_account_balances_current');
    assert.equal(queryFor(lookup, (await getVariant('optimized')).features, 'after').label, 'get_account_balance_fast');
    assert.equal(queryFor(lookup, (await getVariant('optimized')).features, 'before').label, 'account_balances');
  });

  test('compareVariants runs the mix on each variant through the engine and reports p95 beside the claims', async () => {
    const cmp = await compareVariants({
      serverUrl: serverUrl(),
      prefix,
      variants: ['matviews', 'partitioned'],
      rate: 80,
      durationSec: 2,
      warmupSec: 0.5,
      seed: 5,
      outDir,
      refreshIntervalSec: 0.5,
      concurrently: false,
    });
    assert.deepEqual(cmp.runs.map((r) => [r.variant, r.side]), [['baseline', 'before'], ['matviews', 'after'], ['partitioned', 'after']]);
    for (const r of cmp.runs) {
      const total = (r.result.scenarios as Array<{ count: number; errors: number }>).reduce((s, x) => s + x.count, 0);
      const errors = (r.result.scenarios as Array<{ count: number; errors: number }>).reduce((s, x) => s + x.errors, 0);
      assert.ok(total > 50, `${r.variant} ran ${total} transactions`);
      assert.equal(errors, 0, `${r.variant} had errors: ${JSON.stringify(r.result.scenarios.map((s) => [s.name, s.errorsByCode]))}`);
      JSON.parse(await readFile(r.resultFile, 'utf8'));
    }
    const mv = cmp.runs.find((r) => r.variant === 'matviews')!;
    assert.ok(mv.staleness[0] && mv.staleness[0].refreshes >= 1, 'the refresher ran during the run');
    const lookup = cmp.table.find((r) => r.scenario === 'balance-lookup')!;
    assert.deepEqual(lookup.claim?.beforeMs, [150, 300]);
    assert.ok(lookup.cells.baseline && lookup.cells.matviews);
    // Each p95 with its interval (or why it has none), the variant's with its improvement on the baseline.
    assert.match(cmp.markdown, /\| balance-lookup \| 150-300 \| 5-10 \| [\d.]+ (\[[\d.]+, ([\d.]+|>max)\]|\(n=\d+, too few for an interval\)) \| [\d.]+ (\[[\d.]+, ([\d.]+|>max)\]|\(n=\d+, too few for an interval\)), (no significant difference|[\d.]+x (faster|slower))/);
  });

  test('formatP95Table marks missing cells and errors', () => {
    const md = formatP95Table(
      [{ scenario: 's', cells: { baseline: { p95Ms: 10, p95Ci: { lo: 8, hi: 12 }, count: 100, errors: 0, retries: 0 }, x: { p95Ms: 5, p95Ci: { lo: 4, hi: 6 }, count: 100, errors: 2, retries: 0 } } }],
      ['baseline', 'x', 'y'],
    );
    assert.match(md, /\| s \| - \| - \| 10\.0 \[8\.00, 12\.0\] \| 5\.00 \[4\.00, 6\.00\], 2\.0x faster \[1\.5, 2\.7\] \[2 err\] \| - \|/);
    // A cell without an interval (comparison.json written before them) says so.
    const old = formatP95Table([{ scenario: 's', cells: { baseline: { p95Ms: 10, count: 5, errors: 0, retries: 0 }, x: { p95Ms: 5, count: 5, errors: 0, retries: 0 } } }], ['baseline', 'x']);
    assert.match(old, /\| 10\.0 \(no interval\) \| 5\.00 \(no interval\), 2\.0x faster \(no interval\) \|/);
  });
});
