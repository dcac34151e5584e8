import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';

const prefix = `ledger_bench_t_bench_${randomBytes(3).toString('hex')}`;

after(async () => {
  const names = await withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((r) => r.datname),
  );
  for (const n of names) await dropOwnedDatabase(serverUrl(), n);
});

test('bench, the main job: seed, verify, compare, table; a second run reuses the seeded baseline', { timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'lb-bench-'));
  const args = ['bench', '--db-prefix', prefix, '--variants', 'indexes', '--sample', '3', '--writes', '10', '--rate', '40', '--duration', '2s', '--warmup', '0.5s', '--quiet', '--out', out];
  const r = await cli(args, { env: { DATABASE_URL: serverUrl() } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\[2\/4\] seed/);
  assert.match(r.stderr, new RegExp(`seeding ${prefix}_baseline: scale small, seed 42`));
  assert.match(r.stderr, /verify: OK/);
  assert.match(r.stdout, /\| scenario \| claimed before \| claimed after \| baseline p95 \| indexes p95 \|/);
  assert.match(r.stdout, /\| balance-lookup \| 150-300 \| 5-10 \| [\d.]+ \| [\d.]+ \([\d.]+x\)/);
  for (const f of ['baseline.json', 'indexes.json', 'comparison.md']) assert.ok(existsSync(join(out, f)), f);

  const again = await cli([...args.slice(0, -2), '--out', mkdtempSync(join(tmpdir(), 'lb-bench-'))], { env: { DATABASE_URL: serverUrl() } });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /reusing .*_baseline \(baseline complete scale=small seed=42/);
});
