/** The result contract's later additions: optional timeline fields, partial kinds, outages; their merge and exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeResults, resultSchema, type RunResult } from '../src/result/index.js';
import { partialOutcome } from '../src/cli/run-outcome.js';
import { createHistogram, encodeHistogram } from '../src/stats/histogram.js';

const h = createHistogram();
const EMPTY = encodeHistogram(h);
h.destroy();
const zeros = { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };

/** A minimal valid result of one segment, as written before the additions (no partialKind, 6-field timeline). */
function legacy(index: number, extra: Partial<RunResult> = {}): RunResult {
  return resultSchema.parse({
    schemaVersion: 1, partial: false, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:03.000Z',
    tool: { name: 'ledger-bench', version: '0.1.0' },
    target: { rate: 100, durationSec: 2, warmupSec: 1, arrival: 'uniform', connections: 2, workers: 1, segment: { index, count: 2 } },
    achievedRate: 50, reachedTarget: true, server: null, config: null, seed: 1,
    scenarios: [{ name: 'q', targetRate: 50, achievedRate: 50, count: 100, errors: 0, errorsByCode: {}, retries: 0, dropped: 0, latencyMs: zeros, serviceMs: zeros, lagMs: zeros, histogram: EMPTY }],
    timeline: [{ t: 1, completed: 50, errors: 0, dropped: 0, backlog: 0, p95Ms: 2 }],
    ...extra,
  }) as RunResult;
}

test('results written before the additions still parse; merged, the optional fields stay absent', () => {
  const m = mergeResults([legacy(0), legacy(1)]);
  assert.deepEqual(m.timeline, [{ t: 1, completed: 100, errors: 0, dropped: 0, backlog: 0, p95Ms: 2 }]);
  assert.equal(m.partialKind, undefined);
  assert.equal(m.outages, undefined);
  resultSchema.parse(m);
});

test('merging parts: per-second counts add up, percentiles take the max, errors by code add up, outages are united', () => {
  const point = (o: Record<string, unknown>) => ({ t: 1, completed: 50, errors: 1, dropped: 0, backlog: 0, p95Ms: 2, offered: 50, p50Ms: 1, p99Ms: 3, maxMs: 4, retries: 0, inflight: 1, connections: 2, connectionsMin: 2, ...o });
  const a = legacy(0, { timeline: [point({ errorsByCode: { '57P01': 1 }, connectionsMin: 0 })], outages: [{ startSec: 1.2, endSec: 1.5 }], connectionsLost: 2 });
  const b = legacy(1, { timeline: [point({ p99Ms: 9, errorsByCode: { '57P01': 1 } })], outages: [{ startSec: 1.4, endSec: 1.7 }, { startSec: 3, endSec: null }], connectionsLost: 2 });
  const m = mergeResults([a, b]);
  assert.deepEqual(m.timeline, [
    { t: 1, completed: 100, errors: 2, dropped: 0, backlog: 0, p95Ms: 2, offered: 100, p50Ms: 1, p99Ms: 9, maxMs: 4, retries: 0, inflight: 2, connections: 4, connectionsMin: 2, errorsByCode: { '57P01': 2 } },
  ]);
  assert.deepEqual(m.outages, [{ startSec: 1.2, endSec: 1.7 }, { startSec: 3, endSec: null }]);
  assert.equal(m.connectionsLost, 4);
  assert.deepEqual(a.timeline![0]!.errorsByCode, { '57P01': 1 }, 'the parts are not modified');
});

test('partial kinds: a broken part makes the merged run broken; the CLI maps interrupted to 130, broken to 1, never 0 or 99', () => {
  const stopped = legacy(0, { partial: true, partialReason: 'interrupted by SIGINT', partialKind: 'interrupted' });
  const broke = legacy(1, { partial: true, partialReason: 'server connection lost for more than 30 s', partialKind: 'broken' });
  assert.equal(mergeResults([stopped, legacy(1)]).partialKind, 'interrupted');
  assert.equal(mergeResults([stopped, broke]).partialKind, 'broken');
  assert.equal(partialOutcome([{ label: 'run', result: legacy(0) }]), undefined);
  assert.deepEqual(partialOutcome([{ label: 'run', result: stopped }]), { code: 130, line: 'run ended partial (interrupted by SIGINT)' });
  assert.deepEqual(partialOutcome([{ label: 'run', result: broke }]), { code: 1, line: 'run ended partial (server connection lost for more than 30 s)' });
  // A partial result written before partialKind existed is a failure, not a pass.
  assert.equal(partialOutcome([{ label: 'run', result: legacy(0, { partial: true }) }])?.code, 1);
  const cmp = partialOutcome([{ label: 'baseline', result: legacy(0) }, { label: 'optimized', result: stopped }]);
  assert.deepEqual(cmp, { code: 130, line: '1 of 2 runs ended partial: optimized (interrupted by SIGINT)' });
});
