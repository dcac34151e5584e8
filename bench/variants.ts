/**
 * Benchmark: every schema variant under the default mix at the review's 1,000 TPS
 * target, on medium-scale data; prints the per-scenario p95 table beside the
 * review's claims, the migration times and the MVs' measured staleness.
 *
 *   DATABASE_URL=postgres://... node --import tsx bench/variants.ts \
 *     [--scale medium] [--entries N] [--rate 1000] [--duration 60] [--warmup 10] \
 *     [--variants indexes,matviews,...] [--prefix ledger_bench_bench] [--reseed] [--out bench-results/variants]
 *
 * Not a test: it takes minutes and its numbers depend on the machine.
 */
import { parseArgs } from 'node:util';
import { recreateOwnedDatabase, withAdminClient } from '../src/db/ownership.js';
import { seedDatabase } from '../seed/seed-database.js';
import type { Scale } from '../seed/scales.js';
import { buildTable, compareVariants } from '../src/compare/compare-variants.js';
import { formatP95Table } from '../src/compare/p95-table.js';
import { DEFAULT_MIX } from '../scenarios/mix.js';
import { listVariants } from '../src/variants/registry.js';

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
  },
});

const server = process.env.DATABASE_URL;
if (!server) throw new Error('set DATABASE_URL to a PostgreSQL server URL');
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
  refreshIntervalSec: Number(a.refresh),
  onVariant: (v, phase) => process.stderr.write(`${phase === 'migrate' ? 'building' : 'running'} ${v}\n`),
});

console.log(`\n## p95 latency (ms) at ${a.rate} TPS, ${a.duration} s measured after ${a.warmup} s warm-up\n`);
console.log(cmp.markdown);
console.log('\n## p95 service time (ms): sent -> done, without schedule lag (what a closed-loop tool would report)\n');
console.log(formatP95Table(buildTable(cmp.runs, { ...DEFAULT_MIX }, 'serviceMs'), cmp.runs.map((r) => r.variant)));
console.log('\n## Achieved rate, errors, retries\n');
for (const r of cmp.runs) {
  const s = r.result.scenarios as Array<{ name: string; achievedRate: number; errors: number; retries: number; dropped: number }>;
  const rate = s.reduce((x, y) => x + y.achievedRate, 0);
  console.log(`- ${r.variant}: ${rate.toFixed(0)} tx/s achieved, errors ${s.reduce((x, y) => x + y.errors, 0)}, retries ${s.reduce((x, y) => x + y.retries, 0)}, dropped ${s.reduce((x, y) => x + y.dropped, 0)}`);
}
console.log('\n## Migration (clone + steps + ANALYZE)\n');
console.log('| variant | clone s | steps s | analyze s | total s | indexes built (concurrently) | index MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of cmp.runs) {
  const m = r.migration;
  if (!m) continue;
  const steps = m.steps.reduce((s, x) => s + x.ms, 0);
  const conc = m.indexes.filter((i) => i.concurrently).length;
  const mb = m.indexes.filter((i) => !/_(\d{4}_\d{2}|default|active|completed)$/.test(i.index)).reduce((s, i) => s + i.sizeBytes, 0) / 2 ** 20;
  console.log(`| ${r.variant} | ${(m.cloneMs / 1000).toFixed(1)} | ${(steps / 1000).toFixed(1)} | ${(m.analyzeMs / 1000).toFixed(1)} | ${(m.totalMs / 1000).toFixed(1)} | ${m.indexes.length} (${conc}) | ${mb.toFixed(1)} |`);
}
console.log('\n## Materialized view staleness under the write load\n');
for (const r of cmp.runs) {
  for (const s of r.staleness) {
    console.log(
      `- ${r.variant} / ${s.view}: ${s.refreshes} refreshes, refresh ${s.refreshMs.mean.toFixed(0)} ms mean / ${s.refreshMs.max.toFixed(0)} ms max; ` +
        `worst age of an unreflected posting ${s.maxUnreflectedAgeMs.p95.toFixed(0)} ms p95 / ${s.maxUnreflectedAgeMs.max.toFixed(0)} ms max`,
    );
  }
}
console.log(`\nresult files: ${a.out}`);
