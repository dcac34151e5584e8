/**
 * HTTP overhead beside direct SQL: for each scenario present in both an engine
 * result (SQL over the engine's own connections) and an `http` result of the same
 * variant, the latency percentiles side by side and what the API adds. A pure
 * function of the two result JSONs.
 */
import type { RunResult } from '../result/types.js';
import { fmtMs, textTable } from './text-table.js';

/** One scenario's SQL and HTTP figures (ms, from the intended start). */
export interface OverheadRow {
  scenario: string;
  sql: { p50: number; p95: number; p99: number; count: number };
  http: { p50: number; p95: number; p99: number; count: number };
  /** HTTP p95 minus SQL p95, ms. */
  p95DeltaMs: number;
  /** HTTP p95 / SQL p95. */
  p95Ratio: number;
}

/** Rows for the scenarios both results ran with at least one success. */
export function httpOverhead(sql: RunResult, http: RunResult): OverheadRow[] {
  const rows: OverheadRow[] = [];
  for (const h of http.scenarios) {
    const s = sql.scenarios.find((x) => x.name === h.name);
    if (!s || s.count === 0 || h.count === 0) continue;
    const pick = (x: typeof h) => ({ p50: x.latencyMs.p50, p95: x.latencyMs.p95, p99: x.latencyMs.p99, count: x.count });
    rows.push({ scenario: h.name, sql: pick(s), http: pick(h), p95DeltaMs: h.latencyMs.p95 - s.latencyMs.p95, p95Ratio: h.latencyMs.p95 / s.latencyMs.p95 });
  }
  return rows;
}

/** The rows as a text table. */
export function renderHttpOverhead(rows: readonly OverheadRow[]): string {
  return textTable(
    ['scenario', ' SQL p50', ' SQL p95', ' SQL p99', ' HTTP p50', ' HTTP p95', ' HTTP p99', ' p95 +ms', ' p95 ratio'],
    rows.map((r) => [
      r.scenario,
      fmtMs(r.sql.p50),
      fmtMs(r.sql.p95),
      fmtMs(r.sql.p99),
      fmtMs(r.http.p50),
      fmtMs(r.http.p95),
      fmtMs(r.http.p99),
      fmtMs(r.p95DeltaMs),
      `${r.p95Ratio.toFixed(2)}x`,
    ]),
  );
}
