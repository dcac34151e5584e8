/**
 * Server evidence on a real server: a short comparison of the baseline and the
 * `indexes` variant on the small fixture collects, outside the timed window, the plan
 * of each read scenario, pg_stat_statements deltas and idx_scan deltas per index.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../../src/db/ownership.js';
import { variantDatabase } from '../../src/variant-build/migrate.js';
import { buildFixtureBaseline } from '../helpers/fixture.js';
import { compareVariants, runDatabase } from '../../src/compare/compare-variants.js';
import { resultSchema } from '../../src/result/schema.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Comparison } from '../../src/result/comparison.js';

const prefix = `ledger_bench_t_evi_${randomBytes(3).toString('hex')}`;
const COMPOUND = 'idx_journal_entries_date_source_status';
let outDir = '';
let cmp: Comparison;

describe('server evidence', () => {
  before(async () => {
    const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    await buildFixtureBaseline({ url, entries: 4000 });
    outDir = await mkdtemp(path.join(tmpdir(), 'ledger-bench-evidence-'));
    cmp = await compareVariants({
      serverUrl: serverUrl(),
      prefix,
      variants: ['indexes', 'partitioned'],
      mix: { 'journal-entry-search': 3, 'balance-lookup': 1 },
      rate: 40,
      durationSec: 2,
      warmupSec: 0.5,
      seed: 3,
      outDir,
      concurrently: false,
    });
  });
  after(async () => {
    for (const v of ['baseline', 'indexes', 'partitioned']) await dropOwnedDatabase(serverUrl(), variantDatabase(prefix, v));
    await dropOwnedDatabase(serverUrl(), runDatabase(prefix, 'baseline'));
    await rm(outDir, { recursive: true, force: true });
  });

  test('the indexes variant: the search plan uses the compound index, which the run scanned', async () => {
    const run = cmp.runs.find((r) => r.variant === 'indexes')!;
    const stored = resultSchema.parse(JSON.parse(await readFile(run.resultFile, 'utf8')));
    const ev = stored.evidence;
    assert.ok(ev, 'the result file holds the evidence');
    assert.equal(ev.database, variantDatabase(prefix, 'indexes'));
    const search = ev.scenarios.find((s) => s.scenario === 'journal-entry-search')!;
    assert.equal(search.query, 'compound-index');
    assert.ok(search.plan, `no plan: ${search.planError}`);
    assert.ok(search.plan.indexes.includes(COMPOUND), `plan uses ${search.plan.indexes.join(', ')}:\n${search.plan.text}`);
    assert.match(search.plan.text, new RegExp(`using ${COMPOUND}`));
    assert.ok(search.plan.executionMs > 0);
    const idx = ev.indexes.find((i) => i.index === COMPOUND)!;
    assert.ok(idx, 'the index is listed');
    assert.ok(idx.idxScanDelta > 0, `idx_scan delta ${idx.idxScanDelta}`);
    assert.ok(idx.sizeBytes > 0);
    // pg_stat_statements saw the scenario's statement at least as often as we measured it.
    assert.equal(ev.statementsAvailable, true, ev.statementsUnavailable);
    const measured = stored.scenarios.find((s) => s.name === 'journal-entry-search')!;
    assert.ok(search.statement, 'the statement delta is matched');
    assert.ok(search.statement.calls >= measured.count, `${search.statement.calls} calls, ${measured.count} measured`);
    assert.ok(search.statement.meanExecMs > 0);
    // A scenario that was not in the mix is not explained; write scenarios never are.
    assert.deepEqual(ev.scenarios.map((s) => s.scenario).sort(), ['balance-lookup', 'journal-entry-search']);
  });

  test('the baseline has no compound index: its plan does not use it', () => {
    const ev = cmp.runs.find((r) => r.variant === 'baseline')!.result.evidence!;
    const search = ev.scenarios.find((s) => s.scenario === 'journal-entry-search')!;
    assert.ok(search.plan, search.planError);
    assert.ok(!search.plan.indexes.includes(COMPOUND));
    assert.ok(!ev.indexes.some((i) => i.index === COMPOUND));
  });

  test('partitioned: partition indexes fold into their root, the search plan prunes to partitions', () => {
    const ev = cmp.runs.find((r) => r.variant === 'partitioned')!.result.evidence!;
    const folded = ev.indexes.filter((i) => (i.partitions ?? 0) > 1);
    assert.ok(folded.length > 0, 'some index spans partitions');
    for (const i of folded) assert.equal(ev.indexes.filter((x) => x.index === i.index).length, 1, `${i.index} is listed once`);
    const search = ev.scenarios.find((s) => s.scenario === 'journal-entry-search')!;
    assert.equal(search.query, 'pruned');
    assert.ok(search.plan, search.planError);
    assert.ok(search.statement && search.statement.calls > 0);
  });

  test('the Markdown report shows the evidence', () => {
    const md = renderMarkdown({ runs: cmp.runs.map((r) => ({ variant: r.variant, result: r.result })), claims: {}, budgets: {}, budgetVariants: '' });
    assert.match(md, /## Server evidence: indexes/);
    assert.match(md, new RegExp(`\\| journal-entry-search \\| compound-index \\| [^|]*${COMPOUND}`));
  });
});
