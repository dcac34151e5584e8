/**
 * k6 end-of-test summaries -> RunResult, on hand-written fixtures in k6's documented
 * formats (test/fixtures/k6/README.md says how they were made).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runResultFromK6Summary } from '../../src/result/from-k6-summary.js';
import { mergeResults } from '../../src/result/merge.js';
import { resultSchema } from '../../src/result/schema.js';
import { UserError } from '../../src/errors.js';

const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../fixtures/k6/${name}`, import.meta.url), 'utf8'));

test('a handleSummary() object becomes a result of the measured scenario only (warm-up excluded)', () => {
  const r = runResultFromK6Summary(fixture('handle-summary.json'), { source: 'handle-summary.json', endedAt: '2026-11-24T12:00:35.000Z' });
  resultSchema.parse(r);
  assert.equal(r.tool.name, 'k6');
  assert.deepEqual(r.target, { rate: 500, durationSec: 30, warmupSec: 5, arrival: 'uniform', connections: 0, workers: 1, segment: null });
  assert.equal(r.startedAt, '2026-11-24T11:59:59.987Z'); // endedAt - testRunDurationMs (35012.5 ms)
  assert.equal(r.scenarios.length, 1);
  const s = r.scenarios[0]!;
  assert.equal(s.name, 'balance-lookup');
  // Exactly the sub-metric's exported statistics, not the whole-test ones (which include the warm-up).
  assert.deepEqual(s.latencyMs, { p50: 2.9, p90: 7.9, p95: 11.4, p99: 37.5, p999: 88.1, max: 98.5, mean: 4.2 });
  assert.equal(s.errors, 6);
  assert.equal(s.count, 15000 - 6);
  assert.equal(s.achievedRate, 15000 / 30);
  assert.equal(s.histogram, '');
  assert.equal(s.lagMs, undefined);
  assert.equal(r.reachedTarget, true);
  assert.deepEqual((r.config as { thresholds: unknown }).thresholds, { 'http_req_duration{scenario:balance-lookup}: p(95)<50': true });
});

test('a --summary-export file converts with the run parameters given, keeping k6 threshold verdicts and drops', () => {
  const r = runResultFromK6Summary(fixture('summary-export.json'), { source: 'summary-export.json', targetRate: 20, durationSec: 30 });
  const s = r.scenarios[0]!;
  assert.equal(s.name, 'k6');
  assert.equal(s.latencyMs.p95, 61.7);
  assert.equal(s.errors, 0);
  assert.equal(r.dropped, 12);
  assert.equal(s.dropped, 12);
  assert.equal(r.reachedTarget, false);
  assert.deepEqual((r.config as { thresholds: unknown }).thresholds, { 'http_req_failed: rate<0.01': true, 'http_req_duration: p(95)<50': false });
});

test('statistics that k6 did not export are reported with the fix, never estimated; all problems at once', () => {
  const s = fixture('handle-summary.json');
  delete s.metrics['http_req_duration{scenario:balance-lookup}'].values['p(99.9)'];
  delete s.metrics.ledger_bench_target_rate;
  assert.throws(
    () => runResultFromK6Summary(s, { source: 'x.json' }),
    (err: unknown) =>
      err instanceof UserError &&
      err.problems.length === 2 &&
      /target rate is unknown/.test(err.problems[0]!) &&
      /lacks the trend statistics p\(99\.9\).*--summary-trend-stats/.test(err.problems[1]!),
  );
  assert.throws(() => runResultFromK6Summary({ hello: 1 }, { source: 'y.json' }), /y\.json: not a k6 end-of-test summary/);
});

test('k6 results cannot be merged (no histograms to add)', () => {
  const r = runResultFromK6Summary(fixture('handle-summary.json'), { source: 'a' });
  assert.throws(() => mergeResults([r, r]), /cannot be merged/);
});

test('isK6Summary tells k6 summaries from ledger-bench results and other JSON', async () => {
  const { isK6Summary } = await import('../../src/result/from-k6-summary.js');
  assert.equal(isK6Summary(fixture('handle-summary.json')), true);
  assert.equal(isK6Summary(fixture('summary-export.json')), true);
  assert.equal(isK6Summary({ schemaVersion: 1, scenarios: [], metrics: { http_reqs: {} } }), false);
  assert.equal(isK6Summary({ metrics: { cpu: 1 } }), false);
  assert.equal(isK6Summary([1, 2]), false);
});
