/**
 * The capacity and isolation figures in the reports, from hand-made data (pure, exact):
 * the review's table gains the rows of each query alone and the row "max TPS within
 * budget (mix)"; the p95 side by side comes from the highest rate every variant held,
 * else (labelled) the highest every variant sustained, else a line saying there is none;
 * and `loadReportInputs` finds capacity/ and isolation/ under a job's directory. Every
 * percentile carries its 95% interval (100 samples each: enough for a p95 interval, too
 * few for a p99 one), every improvement the ratio's interval.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonRate, capacityText, formatCommonRate, probeP95 } from '../../src/report/capacity-rows.js';
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
    'p95 (ms) at 100 TPS, the highest rate every variant held within budget (one 5 s probe each):\n\n| scenario | baseline p95 | optimized p95 |\n|---|---|---|\n| q | 20.0 (no interval) | 5.00 (no interval) |\n| achieved tx/s | 100.0 | 100.0 |',
  );
  assert.equal(capacityText(found[0]!), '100/s (breaks at 150/s: q: p(95)<50 (measured 55.0))');
  assert.equal(capacityText(found[1]!), '200/s (breaks at 400/s: mix: rate>=0.99 (measured 0.500))');
  // An inconclusive probe did not hold, but nothing broke there: "not decided", never "breaks at".
  const open = (rate: number): CapacityProbeInfo => ({ ...probe(rate, false, true, 12), verdict: 'inconclusive' });
  const fails = (rate: number): CapacityProbeInfo => ({ ...probe(rate, false, true, 300, ['q: p(95)<50 (measured 300)']), verdict: 'fails' });
  const held = (rate: number): CapacityProbeInfo => ({ ...probe(rate, true, true, 8), verdict: 'holds' });
  assert.equal(capacityText(search('optimized', [open(100), held(200), held(400), fails(800)], 400, 100)), '400/s (breaks at 800/s: q: p(95)<50 (measured 300); not decided at 100/s)');
  assert.equal(capacityText(search('baseline', [open(100), open(200), fails(400)], null, 100)), 'none at or above 100/s (fails first: q: p(95)<50 (measured 300); not decided at 100/s, 200/s)');
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
  assert.match(text, /\| q \| 70\.0 \(no interval\) \| 30\.0 \(no interval\) \|/);
  // A probe that recorded its p95's interval prints it; one with too few samples says so.
  assert.equal(probeP95({ ...probe(50, true, true, 30), p95Ci: { q: { lo: 25, hi: null, n: 80 } } }, 'q'), '30.0 [25.0, >max]');
  assert.equal(probeP95({ ...probe(50, true, true, 30), p95Ci: { q: { lo: null, hi: null, n: 12 } } }, 'q'), '30.0 (n=12, too few for an interval)');
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

/** `n` latencies evenly spread from `lo` to `hi` ms. */
const ramp = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

/** Report data: the mixed run, both variants' capacity and the claimed query alone on both. */
function fixture(optimizedAloneMs: number[], inconclusive?: 'fail' | 'pass'): ReportData {
  const run = (v: string, ms: number[]) => result(v, [scenario('balance-lookup', ms)]);
  return {
    ...(inconclusive ? { inconclusive } : {}),
    runs: [{ variant: 'baseline', result: run('baseline', ramp(100, 100, 300)) }, { variant: 'optimized', result: run('optimized', ramp(100, 10, 30)) }],
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
        { variant: 'baseline', scenario: 'balance-lookup', held: true, result: run('baseline', ramp(100, 40, 80)) },
        { variant: 'optimized', scenario: 'balance-lookup', held: true, result: run('optimized', optimizedAloneMs) },
      ],
    },
  };
}

const FAST = ramp(100, 2, 8);

test("Markdown: the review's table gains each query alone and the capacity row, beside the mixed figures, every figure with its interval", () => {
  const md = renderMarkdown(fixture(FAST));
  const table = md.slice(md.indexOf('## baseline -> optimized'), md.indexOf('## Budgets'));
  // Mixed row, then the row alone, then capacity (HDR values at 3 significant digits); p99 of 100 samples has no interval.
  const few = '(n=100, too few for an interval)';
  const rows = table.split('\n').filter((l) => l.startsWith('| balance-lookup') || l.startsWith('| max TPS'));
  assert.deepEqual(rows, [
    `| balance-lookup | 150-300 | 5-10 | 199 [179, 221] / 290 [280, 300] / 298 ${few} | 19.9 [17.9, 22.1] / 29.0 [28.0, 30.0] / 29.8 ${few} | 10.0x faster [9.5, 10.5] | **not supported** (slower) | pass |`,
    `| balance-lookup (alone) | 150-300 | 5-10 | 59.8 [55.8, 64.3] / 78.0 [76.0, 80.1] / 79.6 ${few} | 4.97 [4.37, 5.64] / 7.70 [7.39, 8.00] / 7.94 ${few} | 10.1x faster [9.7, 10.6] | consistent | before held 10/s, after held 10/s |`,
    '| max TPS within budget (mix) | - | - | none at or above 100/s (fails first: balance-lookup: p(95)<50 (measured 80.0)) | >= 200/s (held --max-rate) | - | - | budgets: p(95)<50, mix:rate>=0.99 |',
  ]);
  assert.match(md, /## Capacity: max TPS within budget \(mix\)\n\n\| variant .*\n.*\n\| baseline \| none \(none at or above 100\) \| 100 \| balance-lookup: p\(95\)<50 \(measured 80.0\) \| 1: 100 sustained \| nothing held \|\n\| optimized \| >= 200 \| - \| - \| 2: 100 held, 200 held \| held --max-rate \|/);
  // capacity.json without p95Ci: the probe's p95 says it has no interval, never a bare figure.
  assert.match(md, /\| q \| 80.0 \(no interval\) \| 9.00 \(no interval\) \|/);
  assert.match(md, /## Each query alone\n\nEach scenario alone \(the mix is that scenario only\) at 10\/s, halved while a run does not hold its rate/);
  assert.match(md, /\| balance-lookup \| optimized \| 100 \| 4.97 \[4.37, 5.64\] \/ 7.70 \[7.39, 8.00\] \/ 7.94 \(n=100, too few for an interval\) \| 10.0 of 10 \| yes \| 0 \| pass \|/);
  assert.match(md, /\| optimized \| balance-lookup \| `p\(95\)<50` \| 29.0 \[28.0, 30.0\] \| pass \|/);
  assert.match(md, /Verdict: \*\*passed\*\*\. Checks: 1 pass, 0 fail, 0 inconclusive;/);
  const json = JSON.parse(renderJson(fixture(FAST)));
  assert.deepEqual(json.capacity.map((c: CapacityInfo) => c.maxRateWithinBudget), [null, 200]);
  assert.deepEqual(json.isolation.runs.map((r: { latencyMs: { p95: number } }) => r.latencyMs.p95), [78.015, 7.699]);
  assert.deepEqual(json.isolation.runs.map((r: { latencyCi: { p95: { lo: number; method: string } } }) => [r.latencyCi.p95.lo, r.latencyCi.p95.method]), [[75.967, 'order-statistic'], [7.395, 'order-statistic']]);
  assert.deepEqual([json.budgets.verdict, json.budgets.counts, json.budgets.inconclusive, json.budgets.isolation.counts], ['passed', { pass: 1, fail: 0, inconclusive: 0 }, 'fail', { pass: 1, fail: 0, inconclusive: 0 }]);
  // What bench prints last: the verdict first, then the capacities and the queries alone.
  const answers = benchAnswers(fixture(FAST));
  assert.match(answers, /^## The answers\n\nDoes the review's claim hold\? Budgets `p\(95\)<50`, judged on optimized:\n\n- baseline \(mix\), reported beside them \(not judged\): 0 within, 1 over, 0 undecided\n- optimized \(mix\): \*\*passed\*\* \(1 check\)\n/);
  assert.match(answers, /- baseline   none at or above 100\/s \(fails first: balance-lookup: p\(95\)<50 \(measured 80.0\)\)\n- optimized  >= 200\/s \(held --max-rate\)/);
  assert.match(answers, /p95 \(ms\) at 100 TPS: NOT within budget/);
  assert.match(answers, /\| balance-lookup \| 78.0 \[76.0, 80.1\] @ 10\/s \| 7.70 \[7.39, 8.00\] @ 10\/s \| 10.1x faster \[9.7, 10.6\] \|/);
});

test("report's outcome: a judged budget failing alone fails the report, an undecided one too unless --inconclusive pass; within budget it does not", () => {
  assert.equal(reportOutcome(fixture(FAST)).failed, false);
  const bad = reportOutcome(fixture(ramp(100, 60, 90)));
  assert.equal(bad.failed, true);
  assert.deepEqual(bad.lines.slice(-3), ['isolation budgets failed: 0 pass, 1 fail, 0 inconclusive', 'isolation   optimized / balance-lookup: p(95)<50 FAIL (measured 88.5 [87.0, 90.0])', 'report: a judged budget failed or was not decided on complete runs']);
  // p95 50.4 [48.8, 52.0] against < 50: not decided.
  const straddling = ramp(100, 20, 52);
  const open = reportOutcome(fixture(straddling));
  assert.equal(open.failed, true);
  assert.match(open.lines.join('\n'), /isolation budgets not decided: 0 pass, 0 fail, 1 inconclusive/);
  assert.equal(reportOutcome(fixture(straddling, 'pass')).failed, false);
  // The report leads with it: the variant inconclusive alone, named with its interval.
  assert.match(renderMarkdown(fixture(straddling)), /^# ledger-bench report\n\n.*\n\n## The answer\n[\s\S]*- \*\*optimized \(alone\): inconclusive\*\*: inconclusive on balance-lookup \(p\(95\)<50: 50.4 \[48.8, 52.0\]\)\n/);
});

test('loadReportInputs: a job directory with capacity/ and isolation/ beside its results', () => {
  const dir = tempDir('report-job');
  const data = fixture(FAST);
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
  assert.deepEqual(loaded.isolation?.runs.map((r) => [r.variant, r.result.scenarios[0]!.latencyMs.p95]), [['baseline', 78.015], ['optimized', 7.699]]);
  // No policy recorded in these results: none read (report then uses --inconclusive's default).
  assert.equal(loaded.recordedInconclusive, undefined);
  // The isolation directory alone: its results are its runs, not the directory's.
  const alone = loadReportInputs([join(dir, 'isolation')]);
  assert.deepEqual([alone.problems, alone.runs.length, alone.isolation?.runs.length], [[], 0, 2]);
});
