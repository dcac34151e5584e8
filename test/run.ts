/**
 * `npm test`: starts one real PostgreSQL for the whole suite (the embedded server,
 * unless DATABASE_URL names one), plus Debian's PostgreSQL 15 when its binaries are
 * installed (exported as LEDGER_BENCH_PG15_URL, for the tests that check a second
 * major version), then runs every test/**\/*.test.ts file with node's test runner in two
 * rounds: first the files listed in test/concurrent-files.ts (they measure no time),
 * two or more at a time; then every other file alone, one at a time, so that nothing
 * shares the machine with a test that measures time.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { effectiveDataDir, embeddedStatus, startEmbedded } from '../src/db/embedded.js';
import { startSystemPostgres } from './helpers/system-postgres.js';
import { CONCURRENT_FILES } from './concurrent-files.js';

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
const unknown = CONCURRENT_FILES.filter((f) => !existsSync(join(root, f)));
if (unknown.length > 0) {
  log(`test/concurrent-files.ts lists files that do not exist: ${unknown.join(', ')}`);
  process.exit(2);
}
// Two at a time on a 2-core machine, up to 4 on a bigger one.
const concurrency = Math.min(4, Math.max(2, availableParallelism()));
const rounds = [
  { name: 'concurrent', files: files.filter((f) => CONCURRENT_FILES.includes(f)), concurrency },
  { name: 'alone', files: files.filter((f) => !CONCURRENT_FILES.includes(f)), concurrency: 1 },
].filter((r) => r.files.length > 0);

/** With two rounds, a reporter's destination file gets the round's name (out.tap: out.concurrent.tap, out.alone.tap), so the second does not overwrite the first. */
function roundOptions(round: string): string[] {
  if (rounds.length === 1) return runnerOptions;
  return runnerOptions.map((o) => {
    const m = /^--test-reporter-destination=(.+)$/.exec(o);
    if (!m || m[1] === 'stdout' || m[1] === 'stderr') return o;
    const path = m[1]!;
    const dot = path.lastIndexOf('.');
    return `--test-reporter-destination=${dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}.${round}${path.slice(dot)}` : `${path}.${round}`}`;
  });
}

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
let interrupted = false;
let child: ReturnType<typeof spawn> | undefined;
const forward = (sig: NodeJS.Signals) => {
  interrupted = true;
  child?.kill(sig);
};
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
try {
  code = 0;
  for (const r of rounds) {
    if (interrupted) break;
    log(`${r.name}: ${r.files.length} file(s), ${r.concurrency === 1 ? 'one at a time' : `${r.concurrency} at a time (test/concurrent-files.ts)`}`);
    const c = await new Promise<number>((resolve) => {
      child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${r.concurrency}`, ...roundOptions(r.name), ...r.files], { cwd: root, env, stdio: 'inherit' });
      child.on('close', (c) => resolve(c ?? 1));
    });
    // A failed round does not stop the next one: every failure is reported in one run.
    if (code === 0) code = c;
  }
  if (interrupted && code === 0) code = 130;
} finally {
  for (const c of cleanups.reverse()) await c().catch((err: Error) => log(`cleanup: ${err.message}`));
}
process.exit(code);
