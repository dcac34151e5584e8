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
