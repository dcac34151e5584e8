/**
 * Benchmark of the seeder (not a test): creates a marked scratch database on the
 * server, seeds it, prints rows/s and seconds per table and in total, drops it.
 *
 *   node --import tsx bench/seed.ts [scale] [seed]          # embedded server, ledger-bench settings
 *   DATABASE_URL=postgres://... node --import tsx bench/seed.ts [scale] [seed]
 *   node --import tsx bench/seed.ts postgres://... medium 1
 */
import { benchServer } from './bench-server.js';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../src/db/ownership.js';
import { redactUrl } from '../src/db/connection-url.js';
import { isUserError } from '../src/errors.js';
import { seedDatabase } from '../seed/seed-database.js';
import { createProgress } from '../seed/progress.js';
import { scaleSpec, type Scale } from '../seed/scales.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0]?.startsWith('postgres')) process.env.DATABASE_URL = args.shift()!;
  const bench = await benchServer();
  const server = bench.url;
  const scale = (args[0] ?? 'medium') as Scale;
  scaleSpec(scale);
  const seed = Number(args[1] ?? 1);
  const name = `ledger_bench_seedbench_${process.pid}`;
  const url = await recreateOwnedDatabase(server, name, { purpose: 'seed benchmark' });
  try {
    process.stderr.write(`seeding ${scale} (seed ${seed}) into ${name} on ${redactUrl(server)}\n`);
    const summary = await seedDatabase({ url, scale, seed, progress: createProgress({ quiet: true }) });
    console.log(JSON.stringify({ scale, seed, totalSeconds: +summary.totalSeconds.toFixed(2), rowsPerSecond: Math.round(summary.rowsPerSecond) }));
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
