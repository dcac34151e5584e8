/**
 * Benchmark of the seeder (not a test): creates a marked scratch database on the
 * server, seeds it, prints rows/s and seconds per table and in total, drops it.
 * The last line (JSON) adds seconds per million entries (the cost should grow
 * linearly) and CPU-seconds of this process and, for a local server, of the server's
 * processes (steadier than wall time on a shared machine).
 *
 *   node --import tsx bench/seed.ts [scale] [seed] [--entries N]   # embedded server, ledger-bench settings
 *   DATABASE_URL=postgres://... node --import tsx bench/seed.ts [scale] [seed]
 *   node --import tsx bench/seed.ts postgres://... medium 1
 *
 * `--entries N` seeds the scale's accounts and addresses with N entries instead of the
 * scale's count (e.g. `large 1 --entries 3000000`: a proportional slice of large).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { benchServer } from './bench-server.js';
import { clientCpuSeconds, serverCpuSeconds } from './process-cpu.js';
import { effectiveDataDir } from '../src/db/embedded.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { redactUrl } from '../src/db/connection-url.js';
import { UserError, isUserError } from '../src/errors.js';
import { seedDatabase } from '../seed/seed-database.js';
import { createProgress } from '../seed/progress.js';
import { scaleSpec, type Scale } from '../seed/scales.js';

const DATA_DIR = '.ledger-bench/pg';

/** Positional arguments and `--entries N`, every problem reported at once. */
function parseArgs(argv: string[]): { url?: string; scale: Scale; seed: number; entries?: number } {
  const args = [...argv];
  const problems: string[] = [];
  let entries: number | undefined;
  const at = args.indexOf('--entries');
  if (at >= 0) {
    const raw = args.splice(at, 2)[1];
    entries = Number(raw);
    if (!(Number.isSafeInteger(entries) && entries >= 1)) problems.push(`--entries must be a positive integer, got ${raw ?? 'nothing'}`);
  }
  const url = args[0]?.startsWith('postgres') ? args.shift() : undefined;
  const scale = (args[0] ?? 'medium') as Scale;
  try {
    scaleSpec(scale);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  const seed = Number(args[1] ?? 1);
  if (!Number.isSafeInteger(seed)) problems.push(`seed must be an integer, got ${args[1]}`);
  if (args.length > 2) problems.push(`unexpected arguments: ${args.slice(2).join(' ')}`);
  if (problems.length) {
    problems.push('usage: node --import tsx bench/seed.ts [postgres://...] [small|medium|large] [seed] [--entries N]');
    throw new UserError(problems);
  }
  return { url, scale, seed, entries };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.url) process.env.DATABASE_URL = a.url;
  const bench = await benchServer(DATA_DIR);
  const server = bench.url;
  // Server CPU only for the embedded server (its processes are local and ours).
  const pgdata = process.env.DATABASE_URL ? undefined : join(effectiveDataDir(DATA_DIR), 'data');
  const name = `ledger_bench_seedbench_${process.pid}`;
  const url = await recreateOwnedDatabase(server, name, { purpose: 'seed benchmark' });
  try {
    process.stderr.write(`seeding ${a.scale} (seed ${a.seed}${a.entries ? `, ${a.entries} entries` : ''}) into ${name} on ${redactUrl(server)}\n`);
    const client0 = clientCpuSeconds();
    const server0 = pgdata ? serverCpuSeconds(pgdata) : undefined;
    const summary = await seedDatabase({ url, scale: a.scale, seed: a.seed, entries: a.entries, progress: createProgress({ quiet: true }) });
    // Let the closed sessions' backends exit, so their CPU is counted (reaped by the postmaster).
    await sleep(300);
    const server1 = pgdata ? serverCpuSeconds(pgdata) : undefined;
    const serverCpu = server0 !== undefined && server1 !== undefined ? +(server1 - server0).toFixed(1) : null;
    console.log(
      JSON.stringify({
        scale: a.scale,
        seed: a.seed,
        entries: summary.entries,
        totalSeconds: +summary.totalSeconds.toFixed(2),
        secondsPerMillionEntries: +((summary.totalSeconds * 1e6) / summary.entries).toFixed(2),
        rowsPerSecond: Math.round(summary.rowsPerSecond),
        clientCpuSeconds: +(clientCpuSeconds() - client0).toFixed(1),
        serverCpuSeconds: serverCpu,
      }),
    );
  } finally {
    await dropOwnedDatabase(server, name);
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  if (isUserError(err)) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
