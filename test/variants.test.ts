/**
 * Every variant builds from a small baseline, reports how it built its indexes,
 * answers every query like the baseline does, and keeps the ledger invariants
 * under a concurrent write burst; a deliberately wrong after-query is caught.
 */
import { variantDatabase } from '../src/variant-build/migrate.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { serverUrl } from './helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { ownedDatabaseName } from '../src/db/names.js';
import { buildFixtureBaseline } from './helpers/fixture.js';
import { migrateVariant, type MigrationReport } from '../src/variant-build/migrate.js';
import { getVariant, listVariants } from '../variants/registry.js';
import { verify, assertVerified, VerificationError } from '../src/verify/verify.js';
import { readScenarios } from '../scenarios/registry.js';
import type { ReadScenario } from '../scenarios/types.js';

const prefix = `ledger_bench_t_var_${randomBytes(3).toString('hex')}`;
const reports = new Map<string, MigrationReport>();
let names: string[] = [];

describe('variants', () => {
  before(async () => {
    const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    await buildFixtureBaseline({ url, entries: 5000 });
    names = (await listVariants()).map((v) => v.name);
    for (const name of names) reports.set(name, await migrateVariant({ serverUrl: serverUrl(), prefix, variant: await getVariant(name) }));
  });
  after(async () => {
    for (const name of names) await dropOwnedDatabase(serverUrl(), ownedDatabaseName(prefix, name));
  });

  test('the registry discovers every variant file, baseline first', () => {
    assert.deepEqual(names, ['baseline', 'indexes', 'matviews', 'event-sourced', 'partitioned', 'optimized']);
  });

  test('the indexes variant builds the six review indexes concurrently, with sizes', () => {
    const r = reports.get('indexes')!;
    assert.equal(r.indexes.length, 6);
    for (const i of r.indexes) {
      assert.equal(i.concurrently, true, i.index);
      assert.ok(i.sizeBytes > 0, `${i.index} has a size`);
    }
    const concurrentSteps = r.steps.filter((s) => s.kind === 'index');
    assert.ok(concurrentSteps.every((s) => s.transaction === false), 'concurrent builds run outside a transaction');
    assert.ok(r.cloneMs > 0 && r.totalMs >= r.cloneMs);
  });

  test('on partitioned tables indexes are built per partition and attached to an ON ONLY parent', () => {
    const r = reports.get('optimized')!;
    const parent = r.indexes.find((i) => i.index === 'idx_journal_entries_date_source_status')!;
    assert.equal(parent.concurrently, false, 'the parent index is created ON ONLY, not concurrently');
    const parts = r.indexes.filter((i) => i.index.startsWith('idx_journal_entries_date_source_status_'));
    assert.ok(parts.length > 20, 'one index per monthly partition');
    assert.ok(parts.every((p) => p.concurrently));
    assert.ok(parent.sizeBytes >= parts.reduce((s, p) => s + p.sizeBytes, 0) - 1);
    assert.ok(r.steps.some((s) => s.name.startsWith('attach idx_journal_entries_date_source_status_')));
  });

  test('the baseline variant is the seeded database itself', () => {
    const r = reports.get('baseline')!;
    assert.equal(r.database, `${prefix}_baseline`);
    assert.equal(r.steps.length, 0);
  });

  test('verify: every after-query equals its before-query, invariants hold after concurrent writes', async () => {
    const report = await verify({ serverUrl: serverUrl(), prefix, variants: names, sample: 12, writes: 200, seed: 3 });
    assertVerified(report);
    // Every variant except the baseline has at least one after-query checked.
    for (const v of names.filter((n) => n !== 'baseline')) {
      assert.ok(report.equivalence.some((e) => e.variant === v && e.samples > 0), `${v} checked`);
    }
    for (const inv of report.invariants) assert.ok(inv.results.length >= 3, inv.variant);
    // MV staleness after the writes is reported, not hidden.
    const mv = report.invariants.find((i) => i.variant === 'matviews')!;
    assert.ok(mv.staleness[0]!.staleAccounts > 0, 'writes made the view stale before verify refreshed it');
  });

  test('a deliberately wrong after-query is caught, with the first differing rows', async () => {
    // The classic running-balance bug: ORDER BY date alone with the default RANGE frame
    // gives every line of the same day the same (end-of-day) running balance.
    const history = readScenarios().find((s) => s.name === 'balance-history')!;
    const wrongSql = history.before.sql
      .replace('OVER (ORDER BY e.date, e.entry_number, l.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)', 'OVER (ORDER BY e.date)');
    assert.notEqual(wrongSql, history.before.sql);
    const hot = { accountId: 0, from: '2023-07-01', to: '2025-07-01' };
    const wrong: ReadScenario<unknown> = {
      ...history,
      // The hottest account over the whole window: it has several lines on some days.
      params: (_rng, ctx) => ({ ...hot, accountId: ctx.accountForRank(1) }),
      after: [{ label: 'range-frame', requires: ['compound-indexes'], sql: wrongSql, values: history.before.values }],
    };
    const report = await verify({ serverUrl: serverUrl(), prefix, variants: ['indexes'], sample: 1, scenarios: [wrong] });
    assert.equal(report.ok, false);
    const e = report.equivalence[0]!;
    assert.ok(e.mismatch, 'mismatch reported');
    assert.notDeepEqual(e.mismatch.before, e.mismatch.after);
    assert.throws(() => assertVerified(report), (err: unknown) => err instanceof VerificationError && /answers differ at row \d+/.test(err.message));

    // An after-query that drops a row of a multi-row answer is caught too (subtle: 1 row of ~300).
    const report2 = await verify({
      serverUrl: serverUrl(),
      prefix,
      variants: ['matviews'],
      sample: 1,
      scenarios: [
        {
          ...readScenarios().find((s) => s.name === 'all-account-balances')!,
          after: [{ label: 'off-by-one', requires: ['mv-current'], sql: `SELECT id, name, current_balance AS balance FROM mv_account_balances_current WHERE last_transaction_at IS NOT NULL AND id <> 9`, values: () => [] }],
        },
      ],
    });
    assert.equal(report2.ok, false);
    assert.ok(report2.equivalence[0]!.mismatch);
  });

  test("the review's recent-entries after-query is not equivalent (adds a status filter, joins lines)", async () => {
    const recent = readScenarios().find((s) => s.name === 'recent-entries')!;
    const wrong: ReadScenario<unknown> = {
      ...recent,
      after: [{ label: 'review-after', requires: ['partitioned-journal'], sql: recent.reviewAfterSql!, values: (p) => [(p as { asOf: string }).asOf] }],
    };
    const report = await verify({ serverUrl: serverUrl(), prefix, variants: ['partitioned'], sample: 1, scenarios: [wrong] });
    assert.equal(report.ok, false);
  });
});
