/**
 * A run's result as plain text: one row per scenario with rate, counts, latency
 * percentiles and the verdict against the p95 budget. A pure function of the result
 * JSON (reporters never touch the database).
 */
import type { RunResult } from '../result/types.js';
import { fmtInt, fmtMs, textTable } from './text-table.js';

/** Verdict of one scenario's p95 against the budget. */
export type BudgetVerdict = 'ok' | 'over' | 'no-data';

/** The budget verdict per scenario (no successful transaction = no data, never a pass). */
export function budgetVerdicts(result: RunResult, budgetMs: number): Map<string, BudgetVerdict> {
  return new Map(result.scenarios.map((s) => [s.name, s.count === 0 ? 'no-data' : s.latencyMs.p95 <= budgetMs ? 'ok' : 'over']));
}

/** The table plus the run-level lines (achieved rate, partial, dropped). */
export function renderRunSummary(result: RunResult, budgetMs: number): string {
  const verdicts = budgetVerdicts(result, budgetMs);
  const rows = result.scenarios.map((s) => [
    s.name,
    s.targetRate.toFixed(1),
    s.achievedRate.toFixed(1),
    fmtInt(s.count),
    fmtInt(s.errors),
    fmtInt(s.retries),
    fmtInt(s.dropped),
    fmtMs(s.latencyMs.p50),
    fmtMs(s.latencyMs.p95),
    fmtMs(s.latencyMs.p99),
    fmtMs(s.latencyMs.max),
    { ok: `ok (<= ${budgetMs})`, over: `OVER ${budgetMs}`, 'no-data': 'no data' }[verdicts.get(s.name)!],
  ]);
  const lost = result.connectionsLost ?? 0;
  const gaps = (result.outages ?? []).map((o) => (o.endSec === null ? `from ${o.startSec.toFixed(1)} s, never back` : `${(o.endSec - o.startSec).toFixed(2)} s at ${o.startSec.toFixed(1)} s`));
  const head = [
    `${result.variant ? `variant ${result.variant}: ` : ''}target ${result.target.rate}/s, achieved ${result.achievedRate.toFixed(1)}/s` +
      `${result.reachedTarget ? '' : ' (TARGET NOT REACHED)'}${result.partial ? ` [PARTIAL: ${result.partialReason ?? 'ended early'}]` : ''}`,
    `latency in ms from the intended start (p95 budget ${budgetMs} ms); warm-up ${result.target.warmupSec}s excluded, measured ${result.measuredSec ?? result.target.durationSec}s`,
    ...(lost > 0
      ? [`connections lost ${lost}, re-established ${result.connectionsReplaced ?? 0}${gaps.length ? `; no connection for ${gaps.join(', ')} (see the timeline)` : ''}`]
      : []),
  ];
  return (
    head.join('\n') +
    '\n' +
    textTable(['scenario', ' target/s', ' achieved/s', ' ok', ' errors', ' retries', ' dropped', ' p50', ' p95', ' p99', ' max', 'p95 budget'], rows)
  );
}
