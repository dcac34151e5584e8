/**
 * Entry point of a load worker thread: rebuilds the workload from its spec, opens its
 * pool, reports 'ready', runs its share of the schedule on 'start', streams ticks and
 * warnings, and posts its partial result. Started by run-load.ts (through a small
 * bootstrap that registers tsx in the thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildWorkload, type WorkloadSpec } from '../workload/build.js';
import { LoadRunner } from './load-runner.js';
import type { WorkerPlan } from './plan.js';

export type ToWorker = { type: 'start'; startAtEpochMs: number } | { type: 'window'; startSec: number } | { type: 'abort'; reason: string };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'error'; message: string; stack?: string }
  | { type: 'tick'; sample: import('./plan.js').TickSample }
  | { type: 'warning'; message: string }
  | { type: 'done'; result: import('../result/types.js').RunResult };

async function main(): Promise<void> {
  const port = parentPort!;
  const { plan, spec } = workerData as { plan: WorkerPlan; spec: WorkloadSpec };
  const post = (m: FromWorker): void => port.postMessage(m);
  try {
    const workload = await buildWorkload(spec, { databaseUrl: plan.databaseUrl, seed: plan.seed });
    const runner = new LoadRunner(plan, workload, {
      onTick: (sample) => post({ type: 'tick', sample }),
      onWarning: (message) => post({ type: 'warning', message }),
    });
    await runner.prepare();
    const start = new Promise<number>((resolve) => {
      port.on('message', (m: ToWorker) => {
        if (m.type === 'start') resolve(m.startAtEpochMs);
        else if (m.type === 'window') runner.setWindowStart(m.startSec);
        else if (m.type === 'abort') runner.abort(m.reason);
      });
    });
    post({ type: 'ready' });
    const result = await runner.run(await start);
    await workload.close?.();
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) });
  }
  port.close();
}

void main();
