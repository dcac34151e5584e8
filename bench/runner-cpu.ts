/**
 * CPU per transaction of the load runner alone: scheduler, backlog, recorder and
 * completion, on in-memory connections whose every query answers at once (a resolved
 * microtask). No database, no socket, no wire protocol: what is left is the engine's own
 * JavaScript per transaction, the part bench/engine-vs-pgbench.ts cannot separate from
 * the kernel and the server.
 *
 *   node --import tsx bench/runner-cpu.ts [--sec 3] [--rounds 3] [--connections 8]
 *
 * The rate (3,000,000/s) is far above what one thread completes, so every connection is
 * always busy, as at saturation against a server. CPU is the process's (user + system)
 * over the whole run divided by the transactions completed in the whole run.
 */
import { LoadRunner } from '../src/engine/load-runner.js';
import type { PoolConn } from '../src/engine/connection.js';
import type { WorkerPlan } from '../src/engine/plan.js';
import type { Workload } from '../src/workload/types.js';
import { arg } from './arg.js';

const sec = Number(arg('sec', '3'));
const rounds = Number(arg('rounds', '3'));
const connections = Number(arg('connections', '8'));

const ROW = { rows: [], rowCount: 1 };

/** A connection that answers every query in the next microtask (not a database). */
class InstantConn implements PoolConn {
  dead = false;
  deathError: Error | undefined;
  onDeath: (() => void) | undefined;
  constructor(readonly id: number) {}
  query<R>(): Promise<{ rows: R[]; rowCount: number | null }> {
    return new Promise((resolve) => queueMicrotask(() => resolve(ROW)));
  }
  transactionStatus(): string {
    return 'I';
  }
  async close(): Promise<void> {
    this.dead = true;
  }
}

const workload: Workload = { transactions: [{ name: 'q', weight: 1, execute: (c) => c.query('q') as unknown as Promise<void> }] };

const plan: WorkerPlan = {
  databaseUrl: 'postgres://in-memory/none', rate: 3_000_000, arrival: 'uniform', warmupSec: 0, durationSec: sec, connections, backlog: connections * 4,
  maxTries: 1, offset: 0, stride: 1, queryMode: 'prepared', seed: 1, exitOnAbort: false, drainTimeoutMs: 1000, spinMs: 1, timer: 'ticker',
  driver: 'wire', reconnectTimeoutSec: 30, rateTolerance: 0.01, segment: null, workerIndex: 0, workers: 1, maxWarmupSec: 0,
};

for (let round = 1; round <= rounds; round++) {
  const runner = new LoadRunner(plan, workload, {}, async (id) => new InstantConn(id));
  await runner.prepare();
  const cpu0 = process.cpuUsage();
  const result = await runner.run(Date.now() + 20);
  const cpu = process.cpuUsage(cpu0);
  const done = result.scenarios[0]!.count;
  console.log(`round ${round}: ${done} transactions in ${sec} s (${(done / sec).toFixed(0)}/s); ${((cpu.user + cpu.system) / done).toFixed(3)} us CPU per transaction`);
}
