/**
 * docker-compose.yml: valid for Compose (`docker-compose config`), its PostgreSQL gets
 * the embedded server's settings, every port is published on loopback only, and where
 * a Docker-compatible API runs (the container kit here), its postgres service really
 * starts and `ledger-bench seed` fills it through the published port. Skipped, with the
 * reason printed, where docker-compose or the kit is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { cli, ROOT } from './helpers/cli.js';
import { containerSkipReason, KIT_IMAGE } from './helpers/container-kit.js';
import { containerCommand } from '../src/db/container.js';
import { freePort } from '../src/db/free-port.js';
import { serveCommand } from '../src/cli/commands/serve.js';
import { OPTIONS } from '../src/config/options.js';
import { k6Scenarios } from '../src/k6/render-scripts.js';

const run = promisify(execFile);
const FILE = `${ROOT}docker-compose.yml`;

async function composeMissing(): Promise<string | undefined> {
  try {
    await run('docker-compose', ['--version']);
    return undefined;
  } catch {
    return 'docker-compose is not installed (Debian package docker-compose; .ci/run installs it when it can)';
  }
}
const noCompose = await composeMissing();
const noKit = noCompose ?? containerSkipReason();
if (noCompose) process.stderr.write(`[compose tests skipped] ${noCompose}\n`);
else if (noKit) process.stderr.write(`[compose up test skipped] ${noKit}\n`);

function compose(project: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const all = { ...process.env, ...env };
  for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
  return run('docker-compose', ['-f', FILE, '-p', project, ...args], { cwd: ROOT, env: all, timeout: 180_000 });
}

test('the postgres service runs with the embedded server settings (one source: EMBEDDED_SERVER_SETTINGS)', () => {
  const text = readFileSync(FILE, 'utf8');
  const block = text.slice(text.indexOf('  postgres:'), text.indexOf('\n  seed:'));
  const settings = [...block.matchAll(/^ {6}- -c\n {6}- (\S+)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(settings, containerCommand().filter((a) => a.includes('=')).sort());
});

/** The text of one service's block of docker-compose.yml. */
function serviceBlock(text: string, name: string, next: string): string {
  return text.slice(text.indexOf(`\n  ${name}:\n`), text.indexOf(`\n  ${next}:\n`));
}

test('the api service runs the real `serve`: its flags and environment variables are serve\'s options', () => {
  const block = serviceBlock(readFileSync(FILE, 'utf8'), 'api', 'k6');
  const command = JSON.parse(/^ {4}command: (\[.*\])$/m.exec(block)![1]!) as string[];
  assert.equal(command[0], 'serve', 'the image\'s entrypoint is bin/ledger-bench.js');
  const serveOptions = serveCommand.keys.map((k) => OPTIONS[k]);
  const flags = command.filter((a) => a.startsWith('--')).map((a) => a.slice(2));
  assert.deepEqual(flags, ['variant', 'host', 'port']);
  for (const f of flags) assert.ok(serveOptions.some((o) => o.flag === f), `serve has no --${f}`);
  const env = [...block.matchAll(/^ {6}([A-Z0-9_]+):/gm)].map((m) => m[1]!);
  assert.ok(env.includes('LEDGER_BENCH_DATABASE_URL'));
  for (const e of env) assert.ok(serveOptions.some((o) => o.env.includes(e)), `serve reads no ${e}`);
  assert.match(block, /"--port", "3000"\]/);
  assert.match(block, /"127\.0\.0\.1:\$\{LEDGER_BENCH_API_PORT:-3000\}:3000"/);
});

test('the k6 service runs a generated script with the variables the scripts read', () => {
  const text = readFileSync(FILE, 'utf8');
  const block = text.slice(text.indexOf('\n  k6:\n'), text.indexOf('\nvolumes:'));
  const script = /\/scripts\/\$\{K6_SCENARIO:-([a-z-]+)\}\.ts/.exec(block)?.[1];
  assert.ok(script && k6Scenarios().some((s) => s.name === script), `default script ${script}`);
  const params = readFileSync(`${ROOT}scenarios/k6/params.ts`, 'utf8');
  const env = [...block.matchAll(/^ {6}([A-Z0-9_]+):/gm)].map((m) => m[1]!);
  assert.ok(env.includes('BASE_URL') && env.includes('RATE'));
  for (const e of env) assert.match(params, new RegExp(`__ENV\\.${e}\\b|env(Number|Duration)\\('${e}'`), `scenarios/k6/params.ts reads no ${e}`);
});

test('docker-compose config accepts the file; services, k6 profile, loopback-only ports', { skip: noCompose ?? false }, async () => {
  const project = `lbcfg${process.pid}`;
  const services = (await compose(project, ['--profile', 'k6', 'config', '--services'])).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(services, ['api', 'k6', 'postgres', 'seed']);
  // Without the kit's image setting: the file's own default must be the official image.
  const config = (await compose(project, ['config'], { LEDGER_BENCH_CONTAINER_IMAGE: undefined })).stdout;
  // (docker-compose 1.29 lists profiled services in `config --services` regardless of --profile.)
  assert.match(config, /^  k6:\n(?: {4}.*\n)*? {4}profiles:\n {4}- k6$/m, 'k6 only runs with --profile k6');
  const ports = [...config.matchAll(/^ {4}- (\S+:\d+:\d+\/tcp)$/gm)].map((m) => m[1]!);
  assert.equal(ports.length, 2, config);
  for (const p of ports) assert.match(p, /^127\.0\.0\.1:/, `published on loopback only: ${p}`);
  assert.match(config, /image: postgres:18\n/, 'default image: the official one');
});

test('docker-compose up -d postgres, seed it through its published port, down -v', { skip: noKit ?? false, timeout: 600_000 }, async () => {
  const project = `lbcompose${process.pid}`;
  const port = await freePort();
  const env = { LEDGER_BENCH_CONTAINER_IMAGE: KIT_IMAGE, LEDGER_BENCH_PG_PORT: String(port) };
  try {
    await compose(project, ['up', '-d', 'postgres'], env);
    const url = `postgres://postgres:ledger@127.0.0.1:${port}/postgres`;
    // No health checks under podman (no systemd): poll until the server answers.
    let settings: { p: string; w: string } | undefined;
    for (let i = 0; i < 120 && !settings; i++) {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      try {
        await c.connect();
        settings = (await c.query<{ p: string; w: string }>(`SELECT current_setting('shared_preload_libraries') p, current_setting('wal_level') w`)).rows[0];
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await c.end().catch(() => {});
      }
    }
    assert.deepEqual(settings, { p: 'pg_stat_statements', w: 'minimal' });
    const seeded = await cli(['seed', '--database-url', url, '--db-prefix', 'lb_compose', '--quiet'], { timeoutMs: 480_000 });
    assert.equal(seeded.code, 0, seeded.stderr);
    const db = new pg.Client({ connectionString: `postgres://postgres:ledger@127.0.0.1:${port}/lb_compose_baseline` });
    await db.connect();
    const n = await db.query<{ n: string }>('SELECT count(*) AS n FROM journal_entries');
    await db.end();
    assert.equal(Number(n.rows[0]!.n), 100_000);
  } finally {
    await compose(project, ['down', '-v'], env);
  }
  const left = (await run('podman', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}'], { env: process.env }).catch(() => ({ stdout: '' }))).stdout;
  assert.equal(left.trim(), '', 'down -v removed the containers');
});
