/** The engine options every measuring command passes through from its settings. */
import type { EngineOptions } from '../engine/options.js';
import type { Settings } from '../config/options.js';

/** `--connections` (0 = sized from the rate), `--workers`, `--max-tries`, `--reconnect-timeout`, `--engine-timer`, `--engine-driver`. */
export function engineSettings(
  s: Pick<Settings, 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'engineTimer' | 'engineDriver'>,
): Pick<EngineOptions, 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'timer' | 'driver'> {
  return {
    ...(s.connections > 0 ? { connections: s.connections } : {}),
    workers: s.workers,
    maxTries: s.maxTries,
    reconnectTimeoutSec: s.reconnectTimeoutSec,
    timer: s.engineTimer,
    driver: s.engineDriver,
  };
}

/** `run`'s schedule and pool from its settings (rate, duration, warm-up, arrival, backlog, query mode) plus {@link engineSettings}; the caller adds the workload and what it records. */
export function runEngineSettings(
  s: Pick<Settings, 'rate' | 'durationSec' | 'warmupSec' | 'arrival' | 'backlog' | 'queryMode' | 'quiet' | 'seed' | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'engineTimer' | 'engineDriver'>,
): Pick<EngineOptions, 'rate' | 'durationSec' | 'warmupSec' | 'arrival' | 'backlog' | 'queryMode' | 'quiet' | 'seed' | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'timer' | 'driver'> {
  return {
    rate: s.rate,
    durationSec: s.durationSec,
    warmupSec: s.warmupSec,
    arrival: s.arrival,
    ...(s.backlog > 0 ? { backlog: s.backlog } : {}),
    queryMode: s.queryMode,
    quiet: s.quiet,
    seed: s.seed,
    ...engineSettings(s),
  };
}
