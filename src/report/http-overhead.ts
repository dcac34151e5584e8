/**
 * HTTP overhead beside direct SQL: for each scenario present in both an engine
 * result (SQL over the engine's own connections) and an `http` result of the same
 * variant, the latency percentiles side by side (each with its 95% interval) and what
 * the API adds (the p95 ratio with its interval). A pure function of the two result JSONs.
 */
import type { RunResult } from '../result/types.js';
import { fmtMs, textTable } from './text-table.js';
import { fmtPercentile, percentileEstimate } from './interval-format.js';
import { ratioInterval, ratioSignificant } from '../stats/ratio-ci.js';
import { fmtRatio, fmtRatioBounds } from '../stats/interval-format.js';

/** One scenario's SQL and HTTP figures (ms, from the intended start). */
export interface OverheadRow {
  scenario: string;
  sql: { p50: number; p95: number; p99: number; count: number };
  http: { p50: number; p95: number; p99: number; count: number };
  /** HTTP p95 minus SQL p95, ms. */
  p95DeltaMs: number;
  /** HTTP p95 / SQL p95. */
  p95Ratio: number;
  /** The same as printed: each percentile with its interval, the ratio with its interval (or `(no significant difference)`). */
  text: { sql: [string, string, string]; http: [string, string, string]; ratio: string };
}

/** Rows for the scenarios both results ran with at least one success. */
export function httpOverhead(sql: RunResult, http: RunResult): OverheadRow[] {
  const rows: OverheadRow[] = [];
  for (const h of http.scenarios) {
    const s = sql.scenarios.find((x) => x.name === h.name);
    if (!s || s.count === 0 || h.count === 0) continue;
    const pick = (x: typeof h) => ({ p50: x.latencyMs.p50, p95: x.latencyMs.p95, p99: x.latencyMs.p99, count: x.count });
    const texts = (x: typeof h) => (['p50', 'p95', 'p99'] as const).map((k) => fmtPercentile(x, k, fmtMs)) as [string, string, string];
    const ratio = h.latencyMs.p95 / s.latencyMs.p95;
    const ri = ratioInterval(percentileEstimate(h, 'p95')!, percentileEstimate(s, 'p95')!);
    const ratioText = `${fmtRatio(ratio)}x ${ri ? `${fmtRatioBounds(ri.lo, ri.hi)}${ratioSignificant(ri) ? '' : ' (no significant difference)'}` : '(no interval)'}`;
    rows.push({ scenario: h.name, sql: pick(s), http: pick(h), p95DeltaMs: h.latencyMs.p95 - s.latencyMs.p95, p95Ratio: ratio, text: { sql: texts(s), http: texts(h), ratio: ratioText } });
  }
  return rows;
}

/** The rows as a text table. */
export function renderHttpOverhead(rows: readonly OverheadRow[]): string {
  return textTable(
    ['scenario', ' SQL p50', ' SQL p95', ' SQL p99', ' HTTP p50', ' HTTP p95', ' HTTP p99', ' p95 +ms', ' p95 ratio'],
    rows.map((r) => [
      r.scenario,
      ...r.text.sql,
      ...r.text.http,
      fmtMs(r.p95DeltaMs),
      r.text.ratio,
    ]),
  );
}
