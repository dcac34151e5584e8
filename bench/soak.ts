/**
 * Soak: the default mix on the `optimized` variant for a long time (30 minutes by
 * default) at a rate the machine holds, recording every 10 s the achieved rate, the
 * per-second p95s of that window (median and worst), errors, drops, and the harness's
 * RSS and heap, and every 10 s the live heap right after a forced full GC; then the ledger invariants on the database the soak wrote to.
 *
 *   [DATABASE_URL=postgres://...] node --import tsx bench/soak.ts \
 *     [--rate 150] [--duration 1800] [--warmup 30] [--scale small] [--prefix ledger_bench_soak] \
 *     [--window 10] [--out bench-results/soak.json]
 *
 * Not a test: it takes half an hour. Figures go to docs/performance.md with this command.
 * The soak runs on its own clone (`<prefix>_optimized`), rebuilt at every start, so the
 * writes of one soak never leak into the next.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchServer } from './bench-server.js';
import { makeGc } from './force-gc.js';
import { withDatabase } from '../src/db/connection-url.js';
import { recreateOwnedDatabase, withAdminClient } from '../src/db/ownership.js';
import { runLoad } from '../src/engine/run-load.js';
import { migrateVariant } from '../src/variant-build/migrate.js';
import { getVariant } from '../variants/registry.js';
import { checkInvariants } from '../src/verify/invariants.js';
import { seedDatabase } from '../seed/seed-database.js';
import type { Scale } from '../seed/scales.js';
import { scenarioWorkloadSpec } from '../scenarios/workload.js';

const { values: a } = parseArgs({
  options: {
    rate: { type: 'string', default: '150' },
    duration: { type: 'string', default: '1800' },
    warmup: { type: 'string', default: '30' },
    scale: { type: 'string', default: 'small' },
    prefix: { type: 'string', default: 'ledger_bench_soak' },
    window: { type: 'string', default: '10' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: 'bench-results/soak.json' },
  },
});
const rate = Number(a.rate);
const durationSec = Number(a.duration);
const warmupSec = Number(a.warmup);
const windowSec = Number(a.window);
const mib = (b: number): number => b / 1024 / 1024;
/** The last live-heap sample (after a forced GC) of a window, NaN when it has none. */
const lastLive = (mem: ReadonlyArray<{ liveHeapMiB?: number }>): number => mem.filter((m) => m.liveHeapMiB !== undefined).at(-1)?.liveHeapMiB ?? NaN;
const log = (l: string): void => void process.stderr.write(l + '\n');

const bench = await benchServer();
const baseline = `${a.prefix}_baseline`;
const seeded = await withAdminClient(bench.url, async (c) => ((await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [baseline])).rowCount ?? 0) > 0);
if (!seeded) {
  const url = await recreateOwnedDatabase(bench.url, baseline, { purpose: 'soak baseline' });
  await seedDatabase({ url, scale: a.scale as Scale, seed: Number(a.seed) });
}
const migration = await migrateVariant({ serverUrl: bench.url, prefix: a.prefix!, variant: await getVariant('optimized') });
log(`soak: optimized built in ${(migration.totalMs / 1000).toFixed(1)} s; ${rate}/s for ${durationSec} s after ${warmupSec} s warm-up`);

// Memory is sampled on its own timer, by time since the schedule started, so the
// samples line up with the engine's per-second timeline.
// Every 10 s a forced full GC first: heap used right after it is the live heap, which
// separates retained memory (a leak) from garbage not yet collected and RSS V8 keeps.
const memory: Array<{ t: number; rssMiB: number; heapMiB: number; liveHeapMiB?: number }> = [];
const gc = makeGc();
const started = performance.now();
let samples = 0;
const sampler = setInterval(() => {
  const live = ++samples % 10 === 0 ? (gc(), mib(process.memoryUsage().heapUsed)) : undefined;
  const m = process.memoryUsage();
  memory.push({ t: (performance.now() - started) / 1000, rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed), ...(live !== undefined ? { liveHeapMiB: live } : {}) });
}, 1000);
const result = await runLoad({
  databaseUrl: withDatabase(bench.url, migration.database),
  workload: scenarioWorkloadSpec({ variant: 'optimized', side: 'after', refreshIntervalSec: 5 }),
  rate,
  durationSec,
  warmupSec,
  seed: Number(a.seed),
  variant: 'optimized',
  quiet: true,
});
clearInterval(sampler);
const invariants = await checkInvariants(withDatabase(bench.url, migration.database), await getVariant('optimized'));

// One row per window of the measured part (the warm-up windows are left out).
const tl = result.timeline ?? [];
const rows: Array<Record<string, number>> = [];
for (let w0 = warmupSec; w0 < warmupSec + durationSec; w0 += windowSec) {
  const pts = tl.filter((p) => p.t > w0 && p.t <= w0 + windowSec);
  if (pts.length === 0) continue;
  const p95s = pts.map((p) => p.p95Ms).sort((x, y) => x - y);
  const mem = memory.filter((m) => m.t > w0 && m.t <= w0 + windowSec);
  rows.push({
    t: w0 + windowSec - warmupSec,
    achieved: pts.reduce((s, p) => s + p.completed, 0) / pts.length,
    p95Median: p95s[p95s.length >> 1]!,
    p95Worst: p95s[p95s.length - 1]!,
    errors: pts.reduce((s, p) => s + p.errors, 0),
    dropped: pts.reduce((s, p) => s + p.dropped, 0),
    rssMiB: mem.length ? Math.max(...mem.map((m) => m.rssMiB)) : NaN,
    heapMiB: mem.length ? Math.max(...mem.map((m) => m.heapMiB)) : NaN,
    liveHeapMiB: lastLive(mem),
  });
}
const quarter = Math.max(1, Math.floor(rows.length / 4));
const avg = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const first = rows.slice(0, quarter);
const last = rows.slice(-quarter);
const summary = {
  rate,
  durationSec,
  achievedRate: result.achievedRate,
  reachedTarget: result.reachedTarget,
  partial: result.partial,
  errors: result.scenarios.reduce((s, x) => s + x.errors, 0),
  dropped: result.dropped ?? 0,
  p95AllMs: Object.fromEntries(result.scenarios.map((s) => [s.name, s.latencyMs.p95])),
  rssFirstQuarterMiB: avg(first.map((r) => r.rssMiB!)),
  rssLastQuarterMiB: avg(last.map((r) => r.rssMiB!)),
  heapFirstQuarterMiB: avg(first.map((r) => r.heapMiB!)),
  heapLastQuarterMiB: avg(last.map((r) => r.heapMiB!)),
  liveHeapFirstQuarterMiB: avg(first.map((r) => r.liveHeapMiB!).filter((x) => !Number.isNaN(x))),
  liveHeapLastQuarterMiB: avg(last.map((r) => r.liveHeapMiB!).filter((x) => !Number.isNaN(x))),
  invariantsOk: invariants.ok,
  invariants: invariants.results.map((r) => ({ name: r.name, ok: r.ok })),
};
const out = resolve(a.out!);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ summary, windows: rows, server: result.server }, null, 2) + '\n');

const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`\n## Soak: optimized, default mix, ${rate}/s for ${durationSec} s (${bench.label})\n`);
console.log('| t (s) | achieved/s | p95 per second, median (ms) | worst (ms) | errors | dropped | RSS (MiB) | heap (MiB) | live heap after GC (MiB) |');
console.log('|---|---|---|---|---|---|---|---|---|');
// A row per minute keeps the printed table readable; the JSON holds every window.
const every = Math.max(1, Math.round(60 / windowSec));
for (const [i, r] of rows.entries()) {
  if (i % every !== every - 1 && i !== rows.length - 1) continue;
  console.log(`| ${r.t} | ${f(r.achieved!)} | ${f(r.p95Median!, 2)} | ${f(r.p95Worst!, 2)} | ${r.errors} | ${r.dropped} | ${f(r.rssMiB!)} | ${f(r.heapMiB!)} | ${f(r.liveHeapMiB!)} |`);
}
console.log(
  `\nachieved ${f(summary.achievedRate)}/s of ${rate}/s (${summary.reachedTarget ? 'held' : 'NOT held'})${summary.partial ? ', PARTIAL' : ''}; ` +
    `errors ${summary.errors}, dropped ${summary.dropped}; RSS first vs last quarter ${f(summary.rssFirstQuarterMiB)} -> ${f(summary.rssLastQuarterMiB)} MiB, ` +
    `heap ${f(summary.heapFirstQuarterMiB)} -> ${f(summary.heapLastQuarterMiB)} MiB, live heap after GC ${f(summary.liveHeapFirstQuarterMiB)} -> ${f(summary.liveHeapLastQuarterMiB)} MiB; invariants ${summary.invariantsOk ? 'hold' : 'FAIL'}; written to ${out}`,
);
await bench.stop();
