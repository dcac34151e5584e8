/**
 * `npm test`: starts one real PostgreSQL for the whole suite (the embedded server,
 * unless DATABASE_URL names one), plus Debian's PostgreSQL 15 when its binaries are
 * installed (exported as LEDGER_BENCH_PG15_URL, for the tests that check a second
 * major version), then runs every test/**\/*.test.ts file with node's test runner.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { effectiveDataDir, embeddedStatus, startEmbedded } from '../src/db/embedded.js';
import { startSystemPostgres } from './helpers/system-postgres.js';

const root = new URL('..', import.meta.url).pathname;
const log = (line: string) => process.stderr.write(`[test] ${line}\n`);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'helpers' ? [] : testFiles(join(dir, e.name))) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

// Arguments starting with `--test-` are node test runner options (e.g. `--test-reporter=spec`,
// `--test-name-pattern=...`) and are passed on; the others are file filters.
const args = process.argv.slice(2);
const runnerOptions = args.filter((a) => a.startsWith('--test-'));
const filters = args.filter((a) => !a.startsWith('--test-'));
const files = testFiles(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const env: NodeJS.ProcessEnv = { ...process.env };
const cleanups: Array<() => Promise<unknown>> = [];
if (!env.DATABASE_URL) {
  const dataDir = join(root, '.ledger-bench', 'test-pg');
  const effective = effectiveDataDir(dataDir);
  if (effective !== dataDir) {
    // The clone lives where the server user cannot reach (root, a 0700 home): the data
    // goes under the system temp dir, and, holding nothing worth keeping, is removed
    // after the suite (when no other command still uses it).
    cleanups.push(async () => {
      if (!embeddedStatus(dataDir).running) rmSync(join(effective, '..'), { recursive: true, force: true });
    });
  }
  const h = await startEmbedded({ dataDir, mode: 'ephemeral', log });
  log(`embedded PostgreSQL at ${h.url}`);
  env.DATABASE_URL = h.url;
  env.LEDGER_BENCH_TEST_DATA_DIR = dataDir;
  cleanups.push(() => h.release());
} else {
  log(`using DATABASE_URL from the environment`);
}
if (!env.LEDGER_BENCH_PG15_URL) {
  // Under the system temp dir: the server user must be able to reach it even when the
  // clone lives in a private home directory.
  const pg15Dir = join(tmpdir(), `ledger-bench-test-pg15-${process.pid}`);
  const pg15 = await startSystemPostgres(15, pg15Dir, log).catch((err: Error) => {
    log(`PostgreSQL 15 not started (${err.message}); its tests will be skipped`);
    rmSync(pg15Dir, { recursive: true, force: true });
    return undefined;
  });
  if (pg15) {
    env.LEDGER_BENCH_PG15_URL = pg15.url;
    cleanups.push(pg15.stop);
  }
}

let code = 1;
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...runnerOptions, ...files], { cwd: root, env, stdio: 'inherit' });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (c) => resolve(c ?? 1));
  });
} finally {
  for (const c of cleanups.reverse()) await c().catch((err: Error) => log(`cleanup: ${err.message}`));
}
process.exit(code);
