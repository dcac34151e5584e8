/**
 * Converts k6's end-of-test summary JSON into this project's RunResult, so k6 runs of
 * scenarios/k6/ land in the same reports. Both documented shapes are read:
 *  - the `handleSummary(data)` object (`metrics.<name>.values`, `state.testRunDurationMs`);
 *  - `k6 run --summary-export=FILE` (legacy: trend statistics directly under `metrics.<name>`).
 *
 * Honest about what k6 gives: only the trend statistics it exported (no HDR histogram,
 * so `histogram` is '' and such results cannot be merged), no schedule lag, and request
 * latency measured from sending (k6's constant-arrival-rate drops iterations it cannot
 * start on time instead of queueing them, so there is no backlog wait to add). A
 * percentile that was not exported is an error naming the fix, never estimated.
 */
import { UserError } from '../errors.js';
import { reachedTarget } from '../stats/rate.js';
import { SCHEMA_VERSION, resultSchema } from './schema.js';
import type { LatencySummaryMs, RunResult, ScenarioResult } from './types.js';

/** What the caller knows that the summary may not say. */
export interface K6SummaryContext {
  /** For messages: the file the summary came from. */
  source: string;
  /** When the run ended (ISO); default: now. The summary carries no timestamps. */
  endedAt?: string;
  variant?: string;
  /** Offered rate and measured window, when the summary lacks the scripts' ledger_bench_* gauges. */
  targetRate?: number;
  durationSec?: number;
  warmupSec?: number;
}

/** The k6 trend statistics each latency field needs (`--summary-trend-stats` names). */
const STATS: ReadonlyArray<[keyof LatencySummaryMs, string]> = [
  ['p50', 'med'],
  ['p90', 'p(90)'],
  ['p95', 'p(95)'],
  ['p99', 'p(99)'],
  ['p999', 'p(99.9)'],
  ['max', 'max'],
  ['mean', 'avg'],
];

type Values = Record<string, unknown>;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A metric's values in either shape (`values` object, or flat in the legacy export). */
function valuesOf(metrics: Record<string, unknown>, name: string): Values | undefined {
  const m = metrics[name];
  if (!isObj(m)) return undefined;
  return isObj(m.values) ? m.values : m;
}

function num(v: Values | undefined, key: string): number | undefined {
  const x = v?.[key];
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

/**
 * Whether parsed JSON looks like a k6 end-of-test summary (either format): a `metrics`
 * object holding k6's built-in metrics, and none of a ledger-bench result's fields.
 */
export function isK6Summary(raw: unknown): boolean {
  if (!isObj(raw) || !isObj(raw.metrics) || 'schemaVersion' in raw || 'scenarios' in raw) return false;
  return Object.keys(raw.metrics).some((k) => /^(http_req_|iterations$|dropped_iterations$|vus|data_(sent|received)$|checks$)/.test(k));
}

/** Converts one k6 summary (parsed JSON). Throws UserError listing every problem at once. */
export function runResultFromK6Summary(summary: unknown, ctx: K6SummaryContext): RunResult {
  const where = ctx.source;
  if (!isObj(summary) || !isObj(summary.metrics)) {
    throw new UserError(`${where}: not a k6 end-of-test summary (no "metrics" object). Produce one with k6 run --summary-export=FILE or handleSummary (docs/k6.md).`);
  }
  const metrics = summary.metrics;
  const problems: string[] = [];
  const notes = ['converted from a k6 end-of-test summary: summary statistics only (no histogram), latency = http_req_duration (sent -> received), no schedule lag'];

  // Measured scenarios: the scripts put a threshold on http_req_duration{scenario:NAME}.
  let names = Object.keys(metrics)
    .map((k) => /^http_req_duration\{scenario:([^,}]+)\}$/.exec(k)?.[1])
    .filter((n): n is string => !!n && n !== 'warmup');
  let durationKey = (n: string) => `http_req_duration{scenario:${n}}`;
  if (names.length === 0) {
    if (!valuesOf(metrics, 'http_req_duration')) {
      throw new UserError(`${where}: the summary has no http_req_duration metric: no HTTP request completed, or this is not a k6 HTTP test.`);
    }
    names = ['k6'];
    durationKey = () => 'http_req_duration';
    notes.push('no per-scenario sub-metric: all requests of the test (any warm-up included) reported as one scenario "k6"');
  }

  const gauge = (n: string) => num(valuesOf(metrics, n), 'value');
  const targetRate = gauge('ledger_bench_target_rate') ?? ctx.targetRate;
  const windowSec = gauge('ledger_bench_window_sec') ?? ctx.durationSec;
  const warmupSec = gauge('ledger_bench_warmup_sec') ?? ctx.warmupSec ?? 0;
  if (targetRate === undefined) problems.push(`${where}: the target rate is unknown (no ledger_bench_target_rate gauge, not a scenarios/k6 script): pass the RATE the script ran at (report --rate N).`);
  if (windowSec === undefined) problems.push(`${where}: the measured window is unknown (no ledger_bench_window_sec gauge): pass the DURATION the script ran for (report --duration 30s).`);

  const state = isObj(summary.state) ? summary.state : {};
  const runMs = num(state, 'testRunDurationMs');
  const dropped = num(valuesOf(metrics, 'dropped_iterations'), 'count') ?? 0;
  if (dropped > 0) notes.push(`k6 dropped ${dropped} iterations (counted over the whole test, warm-up included${names.length > 1 ? '; not attributed per scenario' : ''})`);

  const scenarios: ScenarioResult[] = [];
  for (const name of names) {
    const v = valuesOf(metrics, durationKey(name));
    const lat: Partial<LatencySummaryMs> = {};
    const missing: string[] = [];
    for (const [field, stat] of STATS) {
      const x = num(v, stat);
      if (x === undefined) missing.push(stat);
      else lat[field] = x;
    }
    const count = num(v, 'count');
    if (count === undefined) missing.push('count');
    if (missing.length || count === undefined) {
      problems.push(
        `${where}: ${durationKey(name)} lacks the trend statistics ${missing.join(', ')}: run k6 with ` +
          `--summary-trend-stats="avg,min,med,max,p(90),p(95),p(99),p(99.9),count" (the scripts of scenarios/k6 set it).`,
      );
      continue;
    }
    const failedCustom = num(valuesOf(metrics, `ledger_bench_failed_${name.replace(/-/g, '_')}`), 'count');
    let errors = failedCustom;
    if (errors === undefined && names.length === 1) {
      errors = num(valuesOf(metrics, 'http_req_failed'), 'passes');
      if (errors !== undefined) notes.push('errors = http_req_failed over the whole test (warm-up included)');
    }
    if (errors === undefined) {
      problems.push(`${where}: no failure count for scenario ${name} (neither ledger_bench_failed_* nor http_req_failed).`);
      continue;
    }
    const summaryMs = lat as LatencySummaryMs;
    const share = targetRate === undefined ? 0 : targetRate / names.length;
    scenarios.push({
      name,
      targetRate: share,
      achievedRate: windowSec ? count / windowSec : 0,
      // k6 counts failed requests in http_req_duration too; the harness's count is successes only.
      count: count - errors,
      errors,
      errorsByCode: errors ? { HTTP: errors } : {},
      retries: 0,
      dropped: names.length === 1 ? dropped : 0,
      latencyMs: summaryMs,
      serviceMs: summaryMs,
      histogram: '',
      notes: ['latency statistics as exported by k6, computed over all requests of the scenario (failed ones included)'],
    });
  }
  if (problems.length) throw new UserError(problems);

  const endedAt = ctx.endedAt ?? new Date().toISOString();
  const startedAt = runMs === undefined ? endedAt : new Date(Date.parse(endedAt) - runMs).toISOString();
  const achievedRate = scenarios.reduce((a, s) => a + s.achievedRate, 0);
  const result: RunResult = {
    schemaVersion: SCHEMA_VERSION,
    partial: false,
    startedAt,
    endedAt,
    tool: { name: 'k6', version: 'unknown (k6 summaries carry no version)' },
    target: {
      rate: targetRate!,
      durationSec: windowSec!,
      warmupSec,
      arrival: 'uniform',
      connections: 0,
      workers: 1,
      segment: null,
    },
    measuredSec: windowSec!,
    achievedRate,
    // The harness's rule: nothing dropped and completions kept up with the slots due (rate x window).
    reachedTarget: dropped === 0 && reachedTarget(achievedRate * windowSec!, targetRate! * windowSec!),
    dropped,
    server: null,
    config: { source: where, thresholds: thresholdsOf(metrics) },
    ...(ctx.variant ? { variant: ctx.variant } : {}),
    seed: 0,
    scenarios,
    notes,
  };
  return resultSchema.parse(result) as RunResult;
}

/** k6's own threshold verdicts, kept for the record: true = passed. */
function thresholdsOf(metrics: Record<string, unknown>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [name, m] of Object.entries(metrics)) {
    if (!isObj(m) || !isObj(m.thresholds)) continue;
    for (const [expr, t] of Object.entries(m.thresholds)) {
      // handleSummary: { ok: boolean }; --summary-export: true when the threshold FAILED.
      out[`${name}: ${expr}`] = isObj(t) ? t.ok === true : t === false;
    }
  }
  return out;
}
