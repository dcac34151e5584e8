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
