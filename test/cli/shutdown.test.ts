import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, hasStackTrace, lastLines } from '../helpers/cli.js';
import { effectiveDataDir, embeddedStatus } from '../../src/db/embedded.js';

test('Ctrl-C during a seed on the embedded server: exit 130, server stopped, no stale lock', { timeout: 180_000 }, async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'lb-sigint-')), 'pg');
  let sent = false;
  try {
    const r = await cli(['seed', '--data-dir', dataDir, '--quiet'], {
      env: { DATABASE_URL: undefined, LEDGER_BENCH_DATABASE_URL: undefined },
      onStderr: (all, child) => {
        if (!sent && /seeding ledger_bench_baseline/.test(all)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    assert.ok(sent, `the seed never started: ${r.stderr}`);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT: stopping/);
    assert.match(r.stderr, /embedded PostgreSQL stopped/);
    // The exit line comes after the cleanups' messages (stopping the server).
    assert.deepEqual(lastLines(r.stderr), ['ledger-bench seed: exit 130 (interrupted)']);
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
    assert.equal(embeddedStatus(dataDir).running, false, 'no orphan postgres');
    assert.equal(existsSync(join(effectiveDataDir(dataDir), 'data', 'postmaster.pid')), false, 'no stale lock');
  } finally {
    // Resolved before removing the temp dir: once it is gone, the fallback is no longer chosen.
    const effective = effectiveDataDir(dataDir);
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
    rmSync(join(effective, '..'), { recursive: true, force: true });
  }
});
