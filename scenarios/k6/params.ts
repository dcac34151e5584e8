/**
 * Shared module of the k6 scripts: run parameters from `__ENV` and the k6 options every
 * script uses (constant-arrival-rate, warm-up excluded, thresholds = the budget). The
 * parameter draws are in ./requests.ts and ./draw.ts.
 *
 * k6 has no Node modules at run time: this file imports only k6 and ./defaults.ts
 * (generated from the project's defaults, so the budget has one source of truth).
 */
import exec from 'k6/execution';
import { Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { DEFAULTS } from './defaults.ts';

/** `__ENV[name]` as a number, `fallback` when unset; a bad value stops the test before it starts. */
function envNumber(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${raw}: expected a non-negative number`);
  return n;
}

/** `__ENV[name]` as a k6 duration ("30s", "2m"), or `fallbackSec` seconds. */
function envDuration(name: string, fallbackSec: number): string {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return `${fallbackSec}s`;
  if (!/^\d+(\.\d+)?(ms|s|m|h)$/.test(raw)) throw new Error(`${name}=${raw}: expected a duration like 30s or 2m`);
  return raw;
}

function seconds(duration: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(duration)!;
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2]!]!;
}

/** Base URL of `ledger-bench serve` (loopback by default). */
export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
/** Offered rate, iterations (= requests) per second, of the measured window. */
export const RATE = envNumber('RATE', DEFAULTS.rate);
/** Length of the measured window. */
export const DURATION = envDuration('DURATION', DEFAULTS.durationSec);
/** Warm-up before it, run as its own k6 scenario so the thresholds never see it. */
export const WARMUP = envDuration('WARMUP', DEFAULTS.warmupSec);
/** p95 budget in ms (default: the project's budget). */
export const BUDGET_MS = envNumber('BUDGET_MS', DEFAULTS.budgetMs);
/** Most accounts and users `setup()` reads from `GET /scenario-context` (the hottest ones). */
export const CONTEXT_LIMIT = Math.max(1, Math.floor(envNumber('CONTEXT_LIMIT', 10_000)));

/** Trend statistics every script exports: what `ledger-bench report` reads (src/result/from-k6-summary.ts). */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'];

/**
 * Options of a one-scenario script: an optional `warmup` scenario, then the measured
 * scenario called `name` at RATE for DURATION (constant-arrival-rate: an open model,
 * k6 drops iterations it cannot start on time and counts them in dropped_iterations).
 * The threshold is the budget on the measured scenario's requests only.
 */
export function scenarioOptions(name: string): Options {
  const warmupSec = seconds(WARMUP);
  // Little's law with headroom: VUs busy = rate x latency; at the budget that is RATE x BUDGET.
  const preAllocatedVUs = Math.max(2, Math.ceil(envNumber('VUS', (RATE * 2 * BUDGET_MS) / 1000)));
  const maxVUs = Math.max(preAllocatedVUs, Math.ceil(envNumber('MAX_VUS', preAllocatedVUs * 10)));
  const base = { executor: 'constant-arrival-rate' as const, rate: RATE, timeUnit: '1s', preAllocatedVUs, maxVUs };
  const scenarios: NonNullable<Options['scenarios']> = {};
  if (warmupSec > 0) scenarios.warmup = { ...base, duration: WARMUP };
  scenarios[name] = { ...base, duration: DURATION, startTime: `${warmupSec}s` };
  return {
    scenarios,
    thresholds: { [`http_req_duration{scenario:${name}}`]: [`p(95)<${BUDGET_MS}`] },
    summaryTrendStats: SUMMARY_TREND_STATS,
  };
}

// The run's parameters, recorded in the summary so `ledger-bench report` need not be told them.
const targetRateGauge = new Gauge('ledger_bench_target_rate');
const windowGauge = new Gauge('ledger_bench_window_sec');
const warmupGauge = new Gauge('ledger_bench_warmup_sec');

/** True while the measured scenario runs (not the warm-up); records the run's parameters once per VU. */
let recorded = false;
export function measuring(): boolean {
  if (exec.scenario.name === 'warmup') return false;
  if (!recorded) {
    recorded = true;
    targetRateGauge.add(RATE);
    windowGauge.add(seconds(DURATION));
    warmupGauge.add(seconds(WARMUP));
  }
  return true;
}
