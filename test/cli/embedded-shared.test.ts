/**
 * Several commands on one embedded server (issue 7, defect 6): the server is shared
 * through leases, stopped only when its last user ends, and a second starter waits for
 * the first start instead of racing it. Each test uses its own private data directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { cli, hasStackTrace, type CliRun } from '../helpers/cli.js';
import { effectiveDataDir, embeddedStatus } from '../../src/db/embedded.js';
import { resultSchema } from '../../src/result/schema.js';

const env = { DATABASE_URL: undefined, LEDGER_BENCH_DATABASE_URL: undefined };

/** A private data dir whose server holds an empty `<prefix>_baseline`, stopped; and a trivial pgbench script. */
async function privateServer(label: string): Promise<{ dir: string; dataDir: string; script: string; prefix: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `lb-${label}-`));
  const dataDir = join(dir, 'pg');
  const prefix = 'lb_shared';
  const up = await cli(['db', 'up', '--data-dir', dataDir], { env });
  assert.equal(up.code, 0, up.stderr);
  const c = new pg.Client({ connectionString: up.stdout.trim() });
  await c.connect();
  await c.query(`CREATE DATABASE ${prefix}_baseline`);
  await c.end();
  const down = await cli(['db', 'down', '--data-dir', dataDir], { env });
  assert.equal(down.code, 0, down.stderr);
  const script = join(dir, 'one.sql');
  writeFileSync(script, 'SELECT 1;\n');
  return {
    dir,
    dataDir,
    script,
    prefix,
    cleanup: async () => {
      await cli(['db', 'down', '--data-dir', dataDir], { env });
      // Resolved before removing `dir`: without it, the fallback would no longer be chosen.
      const effective = effectiveDataDir(dataDir);
      rmSync(dir, { recursive: true, force: true });
      if (effective !== dataDir) rmSync(join(effective, '..'), { recursive: true, force: true });
    },
  };
}

/** The postmaster's pid while a server holds the data dir. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(effectiveDataDir(dataDir), 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True once `pid` has exited; the postmaster removes postmaster.pid (which `pg_ctl stop -w` waits for) just before it exits. */
async function exited(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && processAlive(pid); i++) await sleep(100);
  return !processAlive(pid);
}

/** Exit 0 and a complete (not partial) result with every transaction ok. */
function assertComplete(r: CliRun, out: string, durationSec: number, rate: number): void {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  const files = readdirSync(out);
  assert.equal(files.length, 1, r.stderr);
  const result = resultSchema.parse(JSON.parse(readFileSync(join(out, files[0]!), 'utf8')));
  assert.equal(result.partial, false, `partial: ${result.partialReason}\n${r.stderr}`);
  const s = result.scenarios[0]!;
  assert.equal(s.errors, 0, r.stderr);
  assert.ok(s.count >= durationSec * rate * 0.9, `count ${s.count}\n${r.stderr}`);
}

test('two runs on one embedded server started 0.02 s apart: both complete, the server stops after the last', { timeout: 240_000 }, async () => {
  const p = await privateServer('shared');
  try {
    const run = (name: string, duration: number) =>
      cli(['run', '--sql-file', p.script, '--data-dir', p.dataDir, '--db-prefix', p.prefix, '--rate', '20', '--duration', `${duration}s`, '--warmup', '0s', '--budget', 'max<60000', '--quiet', '--out', join(p.dir, name)], { env });
    // The first started ends first: it must leave the server to the second.
    const first = run('first', 2);
    await sleep(20);
    const second = run('second', 6);
    let pid: number | undefined;
    let sawTwoUsers = false;
    const watch = (async () => {
      for (let i = 0; i < 200 && !(sawTwoUsers && pid); i++) {
        pid ??= postmasterPid(p.dataDir);
        if ((embeddedStatus(p.dataDir).users ?? []).length === 2) sawTwoUsers = true;
        await sleep(100);
      }
    })();
    const [a, b] = await Promise.all([first, second]);
    await watch;
    assertComplete(a, join(p.dir, 'first'), 2, 20);
    assertComplete(b, join(p.dir, 'second'), 6, 20);
    assert.ok(sawTwoUsers, 'db status listed both runs as users of the server');
    // One server for both: one started it, the other reused it.
    const started = [a, b].filter((r) => /embedded PostgreSQL .* started in/.test(r.stderr)).length;
    assert.equal(started, 1, `${a.stderr}\n----\n${b.stderr}`);
    assert.doesNotMatch(a.stderr, /embedded PostgreSQL stopped/, 'the first run left the server to the second');
    assert.match(b.stderr, /embedded PostgreSQL stopped/);
    assert.equal(embeddedStatus(p.dataDir).running, false, 'stopped after the last user');
    assert.ok(pid, 'saw the postmaster');
    assert.equal(await exited(pid), true, 'no postmaster left');
    assert.equal(existsSync(join(effectiveDataDir(p.dataDir), 'data', 'postmaster.pid')), false);
  } finally {
    await p.cleanup();
  }
});

test('a server orphaned by a killed (-9) command is reused by the next one, which then stops it', { timeout: 240_000 }, async () => {
  const p = await privateServer('orphan');
  try {
    let killed = false;
    const victim = await cli(['run', '--sql-file', p.script, '--data-dir', p.dataDir, '--db-prefix', p.prefix, '--rate', '10', '--duration', '60s', '--warmup', '0s', '--out', join(p.dir, 'victim')], {
      env,
      onStderr: (all, child) => {
        if (!killed && /running pgbench script/.test(all)) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    assert.ok(killed, victim.stderr);
    assert.equal(victim.signal, 'SIGKILL');
    const pid = postmasterPid(p.dataDir);
    assert.ok(pid && processAlive(pid), 'the orphan server still runs');
    const status = embeddedStatus(p.dataDir);
    assert.equal(status.running, true);
    assert.deepEqual(status.users, [], 'a dead command is no user');

    const next = await cli(['run', '--sql-file', p.script, '--data-dir', p.dataDir, '--db-prefix', p.prefix, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--budget', 'max<60000', '--quiet', '--out', join(p.dir, 'next')], { env });
    assertComplete(next, join(p.dir, 'next'), 1, 20);
    assert.match(next.stderr, /already running/);
    assert.match(next.stderr, /embedded PostgreSQL stopped/);
    assert.equal(embeddedStatus(p.dataDir).running, false);
    assert.equal(await exited(pid), true, 'the orphan postmaster is gone');
  } finally {
    await p.cleanup();
  }
});

test('db up keeps the server for users that come and go; db down while one runs leaves the stop to it', { timeout: 240_000 }, async () => {
  const p = await privateServer('kept');
  try {
    const up = await cli(['db', 'up', '--data-dir', p.dataDir], { env });
    assert.equal(up.code, 0, up.stderr);
    const run = (name: string, duration: number) =>
      cli(['run', '--sql-file', p.script, '--data-dir', p.dataDir, '--db-prefix', p.prefix, '--rate', '20', '--duration', `${duration}s`, '--warmup', '0s', '--budget', 'max<60000', '--quiet', '--out', join(p.dir, name)], { env });
    const kept = await run('kept', 1);
    assertComplete(kept, join(p.dir, 'kept'), 1, 20);
    assert.doesNotMatch(kept.stderr, /embedded PostgreSQL stopped/);
    assert.equal(embeddedStatus(p.dataDir).running, true, 'db up keeps it');

    const long = run('long', 4);
    for (let i = 0; i < 100 && (embeddedStatus(p.dataDir).users ?? []).length === 0; i++) await sleep(100);
    const down = await cli(['db', 'down', '--data-dir', p.dataDir], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /still used by pid \d+; it stops when the last of them ends/);
    const l = await long;
    assertComplete(l, join(p.dir, 'long'), 4, 20);
    assert.match(l.stderr, /embedded PostgreSQL stopped/);
    assert.equal(embeddedStatus(p.dataDir).running, false);
  } finally {
    await p.cleanup();
  }
});

test('a start/stop lock and a lease left by a killed command do not block the next one', { timeout: 240_000 }, async () => {
  const p = await privateServer('stale');
  try {
    const dead = spawnSync('true').pid!;
    const dir = effectiveDataDir(p.dataDir);
    writeFileSync(join(dir, 'lock'), `${dead}\n`);
    mkdirSync(join(dir, 'leases'), { recursive: true });
    writeFileSync(join(dir, 'leases', `${dead}.1`), 'stale\n');
    const t0 = Date.now();
    const r = await cli(['run', '--sql-file', p.script, '--data-dir', p.dataDir, '--db-prefix', p.prefix, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--budget', 'max<60000', '--quiet', '--out', join(p.dir, 'out')], { env });
    assertComplete(r, join(p.dir, 'out'), 1, 20);
    assert.ok(Date.now() - t0 < 60_000, 'did not wait out a timeout');
    assert.match(r.stderr, /embedded PostgreSQL stopped/, 'the dead lease did not keep the server up');
    assert.equal(existsSync(join(dir, 'lock')), false, 'no lock left');
    assert.deepEqual(readdirSync(join(dir, 'leases')), [], 'no lease left');
  } finally {
    await p.cleanup();
  }
});
