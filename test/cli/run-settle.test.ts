/**
 * `--max-warmup` from the CLI: bad pairs are user errors naming the flag (exit 2,
 * nothing run); a run with a warm-up of at least 1 s waits for the steady state by
 * default (auto = 6 x --warmup) and says when and why the warm-up ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { scratchDatabase } from '../helpers/db.js';
import { resultSchema } from '../../src/result/schema.js';
import { tempDir } from '../helpers/temp-dir.js';

test('--max-warmup below --warmup, or with --segment, is bad input naming the flag', async () => {
  const dir = tempDir('settle');
  const script = join(dir, 'q.sql');
  writeFileSync(script, 'SELECT 1;\n');
  const url = process.env.DATABASE_URL!;
  const a = await cli(['run', '--sql-file', script, '--database-url', url, '--warmup', '5s', '--max-warmup', '2s']);
  assert.equal(a.code, 2, a.stderr);
  assert.match(a.stderr, /--max-warmup 2s is below --warmup 5s: the longest warm-up must be at least the shortest; raise --max-warmup/);
  assert.equal(hasStackTrace(a.stderr), false);
  const b = await cli(['run', '--sql-file', script, '--database-url', url, '--segment', '1/2', '--max-warmup', '20s']);
  assert.equal(b.code, 2, b.stderr);
  assert.match(b.stderr, /--max-warmup cannot be used with --segment/);
  const c = await cli(['compare', '--variants', 'indexes', '--database-url', url, '--warmup', '3s', '--max-warmup', '1s']);
  assert.equal(c.code, 2, c.stderr);
  assert.match(c.stderr, /--max-warmup 1s is below --warmup 3s/);
  const d = await cli(['run', '--sql-file', script, '--database-url', url, '--max-warmup', 'soon']);
  assert.equal(d.code, 2, d.stderr);
  assert.match(d.stderr, /--max-warmup.*expected a duration like 30s/);
});

test('run: with --warmup 1s the window starts once steady (max auto = 6 s), and the progress says so', { timeout: 60_000 }, async () => {
  const db = await scratchDatabase('settlecli');
  const dir = tempDir('settle');
  try {
    const script = join(dir, 'q.sql');
    writeFileSync(script, 'SELECT 1;\n');
    const r = await cli(['run', '--sql-file', script, '--database-url', db.url, '--rate', '100', '--duration', '1s', '--warmup', '1s', '--budget', 'max<60000', '--json', '--out', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /100\/s for 1s after 1-6s warm-up \(until steady\)/);
    const result = resultSchema.parse(JSON.parse(r.stdout));
    const w = result.warmup!;
    assert.equal(w.minSec, 1);
    assert.equal(w.maxSec, 6);
    assert.ok(w.endedSec! >= 5 && w.endedSec! <= 6, `window began at ${w.endedSec} s`);
    if (w.settled) assert.match(r.stderr, new RegExp(`warm-up ended: steady at ${w.endedSec} s`));
    else assert.match(r.stderr, /warm-up ended: never settled by 6 s/);
    assert.equal(result.measuredSec, 1);
  } finally {
    await db.drop();
  }
});
