/**
 * Benchmark of the seed generator alone (no database): runs the same generator pass
 * as the seeder for N entries of a scale's shape, discards the COPY text, and prints
 * the bytes made and the process's CPU-seconds. With `--thread` it runs the pass on a
 * worker thread with the seeder's settings (seed/generator-thread.ts), as seeding does.
 *
 *   node --import tsx bench/seed-generate.ts [scale] [entries] [--thread]
 */
import { createRng } from '../src/random/rng.js';
import { scaleSpec, type Scale } from '../seed/scales.js';
import { createCalendar } from '../seed/calendar.js';
import { buildValuePools } from '../seed/value-pools.js';
import { GENERATED_TABLES, LedgerGenerator } from '../seed/ledger-generator.js';
import { generateOnThread } from '../seed/generator-thread.js';
import { DEFAULTS } from '../src/config/defaults.js';

const args = process.argv.slice(2);
const thread = args.includes('--thread');
const [scaleArg = 'medium', entriesArg = '300000'] = args.filter((a) => a !== '--thread');
const spec = scaleSpec(scaleArg as Scale);
const entries = Number(entriesArg);
const seed = 1;
const scatterKey = createRng(seed ^ 0x5ca77e2).u32();
const c0 = process.cpuUsage();
let bytes = 0;
if (thread) {
  const created = new Array<string>(spec.accounts + 9).fill('2024-01-01 00:00:00+00');
  await generateOnThread(
    { seed, entries, accounts: spec.accounts, userAddresses: spec.userAddresses, zipfTheta: DEFAULTS.zipfTheta, scatterKey, asOf: DEFAULTS.asOf, chunkEntries: 4000, accountCreatedTs: created },
    async (c) => {
      for (const t of GENERATED_TABLES) for (const b of c.bufs[t]) bytes += b.length;
    },
  );
} else {
  const cal = createCalendar(DEFAULTS.asOf);
  const gen = new LedgerGenerator({ seed, entries, accounts: spec.accounts, userAddresses: spec.userAddresses, zipfTheta: DEFAULTS.zipfTheta, scatterKey, calendar: cal, pools: buildValuePools(seed) });
  const drain = (): void => {
    for (const t of GENERATED_TABLES) for (const b of gen.out[t].take()) bytes += b.length;
  };
  while (gen.nextChunk(4000)) drain();
  for (const t of GENERATED_TABLES) gen.out[t].seal();
  drain();
}
const u = process.cpuUsage(c0);
console.log(JSON.stringify({ scale: scaleArg, entries, thread, bytes, cpuSeconds: +((u.user + u.system) / 1e6).toFixed(2) }));
