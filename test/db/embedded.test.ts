import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cli } from '../helpers/cli.js';
import { embeddedStatus, effectiveDataDir } from '../../src/db/embedded.js';

test('db up keeps the embedded server running between commands; db down stops it cleanly', { timeout: 120_000 }, async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'lb-emb-')), 'pg');
  const env = { DATABASE_URL: undefined, LEDGER_BENCH_DATABASE_URL: undefined };
  try {
    const up = await cli(['db', 'up', '--data-dir', dataDir], { env });
    assert.equal(up.code, 0, up.stderr);
    const url = up.stdout.trim();
    assert.match(url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query<{ v: string; libs: string }>(`SELECT current_setting('server_version_num') AS v, current_setting('shared_preload_libraries') AS libs`);
    await c.end();
    assert.ok(Number(r.rows[0]!.v) >= 180000, 'the embedded server is PostgreSQL 18');
    assert.match(r.rows[0]!.libs, /pg_stat_statements/);

    const status = await cli(['db', 'status', '--data-dir', dataDir], { env });
    assert.equal(status.code, 0);
    assert.match(status.stdout, new RegExp(`running ${url.replace(/[/.]/g, '\\$&')}`));

    const down = await cli(['db', 'down', '--data-dir', dataDir], { env });
    assert.equal(down.code, 0, down.stderr);
    const pgdata = join(effectiveDataDir(dataDir), 'data');
    assert.equal(existsSync(join(pgdata, 'postmaster.pid')), false, 'no stale lock file');
    assert.equal(embeddedStatus(dataDir).running, false);
    const after = await cli(['db', 'status', '--data-dir', dataDir], { env });
    assert.equal(after.code, 3);
    assert.match(after.stdout, /^stopped/);
    assert.equal(after.stderr.trimEnd().split('\n').at(-1), 'ledger-bench db: exit 3 (stopped)');
  } finally {
    await cli(['db', 'down', '--data-dir', dataDir], { env });
    // The server user may not reach the temp dir (root, mode 0700): then the data went to a fallback dir.
    const effective = effectiveDataDir(dataDir);
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
    rmSync(join(effective, '..'), { recursive: true, force: true });
  }
});

test('db with a wrong action is a user error (exit 2, no stack trace)', async () => {
  const r = await cli(['db', 'sideways']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown action "sideways"; use up, down or status/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
