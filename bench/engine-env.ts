/**
 * The engine's timer and driver for benchmark scripts, read like the CLI reads them
 * (LEDGER_BENCH_ENGINE_TIMER / LEDGER_BENCH_ENGINE_DRIVER, or the config file): the
 * engine itself reads no environment.
 */
import { resolveSettings } from '../src/config/load.js';
import type { EngineOptions } from '../src/engine/options.js';

const s = resolveSettings({ command: 'bench script', argv: [], keys: ['engineTimer', 'engineDriver'] }).settings;

/** Spread into runLoad options: `runLoad({ ...engineEnvOptions, ... })`. */
export const engineEnvOptions: Pick<EngineOptions, 'timer' | 'driver'> = { timer: s.engineTimer, driver: s.engineDriver };

/**
 * runLoad options of a saturation run (max throughput): the PK-lookup pgbench script at
 * `rate` (set above what the server serves), `workers` x `connections`, a 2 s warm-up
 * and a backlog of 4 slots per connection. Shared by engine-vs-pgbench.ts and engine-cpu.ts.
 */
export function saturationOptions(databaseUrl: string, scriptPath: string, rate: number, durationSec: number, workers: number, connections: number): EngineOptions {
  return {
    ...engineEnvOptions,
    databaseUrl,
    workload: { kind: 'pgbench-script', path: scriptPath },
    rate,
    durationSec,
    warmupSec: 2,
    workers,
    connections,
    backlog: connections * 4,
    quiet: true,
    output: { write: () => true },
  };
}
