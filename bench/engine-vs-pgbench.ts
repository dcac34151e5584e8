/**
 * Engine vs pgbench on the same server and the same query (PK lookup on pgbench_accounts).
 *
 *   [DATABASE_URL=postgres://...] node --import tsx bench/engine-vs-pgbench.ts [--duration 60] [--phase-sec 15] [--pgbench /usr/bin/pgbench]
 *
 * --duration is the length of the memory run at 5,000 TPS (5 minutes: --duration 300);
 * --phase-sec the length of each throughput / latency run; --rounds how many interleaved
 * pgbench / engine rounds the throughput figure takes (the machine is shared and noisy:
 * each engine run is compared with the mean of the pgbench runs just before and after
 * it, and the median of those ratios is reported). --configs lists the engine's
 * WORKERSxCONNECTIONS (default 1x8,2x8,2x16; 2x8 is pgbench -c 8 -j 2's shape); --floor the THREADSxCONNECTIONS of the Node
 * floor (node-floor.ts: a bare protocol loop, the least any Node client costs), run in
 * the same rounds (default 1x8,2x8; --floor none skips it). --only tput|p95|rate|mem runs one part.
 * Prints the four figures and a verdict per figure at the end.
 * Creates (and leaves, for reuse) the marked database ledger_bench_bench_pgbench.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchServer } from './bench-server.js';
import { makeGc } from './force-gc.js';
import { runNodeFloor } from './node-floor.js';
import { recreateOwnedDatabase } from '../src/db/ownership.js';
import { runLoad } from '../src/engine/run-load.js';
import { engineEnvOptions, saturationOptions } from './engine-env.js';
import { summarizeSamples } from '../src/stats/percentiles.js';
import { arg } from './arg.js';

const run = promisify(execFile);

const bench = await benchServer();
const serverUrl = bench.url;
const duration = Number(arg('duration', '60'));
const phaseSec = Number(arg('phase-sec', '15'));
const pgbenchBin = arg('pgbench', '/usr/bin/pgbench');
const only = arg('only', 'all'); // all | tput | p95 | rate | mem
const rounds = Number(arg('rounds', '3'));
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

/** CPU seconds (user + system) of this process's waited-for children (pgbench), from /proc. */
function childrenCpuSec(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime), counted from field 3 at index 0.
  return (Number(rest[13]) + Number(rest[14])) / 100;
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

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

  const verdict: string[] = [];

  if (only === 'all' || only === 'tput') {
    // 1. Max throughput, interleaved: pgbench, engine configs, pgbench, engine configs, ..., pgbench.
    const C = Number(arg('clients', '8'));
    const configs = (arg('configs', '1x8,2x8,2x16') as string).split(',').map((c) => c.split('x').map(Number) as [number, number]);
    const runPgbench = async (): Promise<{ tps: number; cpuUs: number }> => {
      const c0 = childrenCpuSec();
      const out = await pgbench(url, ['-n', '-M', 'prepared', '-c', String(C), '-j', '2', '-T', String(phaseSec), '-f', script]);
      const tps = tpsOf(out);
      const txs = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? tps * phaseSec);
      return { tps, cpuUs: ((childrenCpuSec() - c0) * 1e6) / txs };
    };
    const floorArg = arg('floor', '1x8,2x8');
    const floors = floorArg === 'none' ? [] : floorArg.split(',').map((c) => c.split('x').map(Number) as [number, number]);
    const pg: Array<{ tps: number; cpuUs: number }> = [];
    const eng: Array<Array<{ tps: number; cpuUs: number }>> = configs.map(() => []);
    const flo: Array<Array<{ tps: number; cpuUs: number }>> = floors.map(() => []);
    pg.push(await runPgbench());
    for (let round = 0; round < rounds; round++) {
      for (const [ci, [workers, connections]] of configs.entries()) {
        const cpu0 = process.cpuUsage();
        const r = await runLoad(saturationOptions(url, script, Math.ceil(Math.max(...pg.map((p) => p.tps)) * 1.5), phaseSec, workers, connections));
        const cpu = process.cpuUsage(cpu0);
        // Completions over the whole run (warm-up included) for CPU per transaction.
        const done = (r.timeline ?? []).reduce((a, p) => a + p.completed, 0) || r.achievedRate * phaseSec;
        eng[ci]!.push({ tps: r.achievedRate, cpuUs: (cpu.user + cpu.system) / done });
      }
      // The same 2 s warm-up as the engine, then phaseSec measured; CPU over the measured seconds.
      for (const [fi, [threads, connections]] of floors.entries()) flo[fi]!.push(await runNodeFloor(url, threads, connections, phaseSec));
      pg.push(await runPgbench());
    }
    report(`1. max throughput, ${rounds} interleaved rounds of ${phaseSec} s (pgbench -M prepared -c ${C} -j 2 vs the engine at 1.5x that rate):`);
    report(`   pgbench tps: ${pg.map((p) => p.tps.toFixed(0)).join(', ')}; client CPU ${median(pg.map((p) => p.cpuUs)).toFixed(1)} us/tx`);
    /** Reports one client's runs against the adjacent pgbench runs; returns the best median ratio over its shapes. */
    const series = (label: string, unit: string, shapes: Array<[number, number]>, runs: Array<Array<{ tps: number; cpuUs: number }>>, cpuNote: string) => {
      let top = { ratio: 0, name: '' };
      for (const [i, [n, connections]] of shapes.entries()) {
        const ratios = runs[i]!.map((e, round) => e.tps / ((pg[round]!.tps + pg[round + 1]!.tps) / 2));
        const m = median(ratios);
        const name = `${unit}=${n} connections=${connections}`;
        if (m > top.ratio) top = { ratio: m, name };
        report(
          `   ${label} ${name}: tps ${runs[i]!.map((e) => e.tps.toFixed(0)).join(', ')}; ` +
            `ratio vs adjacent pgbench ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${m.toFixed(2)}x); client CPU ${median(runs[i]!.map((e) => e.cpuUs)).toFixed(1)} us/tx${cpuNote}`,
        );
      }
      return top;
    };
    const best = series('engine', 'workers', configs, eng, '');
    report(`   best median ratio engine/pgbench: ${best.ratio.toFixed(2)}x (${best.name})`);
    const bestFloor = series('Node floor', 'threads', floors, flo, ' (measured seconds only)');
    if (floors.length > 0) {
      report(`   best median ratio Node floor/pgbench: ${bestFloor.ratio.toFixed(2)}x (${bestFloor.name}); engine best / floor best: ${(best.ratio / bestFloor.ratio).toFixed(2)}x`);
      verdict.push(`Node floor (bare protocol loop): ${bestFloor.ratio.toFixed(2)}x pgbench; the engine reaches ${(best.ratio / bestFloor.ratio).toFixed(2)}x of the floor`);
    }
    verdict.push(`max throughput: ${best.ratio.toFixed(2)}x pgbench (goal >= 0.80x): ${best.ratio >= 0.8 ? 'OK' : 'BELOW GOAL'}`);
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
    const p95s: string[] = [];
    for (const spinMs of [1, 0]) {
      const r = await runLoad({ ...engineEnvOptions, databaseUrl: url, workload: spec, rate: 1000, durationSec: phaseSec, warmupSec: 2, connections: 8, spinMs, quiet: true, output: { write: () => true } });
      const s = r.scenarios[0]!;
      p95s.push(`spinMs=${spinMs}${spinMs ? ' (ticker)' : ' (polling)'} ${s.latencyMs.p95.toFixed(3)} ms (${(s.latencyMs.p95 / pg.p95).toFixed(2)}x)`);
      report(
        `   engine rate 1000 spinMs=${spinMs}${spinMs ? ' (ticker)' : ' (polling)'}: p50 ${s.latencyMs.p50.toFixed(3)} p95 ${s.latencyMs.p95.toFixed(3)} p99 ${s.latencyMs.p99.toFixed(3)} ms ` +
          `(service p95 ${s.serviceMs.p95.toFixed(3)}, lag p95 ${s.lagMs?.p95.toFixed(3) ?? "n/a"}); p95 ratio engine/pgbench ${(s.latencyMs.p95 / pg.p95).toFixed(2)}`,
      );
    }
    verdict.push(`p95 at 1000 TPS: pgbench -R 1000 ${pg.p95.toFixed(3)} ms; engine ${p95s.join(', ')}`);
  }

  if (only === 'all' || only === 'rate') {
    // 3. Achieved / target.
    for (const rate of [1000, 5000]) {
      const r = await runLoad({ ...engineEnvOptions, databaseUrl: url, workload: spec, rate, durationSec: phaseSec, warmupSec: 2, quiet: true, output: { write: () => true } });
      verdict.push(`achieved/target at ${rate} TPS: ${(r.achievedRate / rate).toFixed(4)} (reachedTarget=${r.reachedTarget}, dropped ${r.dropped})`);
      report(`3. engine rate ${rate}: achieved ${r.achievedRate.toFixed(1)}/s = ${(r.achievedRate / rate).toFixed(4)} of target, reachedTarget=${r.reachedTarget}, dropped ${r.dropped}, p95 ${r.scenarios[0]!.latencyMs.p95} ms`);
    }
  }

  if (only === 'all' || only === 'mem') {
    // 4. Memory over a run at 5,000 TPS (in-process, so RSS is the engine's own). Every
    // second: RSS, heap used, and every 5 s the live heap after a forced full GC (what
    // survives: a leak shows there, while heapUsed alone also counts uncollected garbage).
    // The forced GCs also flatten V8's old-generation sawtooth in RSS (see docs/engine.md).
    const gc = makeGc();
    const mib = (n: number): number => n / 2 ** 20;
    const rss: number[] = [];
    const heap: number[] = [];
    const live: number[] = [];
    let tick = 0;
    gc();
    const before = mib(process.memoryUsage().rss);
    const timer = setInterval(() => {
      if (++tick % 5 === 0) {
        gc();
        live.push(mib(process.memoryUsage().heapUsed));
      }
      const m = process.memoryUsage();
      rss.push(mib(m.rss));
      heap.push(mib(m.heapUsed));
    }, 1000);
    const r = await runLoad({ ...engineEnvOptions, databaseUrl: url, workload: spec, rate: 5000, durationSec: duration, warmupSec: 2, quiet: true, output: { write: () => true } });
    clearInterval(timer);
    const avg = (a: number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
    // Skip the first 10% (pool, JIT and heap warming up), then compare the first and last quarter of the rest.
    const quarters = (a: number[]): [number, number] => {
      const b = a.slice(Math.floor(a.length / 10));
      const q = Math.max(1, Math.floor(b.length / 4));
      return [avg(b.slice(0, q)), avg(b.slice(-q))];
    };
    const [rss1, rss4] = quarters(rss);
    const [heap1, heap4] = quarters(heap);
    const [live1, live4] = quarters(live);
    // Growing: the last quarter is more than 10% and 5 MiB above the first.
    const grows = (a: number, b: number): boolean => b > a * 1.1 && b - a > 5;
    const flat = !grows(rss1, rss4) && !grows(live1, live4);
    report(
      `4. memory at 5000 TPS for ${duration}s (achieved ${r.achievedRate.toFixed(1)}/s, ${r.scenarios[0]!.count} tx): before ${before.toFixed(0)} MiB RSS; ` +
        `first vs last quarter: RSS ${rss1.toFixed(1)} -> ${rss4.toFixed(1)} MiB, heap used ${heap1.toFixed(1)} -> ${heap4.toFixed(1)} MiB, ` +
        `live heap after GC ${live1.toFixed(1)} -> ${live4.toFixed(1)} MiB; max RSS ${Math.max(...rss).toFixed(0)} MiB: ${flat ? 'flat' : 'GROWING'}`,
    );
    verdict.push(`memory at 5000 TPS over ${duration}s: RSS ${rss1.toFixed(1)} -> ${rss4.toFixed(1)} MiB, live heap ${live1.toFixed(1)} -> ${live4.toFixed(1)} MiB: ${flat ? 'flat' : 'GROWING'}`);
  }
  await rm(dir, { recursive: true, force: true });
  console.log('\nsummary\n' + lines.join('\n'));
  console.log('\nfigures\n' + verdict.map((v) => '  ' + v).join('\n'));
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => bench.stop());
