/** The HTTP-overhead report: scenarios in both results, side by side, delta and ratio of p95. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpOverhead, renderHttpOverhead } from '../../src/report/http-overhead.js';
import type { RunResult } from '../../src/result/types.js';

const lat = (p95: number) => ({ p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 2, p999: p95 * 3, max: p95 * 4, mean: p95 / 2 });
const result = (rows: [string, number, number][]) => ({ scenarios: rows.map(([name, p95, count]) => ({ name, count, latencyMs: lat(p95) })) }) as unknown as RunResult;

test('httpOverhead pairs scenarios by name, skips those without successes in either run', () => {
  const sql = result([['balance-lookup', 2, 100], ['journal-entry-search', 5, 0], ['recent-entries', 10, 50]]);
  const http = result([['balance-lookup', 5, 100], ['journal-entry-search', 8, 100], ['anchor-lifecycle', 3, 10]]);
  const rows = httpOverhead(sql, http);
  assert.deepEqual(rows.map((r) => r.scenario), ['balance-lookup']);
  assert.equal(rows[0]!.p95DeltaMs, 3);
  assert.equal(rows[0]!.p95Ratio, 2.5);
  // Without histograms (hand-made results) every figure says it has no interval, the ratio too.
  assert.match(renderHttpOverhead(rows), /balance-lookup +[\d.]+ \(no interval\) .* 2\.5x \(no interval\)/);
});
