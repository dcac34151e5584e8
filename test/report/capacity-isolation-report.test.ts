/**
 * The capacity and isolation figures in the reports, from hand-made data (pure, exact):
 * the review's table gains the rows of each query alone and the row "max TPS within
 * budget (mix)"; the p95 side by side comes from the highest rate every variant held,
 * else (labelled) the highest every variant sustained, else a line saying there is none;
 * and `loadReportInputs` finds capacity/ and isolation/ under a job's directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonRate, capacityText, formatCommonRate } from '../../src/report/capacity-rows.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderJson } from '../../src/report/json.js';
import { benchAnswers } from '../../src/report/answers.js';
import { reportOutcome } from '../../src/report/outcome.js';
import { loadReportInputs } from '../../src/report/inputs.js';
import { ISOLATION_KIND } from '../../src/report/job-files.js';
import type { CapacityInfo, CapacityProbeInfo, ReportData } from '../../src/report/model.js';
import { parseBudgetSpec } from '../../src/config/budget-grammar.js';
import { result, scenario } from '../helpers/result-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';

const budgets = (() => {
  const r = parseBudgetSpec(['p(95)<50']);
  if (!r.ok) throw new Error(String(r.problems));
  return r.value;
})();

const probe = (rate: number, holds: boolean, sustained: boolean, p95: number, failed: string[] = []): CapacityProbeInfo => ({ rate, holds, sustained, achievedRate: sustained ? rate : rate / 2, p95Ms: { q: p95 }, failed });
const search = (variant: string, probes: CapacityProbeInfo[], max: number | null, firstFailing: number | null, stoppedBy = 'converged'): CapacityInfo => ({
  variant, maxRateWithinBudget: max, firstFailingRate: firstFailing, stoppedBy, budgets: ['p(95)<50', 'mix:rate>=0.99'], stepSec: 5, warmupSec: 5, probes,
});

test('common rate: the highest rate every variant held', () => {
  const found = [
    search('baseline', [probe(100, true, true, 20), probe(200, false, true, 60, ['q: p(95)<50 (measured 60.0)']), probe(150, false, true, 55, ['q: p(95)<50 (measured 55.0)'])], 100, 150),
    search('optimized', [probe(100, true, true, 5), probe(200, true, true, 8), probe(400, false, false, 900, ['mix: rate>=0.99 (measured 0.500)'])], 200, 400),
  ];
  const cr = commonRate(found);
  assert.equal(cr.kind, 'held');
  assert.equal(cr.kind === 'held' && cr.rate, 100);
  assert.equal(
    formatCommonRate(found),
    'p95 (ms) at 100 TPS, the highest rate every variant held within budget (one 5 s probe each):\n\n| scenario | baseline p95 | optimized p95 |\n|---|---|---|\n| q | 20.0 | 5.00 |\n| achieved tx/s | 100.0 | 100.0 |',
  );
  assert.equal(capacityText(found[0]!), '100/s (breaks at 150/s: q: p(95)<50 (measured 55.0))');
  assert.equal(capacityText(found[1]!), '200/s (breaks at 400/s: mix: rate>=0.99 (measured 0.500))');
});

test('sustained fallback: no common held rate, so the highest rate every variant sustained, labelled NOT within budget', () => {
  const found = [
    search('baseline', [probe(50, false, true, 70, ['q: p(95)<50 (measured 70.0)']), probe(25, false, true, 60, ['q: p(95)<50 (measured 60.0)'])], null, 25, 'min-rate'),
    search('optimized', [probe(50, true, true, 30), probe(100, false, true, 55, ['q: p(95)<50 (measured 55.0)']), probe(75, false, false, 500, ['mix: rate>=0.99 (measured 0.500)'])], 50, 75),
  ];
  const cr = commonRate(found);
  assert.deepEqual(cr.kind === 'sustained' ? [cr.kind, cr.rate, cr.probes.map((p) => p.probe.p95Ms.q)] : cr, ['sustained', 50, [70, 30]]);
  const text = formatCommonRate(found);
  assert.match(text, /^p95 \(ms\) at 50 TPS: NOT within budget\. No rate held every budget on every variant; this is the highest probed rate every variant sustained/);
  assert.match(text, /\| q \| 70\.0 \| 30\.0 \|/);
  // The lowest rate probed and what failed there.
  assert.equal(capacityText(found[0]!), 'none at or above 25/s (fails first: q: p(95)<50 (measured 60.0))');
});

test('no common sustained rate either: said, no figure invented; probes without the flag are never assumed sustained', () => {
  const old = (p: CapacityProbeInfo) => { const { sustained: _s, ...rest } = p; return rest; };
  const found = [
    search('baseline', [old(probe(50, false, true, 70, ['q: p(95)<50 (measured 70.0)']))], null, 50, 'max-probes'),
    search('optimized', [probe(50, false, true, 60, ['q: p(95)<50 (measured 60.0)'])], null, 50, 'max-probes'),
  ];
  assert.deepEqual(commonRate(found), { kind: 'none' });
  assert.match(formatCommonRate(found), /^No rate was held by every variant \(baseline, optimized\), and no probed rate was sustained .*: no steady p95 side by side/);
});

/** Report data: the mixed run, both variants' capacity and the claimed query alone on both. */
function fixture(optimizedAloneMs: number[]): ReportData {
  const run = (v: string, ms: number[]) => result(v, [scenario('balance-lookup', ms)]);
  return {
    runs: [{ variant: 'baseline', result: run('baseline', [100, 200, 300]) }, { variant: 'optimized', result: run('optimized', [10, 20, 30]) }],
    claims: { 'balance-lookup': { beforeMs: [150, 300], afterMs: [5, 10] } },
    budgets,
    budgetVariants: '',
    capacity: [
      search('baseline', [probe(100, false, true, 80, ['balance-lookup: p(95)<50 (measured 80.0)'])], null, 100, 'min-rate'),
      search('optimized', [probe(100, true, true, 9), probe(200, true, true, 12)], 200, null, 'max-rate'),
    ],
    isolation: {
      rate: 10, durationSec: 5, warmupSec: 5,
      runs: [
        { variant: 'baseline', scenario: 'balance-lookup', held: true, result: run('baseline', [40, 60, 80]) },
        { variant: 'optimized', scenario: 'balance-lookup', held: true, result: run('optimized', optimizedAloneMs) },
      ],
    },
  };
}

test("Markdown: the review's table gains each query alone and the capacity row, beside the mixed figures", () => {
  const md = renderMarkdown(fixture([2, 4, 8]));
  const table = md.slice(md.indexOf('## baseline -> optimized'), md.indexOf('## Budgets'));
  // Mixed row, then the row alone, then capacity (HDR values at 3 significant digits).
  assert.match(table, /\| balance-lookup \| 150-300 \| 5-10 \| 200 \/ 300 \/ 300 \| 20.0 \/ 30.0 \/ 30.0 \| 10.0x faster \| pass \|\n\| balance-lookup \(alone\) \| 150-300 \| 5-10 \| 60.0 \/ 80.1 \/ 80.1 \| 4.00 \/ 8.00 \/ 8.00 \| 10.0x faster \| before held 10\/s, after held 10\/s \|\n\| max TPS within budget \(mix\) \| - \| - \| none at or above 100\/s \(fails first: balance-lookup: p\(95\)<50 \(measured 80.0\)\) \| >= 200\/s \(held --max-rate\) \| - \| budgets: p\(95\)<50, mix:rate>=0.99 \|/);
  assert.match(md, /## Capacity: max TPS within budget \(mix\)\n\n\| variant .*\n.*\n\| baseline \| none \(none at or above 100\) \| 100 \| balance-lookup: p\(95\)<50 \(measured 80.0\) \| 1: 100 sustained \| nothing held \|\n\| optimized \| >= 200 \| - \| - \| 2: 100 held, 200 held \| held --max-rate \|/);
  assert.match(md, /## Each query alone\n\nEach scenario alone \(the mix is that scenario only\) at 10\/s, halved while a run does not hold its rate/);
  assert.match(md, /\| balance-lookup \| optimized \| 3 \| 4.00 \/ 8.00 \/ 8.00 \| 10.0 of 10 \| yes \| 0 \| pass \|/);
  const json = JSON.parse(renderJson(fixture([2, 4, 8])));
  assert.deepEqual(json.capacity.map((c: CapacityInfo) => c.maxRateWithinBudget), [null, 200]);
  assert.deepEqual(json.isolation.runs.map((r: { latencyMs: { p95: number } }) => r.latencyMs.p95), [80.063, 8.003]);
  // What bench prints last.
  const answers = benchAnswers(fixture([2, 4, 8]));
  assert.match(answers, /- baseline   none at or above 100\/s \(fails first: balance-lookup: p\(95\)<50 \(measured 80.0\)\)\n- optimized  >= 200\/s \(held --max-rate\)/);
  assert.match(answers, /p95 \(ms\) at 100 TPS: NOT within budget/);
  assert.match(answers, /\| balance-lookup \| 80.1 @ 10\/s \| 8.00 @ 10\/s \|/);
});

test("report's outcome: a judged budget failing alone (isolated run) fails the report; within budget it does not", () => {
  assert.equal(reportOutcome(fixture([2, 4, 8])).failed, false);
  const bad = reportOutcome(fixture([60, 70, 90]));
  assert.equal(bad.failed, true);
  assert.deepEqual(bad.lines.slice(-3), ['isolation budgets failed (1):', 'isolation   optimized / balance-lookup: p(95)<50 (measured 90.05)', 'report: a judged budget failed on complete runs']);
});

test('loadReportInputs: a job directory with capacity/ and isolation/ beside its results', () => {
  const dir = tempDir('report-job');
  const data = fixture([2, 4, 8]);
  for (const r of data.runs) writeFileSync(join(dir, `${r.variant}.json`), JSON.stringify(r.result));
  mkdirSync(join(dir, 'capacity'));
  writeFileSync(join(dir, 'capacity', 'capacity.json'), JSON.stringify(data.capacity));
  mkdirSync(join(dir, 'isolation'));
  const runs = data.isolation!.runs.map((r) => ({ variant: r.variant, scenario: r.scenario, kind: 'read', rate: 10, held: r.held, partial: false, resultFile: `${r.variant}--${r.scenario}.json`, achievedRate: 10, count: 3, errors: 0, latencyMs: null }));
  for (const r of data.isolation!.runs) writeFileSync(join(dir, 'isolation', `${r.variant}--${r.scenario}.json`), JSON.stringify(r.result));
  writeFileSync(join(dir, 'isolation', 'isolation.json'), JSON.stringify({ kind: ISOLATION_KIND, isolationVersion: 1, rate: 20, durationSec: 5, warmupSec: 5, variants: ['baseline', 'optimized'], scenarios: ['balance-lookup'], runs }));
  const loaded = loadReportInputs([dir]);
  assert.deepEqual(loaded.problems, []);
  assert.deepEqual(loaded.runs.map((r) => r.variant), ['baseline', 'optimized']);
  assert.deepEqual(loaded.capacity?.map((c) => c.variant), ['baseline', 'optimized']);
  assert.deepEqual(loaded.isolation?.runs.map((r) => [r.variant, r.result.scenarios[0]!.latencyMs.p95]), [['baseline', 80.063], ['optimized', 8.003]]);
  // The isolation directory alone: its results are its runs, not the directory's.
  const alone = loadReportInputs([join(dir, 'isolation')]);
  assert.deepEqual([alone.problems, alone.runs.length, alone.isolation?.runs.length], [[], 0, 2]);
});
