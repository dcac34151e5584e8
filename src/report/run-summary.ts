/**
 * A run's result as plain text: one row per scenario with rate, counts, latency
 * percentiles (each with its 95% interval) and the budget verdicts (pass / FAIL /
 * inconclusive, counted under the table). A pure function of the result
 * JSON (reporters never touch the database).
 */
import { warmupDescription, warmupSuffix } from './warmup-note.js';
import type { BudgetVerdict } from '../budgets/evaluate.js';
import type { RunResult } from '../result/types.js';
import { fmtInt, fmtMs, textTable } from './text-table.js';
import { fmtPercentile } from './interval-format.js';
import { budgetCell, countsText } from './verdicts.js';

/** The table plus the run-level lines (achieved rate, partial, dropped). */
export function renderRunSummary(result: RunResult, verdict: BudgetVerdict): string {
  const variant = result.variant ?? 'run';
  const rows = result.scenarios.map((s) => [
    s.name,
    s.targetRate.toFixed(1),
    s.achievedRate.toFixed(1),
    fmtInt(s.count),
    fmtInt(s.errors),
    fmtInt(s.retries),
    fmtInt(s.dropped),
    fmtPercentile(s, 'p50'),
    fmtPercentile(s, 'p95'),
    fmtPercentile(s, 'p99'),
    fmtMs(s.latencyMs.max),
    budgetCell(verdict, variant, s.name, false),
  ]);
  const lost = result.connectionsLost ?? 0;
  const gaps = (result.outages ?? []).map((o) => (o.endSec === null ? `from ${o.startSec.toFixed(1)} s, never back` : `${(o.endSec - o.startSec).toFixed(2)} s at ${o.startSec.toFixed(1)} s`));
  const head = [
    `${result.variant ? `variant ${result.variant}: ` : ''}target ${result.target.rate}/s, achieved ${result.achievedRate.toFixed(1)}/s` +
      `${result.reachedTarget ? '' : ' (TARGET NOT REACHED)'}${result.partial ? ` [PARTIAL: ${result.partialReason ?? 'ended early'}]` : ''}`,
    `latency in ms from the intended start, percentiles with their 95% interval [lo, hi]; ${warmupDescription(result) ?? `warm-up ${result.target.warmupSec}s excluded`}, measured ${result.measuredSec ?? result.target.durationSec}s${warmupSuffix(result)}`,
    ...(lost > 0
      ? [`connections lost ${lost}, re-established ${result.connectionsReplaced ?? 0}${gaps.length ? `; no connection for ${gaps.join(', ')} (see the timeline)` : ''}`]
      : []),
  ];
  const mine = verdict.checks.filter((c) => c.variant === variant);
  const counts = mine.length && verdict.judged && verdict.variants.includes(variant) ? `budgets: ${countsText(verdict)}\n` : '';
  return (
    head.join('\n') +
    '\n' +
    textTable(['scenario', ' target/s', ' achieved/s', ' ok', ' errors', ' retries', ' dropped', ' p50', ' p95', ' p99', ' max', 'budgets'], rows) +
    counts
  );
}
