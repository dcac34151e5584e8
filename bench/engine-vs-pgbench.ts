/**
 * Engine vs pgbench on the same server and the same query (PK lookup on pgbench_accounts).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres \
 *     node --import tsx bench/engine-vs-pgbench.ts [--duration 60] [--phase-sec 15] [--pgbench /usr/bin/pgbench]
 *
 * --duration is the length of the memory run at 5,000 TPS (10 minutes: --duration 600);
 * --phase-sec the length of each throughput / latency run. Prints a table of results.
 * Creates (and leaves, for reuse) the marked database ledger_bench_bench_pgbench.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recreateOwnedDatabase } from '../src/db/ownership.js';
import { runLoad } from '../src/engine/run-load.js';
import { summarizeSamples } from '../src/stats/percentiles.js';

const run = promisify(execFile);

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const duration = Number(arg('duration', '60'));
const phaseSec = Number(arg('phase-sec', '15'));
const pgbenchBin = arg('pgbench', '/usr/bin/pgbench');
const only = arg('only', 'all'); // all | tput | p95 | rate | mem
const SCRIPT = '\\set aid random(1, 1000000)\nSELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n';

function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

async function pgbench(url: string, args: string[], cwd?: string): Promise<string> {
  const { stdout, stderr } = await run(pgbenchBin, args, { env: pgEnv(url), maxBuffer: 64 << 20, ...(cwd ? { cwd } : {}) });
  return stdout + stderr;
}

function tpsOf(out: string): number {
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error('no tps in pgbench output:\n' + out);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const host = new URL(serverUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('benchmarks only send load to 127.0.0.1');
  const url = await recreateOwnedDatabase(serverUrl, 'ledger_bench_bench_pgbench', { purpose: 'bench/engine-vs-pgbench' });
  console.log('initialising pgbench -i -s 10 ...');
  await pgbench(url, ['-i', '-s', '10', '-q']);
  const dir = await mkdtemp(join(tmpdir(), 'lb-bench-'));
  const script = join(dir, 'pk-lookup.sql');
  await writeFile(script, SCRIPT);
  const spec = { kind: 'pgbench-script' as const, path: script };
  const lines: string[] = [];
  const report = (s: string): void => {
    console.log(s);
    lines.push(s);
  };

  if (only === 'all' || only === 'tput') {
    // 1. Max throughput.
    const C = Number(arg('clients', '8'));
    const pgTps = tpsOf(await pgbench(url, ['-n', '-M', 'prepared', '-c', String(C), '-j', '2', '-T', String(phaseSec), '-f', script]));
    report(`1. pgbench -M prepared -c ${C} -j 2 -T ${phaseSec}: ${pgTps.toFixed(0)} tps`);
    let best = 0;
    const configs = (arg('configs', '1x8,2x8,2x16') as string).split(',').map((c) => c.split('x').map(Number) as [number, number]);
    for (const [workers, connections] of configs) {
      const r = await runLoad({
        databaseUrl: url,
        workload: spec,
        rate: Math.ceil(pgTps * 1.5),
        durationSec: phaseSec,
        warmupSec: 2,
        workers,
        connections,
        backlog: connections * 4,
        quiet: true,
        output: { write: () => true },
      });
      best = Math.max(best, r.achievedRate);
      report(`   engine workers=${workers} connections=${connections}: ${r.achievedRate.toFixed(0)} tps (${(r.achievedRate / pgTps).toFixed(2)}x pgbench)`);
    }
    report(`   best ratio engine/pgbench: ${(best / pgTps).toFixed(2)}x`);
  }

  if (only === 'all' || only === 'p95') {
    // 2. p95 at a fixed 1,000 TPS, from pgbench's per-transaction log (latency from scheduled start).
    const logDir = await mkdtemp(join(tmpdir(), 'lb-pglog-'));
    const out = await pgbench(url, ['-n', '-M', 'prepared', '-R', '1000', '-c', '8', '-j', '2', '-T', String(phaseSec + 2), '-l', '--log-prefix', join(logDir, 'pgb'), '-f', script]);
    const lats: number[] = [];
    let firstEpoch = Infinity;
    const rows: Array<[number, number]> = [];
    for (const f of await readdir(logDir)) {
      for (const line of (await readFile(join(logDir, f), 'utf8')).split('\n')) {
        const p = line.trim().split(/\s+/);
        if (p.length < 6) continue;
        const epoch = Number(p[4]) + Number(p[5]) / 1e6;
        firstEpoch = Math.min(firstEpoch, epoch);
        rows.push([epoch, Number(p[2]) / 1000]);
      }
    }
    for (const [epoch, ms] of rows) if (epoch >= firstEpoch + 2) lats.push(ms); // same 2 s warm-up as the engine
    await rm(logDir, { recursive: true, force: true });
    const pg = summarizeSamples(lats);
    report(`2. pgbench -R 1000 -c 8 -j 2: p50 ${pg.p50.toFixed(3)} p95 ${pg.p95.toFixed(3)} p99 ${pg.p99.toFixed(3)} ms (${lats.length} tx; reported ${/latency average = [\d.]+ ms/.exec(out)?.[0] ?? ''})`);
    for (const spinMs of [1, 0]) {
      const r = await runLoad({ databaseUrl: url, workload: spec, rate: 1000, durationSec: phaseSec, warmupSec: 2, connections: 8, spinMs, quiet: true, output: { write: () => true } });
      const s = r.scenarios[0]!;
      report(
        `   engine rate 1000 spinMs=${spinMs}: p50 ${s.latencyMs.p50.toFixed(3)} p95 ${s.latencyMs.p95.toFixed(3)} p99 ${s.latencyMs.p99.toFixed(3)} ms ` +
          `(service p95 ${s.serviceMs.p95.toFixed(3)}, lag p95 ${s.lagMs.p95.toFixed(3)}); p95 ratio engine/pgbench ${(s.latencyMs.p95 / pg.p95).toFixed(2)}`,
      );
    }
  }

  if (only === 'all' || only === 'rate') {
    // 3. Achieved / target.
    for (const rate of [1000, 5000]) {
      const r = await runLoad({ databaseUrl: url, workload: spec, rate, durationSec: phaseSec, warmupSec: 2, quiet: true, output: { write: () => true } });
      report(`3. engine rate ${rate}: achieved ${r.achievedRate.toFixed(1)}/s = ${(r.achievedRate / rate).toFixed(4)} of target, reachedTarget=${r.reachedTarget}, dropped ${r.dropped}, p95 ${r.scenarios[0]!.latencyMs.p95} ms`);
    }
  }

  if (only === 'all' || only === 'mem') {
    // 4. Memory over a run at 5,000 TPS (in-process, so RSS is the engine's own).
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(process.memoryUsage().rss / 2 ** 20), 1000);
    const before = process.memoryUsage().rss / 2 ** 20;
    const r = await runLoad({ databaseUrl: url, workload: spec, rate: 5000, durationSec: duration, warmupSec: 2, quiet: true, output: { write: () => true } });
    clearInterval(timer);
    const q = Math.max(1, Math.floor(samples.length / 4));
    const avg = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    report(
      `4. RSS at 5000 TPS for ${duration}s: before ${before.toFixed(0)} MiB, first quarter avg ${avg(samples.slice(0, q)).toFixed(0)} MiB, ` +
        `last quarter avg ${avg(samples.slice(-q)).toFixed(0)} MiB, max ${Math.max(...samples).toFixed(0)} MiB; achieved ${r.achievedRate.toFixed(1)}/s, ${r.scenarios[0]!.count} tx`,
    );
  }
  await rm(dir, { recursive: true, force: true });
  console.log('\nsummary\n' + lines.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
