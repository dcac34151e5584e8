/**
 * Benchmark: every schema variant under the default mix at the review's 1,000 TPS
 * target, on medium-scale data; prints the per-scenario p95 table beside the
 * review's claims, the migration times and the MVs' measured staleness.
 *
 *   [DATABASE_URL=postgres://...] node --import tsx bench/variants.ts \
 *     [--scale medium] [--entries N] [--rate 1000] [--duration 60] [--warmup 10] \
 *     [--variants indexes,matviews,...] [--mix balance-lookup=1,...] [--prefix ledger_bench_bench] [--reseed] [--out bench-results/variants]
 *
 * Not a test: it takes minutes and its numbers depend on the machine.
 */
import { parseArgs } from 'node:util';
import { benchServer } from './bench-server.js';
import { recreateOwnedDatabase, withAdminClient } from '../src/db/ownership.js';
import { seedDatabase } from '../seed/seed-database.js';
import type { Scale } from '../seed/scales.js';
import { compareVariants } from '../src/compare/compare-variants.js';
import { renderComparison } from '../src/report/comparison.js';
import { DEFAULT_MIX } from '../scenarios/mix.js';
import { SCENARIOS } from '../scenarios/registry.js';
import { parseMix } from '../src/cli/parse-lists.js';
import { listVariants } from '../variants/registry.js';

const { values: a } = parseArgs({
  options: {
    scale: { type: 'string', default: 'medium' },
    entries: { type: 'string' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '10' },
    variants: { type: 'string' },
    prefix: { type: 'string', default: 'ledger_bench_bench' },
    reseed: { type: 'boolean', default: false },
    refresh: { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: 'bench-results/variants' },
    mix: { type: 'string' },
  },
});

const mix = a.mix ? parseMix(a.mix, SCENARIOS.map((x) => x.name)) : { ...DEFAULT_MIX };
const bench = await benchServer();
const server = bench.url;
const baseline = `${a.prefix}_baseline`;
const exists = await withAdminClient(server, async (c) => ((await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [baseline])).rowCount ?? 0) > 0);
if (!exists || a.reseed) {
  const t0 = performance.now();
  const url = await recreateOwnedDatabase(server, baseline, { purpose: 'bench baseline' });
  await seedDatabase({ url, scale: a.scale as Scale, seed: Number(a.seed), ...(a.entries ? { entries: Number(a.entries) } : {}) });
  process.stderr.write(`seeded ${baseline} (${a.scale}${a.entries ? `, ${a.entries} entries` : ''}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
const variants = a.variants ? a.variants.split(',') : (await listVariants()).map((v) => v.name);
const cmp = await compareVariants({
  serverUrl: server,
  prefix: a.prefix!,
  variants,
  rate: Number(a.rate),
  durationSec: Number(a.duration),
  warmupSec: Number(a.warmup),
  seed: Number(a.seed),
  outDir: a.out!,
  mix,
  refreshIntervalSec: Number(a.refresh),
  onVariant: (v, phase) => process.stderr.write(`${phase === 'migrate' ? 'building' : 'running'} ${v}\n`),
});

console.log('\n' + renderComparison(cmp, { mix }));
console.log(`\nresult files: ${a.out}`);
await bench.stop();
