/**
 * Benchmark: each read scenario ALONE, at a low fixed rate the server can sustain, on
 * every variant: the per-query p95 the review's table claims, free of the queueing a
 * saturated mixed run adds. The same job as `ledger-bench isolate` (its library,
 * src/capacity/isolate.ts: each variant built from the seeded baseline of the prefix,
 * the reads on one pre-warmed clone of it), over every read scenario by default.
 *
 *   node --import tsx bench/variants.ts --scale medium ...      # seeds <prefix>_baseline
 *   node --import tsx bench/per-query.ts [--rate 2] [--duration 20] [--warmup 2] \
 *     [--variants baseline,indexes,...] [--scenarios a,b] [--prefix ledger_bench_bench]
 *
 * Prints the review's table of each query alone (src/report/isolation-rows.ts).
 */
import { parseArgs } from 'node:util';
import { benchServer } from './bench-server.js';
import { engineEnvOptions } from './engine-env.js';
import { isolateScenarios } from '../src/capacity/isolate.js';
import { isolationSection } from '../src/report/isolation-rows.js';
import { listVariants } from '../variants/registry.js';
import { readScenarios, SCENARIOS } from '../scenarios/registry.js';

const { values: a } = parseArgs({
  options: {
    rate: { type: 'string', default: '2' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    variants: { type: 'string' },
    scenarios: { type: 'string' },
    prefix: { type: 'string', default: 'ledger_bench_bench' },
  },
});
const bench = await benchServer();
const listed = a.variants ? a.variants.split(',') : (await listVariants()).map((v) => v.name);
const variants = ['baseline', ...listed.filter((v) => v !== 'baseline')];
const scenarios = a.scenarios ? a.scenarios.split(',') : readScenarios().map((s) => s.name);
const runs = await isolateScenarios({
  ...engineEnvOptions,
  serverUrl: bench.url,
  prefix: a.prefix!,
  variants,
  scenarios,
  rate: Number(a.rate),
  durationSec: Number(a.duration),
  warmupSec: Number(a.warmup),
  connections: 8,
  seed: 42,
  onRun: (r) => {
    const x = r.result.scenarios[0]!;
    process.stderr.write(`${r.variant} / ${r.scenario}: n=${x.count} p50 ${x.latencyMs.p50.toFixed(2)} p95 ${x.latencyMs.p95.toFixed(2)} ms, achieved ${r.result.achievedRate.toFixed(2)}/s${r.held ? '' : ' (not held)'}\n`);
  },
});
const claims = Object.fromEntries(SCENARIOS.flatMap((x) => (x.claim ? [[x.name, x.claim]] : [])));
const isolation = { rate: Number(a.rate), durationSec: Number(a.duration), warmupSec: Number(a.warmup), runs: runs.map((r) => ({ variant: r.variant, scenario: r.scenario, held: r.held, result: r.result })) };
console.log('\n' + isolationSection({ runs: [], claims, budgets: {}, budgetVariants: '', isolation }).join('\n'));
await bench.stop();
