/**
 * `--db container` for real: testcontainers starts PostgreSQL (through the container
 * kit's podman-backed Docker API here; Docker elsewhere), the harness seeds it and runs
 * a short scenario on it, and the container is gone after release. Skipped, with the
 * reason printed, where no Docker-compatible API runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { acquireServer } from '../../src/db/server.js';
import { containerCommand } from '../../src/db/container.js';
import { cli } from '../helpers/cli.js';
import { containerSkipReason, KIT_IMAGE } from '../helpers/container-kit.js';
import { tempDir } from '../helpers/temp-dir.js';

const skip = containerSkipReason();
if (skip) process.stderr.write(`[container tests skipped] ${skip}\n`);

test('the container gets the benchmark settings as postgres -c arguments', () => {
  const args = containerCommand();
  assert.equal(args[0], 'postgres');
  assert.ok(args.includes('shared_preload_libraries=pg_stat_statements'));
  assert.ok(args.includes('shared_buffers=2GB'));
  assert.ok(!args.some((a) => a.startsWith('listen_addresses=')), 'the image decides where it listens inside the container');
});

test('--db container without a Docker engine is a user error (exit 2) that names the fixes', async () => {
  const r = await cli(['seed', '--db', 'container', '--db-prefix', 'lb_nodocker', '--quiet'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', DATABASE_URL: undefined } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--db container: no Docker engine found.*DOCKER_HOST/s);
});

test('--db container: start, seed the smallest scale, run 2 s, complete result, stop', { skip: skip ?? false, timeout: 600_000 }, async () => {
  const log: string[] = [];
  const server = await acquireServer({ db: 'container', containerImage: KIT_IMAGE, databaseUrl: '', dataDir: '' }, (l) => log.push(l));
  const out = tempDir('container');
  try {
    assert.equal(server.kind, 'container');
    assert.match(server.url, /@127\.0\.0\.1:\d+\//, 'loopback only');
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const pre = await c.query<{ v: string }>(`SELECT current_setting('shared_preload_libraries') AS v`);
    await c.end();
    assert.equal(pre.rows[0]!.v, 'pg_stat_statements');

    const common = ['--database-url', server.url, '--db-prefix', 'lb_ct'];
    const seeded = await cli(['seed', ...common, '--scale', 'small', '--quiet'], { timeoutMs: 480_000 });
    assert.equal(seeded.code, 0, seeded.stderr);
    const run = await cli(['run', ...common, '--variant', 'baseline', '--mix', 'balance-lookup=1', '--rate', '50', '--duration', '2s', '--warmup', '0s', '--out', out, '--quiet',
      // This is about the container, not speed: ~100 samples can leave a p95's upper bound open on a
      // loaded runner (inconclusive, exit 99 by default), so an undecided budget is let through here.
      '--inconclusive', 'pass']);
    assert.equal(run.code, 0, run.stderr);
    const files = readdirSync(out).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1, `one result file in ${out}: ${files.join(', ')}`);
    const result = JSON.parse(readFileSync(join(out, files[0]!), 'utf8'));
    assert.equal(result.partial, false);
    const s = result.scenarios.find((x: { name: string }) => x.name === 'balance-lookup');
    assert.ok(s && s.count > 0 && s.errors === 0, JSON.stringify(s));
    assert.match(result.server.version, /^\d+/);
  } finally {
    await server.release();
    rmSync(out, { recursive: true, force: true });
  }
  // Released means gone: nothing answers on its port any more.
  const after = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 3000 });
  await assert.rejects(after.connect()).finally(() => after.end().catch(() => {}));
  assert.ok(log.some((l) => /container PostgreSQL .* started/.test(l)), log.join('\n'));
});

test('--db container: Ctrl-C during a command stops and removes the container', { skip: skip ?? false, timeout: 300_000 }, async () => {
  let sent = false;
  const r = await cli(['seed', '--db', 'container', '--container-image', KIT_IMAGE!, '--db-prefix', 'lb_ct_sigint'], {
    env: { DATABASE_URL: undefined },
    onStderr: (all, child) => {
      if (!sent && /seeding lb_ct_sigint_baseline/.test(all)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /container PostgreSQL stopped and removed/);
  const port = /started in .* at postgres:\/\/postgres:\*+@127\.0\.0\.1:(\d+)\//.exec(r.stderr)?.[1];
  assert.ok(port, r.stderr);
  const after = new pg.Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', connectionTimeoutMillis: 3000 });
  await assert.rejects(after.connect()).finally(() => after.end().catch(() => {}));
});
