import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { serverUrl } from '../helpers/db.js';

test('the suite talks to a real PostgreSQL server', async () => {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  const r = await c.query<{ n: string }>(`SELECT current_setting('server_version_num') AS n`);
  await c.end();
  assert.ok(Number(r.rows[0]!.n) >= 130000);
});
