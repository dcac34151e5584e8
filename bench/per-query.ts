/**
 * Benchmark: each read scenario ALONE, at a low fixed rate the server can sustain, on
 * every variant database that bench/variants.ts built (same prefix): the per-query p95
 * the review's table claims, free of the queueing a saturated mixed run adds.
 *
 *   node --import tsx bench/variants.ts --scale medium ...      # builds the databases
 *   node --import tsx bench/per-query.ts [--rate 2] [--duration 20] [--warmup 2] \
 *     [--variants baseline,indexes,...] [--prefix ledger_bench_bench]
 *
 * Runs on whatever data those databases hold now (bench/variants.ts's runs added a
 * few seconds of writes to each clone). MV refresh is off: reads of a view measure the
 * view, not the refresh.
 */
import { parseArgs } from 'node:util';
import { benchServer } from './bench-server.js';
import { withDatabase } from '../src/db/connection-url.js';
import { runLoad } from '../src/engine/run-load.js';
import { engineEnvOptions } from './engine-env.js';
import { variantDatabase } from '../src/variants/migrate.js';
import { listVariants } from '../variants/registry.js';
import { readScenarios } from '../scenarios/registry.js';
import { scenarioWorkloadSpec } from '../scenarios/workload.js';

const { values: a } = parseArgs({
  options: {
    rate: { type: 'string', default: '2' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    variants: { type: 'string' },
    prefix: { type: 'string', default: 'ledger_bench_bench' },
  },
});
const bench = await benchServer();
const variants = a.variants ? a.variants.split(',') : (await listVariants()).map((v) => v.name);
const scenarios = readScenarios();
const rows: string[] = [];
const cell: Record<string, Record<string, string>> = {};
for (const variant of variants) {
  for (const s of scenarios) {
    const r = await runLoad({
      ...engineEnvOptions,
      databaseUrl: withDatabase(bench.url, variantDatabase(a.prefix!, variant)),
      workload: scenarioWorkloadSpec({ variant, side: variant === 'baseline' ? 'before' : 'after', mix: { [s.name]: 1 }, refreshIntervalSec: 0 }),
      rate: Number(a.rate),
      durationSec: Number(a.duration),
      warmupSec: Number(a.warmup),
      connections: 8,
      quiet: true,
      seed: 42,
      variant,
    });
    const x = r.scenarios[0]!;
    const p95 = x.count > 0 ? x.latencyMs.p95 : NaN;
    const fmt = (v: number) => (Number.isNaN(v) ? '-' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
    (cell[s.name] ??= {})[variant] = `${fmt(p95)}${r.reachedTarget ? '' : ' (overloaded)'}`;
    process.stderr.write(`${variant} / ${s.name}: n=${x.count} p50 ${fmt(x.latencyMs.p50)} p95 ${fmt(p95)} ms, achieved ${r.achievedRate.toFixed(2)}/s\n`);
  }
}
rows.push(`| scenario | claimed before | claimed after | ${variants.join(' | ')} |`, `|---|---|---|${variants.map(() => '---').join('|')}|`);
for (const s of scenarios) {
  const c = s.claim;
  const rng = (r?: readonly [number, number]) => (r ? (r[0] === r[1] ? `~${r[0]}` : `${r[0]}-${r[1]}`) : '-');
  rows.push(`| ${s.name} | ${rng(c?.beforeMs)} | ${rng(c?.afterMs)} | ${variants.map((v) => cell[s.name]?.[v] ?? '-').join(' | ')} |`);
}
console.log(`\n## p95 (ms) of each read scenario alone at ${a.rate}/s, ${a.duration} s after ${a.warmup} s warm-up\n`);
console.log(rows.join('\n'));
await bench.stop();
