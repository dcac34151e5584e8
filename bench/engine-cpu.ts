/**
 * Client CPU per transaction of the engine at saturation (no pgbench in the loop): the
 * figure that moves when the per-transaction path gets cheaper, and the one that stays
 * readable on a shared machine where wall-clock throughput does not.
 *
 *   [DATABASE_URL=postgres://...] node --import tsx bench/engine-cpu.ts [--sec 8] [--rounds 3] [--configs 1x8,2x16] [--init] [--threads]
 *
 * Same database and query as bench/engine-vs-pgbench.ts (`ledger_bench_bench_pgbench`,
 * PK lookup on pgbench_accounts, -M prepared); `--init` (re)creates it with
 * `pgbench -i -s 10`. Each run offers 60,000 TPS (far above what one machine serves),
 * so the engine runs with every connection busy. Per run it prints tps and the
 * process's CPU (user + system) per completed transaction, twice: over the whole call
 * (connection and worker start-up included) and over the run's steady seconds only
 * (the process's CPU clock sampled every second from the end of the warm-up to a second
 * before the end, over the measured window's achieved rate: start-up left out).
 * Run it under `node --cpu-prof` for a profile of the in-process (1 worker) path.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { benchServer } from './bench-server.js';
import { recreateOwnedDatabase } from '../src/db/ownership.js';
import { runLoad } from '../src/engine/run-load.js';
import { saturationOptions } from './engine-env.js';
import { arg } from './arg.js';

const run = promisify(execFile);
const DB = 'ledger_bench_bench_pgbench';
const SCRIPT = '\\set aid random(1, 1000000)\nSELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n';

const sec = Number(arg('sec', '8'));
const rounds = Number(arg('rounds', '3'));
const rate = Number(arg('rate', '60000'));
const configs = arg('configs', '1x8').split(',').map((c) => c.split('x').map(Number) as [number, number]);

/** CPU ticks (user, system) of this process's main thread and of its other threads together (Linux /proc; empty elsewhere). */
function threadTicks(): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return m;
  }
  for (const tid of tids) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Thread names are mostly "node": the main thread is the one whose id is the pid.
      const name = Number(tid) === process.pid ? 'main' : 'other threads';
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const prev = m.get(name) ?? [0, 0];
      m.set(name, [prev[0] + Number(f[11]), prev[1] + Number(f[12])]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return m;
}

/** Main thread's [ns on a CPU, ns runnable but waiting for one] (/proc schedstat; zeros elsewhere). */
function mainSchedstat(): [number, number] {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [run!, wait!];
  } catch {
    return [0, 0];
  }
}

/** "name user+system us/tx" for each thread that used CPU between two threadTicks() readings. */
function threadReport(a: Map<string, [number, number]>, b: Map<string, [number, number]>, done: number): string {
  const rows: string[] = [];
  for (const [name, [u, s]] of b) {
    const [u0, s0] = a.get(name) ?? [0, 0];
    const us = ((u - u0 + s - s0) * 10_000) / done; // ticks are 10 ms
    if (us >= 0.1) rows.push(`${name} ${us.toFixed(1)} (sys ${(((s - s0) * 10_000) / done).toFixed(1)})`);
  }
  return rows.join(', ');
}

async function ensureDatabase(serverUrl: string): Promise<string> {
  const u = new URL(serverUrl);
  u.pathname = '/' + DB;
  const url = u.toString();
  let exists = false;
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    exists = (await c.query("SELECT to_regclass('pgbench_accounts') IS NOT NULL AS ok")).rows[0].ok === true;
  } catch {
    exists = false;
  } finally {
    await c.end().catch(() => undefined);
  }
  if (exists && !process.argv.includes('--init')) return url;
  await recreateOwnedDatabase(serverUrl, DB, { purpose: 'bench/engine-cpu' });
  await run('/usr/bin/pgbench', ['-i', '-s', '10', '-q', url]);
  return url;
}

async function main(): Promise<void> {
  const bench = await benchServer();
  try {
    const host = new URL(bench.url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('benchmarks only send load to 127.0.0.1');
    const url = await ensureDatabase(bench.url);
    const dir = await mkdtemp(join(tmpdir(), 'lb-cpu-'));
    const script = join(dir, 'pk-lookup.sql');
    await writeFile(script, SCRIPT);
    try {
      for (let round = 0; round < rounds; round++) {
        for (const [workers, connections] of configs) {
          const cpu0 = process.cpuUsage();
          const threads0 = threadTicks();
          const sched0 = mainSchedstat();
          // Steady-state CPU: sampled every second of the run; start-up and the first 2 s are left out.
          const samples: Array<{ t: number; cpu: number }> = [];
          const timer = setInterval(() => {
            const u = process.cpuUsage();
            samples.push({ t: performance.now(), cpu: u.user + u.system });
          }, 1000);
          const r = await runLoad(saturationOptions(url, script, rate, sec, workers, connections));
          clearInterval(timer);
          const cpu = process.cpuUsage(cpu0);
          const threads1 = threadTicks();
          const sched1 = mainSchedstat();
          const tEnd = performance.now();
          const done = (r.timeline ?? []).reduce((a, p) => a + p.completed, 0);
          // Steady state: CPU between the first sample after the warm-up and the last one
          // a second before the end, over the measured window's achieved rate.
          const s0 = samples.find((s) => s.t >= tEnd - sec * 1000);
          const s1 = samples.filter((s) => s.t <= tEnd - 1000).pop();
          const steadyUs = s0 && s1 && s1.t > s0.t ? (s1.cpu - s0.cpu) / (r.achievedRate * ((s1.t - s0.t) / 1000)) : NaN;
          console.log(
            `workers=${workers} connections=${connections}: ${r.achievedRate.toFixed(0)} tps; ` +
              `client CPU ${((cpu.user + cpu.system) / done).toFixed(1)} us/tx whole call (user ${(cpu.user / done).toFixed(1)}, system ${(cpu.system / done).toFixed(1)}), ` +
              `${steadyUs.toFixed(1)} us/tx steady; service p50 ${r.scenarios[0]!.serviceMs.p50.toFixed(3)} ms`,
          );
          if (process.argv.includes('--threads')) console.log(`  per thread, us/tx whole call (threads that ended are not counted): ${threadReport(threads0, threads1, done)}; main thread waited for a CPU ${((sched1[1] - sched0[1]) / 1000 / done).toFixed(1)} us/tx`);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await bench.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
