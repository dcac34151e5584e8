/**
 * The report as JSON for machines: per variant and scenario the measured percentiles,
 * rates and counts, the review's claims, every budget check with its verdict, and the
 * server evidence when the results carry it.
 * Histograms are left out (they stay in the result files). Pure function of the data.
 */
import type { BudgetVerdict } from '../budgets/evaluate.js';
import { mixVerdict } from './verdicts.js';
import { isolationVerdict } from './isolation-rows.js';
import { scenarioCi } from './interval-format.js';
import { formatBudgetSet } from '../config/budget-grammar.js';
import type { ReportData } from './model.js';
import { serverThroughput } from './throughput.js';

/** Version of this report format. */
export const REPORT_JSON_VERSION = 2; // 2: three-valued verdicts (budgets.verdict, counts, inconclusive policy), latencyCi per scenario

/**
 * A verdict for machines: `verdict` passed / failed / not decided (inconclusive checks
 * blocking under --inconclusive fail) / not judged; `passed` = nothing blocks; the
 * counts by verdict word and the policy; every check with its interval.
 */
function verdictJson(v: BudgetVerdict) {
  const verdict = !v.judged ? 'not judged' : v.failed.length ? 'failed' : v.blocking.length ? 'not decided' : 'passed';
  return { judgedVariants: v.variants, judged: v.judged, verdict, passed: v.judged ? v.blocking.length === 0 : null, counts: v.counts, inconclusive: v.policy, checks: v.checks };
}

/** Renders the JSON report. */
export function renderJson(data: ReportData): string {
  const v = mixVerdict(data);
  const iso = isolationVerdict(data);
  const report = {
    reportVersion: REPORT_JSON_VERSION,
    budgets: { expressions: formatBudgetSet(data.budgets), ...verdictJson(v), ...(iso ? { isolation: verdictJson(iso) } : {}) },
    claims: data.claims,
    ...(data.pending?.length ? { pending: data.pending } : {}),
    runs: data.runs.map((r) => ({
      variant: r.variant,
      ...(r.file ? { file: r.file } : {}),
      // Who measured: ledger-bench's engine, or k6 (its own summary statistics, no histograms).
      tool: r.result.tool,
      ...(r.result.tool.name === 'k6' ? { notes: r.result.notes } : {}),
      partial: r.result.partial,
      target: r.result.target,
      achievedRate: r.result.achievedRate,
      reachedTarget: r.result.reachedTarget,
      serverThroughput: serverThroughput(r.result) ?? null,
      server: r.result.server ? { version: r.result.server.version } : null,
      scenarios: r.result.scenarios.map((s) => ({
        name: s.name,
        targetRate: s.targetRate,
        achievedRate: s.achievedRate,
        count: s.count,
        errors: s.errors,
        retries: s.retries,
        dropped: s.dropped,
        latencyMs: s.latencyMs,
        // The 95% intervals of latencyMs's p50..p99 (computed from the histograms for older results; null without one).
        latencyCi: scenarioCi(s),
        serviceMs: s.serviceMs,
      })),
      ...(r.migration ? { migration: { cloneMs: r.migration.cloneMs, analyzeMs: r.migration.analyzeMs, totalMs: r.migration.totalMs, indexes: r.migration.indexes.length } } : {}),
      ...(r.staleness?.length ? { staleness: r.staleness } : {}),
      ...(r.result.evidence ? { evidence: r.result.evidence } : {}),
    })),
    ...(data.capacity ? { capacity: data.capacity } : {}),
    ...(data.isolation
      ? {
          isolation: {
            rate: data.isolation.rate,
            durationSec: data.isolation.durationSec,
            warmupSec: data.isolation.warmupSec,
            runs: data.isolation.runs.map((r) => {
              const s = r.result.scenarios.find((x) => x.name === r.scenario);
              return { variant: r.variant, scenario: r.scenario, rate: r.result.target.rate, held: r.held, partial: r.result.partial, achievedRate: r.result.achievedRate, ...(r.file ? { file: r.file } : {}), count: s?.count ?? 0, errors: s?.errors ?? 0, latencyMs: s && s.count > 0 ? s.latencyMs : null, latencyCi: s && s.count > 0 ? scenarioCi(s) : null };
            }),
          },
        }
      : {}),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
