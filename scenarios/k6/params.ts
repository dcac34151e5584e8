/**
 * Shared module of the k6 scripts: run parameters from `__ENV`, the k6 options every
 * script uses (constant-arrival-rate, warm-up excluded, thresholds = the budget), and
 * the parameter draws (Zipf-skewed accounts, dates relative to the data set's asOf).
 *
 * k6 has no Node modules at run time: this file imports only k6 and ./defaults.ts
 * (generated from the project's defaults, so the budget has one source of truth).
 */
import exec from 'k6/execution';
import { Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { DEFAULTS, ACCOUNTS_BY_SCALE, SYSTEM_ACCOUNT_COUNT } from './defaults.ts';

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
/** The data set's last day (the seeder's asOf): dates are drawn relative to it. */
export const AS_OF = __ENV.AS_OF || DEFAULTS.asOf;
const SCALE = __ENV.SCALE || DEFAULTS.scale;
const scaleAccounts = ACCOUNTS_BY_SCALE[SCALE];
if (scaleAccounts === undefined) throw new Error(`SCALE=${SCALE}: expected one of ${Object.keys(ACCOUNTS_BY_SCALE).join(', ')}`);
/** Regular (Zipf-drawn) accounts of the seeded data set; their ids follow the system accounts. */
export const ACCOUNTS = envNumber('ACCOUNTS', scaleAccounts);
const ZIPF_THETA = envNumber('ZIPF_THETA', DEFAULTS.zipfTheta);

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

/** Uniform integer in [lo, hi]. */
export function int(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Zipf rank sampler over 1..n (Gray et al.'s method for theta < 1, as the seeder uses;
 * an inverse-CDF table otherwise). Built once per VU.
 */
function zipf(n: number, theta: number): () => number {
  if (n <= 1) return () => 1;
  if (theta === 0) return () => 1 + Math.floor(Math.random() * n);
  if (theta < 1) {
    let zetan = 0;
    for (let i = 1; i <= n; i++) zetan += 1 / Math.pow(i, theta);
    const zeta2 = 1 + 1 / Math.pow(2, theta);
    const alpha = 1 / (1 - theta);
    const eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
    const half = Math.pow(0.5, theta);
    return () => {
      const u = Math.random();
      const uz = u * zetan;
      if (uz < 1) return 1;
      if (uz < 1 + half) return 2;
      return Math.min(n, 1 + Math.floor(n * Math.pow(eta * u - eta + 1, alpha)));
    };
  }
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 1; i <= n; i++) cdf.push((sum += 1 / Math.pow(i, theta)));
  return () => {
    const target = Math.random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  };
}

const accountRank = zipf(ACCOUNTS, ZIPF_THETA);

/**
 * A regular account id, Zipf-skewed. The seeder scatters ranks over ids with a keyed
 * permutation k6 does not know, so the hot ids here are the lowest ones, not the
 * seeder's hot accounts: the skew is the same, the hot set differs.
 */
export function pickAccount(): number {
  return SYSTEM_ACCOUNT_COUNT + accountRank();
}
