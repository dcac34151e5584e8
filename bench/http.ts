/**
 * Benchmark: what the HTTP API adds to a scenario's latency. For each scenario, one
 * direct SQL run (the engine, `runLoad`) and one HTTP run (autocannon through
 * `ledger-bench serve`, a child process, latency from the intended start) on the same
 * variant, rate, duration and seed, one after the other; prints p50/p95/p99 side by
 * side and the p95 ratio. Needs a seeded baseline (the variant's database):
 *
 *   node bin/ledger-bench.js seed --scale small
 *   node --import tsx bench/http.ts [--variant baseline] [--scenarios balance-lookup,journal-entry-search] \
 *     [--rate 150] [--duration 20] [--warmup 3] [--prefix ledger_bench]
 *
 * Result JSONs go to bench-results/http/. DATABASE_URL picks the server (else the
 * embedded one, started for the script).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchServer } from './bench-server.js';
import { loadScenarioContext } from '../scenarios/context.js';
import { scenarioWorkloadSpec } from '../scenarios/workload.js';
import { runHttpLoad } from '../src/api/http-load.js';
import { httpRunResult } from '../src/api/http-result.js';
import { withDatabase } from '../src/db/connection-url.js';
import { defaultConnections } from '../src/engine/options.js';
import { runLoad } from '../src/engine/run-load.js';
import { httpOverhead, type OverheadRow } from '../src/report/http-overhead.js';
import { readServerInfo } from '../src/result/server-info.js';
import { writeResultAtomic } from '../src/result/write.js';
import { variantDatabase } from '../src/variant-build/migrate.js';
import { getVariant } from '../variants/registry.js';

const { values: a } = parseArgs({
  options: {
    variant: { type: 'string', default: 'baseline' },
    scenarios: { type: 'string', default: 'balance-lookup,journal-entry-search' },
    rate: { type: 'string', default: '150' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    prefix: { type: 'string', default: 'ledger_bench' },
  },
});
const variant = a.variant!;
const rate = Number(a.rate);
const durationSec = Number(a.duration);
const warmupSec = Number(a.warmup);
const seed = 42;
const connections = defaultConnections(rate, 1);
const OUT = 'bench-results/http';

const bench = await benchServer();
const dbUrl = withDatabase(bench.url, variantDatabase(a.prefix!, variant));

// The API in its own process, as deployed: its CPU is not the load generator's.
const BIN = fileURLToPath(new URL('../bin/ledger-bench.js', import.meta.url));
const serve = spawn(process.execPath, [BIN, 'serve', '--variant', variant, '--db-prefix', a.prefix!, '--database-url', bench.url, '--port', '0', '--pool-size', String(connections)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [first] = (await once(serve.stdout!, 'data')) as [Buffer];
const apiUrl = first.toString().trim();
process.stderr.write(`API (pid ${serve.pid}) on ${apiUrl}, ${connections} database connections; engine and autocannon use ${connections} connections too\n`);

const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const ctx = await loadScenarioContext(client, (await getVariant(variant)).features);
const server = await readServerInfo(client);
await client.end();

const rows: (OverheadRow & { sqlReached: boolean; httpReached: boolean; autocannonP99: number })[] = [];
try {
  for (const scenario of a.scenarios!.split(',')) {
    const sql = await runLoad({
      databaseUrl: dbUrl,
      workload: scenarioWorkloadSpec({ variant, side: variant === 'baseline' ? 'before' : 'after', mix: { [scenario]: 1 }, refreshIntervalSec: 0 }),
      rate, durationSec, warmupSec, connections, quiet: true, seed, variant,
    });
    await writeResultAtomic(OUT, sql);
    const m = await runHttpLoad({ url: apiUrl, scenarios: ctx, mix: { [scenario]: 1 }, rate, durationSec, warmupSec, arrival: 'uniform', connections, seed });
    const autocannonP99 = m.autocannon.latencyMs.p99;
    const http = httpRunResult(m, {
      variant, url: apiUrl, rate, durationSec, warmupSec, arrival: 'uniform', connections, poolSize: connections, seed, server,
      config: { command: 'bench/http.ts', scenario },
    });
    await writeResultAtomic(OUT, http);
    for (const r of httpOverhead(sql, http)) rows.push({ ...r, sqlReached: sql.reachedTarget, httpReached: http.reachedTarget, autocannonP99 });
    const r = rows.at(-1);
    if (r) process.stderr.write(`${scenario}: SQL p95 ${r.sql.p95.toFixed(3)} ms (n=${r.sql.count}), HTTP p95 ${r.http.p95.toFixed(3)} ms (n=${r.http.count}), ratio ${r.p95Ratio.toFixed(2)}\n`);
  }
} finally {
  serve.kill('SIGINT');
  await once(serve, 'close');
  await bench.stop();
}

const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
console.log(`\n## HTTP vs direct SQL, variant ${variant}, ${rate}/s for ${durationSec} s after ${warmupSec} s warm-up, ${connections} connections (ms, from the intended start)\n`);
console.log('| scenario | SQL p50 | SQL p95 | SQL p99 | HTTP p50 | HTTP p95 | HTTP p99 | HTTP - SQL p95 | p95 ratio | rate held (SQL / HTTP) | autocannon own p99 |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.scenario} | ${f(r.sql.p50)} | ${f(r.sql.p95)} | ${f(r.sql.p99)} | ${f(r.http.p50)} | ${f(r.http.p95)} | ${f(r.http.p99)} | ${f(r.p95DeltaMs)} | ${r.p95Ratio.toFixed(2)}x | ${r.sqlReached ? 'yes' : 'NO'} / ${r.httpReached ? 'yes' : 'NO'} | ${r.autocannonP99} |`,
  );
}
