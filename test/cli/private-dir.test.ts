/**
 * Root running a clone that lives in a private (0700) directory, the usual case in
 * containers and CI images (/root is 0700): the server runs as `postgres`, which can
 * reach neither the data directory nor the binaries in node_modules (issue 7, defect 7).
 * The project is copied into a 0700 temp dir, node_modules included (hard links), and
 * the CLI and the test runner are run from there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, hasStackTrace, type CliRun } from '../helpers/cli.js';
import { effectiveDataDir, embeddedStatus } from '../../src/db/embedded.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const skip = isRoot ? false : 'needs root: only root runs the server as another user (postgres), who cannot enter a 0700 directory';
if (skip) process.stderr.write(`private-dir.test.ts skipped: ${skip}\n`);

const env: NodeJS.ProcessEnv = { ...process.env, LEDGER_BENCH_PG15_URL: undefined };
delete env.DATABASE_URL;
delete env.LEDGER_BENCH_DATABASE_URL;
delete env.LEDGER_BENCH_PG15_URL;
delete env.LEDGER_BENCH_TEST_DATA_DIR;

/** Runs `node args` in `cwd` (the private copy), capturing output. */
function node(cwd: string, args: string[], timeoutMs = 180_000): Promise<CliRun & { pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, pid: child.pid! });
    });
  });
}

/** A copy of the project inside a fresh 0700 directory; node_modules hard-linked (fast, same file system). */
function privateClone(): { home: string; project: string } {
  const home = mkdtempSync(join(tmpdir(), 'lb-private-'));
  execFileSync('chmod', ['700', home]);
  const project = join(home, 'ledger-bench');
  execFileSync('mkdir', [project]);
  const entries = readdirSync(ROOT).filter((e) => !['node_modules', '.ledger-bench', '.git', 'reports', 'bench-results'].includes(e));
  execFileSync('cp', ['-a', ...entries.map((e) => join(ROOT, e)), project]);
  execFileSync('cp', ['-al', join(ROOT, 'node_modules'), project]);
  return { home, project };
}


test('root, clone in a 0700 directory: db up, run, db down work; data and binaries go to one temp dir', { skip, timeout: 300_000 }, async () => {
  const { home, project } = privateClone();
  const dataDir = join(project, '.ledger-bench', 'pg');
  const fallback = effectiveDataDir(dataDir);
  const fallbackRoot = join(fallback, '..');
  try {
    assert.notEqual(fallback, dataDir, 'postgres cannot reach the private copy, so the data goes elsewhere');
    const bin = join(project, 'bin', 'ledger-bench.js');

    const up = await node(project, [bin, 'db', 'up']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(hasStackTrace(up.stderr), false, up.stderr);
    assert.match(up.stderr, new RegExp(`using ${fallback.replace(/[/.]/g, '\\$&')}`));
    const c = new pg.Client({ connectionString: up.stdout.trim() });
    await c.connect();
    await c.query('CREATE DATABASE ledger_bench_baseline');
    await c.end();
    const down = await node(project, [bin, 'db', 'down']);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /embedded PostgreSQL stopped/);

    // An ephemeral start and stop, from the private copy too.
    const script = join(project, 'one.sql');
    writeFileSync(script, 'SELECT 1;\n');
    const run = await node(project, [bin, 'run', '--sql-file', script, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--budget', 'max<60000', '--quiet', '--out', join(project, 'out')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /embedded PostgreSQL stopped/);
    assert.equal(embeddedStatus(dataDir).running, false);

    // One temp dir, holding the data (kept on purpose: the seeded baseline) and the binaries' copy;
    // nothing half-made, no lock, no lease.
    assert.deepEqual(readdirSync(fallbackRoot), ['pg']);
    const inside = readdirSync(fallback).sort();
    assert.ok(inside.some((n) => /^postgres-\d/.test(n)), `the binaries' copy: ${inside.join(', ')}`);
    assert.deepEqual(inside.filter((n) => !/^postgres-\d/.test(n)), ['data', 'leases', 'server.log', 'state.json'], inside.join(', '));
    assert.deepEqual(readdirSync(join(fallback, 'leases')), [], 'no lease left');
  } finally {
    await node(project, [join(project, 'bin', 'ledger-bench.js'), 'db', 'down']);
    rmSync(home, { recursive: true, force: true });
    rmSync(fallbackRoot, { recursive: true, force: true });
  }
});

test('root, clone in a 0700 directory: the test runner (npm test) works and removes its temp dirs', { skip, timeout: 300_000 }, async () => {
  const { home, project } = privateClone();
  const fallbackRoot = join(effectiveDataDir(join(project, '.ledger-bench', 'test-pg')), '..');
  try {
    // One small test file: the point is the runner starting and stopping its servers.
    const r = await node(project, ['--import', 'tsx', 'test/run.ts', 'test/stats.test.ts']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
    assert.match(r.stderr, /embedded PostgreSQL at postgres:\/\//);
    assert.equal(existsSync(fallbackRoot), false, `${fallbackRoot} removed after the suite`);
    // The PostgreSQL 15 cluster's dir is named after the runner's pid (other runs' dirs are theirs).
    if (/PostgreSQL 15 at /.test(r.stderr)) assert.equal(existsSync(join(tmpdir(), `ledger-bench-test-pg15-${r.pid}`)), false, 'PostgreSQL 15 dir removed');
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(fallbackRoot, { recursive: true, force: true });
  }
});
