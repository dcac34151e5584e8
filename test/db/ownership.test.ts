import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { serverUrl } from '../helpers/db.js';
import { databaseState, dropOwnedDatabase, quoteIdent, recreateOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';
import { withDatabase } from '../../src/db/connection-url.js';
import { UserError } from '../../src/errors.js';

test('an unmarked database is never dropped or rewritten without --force', async () => {
  const name = `ledger_bench_t_foreign_${process.pid}`;
  await withAdminClient(serverUrl(), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  const db = new pg.Client({ connectionString: withDatabase(serverUrl(), name) });
  await db.connect();
  await db.query('CREATE TABLE precious (x int); INSERT INTO precious VALUES (42)');
  await db.end();
  try {
    await assert.rejects(recreateOwnedDatabase(serverUrl(), name), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /was not created by ledger-bench.*--db-prefix.*--force/s);
      return true;
    });
    await assert.rejects(dropOwnedDatabase(serverUrl(), name), UserError);
    const again = new pg.Client({ connectionString: withDatabase(serverUrl(), name) });
    await again.connect();
    const r = await again.query<{ x: number }>('SELECT x FROM precious');
    await again.end();
    assert.deepEqual(r.rows, [{ x: 42 }], 'the foreign database is untouched');
    // With force the user takes responsibility: it is replaced and marked.
    await recreateOwnedDatabase(serverUrl(), name, { force: true });
    const state = await withAdminClient(serverUrl(), (c) => databaseState(c, name));
    assert.deepEqual(state.exists && state.owned, true);
  } finally {
    await withAdminClient(serverUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  }
});

test('a marked database is replaced freely and dropped', async () => {
  const name = `ledger_bench_t_mine_${process.pid}`;
  await recreateOwnedDatabase(serverUrl(), name, { purpose: 'test' });
  await recreateOwnedDatabase(serverUrl(), name, { purpose: 'test' });
  assert.equal(await dropOwnedDatabase(serverUrl(), name), true);
  assert.equal(await dropOwnedDatabase(serverUrl(), name), false);
});
