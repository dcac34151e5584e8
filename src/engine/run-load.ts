/**
 * Public entry point of the load engine: `runLoad(options)` runs an open-model,
 * fixed-rate load against PostgreSQL and returns a validated result. A library: no
 * process.exit, no argv; progress and warnings go to `options.output`.
 */
import { newClient } from '../db/client.js';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { mergeResults } from '../result/merge.js';
import { resultSchema } from '../result/schema.js';
import { readServerInfo } from '../result/server-info.js';
import type { RunResult, ServerInfo, TimelinePoint } from '../result/types.js';
import { slotOwnership } from '../stats/schedule.js';
import { splitEvenly } from '../stats/rate.js';
import { buildWorkload, type WorkloadSpec } from '../workload/build.js';
import type { Workload } from '../workload/types.js';
import { LoadRunner } from './load-runner.js';
import { isWorkloadObject, resolveOptions, type EngineOptions, type ResolvedOptions } from './options.js';
import type { WorkerPlan } from './plan.js';
import { ProgressAggregator } from './progress.js';
import { TOOL } from './tool.js';
import { WarmupController } from './warmup.js';
import type { FromWorker, ToWorker } from './worker-thread.js';

export type { EngineOptions } from './options.js';
export type { RunResult } from '../result/types.js';

/** Lead time between "all ready" and t0, so every worker is sleeping when the schedule starts. */
const START_DELAY_MS = 100;

/** Runs the load described by `options` and returns its result (partial if aborted). */
export async function runLoad(options: EngineOptions): Promise<RunResult> {
  const o = resolveOptions(options);
  const server = await fetchServerInfo(o.databaseUrl);
  const segment = o.segment ?? { index: 0, count: 1 };
  const processRate = o.rate / segment.count;
  const warmup = new WarmupController(o.warmupSec, o.maxWarmupSec, processRate);
  const progress = new ProgressAggregator(o.workers, processRate, warmup, o.quiet ? null : o.output, o.connections, o.output);
  const warned = new Set<string>();
  const warn = (msg: string): void => {
    // One line per kind of warning (k6 style), whatever the number of workers.
    const key = msg.startsWith('warning: dropping') ? 'drop' : msg;
    if (warned.has(key)) return;
    warned.add(key);
    o.output.write(msg.endsWith('\n') ? msg : msg + '\n');
  };
  const conns = splitEvenly(o.connections, o.workers);
  const backlogs = splitEvenly(o.backlog, o.workers);
  const plans: WorkerPlan[] = conns.map((connections, w) => {
    const { offset, stride } = slotOwnership(segment, w, o.workers);
    return {
      databaseUrl: o.databaseUrl,
      rate: o.rate,
      arrival: o.arrival,
      warmupSec: o.warmupSec,
      maxWarmupSec: o.maxWarmupSec,
      durationSec: o.durationSec,
      connections,
      backlog: backlogs[w]!,
      maxTries: o.maxTries,
      offset,
      stride,
      queryMode: o.queryMode,
      seed: o.seed,
      exitOnAbort: o.exitOnAbort,
      drainTimeoutMs: o.drainTimeoutMs,
      spinMs: o.spinMs,
      timer: o.timer,
      driver: o.driver,
      reconnectTimeoutSec: o.reconnectTimeoutSec,
      rateTolerance: o.rateTolerance,
      segment: o.segment ?? null,
      workerIndex: w,
      workers: o.workers,
    };
  });

  let parts: RunResult[];
  try {
    parts = o.workers === 1
      ? [await runInProcess(o, plans[0]!, progress, warn)]
      : await runInWorkers(o, plans, o.workload as WorkloadSpec, progress, warn);
  } finally {
    progress.flushAll();
  }
  const merged = mergeResults(parts);
  progress.destroy();
  const result: RunResult = {
    ...merged,
    tool: TOOL,
    target: { ...merged.target, workers: o.workers, connections: o.connections, segment: o.segment ?? null },
    server,
    config: o.config ?? null,
    ...(o.variant !== undefined ? { variant: o.variant } : {}),
    seed: o.seed,
    timeline: progress.timeline,
    ...warmupFacts(merged, warmup, progress.timeline),
  };
  if (result.warmup?.settled === false) {
    o.output.write(
      result.warmup.saturated
        ? `warning: the run was saturated (slots dropped every second, the backlog full) and could not settle; measured from ${result.warmup.endedSec} s: the window holds a growing queue, not a steady state\n`
        : `warning: the run never settled by ${o.maxWarmupSec} s of warm-up; the measured window may hold a transient\n`,
    );
  }
  if ((result.backlogAtStart ?? 0) > 0) o.output.write(`warning: the measured window began with ${result.backlogAtStart} slots waiting for a connection (a transient from the warm-up)\n`);
  if (!result.reachedTarget) {
    o.output.write(
      `warning: target NOT reached: achieved ${result.achievedRate.toFixed(1)}/s of ${(result.offeredRate ?? processRate).toFixed(1)}/s offered` +
        ` (dropped ${result.dropped ?? 0}); latencies above describe an overloaded system or client\n`,
    );
  }
  if (result.partial) {
    const how = result.partialKind === 'interrupted' ? 'was interrupted' : 'broke';
    o.output.write(`warning: the run ${how} (${result.partialReason ?? 'aborted'}); the result is partial\n`);
  }
  return resultSchema.parse(result) as RunResult;
}

/**
 * The result's `warmup` (the decision of this process, with the latest start any worker
 * used) and `backlogAtStart`: the backlog at the end of the second in which the window
 * began (0 when it began at t0).
 */
function warmupFacts(merged: RunResult, warmup: WarmupController, timeline: readonly TimelinePoint[]): Pick<RunResult, 'warmup' | 'backlogAtStart'> {
  const endedSec = merged.warmup?.endedSec ?? null;
  const settled = endedSec === null ? null : (warmup.decision?.settled ?? null);
  const w = { minSec: warmup.minSec, maxSec: Math.max(warmup.minSec, warmup.maxSec), endedSec, settled, ...(settled === false && warmup.decision?.saturated ? { saturated: true } : {}) };
  if (endedSec === null) return { warmup: w };
  const at = Math.ceil(endedSec);
  const backlogAtStart = at === 0 ? 0 : timeline.find((p) => p.t === at)?.backlog;
  return { warmup: w, ...(backlogAtStart !== undefined ? { backlogAtStart } : {}) };
}

async function fetchServerInfo(url: string): Promise<ServerInfo> {
  const c = newClient({ connectionString: url });
  await c.connect();
  try {
    return await readServerInfo(c);
  } finally {
    await c.end();
  }
}

async function runInProcess(o: ResolvedOptions, plan: WorkerPlan, progress: ProgressAggregator, warn: (m: string) => void): Promise<RunResult> {
  const workload: Workload = isWorkloadObject(o.workload) ? o.workload : await buildWorkload(o.workload, { databaseUrl: o.databaseUrl, seed: o.seed });
  try {
    const runner = new LoadRunner(plan, workload, { onTick: (s) => progress.add(s), onWarning: warn }, o.connect);
    // Called inside the tick of the second judged, so the start (one second later) is still ahead.
    progress.onWindow = (d) => runner.setWindowStart(d.startSec);
    await runner.prepare();
    const onAbort = (): void => runner.abort(abortReason(o.signal));
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await runner.run(Date.now() + START_DELAY_MS);
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    // Only close what we built: a caller-provided workload object is the caller's.
    if (!isWorkloadObject(o.workload)) await workload.close?.();
  }
}

function abortReason(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  if (r instanceof Error) return r.name === 'AbortError' ? 'aborted' : r.message;
  return typeof r === 'string' ? r : 'aborted';
}

/** Code run first in each worker: registers tsx so the TypeScript entry can load. */
function bootstrapCode(): string {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker-thread.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`;
}

async function runInWorkers(
  o: ResolvedOptions,
  plans: WorkerPlan[],
  spec: WorkloadSpec,
  progress: ProgressAggregator,
  warn: (m: string) => void,
): Promise<RunResult[]> {
  const workers = plans.map((plan) => new Worker(bootstrapCode(), { eval: true, workerData: { plan, spec } }));
  const send = (m: ToWorker): void => workers.forEach((w) => w.postMessage(m));
  let readyCount = 0;
  let allReady!: () => void;
  const ready = new Promise<void>((r) => (allReady = r));
  const results: Array<Promise<RunResult>> = workers.map(
    (w, i) =>
      new Promise<RunResult>((resolve, reject) => {
        let settled = false;
        w.on('message', (m: FromWorker) => {
          if (m.type === 'ready') {
            if (++readyCount === workers.length) allReady();
          } else if (m.type === 'tick') progress.add(m.sample);
          else if (m.type === 'warning') warn(m.message);
          else if (m.type === 'done') {
            settled = true;
            resolve(m.result);
          } else if (m.type === 'error') {
            settled = true;
            reject(new Error(`worker ${i}: ${m.message}`));
          }
        });
        w.on('error', (e) => {
          settled = true;
          reject(e);
        });
        w.on('exit', (code) => {
          if (!settled) reject(new Error(`worker ${i} exited with code ${code} before reporting`));
        });
      }),
  );
  const onAbort = (): void => send({ type: 'abort', reason: abortReason(o.signal) });
  try {
    // A worker failing during setup must not leave the others waiting for 'start'.
    await Promise.race([ready, Promise.all(results).then(() => undefined)]);
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // Announced once every worker's sample of the judged second arrived, one second before the start.
    progress.onWindow = (d) => send({ type: 'window', startSec: d.startSec });
    send({ type: 'start', startAtEpochMs: Date.now() + START_DELAY_MS });
    return await Promise.all(results);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}
