/**
 * The oracle on the seeder's data (not just the fixture): every variant built from a
 * small seeded baseline answers like the baseline and keeps the invariants under
 * concurrent writes. Also unit tests of the exact row comparison.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { serverUrl } from './helpers/db.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { ownedDatabaseName } from '../src/db/names.js';
import { seedDatabase } from '../seed/seed-database.js';
import { migrateVariant } from '../src/variant-build/migrate.js';
import { getVariant, listVariants } from '../variants/registry.js';
import { verify, describeFailures } from '../src/verify/verify.js';
import { canonicalValue, diffRows } from '../src/verify/rows.js';

const prefix = `ledger_bench_t_ver_${randomBytes(3).toString('hex')}`;
let names: string[] = [];

describe('verify on seeded data', () => {
  before(async () => {
    const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    await seedDatabase({ url, scale: 'small', seed: 11, entries: 6000 });
    names = (await listVariants()).map((v) => v.name);
    for (const n of names) await migrateVariant({ serverUrl: serverUrl(), prefix, variant: await getVariant(n), concurrently: false });
  });
  after(async () => {
    for (const n of names) await dropOwnedDatabase(serverUrl(), ownedDatabaseName(prefix, n));
  });

  test('every variant is equivalent and keeps the ledger invariants after writes', async () => {
    const report = await verify({ serverUrl: serverUrl(), prefix, variants: names, sample: 10, writes: 150, seed: 2 });
    assert.ok(report.ok, describeFailures(report));
  });
});

describe('row comparison', () => {
  test('numerics compare exactly as text, whatever their scale', () => {
    assert.equal(canonicalValue('12.3400'), '12.34');
    assert.equal(canonicalValue('0.0000'), '0');
    assert.equal(canonicalValue('-0.00'), '0');
    assert.equal(canonicalValue('100'), '100');
    assert.equal(canonicalValue(7), '7');
    // No float rounding: these differ in the 20th digit.
    assert.notEqual(canonicalValue('12345678901234567.0001'), canonicalValue('12345678901234567.0002'));
  });
  test('unordered comparison ignores order, ordered does not', () => {
    const a = [{ id: 1, b: '1.0' }, { id: 2, b: '2' }];
    const b = [{ id: 2, b: '2.00' }, { id: 1, b: '1' }];
    assert.equal(diffRows(a, b, false), null);
    const d = diffRows(a, b, true);
    assert.equal(d?.index, 0);
    assert.deepEqual(diffRows(a, a.slice(0, 1), true), { index: 1, beforeRows: 2, afterRows: 1, before: a[1], after: undefined });
  });
});
