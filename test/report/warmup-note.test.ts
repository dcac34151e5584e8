/**
 * Reports flag a run whose measured window may hold a transient (never settled, or began
 * with a backlog), and say nothing for a steady one or an old result without the fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderRunSummary } from '../../src/report/run-summary.js';
import { renderComparison } from '../../src/report/comparison.js';
import { judgeBudgets } from '../../src/budgets/evaluate.js';
import { resultSchema } from '../../src/result/schema.js';
import { mergeResults } from '../../src/result/merge.js';
import type { RunResult } from '../../src/result/types.js';
import type { ReportData } from '../../src/report/model.js';
import { result, scenario } from '../helpers/result-fixture.js';

const steady = (): RunResult => ({ ...result('baseline', [scenario('q', [1, 2, 3])]), warmup: { minSec: 5, maxSec: 30, endedSec: 9, settled: true }, backlogAtStart: 0 });
const unsettled = (): RunResult => ({ ...result('optimized', [scenario('q', [900, 1000, 1100])]), warmup: { minSec: 5, maxSec: 30, endedSec: 30, settled: false }, backlogAtStart: 812 });
const data = (runs: RunResult[]): ReportData => ({ runs: runs.map((r) => ({ variant: r.variant!, result: r })), claims: {}, budgets: {}, budgetVariants: '' });

test('Markdown, HTML and JUnit flag the run that never settled and began with a backlog, not the steady one', () => {
  const d = data([steady(), unsettled()]);
  const md = renderMarkdown(d);
  assert.match(md, /\*\*Transient in the measured window\*\*: optimized \(never settled by 30 s of warm-up, measured anyway; window began with 812 slots waiting \(a warm-up backlog\)\)\./);
  assert.doesNotMatch(md, /baseline \(never/);
  assert.match(renderHtml(d), /Transient in the measured window/);
  const junit = renderJunit(d);
  assert.match(junit, /<property name="transient" value="never settled by 30 s of warm-up, measured anyway; window began with 812 slots waiting \(a warm-up backlog\)"\/>/);
  assert.equal(junit.match(/<property /g)?.length, 1);
  // Nothing to flag: no line at all (and old results without the fields parse and render as before).
  assert.doesNotMatch(renderMarkdown(data([steady()])), /Transient/);
  const old = resultSchema.parse(result('baseline', [scenario('q', [1])]));
  assert.doesNotMatch(renderMarkdown(data([old])), /Transient/);
});

test('stdout: run summary and comparison lines carry the note', () => {
  const r = unsettled();
  const v = judgeBudgets([{ variant: 'optimized', result: r }], {}, '');
  const summary = renderRunSummary(r, v);
  assert.match(summary, /warm-up 30s excluded \(NEVER SETTLED; 5-30s allowed\), measured \d+s \[never settled by 30 s/);
  assert.match(renderRunSummary(steady(), v), /warm-up 9s excluded \(steady then; 5-30s allowed\), measured 10s\n/);
  const runs = [steady(), r].map((x) => ({ variant: x.variant!, side: 'after' as const, database: 'x', resultFile: 'x', staleness: [], result: x }));
  const cmp = renderComparison({ runs, claims: {} } as never, { mix: { q: 1 } });
  assert.match(cmp, /- optimized: .*dropped 0 \[never settled by 30 s of warm-up, measured anyway; window began with 812 slots waiting/);
  assert.doesNotMatch(cmp, /- baseline: .*\[never/);
});

test('merge: the latest window start, settled false if any part never settled, backlogs added', () => {
  const a = { ...steady(), target: { ...steady().target, segment: { index: 0, count: 2 } }, backlogAtStart: 3 };
  const b = { ...unsettled(), variant: 'baseline', target: { ...steady().target, segment: { index: 1, count: 2 } }, backlogAtStart: 5 };
  const m = mergeResults([a, b]);
  assert.deepEqual(m.warmup, { minSec: 5, maxSec: 30, endedSec: 30, settled: false });
  assert.equal(m.backlogAtStart, 8);
  const fixed = { ...a, warmup: { minSec: 5, maxSec: 5, endedSec: 5, settled: null } };
  assert.equal(mergeResults([fixed, { ...a, target: b.target }]).warmup?.settled, null);
  // A part without the fields (an older result): the merged result claims nothing.
  const old = result('baseline', [scenario('q', [1])]);
  const m2 = mergeResults([a, { ...old, target: b.target }]);
  assert.equal(m2.warmup, undefined);
  assert.equal(m2.backlogAtStart, undefined);
});

test('the window of a settled run is where its warm-up ended: throughput and the target line follow it', async () => {
  const { serverThroughput } = await import('../../src/report/throughput.js');
  const point = (t: number, completed: number) => ({ t, completed, errors: 0, dropped: 0, backlog: 0, p95Ms: 1 });
  const timeline = [point(1, 10), point(2, 10), point(3, 10), point(4, 100), point(5, 200), point(6, 999)];
  const r: RunResult = { ...result('optimized', [scenario('q', [1])], { timeline }), measuredSec: 2, target: { ...steady().target, warmupSec: 1, durationSec: 2 }, warmup: { minSec: 1, maxSec: 6, endedSec: 3, settled: true } };
  assert.equal(serverThroughput(r), 150);
  // An older result without `warmup`: the window starts at --warmup, as before.
  assert.equal(serverThroughput({ ...r, warmup: undefined }), 10);
  assert.match(renderMarkdown(data([r])), /2 s measured after a warm-up of 1-6 s \(until steady\)/);
  assert.match(renderMarkdown(data([{ ...r, warmup: undefined }])), /2 s measured after 1 s warm-up/);
});
