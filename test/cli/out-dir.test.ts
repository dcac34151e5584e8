/**
 * --out must be a directory this user can write to, checked before anything runs: a
 * path that names a file (or lies under one) used to surface as a stack trace with
 * exit 1 after the run, its result lost (bench: after seeding, verifying and comparing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { outDirProblem } from '../../src/cli/out-dir-check.js';
import { cli, lastLines } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { tempDir } from '../helpers/temp-dir.js';
import { withAdminClient } from '../../src/db/ownership.js';

test('outDirProblem: directories that exist or can be made pass; a file on the path is named', () => {
  const d = tempDir('outdir');
  writeFileSync(join(d, 'f'), 'x');
  assert.equal(outDirProblem(d, '--out d'), undefined);
  assert.equal(outDirProblem(join(d, 'new', 'deeper'), '--out n'), undefined);
  assert.equal(outDirProblem(join(d, 'f'), '--out f'), `--out f: ${join(d, 'f')} is a file, not a directory; give --out a directory you can write to (it is created if missing)`);
  assert.match(outDirProblem(join(d, 'f', 'sub', 'x'), '--out s')!, new RegExp(`^--out s: ${join(d, 'f')} is a file, not a directory;`));
});

test('outDirProblem: a directory this user cannot write to', { skip: process.getuid?.() === 0 ? 'root writes anywhere: the permission check cannot fail as root' : false }, () => {
  const d = tempDir('outdir');
  mkdirSync(join(d, 'ro'));
  chmodSync(join(d, 'ro'), 0o555);
  assert.match(outDirProblem(join(d, 'ro', 'new'), '--out r')!, new RegExp(`^--out r: ${join(d, 'ro')} is not writable by this user;`));
  chmodSync(join(d, 'ro'), 0o755);
});

test('--out that cannot be a directory: exit 2 before anything runs (run, compare, report; bench\'s step subdirectories)', { timeout: 120_000 }, async () => {
  const d = tempDir('outdir');
  const file = join(d, 'file');
  writeFileSync(file, 'not a directory');
  const env = { DATABASE_URL: serverUrl() };
  for (const args of [
    ['run', '--rate', '5', '--duration', '1s', '--out', join(file, 'sub')],
    ['compare', '--variants', 'baseline,indexes', '--out', file],
    ['report', d, '--format', 'md', '--out', join(file, 'report.md')],
  ]) {
    const r = await cli(args, { env });
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`${file} is a file, not a directory; give --out a directory you can write to`), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.match(lastLines(r.stderr)[0]!, new RegExp(`^ledger-bench ${args[0]}: exit 2 \\(bad input\\)`));
  }

  // bench writes the capacity and isolation steps under --out: a file in their place is
  // bad input at the start, not a failure after seeding, verifying and comparing.
  const out = join(d, 'bench-out');
  mkdirSync(out);
  writeFileSync(join(out, 'capacity'), 'x');
  writeFileSync(join(out, 'isolation'), 'x');
  const prefix = `ledger_bench_t_outdir_${randomBytes(3).toString('hex')}`;
  const r = await cli(['bench', '--db-prefix', prefix, '--scale', 'tiny', '--out', out], { env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /2 problems:/);
  for (const sub of ['capacity', 'isolation']) assert.ok(r.stderr.includes(`(the ${sub} step writes into ${sub}/): ${join(out, sub)} is a file, not a directory`), r.stderr);
  assert.doesNotMatch(r.stderr, /\[1\/6\] server/);
  const made = await withAdminClient(serverUrl(), async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rowCount);
  assert.equal(made, 0, 'bench created no database');
  // Without those steps nothing is written there, so nothing is in the way.
  const skip = await cli(['bench', '--db-prefix', prefix, '--out', out, '--bench-probes', '0', '--isolate-sec', '0', '--rate', '-1'], { env });
  assert.equal(skip.code, 2, skip.stderr);
  assert.doesNotMatch(skip.stderr, /step writes into/);
});
